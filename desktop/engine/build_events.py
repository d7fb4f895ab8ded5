"""What a build tells the window and the terminal while it runs: plain values, one kind per happening.

Both builders (BuildKit and the classic one) are translated into these, so a view never reads the
engine's own formats. ``step_id`` is stable for one build (BuildKit's vertex digest, or the classic
builder's step number); ``block_id`` is the block the step comes from, when it comes from one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StepState(StrEnum):
    """Where a step of a build is."""

    WAITING = "waiting"
    RUNNING = "running"
    CACHED = "cached"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class StepUpdate:
    """A step started, finished, was taken from the cache or failed.

    ``started`` and ``completed`` are seconds since the epoch, as the engine reports them (None until then).
    """

    step_id: str
    name: str
    block_id: str | None
    state: StepState
    started: float | None = None
    completed: float | None = None


@dataclass(frozen=True)
class StepLog:
    """Lines a step printed (stdout and stderr, in the order they came)."""

    step_id: str
    block_id: str | None
    lines: tuple[str, ...]


@dataclass(frozen=True)
class UploadProgress:
    """Bytes of the build folder sent to the engine so far (``total`` when known beforehand)."""

    sent: int
    total: int | None


@dataclass(frozen=True)
class BuildFinished:
    """The image was made."""

    image_id: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class BuildFailed:
    """The build stopped: the engine's message, the block to blame when known, and a beginner's hint."""

    message: str
    block_id: str | None = None
    step_id: str | None = None
    hint: str | None = None


BuildEvent = StepUpdate | StepLog | UploadProgress | BuildFinished | BuildFailed
