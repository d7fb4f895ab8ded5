"""Saving and opening project files on disk, safely.

Saving never leaves a half-written file: the new content goes to a temporary file in the same folder, is
flushed to the disk, then renamed over the old file in one step (``os.replace``). Until that rename the old
file is untouched; if anything fails, the temporary file is removed and the old file stays as it was.
Before the rename, the previous version is kept as ``<name>.bak`` (one generation), so a bad edit saved
by mistake can be undone by hand.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import shutil
import stat
from pathlib import Path

from desktop.project.errors import ProjectFileError
from desktop.project.format import Project, dumps_project, loads_project
from desktop.project.jsontext import MAX_FILE_BYTES, too_big
from desktop.project.texts import say

BACKUP_SUFFIX = ".bak"
_log = logging.getLogger(__name__)
_NO_SPACE = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def backup_path(path: Path) -> Path:
    """Where the previous version of a project file is kept: ``app.dockblocks`` -> ``app.dockblocks.bak``."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def save_project(project: Project, path: Path, *, keep_backup: bool = True) -> None:
    """Write a project file atomically; the previous file survives any failure.

    A relative build-context path is written relative to the folder of ``path`` as given (a symbolic link's
    folder, not its target's), the folder it will be opened from. Saving through a symbolic link replaces
    the file it points to and keeps the link. An existing file keeps its permission bits.

    Args:
        project: what to save.
        path: the ``.dockblocks`` file.
        keep_backup: keep the file's previous version as ``<name>.bak``. Best effort: when the backup cannot
            be made (a full disk, a folder that allows no new file), the save goes on without it.

    Raises:
        ProjectFileError: the project cannot be written as a project file, or the disk refused it; the
            message says which and what to do, and the previous file is unchanged.
    """
    content = dumps_project(project, Path(os.path.abspath(path)).parent)
    target = Path(os.path.realpath(path))
    try:
        _write_atomically(target, content, keep_backup=keep_backup)
    except OSError as error:
        raise _save_error(error, target) from None


def load_project(path: Path) -> Project:
    """Open a project file. Nothing in it is run: it is plain JSON, checked field by field.

    Raises:
        ProjectFileError: the file cannot be read, or is not a valid project file of a version this
            Dockblocks reads; the message says what is wrong and where (line, column, field).
    """
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device could block or never end: only plain files are opened.
            raise ProjectFileError(say("load.not_a_file", path=str(path)))
        if info.st_size > MAX_FILE_BYTES:
            raise too_big(info.st_size)
        with open(path, "rb") as stream:
            content = stream.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as error:
        raise _load_error(error, path) from None
    try:
        return loads_project(content, Path(os.path.abspath(path)).parent)
    except ProjectFileError as error:
        backup = backup_path(path)
        if not backup.is_file():
            raise
        # The last save kept the version before it: the way back for a file damaged since.
        kept = say("load.backup_kept", name=backup.name)
        raise ProjectFileError(
            f"{error.message} {kept}", error.line, error.column, error.field_path
        ) from None


def _write_atomically(target: Path, content: bytes, *, keep_backup: bool) -> None:
    folder = target.parent
    previous = _existing_mode(target)
    if previous is not None and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target))
    temp = _new_temp_file(folder, target.name)
    try:
        with open(temp, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        if previous is not None:
            os.chmod(temp, previous)  # after writing: the old file may be read-only for its owner
        if keep_backup and previous is not None:
            _keep_backup(target)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _existing_mode(target: Path) -> int | None:
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    return stat.S_IMODE(info.st_mode)


def _new_temp_file(folder: Path, name: str) -> Path:
    """An empty new file next to ``name``, created with the permissions new files get (the umask applies)."""
    while True:
        temp = _temp_name(folder, name)
        try:
            handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        os.close(handle)
        return temp


def _temp_name(folder: Path, name: str) -> Path:
    # Hidden, and random so that two saves (or two programs) never write the same temporary file.
    return folder / f".{name}.{secrets.token_hex(4)}.tmp"


def _keep_backup(target: Path) -> None:
    backup = backup_path(target)
    temp = _temp_name(target.parent, backup.name)
    try:
        try:
            os.link(target, temp)  # instant, and the old content stays where it is until the rename
        except OSError:
            shutil.copy2(target, temp)  # file systems without hard links
        os.replace(temp, backup)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        _log.warning("could not keep the previous version of %s as %s: %s", target, backup, error)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no way to open a folder for this)."""
    if os.name != "posix":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems cannot sync a folder; the rename has happened all the same
        pass
    finally:
        os.close(handle)


def _load_error(error: OSError, path: Path) -> ProjectFileError:
    if isinstance(error, FileNotFoundError):
        return ProjectFileError(say("load.not_found", path=str(path)))
    if isinstance(error, IsADirectoryError):
        return ProjectFileError(say("load.is_folder", path=str(path)))
    if isinstance(error, PermissionError):
        return ProjectFileError(say("load.no_permission", path=str(path)))
    return ProjectFileError(say("load.unreadable", path=str(path), reason=error.strerror or str(error)))


def _save_error(error: OSError, target: Path) -> ProjectFileError:
    folder = str(target.parent)
    if isinstance(error, FileNotFoundError):
        # A folder that is there but takes no files (/proc, a device's folder) is not a missing folder.
        key = "save.not_here" if target.parent.is_dir() else "save.no_folder"
        return ProjectFileError(say(key, folder=folder))
    if isinstance(error, PermissionError):
        return ProjectFileError(say("save.no_permission", path=str(target), folder=folder))
    if error.errno in _NO_SPACE:
        return ProjectFileError(say("save.no_space", folder=folder))
    if error.errno == errno.EROFS:
        return ProjectFileError(say("save.read_only", folder=folder))
    return ProjectFileError(say("save.failed", path=str(target), reason=error.strerror or str(error)))
