"""The build folder as the engine receives it: scanned once, then streamed as a tar, never copied whole.

:func:`scan_context` walks the folder as the docker CLI does (``archive.TarWithOptions``): ``.dockerignore``
decides what is left out, an excluded folder is not even entered unless a ``!`` line may bring something
back from inside it, and the Dockerfile and ``.dockerignore`` are always sent. The scan knows the size of
everything that will be sent and what is largest, so the window can ask before uploading a huge folder.

:func:`stream_context` then produces the tar in chunks of about a megabyte, reading each file only when its
turn comes: memory stays flat whatever the size of the folder, and the upload starts at once.

The rendered Dockerfile goes into the tar as ``Dockerfile`` (in place of a ``Dockerfile`` the folder may
hold): without a BuildKit session the engine can only read the Dockerfile from inside the context.
"""

from __future__ import annotations

import heapq
import os
import stat
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop.engine.dockerignore import IGNORE_FILE, DockerIgnore, ParentMatch

DOCKERFILE_NAME = "Dockerfile"
"""Where the rendered Dockerfile is put in the context (the ``dockerfile`` parameter of the build)."""

CHUNK_SIZE = 1 << 20
"""Bytes read from a file and handed to the connection at once: large enough that the per-chunk cost is
negligible next to the copy, small enough that cancelling and progress stay responsive."""

_BLOCK = tarfile.BLOCKSIZE


@dataclass(frozen=True)
class ContextEntry:
    """One thing to send: a slash-separated path relative to the folder and what it is."""

    path: str
    kind: str  # "file", "dir" or "symlink"
    size: int
    mode: int
    mtime: float
    target: str = ""  # of a symlink


@dataclass
class ContextScan:
    """What a build would send from a folder.

    Attributes:
        root: the folder.
        entries: everything sent, in the order it is sent.
        total_bytes: the bytes of the files' contents (what the upload progress counts).
        file_count: how many files.
        top_level: size of each entry at the top of the folder (a folder counts everything sent inside it).
        skipped: paths that could not be read (they are left out, as a note for the user).
    """

    root: Path
    entries: list[ContextEntry] = field(default_factory=list)
    total_bytes: int = 0
    file_count: int = 0
    top_level: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def largest(self, count: int = 5) -> list[tuple[str, int]]:
        """The largest entries at the top of the folder, largest first: what to show before a big upload."""
        return heapq.nlargest(count, self.top_level.items(), key=lambda item: item[1])

    def largest_files(self, count: int = 5) -> list[tuple[str, int]]:
        """The largest single files anywhere in the folder, largest first."""
        files = ((e.path, e.size) for e in self.entries if e.kind == "file")
        return heapq.nlargest(count, files, key=lambda item: item[1])


def scan_context(context_dir: Path, keep: tuple[str, ...] = (DOCKERFILE_NAME,)) -> ContextScan:
    """Walks the build folder with its ``.dockerignore``.

    Args:
        context_dir: the build folder.
        keep: names always sent even when ``.dockerignore`` lists them (the Dockerfile).

    Raises:
        OSError: the folder itself cannot be read.
        DockerignoreError: ``.dockerignore`` holds a malformed pattern.
    """
    root = Path(context_dir)
    ignore = DockerIgnore.from_context(root, keep)
    scan = ContextScan(root)
    os.stat(root)  # a missing folder is the caller's error, not an empty context
    _walk(root, "", ignore, ParentMatch(), scan)
    return scan


