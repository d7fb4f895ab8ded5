"""A recovery copy of unsaved work, so a crash or a killed process loses a few seconds of it at most.

While the project has unsaved changes, a copy is written to ``<user data>/autosave/<session>.dockblocks``
every :data:`INTERVAL_MS` and after :data:`QUIET_MS` without edits, with a small JSON file beside it
(``<session>.json``: the project's own path and when the copy was made). Writing uses the project file's
atomic save, so a crash while writing leaves the previous copy intact. The copy is deleted when the
project is saved, when the user lets the changes go, or when another project is opened.

Each running window holds a lock file (``<session>.lock``, :class:`QLockFile`). A copy whose lock is not
held by a live process was left behind by a crash: that is what :meth:`AutoSaver.recoverable` offers.
Copies of another Dockblocks that is still running are never offered.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from desktop.project import SUFFIX, Project, ProjectFileError, load_project, save_project
from ui.controller import DocumentController

INTERVAL_MS = 30_000
QUIET_MS = 3_000
SIDECAR_FORMAT = "dockblocks-autosave"
BROKEN_SUFFIX = ".broken"

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recovery:
    """A copy of unsaved work that a crashed Dockblocks left behind.

    Attributes:
        session: the id of the window that wrote it.
        project_file: the copy itself (a ``.dockblocks`` file).
        original: where the project was saved before, or None for a project never saved.
        name: the project's own name ("" when it had none).
        saved_at: when the copy was written (aware, UTC).
    """

    session: str
    project_file: Path
    original: Path | None
    name: str
    saved_at: datetime


class AutoSaver(QObject):
    """Writes recovery copies of one controller's project, and finds the copies crashes left behind.

    Signals:
        written(Path): a copy was written.
        failed(str): a copy could not be written (the reason, for a log or a status bar).
    """

    written = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        controller: DocumentController,
        folder: Path,
        interval_ms: int = INTERVAL_MS,
        quiet_ms: int = QUIET_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.session = secrets.token_hex(16)  # not uuid: its import (platform, ~3 ms) delays the start
        self._controller = controller
        self._pending = False  # edits made since the last copy
        self._running = False
        self._lock: QLockFile | None = None
        self._claims: dict[str, QLockFile] = {}
        self._periodic = QTimer(self, interval=interval_ms)
        self._periodic.timeout.connect(self._write_if_needed)
        self._quiet = QTimer(self, singleShot=True, interval=quiet_ms)
        self._quiet.timeout.connect(self._write_if_needed)
        controller.changed.connect(self._edited)
        controller.undo_stack.cleanChanged.connect(self._clean_changed)
        controller.projectReplaced.connect(self._project_replaced)

    # --- this window's copy ---------------------------------------------------------------------------

    @property
    def project_file(self) -> Path:
        """Where this window's copy goes."""
        return self.folder / f"{self.session}{SUFFIX}"

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> bool:
        """Start writing copies; False (logged) when the folder cannot be made or locked."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            _log.warning("autosave is off: %s cannot be made (%s)", self.folder, error)
            return False
        lock = QLockFile(str(self.folder / f"{self.session}.lock"))
        lock.setStaleLockTime(0)  # a lock counts as stale only when its process is gone, never by age
        if not lock.tryLock(0):
            _log.warning("autosave is off: %s cannot be locked (%s)", self.folder, lock.error())
            return False
        self._lock = lock
        self._running = True
        self._pending = not self._controller.undo_stack.isClean()
        self._periodic.start()
        if self._pending:
            self._quiet.start()
        return True

    def stop(self) -> None:
        """Stop writing copies. The last copy stays when the work is unsaved (a session that ends without
        asking must not lose it); it is offered at the next start."""
        self._periodic.stop()
        self._quiet.stop()
        if shiboken6.isValid(self._controller.undo_stack):
            if self._running and self._pending and not self._controller.undo_stack.isClean():
                self.write_now()
            if self._controller.undo_stack.isClean():
                self.discard()
        self._running = False
        self.release_claims()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def write_now(self) -> bool:
        """Write a copy of the project at once; False (and ``failed``) when it could not be written."""
        if not self._running:
            return False
        path = self._controller.path
        sidecar = {
            "format": SIDECAR_FORMAT,
            "version": 1,
            "original": str(path) if path is not None else None,
            "name": self._controller.project.name,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            save_project(self._controller.project, self.project_file, keep_backup=False)
            _write_text_atomically(self._sidecar(self.session), json.dumps(sidecar, indent=2) + "\n")
        except (ProjectFileError, OSError) as error:
            _log.warning("the recovery copy could not be written: %s", error)
            self.failed.emit(str(error))
            return False
        self._pending = False
        self.written.emit(self.project_file)
        return True

    def discard(self) -> None:
        """Delete this window's copy (the work was saved or deliberately let go)."""
        self._quiet.stop()
        _remove(self.project_file, self._sidecar(self.session))
        self._pending = False  # until the next edit: work let go on purpose must not come back as a copy

    # --- copies left behind by a crash --------------------------------------------------------------

    def recoverable(self) -> list[Recovery]:
        """The copies no running Dockblocks owns, newest first. Each stays claimed (locked by this window)
        until :meth:`forget`, :meth:`set_aside` or :meth:`release_claims`."""
        if not self.folder.is_dir():
            return []
        found = []
        for project_file in self.folder.glob(f"*{SUFFIX}"):
            session = project_file.name[: -len(SUFFIX)]
            if session == self.session or not self._claim(session):
                continue
            found.append(_read_recovery(session, project_file, self._sidecar(session)))
        self._sweep_orphans()
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    def load(self, recovery: Recovery) -> Project:
        """The project in a copy.

        Raises:
            ProjectFileError: the copy cannot be read (the message says why).
        """
        return load_project(recovery.project_file)

    def forget(self, recovery: Recovery) -> None:
        """Delete a copy (recovered into this window, or declined)."""
        _remove(recovery.project_file, self._sidecar(recovery.session))
        self._release(recovery.session)

    def set_aside(self, recovery: Recovery) -> Path:
        """Rename a copy that cannot be read, so it is never offered again but nothing is deleted."""
        kept = recovery.project_file.with_name(recovery.project_file.name + BROKEN_SUFFIX)
        with contextlib.suppress(OSError):
            os.replace(recovery.project_file, kept)
        _remove(self._sidecar(recovery.session))
        self._release(recovery.session)
        return kept

    def release_claims(self) -> None:
        """Let go of the copies claimed by :meth:`recoverable` and not acted upon (offered again later)."""
        for session in list(self._claims):
            self._release(session)

    # --- internals ------------------------------------------------------------------------------------

    def _sidecar(self, session: str) -> Path:
        return self.folder / f"{session}.json"

    def _claim(self, session: str) -> bool:
        if session in self._claims:
            return True
        lock = QLockFile(str(self.folder / f"{session}.lock"))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            return False  # a running Dockblocks owns it
        self._claims[session] = lock
        return True

    def _release(self, session: str) -> None:
        lock = self._claims.pop(session, None)
        if lock is not None:
            lock.unlock()

    def _sweep_orphans(self) -> None:
        # Sidecars and locks whose copy is gone, left by crashes at unlucky moments.
        for sidecar in self.folder.glob("*.json"):
            session = sidecar.stem
            if session == self.session or (self.folder / f"{session}{SUFFIX}").exists():
                continue
            if self._claim(session):
                _remove(sidecar)
                self._release(session)

    def _edited(self, _change: object) -> None:
        if self._running:
            self._pending = True
            self._quiet.start()

    def _clean_changed(self, clean: bool) -> None:
        if clean:
            self.discard()
        elif self._running:
            self._pending = True
            self._quiet.start()

    def _project_replaced(self) -> None:
        self.discard()

    def _write_if_needed(self) -> None:
        if self._running and self._pending and not self._controller.undo_stack.isClean():
            self.write_now()


def _read_recovery(session: str, project_file: Path, sidecar: Path) -> Recovery:
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
        data = {}
    original = data.get("original")
    name = data.get("name")
    try:
        saved_at = datetime.fromisoformat(str(data["saved_at"]))
        if saved_at.tzinfo is None:
            saved_at = saved_at.replace(tzinfo=UTC)
    except (KeyError, ValueError):
        try:  # no readable note beside the copy: the copy's own time is the next best thing
            saved_at = datetime.fromtimestamp(project_file.stat().st_mtime, UTC)
        except OSError:
            saved_at = datetime.now(UTC)
    return Recovery(
        session=session,
        project_file=project_file,
        original=Path(original) if isinstance(original, str) and original else None,
        name=name if isinstance(name, str) else "",
        saved_at=saved_at,
    )


def _write_text_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            _log.warning("could not delete %s: %s", path, error)
