"""What an instance's state history is made of: states over time (intervals) and moments (markers).

An instance (a container) goes through states: created, running (healthy or not), paused, exited with a code,
dead, removed. Each stretch of one state is an :class:`Interval` (its end is None while it lasts); things that
happen at one moment (an exit with its code, an OOM kill, a kill signal, a restart, a health change) are
:class:`Marker` objects. Times are seconds since the epoch (floats, nanoseconds where the engine gives them).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from enum import StrEnum


class State(StrEnum):
    """The state of an instance during an interval."""

    CREATED = "created"
    RUNNING = "running"
    PAUSED = "paused"
    EXITED = "exited"
    DEAD = "dead"  # the engine failed to remove it: it stays, unusable
    REMOVED = "removed"  # gone from the engine; the last interval of a history, never drawn as a band


class MarkerKind(StrEnum):
    """Moments worth a mark on the timeline."""

    EXIT = "exit"  # code: the exit code
    OOM = "oom"  # the kernel killed a process for lack of memory (the memory limit was reached)
    KILL = "kill"  # detail: the signal sent
    RESTART = "restart"
    HEALTH = "health"  # detail: starting, healthy or unhealthy
    REMOVED = "removed"  # detail: "missed" when it happened while the engine was out of reach


@dataclass(slots=True)
class Interval:
    """One stretch of one state.

    Attributes:
        key: a number unique in the whole history (the store's row id), growing with time.
        container: the container id.
        state: the state during the stretch.
        start: when it began.
        end: when it ended, or None while it lasts.
        exit_code: for EXITED and DEAD: the code of the exit that began it, when known.
        health: for RUNNING: the healthcheck's verdict ("starting", "healthy", "unhealthy") or "" for none.
    """

    key: int
    container: str
    state: State
    start: float
    end: float | None = None
    exit_code: int | None = None
    health: str = ""


@dataclass(slots=True)
class Marker:
    """A moment: an exit, an OOM kill, a signal, a restart, a health change, a removal.

    Attributes:
        key: a number unique among markers (the store's row id).
        container: the container id.
        kind: what happened.
        time: when.
        code: the exit code for EXIT, else None.
        detail: the signal for KILL, the verdict for HEALTH, "missed" for a REMOVED seen only afterwards.
    """

    key: int
    container: str
    kind: MarkerKind
    time: float
    code: int | None = None
    detail: str = ""


@dataclass(slots=True)
class ContainerHistory:
    """Everything known about one instance: its name and image, its intervals (oldest first), its markers."""

    id: str
    name: str = ""
    image: str = ""
    intervals: list[Interval] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)

    @property
    def current(self) -> Interval | None:
        """The last interval (the one that lasts), or None before anything is known."""
        return self.intervals[-1] if self.intervals else None

    def state_at(self, time: float) -> State | None:
        """The state at ``time``, or None before the first known interval."""
        for interval in reversed(self.intervals):
            if interval.start <= time:
                return interval.state
        return None


_RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def parse_engine_time(text: str | None) -> float | None:
    """An engine timestamp (``2024-05-01T10:00:00.123456789Z``) as epoch seconds; None for none or zero.

    The engine writes ``0001-01-01T00:00:00Z`` for "never" (a container never started or never finished).
    """
    if not text or text.startswith("0001-01-01"):
        return None
    match = _RFC3339.match(text.strip())
    if match is None:
        return None
    whole, fraction, zone = match.groups()
    offset = "+00:00" if zone == "Z" else zone
    moment = datetime.datetime.fromisoformat(whole + offset)
    # fromisoformat keeps microseconds only: add the nanosecond fraction ourselves.
    return moment.timestamp() + (int(fraction[:9].ljust(9, "0")) / 1e9 if fraction else 0.0)


def event_time(event: dict[str, object]) -> float | None:
    """The time of an engine event: ``timeNano`` when given (exact), else ``time`` (whole seconds)."""
    nanos = event.get("timeNano")
    if isinstance(nanos, int):
        return nanos / 1e9
    seconds = event.get("time")
    if isinstance(seconds, int | float):
        return float(seconds)
    return None