def _walk(folder: Path, prefix: str, ignore: DockerIgnore, parent: ParentMatch, scan: ContextScan) -> None:
    try:
        with os.scandir(folder) as listing:
            names = sorted(entry.name for entry in listing)  # lexical, as filepath.Walk
    except OSError:
        if prefix:
            scan.skipped.append(prefix.rstrip("/"))
            return
        raise
    for name in names:
        relative = prefix + name
        full = folder / name
        try:
            info = os.lstat(full)
        except OSError:
            scan.skipped.append(relative)
            continue
        is_dir = stat.S_ISDIR(info.st_mode)
        excluded, matched = ignore.check(relative, parent) if ignore.patterns else (False, parent)
        if excluded:
            if is_dir and ignore.may_bring_back_inside(relative):
                _walk(full, relative + "/", ignore, matched, scan)
            continue
        if is_dir:
            scan.entries.append(ContextEntry(relative, "dir", 0, info.st_mode, info.st_mtime))
            _walk(full, relative + "/", ignore, matched, scan)
        elif stat.S_ISREG(info.st_mode):
            scan.entries.append(ContextEntry(relative, "file", info.st_size, info.st_mode, info.st_mtime))
            scan.total_bytes += info.st_size
            scan.file_count += 1
            top = relative.split("/", 1)[0]
            scan.top_level[top] = scan.top_level.get(top, 0) + info.st_size
            continue
        elif stat.S_ISLNK(info.st_mode):
            try:
                target = os.readlink(full)
            except OSError:
                scan.skipped.append(relative)
                continue
            scan.entries.append(ContextEntry(relative, "symlink", 0, info.st_mode, info.st_mtime, target))
        # Sockets, pipes and devices are left out: the engine could not use them in a layer anyway.
        if "/" not in relative:
            scan.top_level.setdefault(relative, 0)


def _header(entry: ContextEntry) -> bytes:
    info = tarfile.TarInfo(entry.path + ("/" if entry.kind == "dir" else ""))
    info.mode = stat.S_IMODE(entry.mode)
    info.mtime = int(entry.mtime)
    info.uid = info.gid = 0  # as the CLI does (ChownOpts 0:0): the files belong to root in the image
    info.uname = info.gname = ""
    if entry.kind == "dir":
        info.type = tarfile.DIRTYPE
    elif entry.kind == "symlink":
        info.type = tarfile.SYMTYPE
        info.linkname = entry.target
    else:
        info.size = entry.size
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def stream_context(
    scan: ContextScan,
    dockerfile: bytes,
    on_progress: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[bytes]:
    """The tar of a scanned folder, chunk by chunk, with the rendered Dockerfile as ``Dockerfile``.

    Args:
        scan: from :func:`scan_context`.
        dockerfile: the rendered Dockerfile.
        on_progress: called with the file bytes sent so far after each chunk.
        should_stop: checked between chunks; when it answers True the stream ends early (a cancelled build).
    """
    sent = 0
    pending = bytearray()
    for entry in scan.entries:
        if should_stop is not None and should_stop():
            return
        if entry.path == DOCKERFILE_NAME:
            continue  # replaced by the rendered one below
        if entry.kind != "file":
            pending += _header(entry)
            continue
        try:
            handle = open(scan.root / entry.path, "rb")  # noqa: SIM115 (closed in the finally below)
        except OSError:
            continue  # vanished or unreadable since the scan: left out rather than failing the build
        try:
            pending += _header(entry)
            remaining = entry.size
            while remaining > 0:
                chunk = handle.read(min(CHUNK_SIZE, remaining))
                if not chunk:  # the file shrank since the scan: pad to the size the header promised
                    chunk = bytes(min(CHUNK_SIZE, remaining))
                remaining -= len(chunk)
                sent += len(chunk)
                if pending:
                    pending += chunk
                    yield bytes(pending)
                    pending.clear()
                else:
                    yield chunk
                if on_progress is not None:
                    on_progress(sent)
                if should_stop is not None and should_stop():
                    return
            padding = -entry.size % _BLOCK
            if padding:
                pending += bytes(padding)
        finally:
            handle.close()
        if len(pending) >= CHUNK_SIZE:
            yield bytes(pending)
            pending.clear()
    info = tarfile.TarInfo(DOCKERFILE_NAME)
    info.size = len(dockerfile)
    info.mode = 0o644
    pending += info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
    pending += dockerfile + bytes(-len(dockerfile) % _BLOCK)
    pending += bytes(2 * _BLOCK)  # the end-of-archive marker
    yield bytes(pending)
    if on_progress is not None:
        on_progress(sent)


def context_has_ignore_file(context_dir: Path) -> bool:
    """Whether the folder has a ``.dockerignore`` (the window says so next to the size)."""
    return (Path(context_dir) / IGNORE_FILE).is_file()
