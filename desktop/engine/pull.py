"""Pulling an image with one progress bar per layer.

The engine reports a pull as JSON lines, one per change of one layer ("Pulling fs layer", "Waiting",
"Downloading" with bytes, "Verifying Checksum", "Download complete", "Extracting" with bytes, "Pull
complete", "Already exists"), plus a few lines about the whole image ("Digest: …", "Status: …").
:class:`PullProgress` folds them into the state of each layer; :func:`pull` streams the lines from a
worker thread and yields the folded state once per batch, so a window redraws at most once per batch.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.engine.run_spec import say
from desktop.engine.threads import stream_blocking

DOWNLOAD_SHARE = 0.7
"""The part of a layer's bar its download fills (extracting fills the rest): downloads take longer."""


class LayerState(enum.StrEnum):
    WAITING = "waiting"
    DOWNLOADING = "downloading"
    VERIFYING = "verifying"
    DOWNLOADED = "downloaded"
    EXTRACTING = "extracting"
    DONE = "done"
    ALREADY_EXISTS = "already exists"


_STATES = {
    "pulling fs layer": LayerState.WAITING,
    "waiting": LayerState.WAITING,
    "downloading": LayerState.DOWNLOADING,
    "verifying checksum": LayerState.VERIFYING,
    "download complete": LayerState.DOWNLOADED,
    "extracting": LayerState.EXTRACTING,
    "pull complete": LayerState.DONE,
    "already exists": LayerState.ALREADY_EXISTS,
}


@dataclass(frozen=True)
class LayerProgress:
    """Where one layer is.

    Attributes:
        layer_id: the short id the engine shows (12 hex digits).
        state: the step it is at.
        downloaded: bytes downloaded so far; ``download_total`` bytes in all (0 when not known yet).
        extracted: bytes extracted so far; ``extract_total`` in all.
    """

    layer_id: str
    state: LayerState = LayerState.WAITING
    downloaded: int = 0
    download_total: int = 0
    extracted: int = 0
    extract_total: int = 0

    @property
    def fraction(self) -> float:
        """How far along the layer is, 0.0 to 1.0 (download first, then extraction)."""
        if self.state in (LayerState.DONE, LayerState.ALREADY_EXISTS):
            return 1.0
        if self.state is LayerState.EXTRACTING:
            part = self.extracted / self.extract_total if self.extract_total else 0.0
            return DOWNLOAD_SHARE + (1 - DOWNLOAD_SHARE) * min(part, 1.0)
        if self.state in (LayerState.VERIFYING, LayerState.DOWNLOADED):
            return DOWNLOAD_SHARE
        if self.state is LayerState.DOWNLOADING and self.download_total:
            return DOWNLOAD_SHARE * min(self.downloaded / self.download_total, 1.0)
        return 0.0


@dataclass
class PullProgress:
    """The folded state of a pull.

    Attributes:
        image: what is pulled.
        layers: each layer by id, in the order the engine first named them.
        digest: the image digest once known.
        status: the engine's last line about the whole image ("Status: Downloaded newer image for …").
        error: the engine's error message, when the pull failed.
    """

    image: str
    layers: dict[str, LayerProgress] = field(default_factory=dict)
    digest: str = ""
    status: str = ""
    error: str = ""

    def fold(self, event: dict[str, Any]) -> None:
        """Takes one JSON line of the engine's pull output into account."""
        if "errorDetail" in event or "error" in event:
            detail = event.get("errorDetail") or {}
            self.error = str(detail.get("message") or event.get("error") or "")
            return
        status = str(event.get("status", ""))
        layer_id = str(event.get("id", ""))
        state = _STATES.get(status.lower())
        if state is None or not layer_id:
            if status.startswith("Digest: "):
                self.digest = status.removeprefix("Digest: ")
            elif status:
                self.status = status
            return
        layer = self.layers.get(layer_id) or LayerProgress(layer_id)
        detail = event.get("progressDetail") or {}
        current, total = int(detail.get("current") or 0), int(detail.get("total") or 0)
        if state is LayerState.DOWNLOADING:
            layer = replace(
                layer, state=state, downloaded=current, download_total=total or layer.download_total
            )
        elif state is LayerState.EXTRACTING:
            layer = replace(layer, state=state, extracted=current, extract_total=total or layer.extract_total)
        elif state in (LayerState.DOWNLOADED, LayerState.VERIFYING) and layer.download_total:
            layer = replace(layer, state=state, downloaded=layer.download_total)
        else:
            layer = replace(layer, state=state)
        self.layers[layer_id] = layer

    @property
    def fraction(self) -> float:
        """The whole pull, 0.0 to 1.0 (layers weighed by size where known)."""
        if not self.layers:
            return 0.0
        sizes = [max(layer.download_total, 1) for layer in self.layers.values()]
        done = sum(layer.fraction * size for layer, size in zip(self.layers.values(), sizes, strict=True))
        return done / sum(sizes)


