"""The questions and file dialogs of the File menu, and the small file helpers behind it.

:class:`FileDialogs` is mixed into :class:`ui.files.ProjectFiles`: every question a user is asked goes
through one of its methods, so tests replace exactly that method (``files.ask_save_changes = ...``) and
never see a real dialog. Texts come from ``resources/i18n/files.<language>.json``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.i18n import format_count, format_text, load_texts
from desktop.paths import APP_NAME
from desktop.project import SUFFIX

Button = QMessageBox.StandardButton
DOCKERFILE_PATTERNS = "Dockerfile Dockerfile.* *.Dockerfile *.dockerfile Containerfile"
_PATTERNS = {"project": f"*{SUFFIX}", "dockerfile": DOCKERFILE_PATTERNS, "dockerignore": ".dockerignore"}


def say(key: str, /, **values: Any) -> str:
    """One text of ``resources/i18n/files.<language>.json`` with its placeholders filled."""
    template = load_texts("files").get(key)
    return format_text(template if isinstance(template, str) else key, **values)


class FileDialogs:
    """Questions and file choosers, each one small method that tests can replace.

    Attributes:
        use_native_dialogs: False makes the file dialogs Qt's own, which tests and end-to-end runs can drive.
    """

    use_native_dialogs = True
    _window: QWidget

    def ask_save_changes(self, name: str) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel."""
        box = self._box(QMessageBox.Icon.Question, say("ask_save.title"), say("ask_save.text", name=name))
        box.setInformativeText(say("ask_save.detail"))
        box.setStandardButtons(Button.Save | Button.Discard | Button.Cancel)
        box.setDefaultButton(Button.Save)
        box.setEscapeButton(Button.Cancel)
        return Button(box.exec())

    def ask_replace(self, path: Path, detail: str) -> bool:
        """Whether to replace an existing file."""
        text = say("ask_replace.text", name=path.name, folder=str(path.parent))
        box = self._box(QMessageBox.Icon.Warning, say("ask_replace.title"), text)
        box.setInformativeText(detail)
        box.setStandardButtons(Button.Yes | Button.Cancel)
        box.setDefaultButton(Button.Cancel)
        return box.exec() == Button.Yes

    def ask_export_anyway(self, errors: int) -> bool:
        """Whether to export a Dockerfile that Docker will refuse (it has ``errors`` errors)."""
        text = format_count(load_texts("files"), "ask_export.text", errors)
        box = self._box(QMessageBox.Icon.Warning, say("ask_export.title"), text)
        box.setInformativeText(say("ask_export.detail"))
        box.setStandardButtons(Button.Save | Button.Cancel)
        box.button(Button.Save).setText(say("ask_export.anyway"))
        box.setDefaultButton(Button.Cancel)
        return box.exec() == Button.Save

    def ask_recover(self, name: str, when: str) -> bool:
        """Recover (True) or Discard (False) the work a crash left behind."""
        text = say("recover.text", name=name, time=when)
        box = self._box(QMessageBox.Icon.Question, say("recover.title"), text)
        box.setInformativeText(say("recover.detail"))
        recover = box.addButton(say("recover.recover"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(say("recover.discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(recover)
        box.exec()
        return box.clickedButton() is recover

    def show_error(self, title: str, text: str, detail: str = "") -> None:
        """A message about something that did not work (and what still holds: nothing was lost)."""
        box = self._box(QMessageBox.Icon.Warning, title, text)
        if detail:
            box.setInformativeText(detail)
        box.exec()

    def choose_open_path(self, start: Path) -> Path | None:
        """A project or a Dockerfile to open."""
        both = f"{say('filter.open')} (*{SUFFIX} {DOCKERFILE_PATTERNS})"
        return self._file_dialog(say("dialog.open"), start, [both, *filters("project", "dockerfile")])

    def choose_import_path(self, start: Path) -> Path | None:
        """A Dockerfile to import."""
        return self._file_dialog(say("dialog.import"), start, filters("dockerfile"))

    def choose_save_path(self, suggested: Path) -> Path | None:
        """Where to save the project (the dialog confirms replacing a file)."""
        path = self._file_dialog(say("dialog.save"), suggested, filters("project"), save=True, suffix=SUFFIX)
        if path is not None and path.suffix != SUFFIX:  # a native dialog may leave the suffix off
            path = path.with_name(path.name + SUFFIX)
            if path.exists() and not self.ask_replace(path, say("ask_replace.detail")):
                return None
        return path

    def choose_export_path(self, title: str, suggested: Path, kind: str) -> Path | None:
        """Where to write an exported file; replacing one is asked afterwards, by :meth:`ask_replace`."""
        return self._file_dialog(title, suggested, filters(kind), save=True, confirm_overwrite=False)

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, Button.NoButton, self._window)
        box.setObjectName("FilesMessage")
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file name is never read as HTML
        return box

    def _file_dialog(
        self,
        title: str,
        start: Path,
        name_filters: list[str],
        save: bool = False,
        suffix: str = "",
        confirm_overwrite: bool = True,
    ) -> Path | None:
        dialog = QFileDialog(self._window, title, str(start if start.is_dir() else start.parent))
        dialog.setObjectName("FilesDialog")
        dialog.setNameFilters([*name_filters, f"{say('filter.all')} (*)"])
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, not self.use_native_dialogs)
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, not confirm_overwrite)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.selectFile(start.name)
            if suffix:
                dialog.setDefaultSuffix(suffix.lstrip("."))
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        return Path(dialog.selectedFiles()[0])


def filters(*kinds: str) -> list[str]:
    """File dialog filters by kind: ``project``, ``dockerfile``, ``dockerignore``."""
    return [f"{say('filter.' + kind)} ({_PATTERNS[kind]})" for kind in kinds]


def is_project_file(path: Path) -> bool:
    """A project file, known by its suffix or its content (JSON starts with a brace; a Dockerfile never)."""
    if path.suffix == SUFFIX:
        return True
    try:
        with open(path, "rb") as stream:
            return stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError:
        return False


def default_projects_dir() -> Path:
    """Where new projects from templates go: ``Documents/Dockblocks`` (under the home folder if need be)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home()) / APP_NAME


def unique_folder(parent: Path, name: str) -> Path:
    """``parent/name``, or ``name-2``, ``name-3`` ...: the first that does not exist yet."""
    candidate, number = parent / name, 2
    while candidate.exists():
        candidate, number = parent / f"{name}-{number}", number + 1
    return candidate


def write_atomically(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then renamed over the target."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        temp.write_bytes(data)
        with contextlib.suppress(OSError):
            os.chmod(temp, os.stat(path).st_mode & 0o7777)  # a replaced file keeps its permissions
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def existing_folder(folder: Path) -> Path:
    """``folder``, or its nearest parent that exists (dialogs start there)."""
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    return folder if folder.is_dir() else Path.home()


def reason(error: OSError) -> str:
    """What the system said about a failed file operation, short."""
    return (error.strerror or str(error)).rstrip(".")


def local_time(moment: datetime) -> str:
    """A moment in the user's time zone and date format."""
    when = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale.system().toString(when, QLocale.FormatType.ShortFormat)