class PullError(Exception):
    """A pull failed; ``message`` is one plain sentence, ``reason`` the engine's own words."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def split_reference(image: str) -> tuple[str, str]:
    """``name:tag`` -> (name, tag); no tag means ``latest``; a digest stays in the name's place."""
    if "@" in image:
        return image, ""
    name, _, tag = image.rpartition(":")
    if not name or "/" in tag:  # "host:5000/app" has a port, not a tag
        return image, "latest"
    return name, tag


async def pull(image: str, api_factory: Callable[[], Any]) -> AsyncIterator[PullProgress]:
    """Pulls ``image``, yielding the folded progress after each batch of engine lines.

    Cancelling (or leaving the loop early) closes the connection: the engine stops the pull.

    Raises:
        PullError: the registry refused or could not be reached, or the image does not exist.
    """
    api = api_factory()
    name, tag = split_reference(image)
    progress = PullProgress(image)
    try:
        stream = stream_blocking(lambda: api.pull(name, tag=tag or None, stream=True, decode=True), api.close)
        async for batch in stream:
            for event in batch:
                progress.fold(event)
            if progress.error:
                break
            yield progress
    except Exception as error:
        if isinstance(error, PullError):
            raise
        raise PullError(plain_pull_error(image, str(error)), str(error)) from error
    finally:
        api.close()
    if progress.error:
        raise PullError(plain_pull_error(image, progress.error), progress.error)


def plain_pull_error(image: str, reason: str) -> str:
    """The engine's pull error as one sentence a beginner can act on."""
    low = reason.lower()
    if "not found" in low or "manifest unknown" in low or "does not exist" in low:
        return say("pull.not_found", image=image)
    if "denied" in low or "unauthorized" in low or "authentication required" in low:
        return say("pull.denied", image=image)
    if any(
        word in low for word in ("no such host", "connection refused", "timeout", "i/o timeout", "dial tcp")
    ):
        return say("pull.unreachable", image=image)
    return say("pull.failed", image=image, reason=reason.rstrip(".") + ".")


def base_images(document: Any) -> list[str]:
    """The images a document's FROM blocks start from, as a registry names them, each once.

    Left out: ``scratch``, earlier stages (``FROM build``), and references still holding a ``$`` variable
    (their value is only known during a build).
    """
    from desktop.blocks.kinds import Kind

    stages: set[str] = set()
    found: list[str] = []
    for block in document.blocks:
        if block.kind is not Kind.FROM:
            continue
        image = str(block.params.get("image") or "").strip()
        tag = str(block.params.get("tag") or "").strip()
        digest = str(block.params.get("digest") or "").strip()
        reference = image + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
        pulled = image and image.lower() != "scratch" and image.lower() not in stages and "$" not in reference
        if pulled and reference not in found:
            found.append(reference)
        if block.params.get("stage_name"):
            stages.add(str(block.params["stage_name"]).lower())
    return found
