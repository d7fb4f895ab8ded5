"""The File menu's work: new (empty or from a template), open, save, import and export, recent files,
asking before unsaved work is lost, and the recovery copy of unsaved work (:mod:`ui.autosave`).

Every failure is shown as one sentence a beginner can act on, and loses nothing: a file that cannot be
opened leaves the current project open, a save that fails keeps the changes (and the unsaved marker).
Questions and file dialogs go through the small methods of :class:`ui.file_dialogs.FileDialogs`, which
tests replace. These are plain synchronous slots: never call them from inside a coroutine (a dialog's
``exec()`` there would nest event loops, qasync#59).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from desktop.dockerfile import DockerfileSyntaxError, import_bytes
from desktop.lint.dockerignore import IGNORE_FILE
from desktop.paths import user_data_dir
from desktop.project import SUFFIX, Project, ProjectFileError, load_project, save_project
from desktop.templates import (
    TemplateError,
    default_dockerignore,
    describe_missing,
    materialize_template,
    missing_machine_files,
    template_info,
)
from ui.autosave import INTERVAL_MS, QUIET_MS, AutoSaver, Recovery
from ui.controller import DocumentController
from ui.file_dialogs import (
    Button,
    FileDialogs,
    default_projects_dir,
    existing_folder,
    is_project_file,
    local_time,
    reason,
    say,
    unique_folder,
    write_atomically,
)
from ui.recent_files import MAX_RECENT as MAX_RECENT  # the limit, for those that import it from here
from ui.recent_files import store_recent, stored_recent

MAX_DOCKERFILE_BYTES = 4 * 1024 * 1024  # far beyond any real Dockerfile; stops a wrong file early


class ProjectFiles(QObject, FileDialogs):
    """Opening, saving, importing and exporting the controller's project.

    Signals:
        recentChanged(): the list of recent files changed.
        currentPathChanged(object): the project's file changed (a Path, or None for an unsaved project).
        notice(str): a short sentence for the status bar (what was saved or written, and where).
    """

    recentChanged = Signal()
    currentPathChanged = Signal(object)
    notice = Signal(str)

    def __init__(
        self,
        controller: DocumentController,
        window: QWidget,
        settings: QSettings | None = None,
        autosave_dir: Path | None = None,
        projects_dir: Path | None = None,
        autosave_interval_ms: int = INTERVAL_MS,
        autosave_quiet_ms: int = QUIET_MS,
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._window = window
        self._settings = settings if settings is not None else QSettings()
        self.projects_dir = projects_dir if projects_dir is not None else default_projects_dir()
        folder = autosave_dir if autosave_dir is not None else user_data_dir() / "autosave"
        self.autosaver = AutoSaver(controller, folder, autosave_interval_ms, autosave_quiet_ms, self)
        app = QCoreApplication.instance()
        if app is not None:  # a normal quit keeps unsaved work as a recovery copy; a clean one removes it
            app.aboutToQuit.connect(self.autosaver.stop)

    # --- the project ----------------------------------------------------------------------------------

    def display_name(self) -> str:
        """The project's name for titles and questions: its own name, its file's, or "Untitled"."""
        project, path = self._controller.project, self._controller.path
        return project.name or (path.stem if path is not None else say("untitled"))

    def new_project(self, template: str | None = None) -> bool:
        """Start a new project: empty, or from a template (in a new folder of its own, saved at once)."""
        if not self.maybe_save():
            return False
        if template is None:
            self._controller.replace_project(Project(), None)
            self.currentPathChanged.emit(None)
            return True
        return self._new_from_template(template)

    def open_project(self, path: Path | None = None) -> bool:
        """Open a project file, or import a Dockerfile (chosen in a dialog when ``path`` is None)."""
        if not self.maybe_save():
            return False
        chosen = path if path is not None else self.choose_open_path(self._open_folder())
        if chosen is None:
            return False
        return self._open_file(chosen) if is_project_file(chosen) else self._import_file(chosen)

    def open_recent(self, path: Path) -> bool:
        """Open one of the recent files; a file that is gone is taken off the list, with a message."""
        if not path.exists():
            self._forget_recent(path)
            self.show_error(say("error.open.title"), say("error.not_found", path=str(path)))
            return False
        return self.open_project(path)

    def import_dockerfile(self, path: Path | None = None) -> bool:
        """Turn a Dockerfile into blocks, as a new unsaved project whose build folder is the file's folder."""
        if not self.maybe_save():
            return False
        chosen = path if path is not None else self.choose_import_path(self._open_folder())
        return chosen is not None and self._import_file(chosen)

    def save(self) -> bool:
        """Save to the project's file (asks where when it has none yet)."""
        path = self._controller.path
        return self._save_to(path) if path is not None else self.save_as()

    def save_as(self) -> bool:
        """Save to a file chosen in a dialog."""
        path = self.choose_save_path(self._suggested_project_path())
        return path is not None and self._save_to(path)

    def maybe_save(self) -> bool:
        """Before unsaved work is closed: ask whether to save it. False means "stop, keep it open"."""
        if self._controller.undo_stack.isClean():
            return True
        answer = self.ask_save_changes(self.display_name())
        if answer == Button.Save:
            return self.save()
        if answer == Button.Discard:
            self.autosaver.discard()  # let go on purpose: no recovery copy of it either
            return True
        return False

    # --- export ---------------------------------------------------------------------------------------

    def export_dockerfile(self, path: Path | None = None) -> bool:
        """Write the Dockerfile of the blocks, byte for byte as the preview shows it."""
        errors = sum(1 for issue in self._controller.field_issues() if issue.severity == "error")
        if errors and not self.ask_export_anyway(errors):
            return False  # it was written silently, and Docker refused it later, elsewhere
        data = self._controller.rendered.text.encode("utf-8", "surrogateescape")
        title = say("dialog.export_dockerfile")
        target = path or self.choose_export_path(title, self._export_folder() / "Dockerfile", "dockerfile")
        return target is not None and self._export(target, data, say("ask_replace.detail"))

    def export_dockerignore(self, path: Path | None = None) -> bool:
        """Write a default ``.dockerignore`` for beginners (asks before replacing an existing one)."""
        title = say("dialog.export_dockerignore")
        target = path or self.choose_export_path(title, self._export_folder() / IGNORE_FILE, "dockerignore")
        if target is None:
            return False
        data = default_dockerignore().encode("utf-8")
        written = self._export(target, data, say("ask_replace.dockerignore_detail"))
        if written:
            self._controller.schedule_lint()  # what COPY may use has changed
        return written

    # --- recent files ---------------------------------------------------------------------------------

    def recent_files(self) -> list[Path]:
        """The files opened or saved lately, newest first (at most 10; files that are gone are dropped)."""
        stored = self._stored_recent()
        existing = [p for p in stored if p.exists()]
        if existing != stored:
            self._store_recent(existing)
        return existing

    # --- recovery after a crash -----------------------------------------------------------------------

    def start_autosave(self) -> bool:
        """Start writing recovery copies of unsaved work."""
        return self.autosaver.start()

    def offer_recovery(self) -> bool:
        """Offer the work a crashed Dockblocks left unsaved; True when some was recovered and opened."""
        try:
            for recovery in self.autosaver.recoverable():
                if self.ask_recover(self._recovery_name(recovery), local_time(recovery.saved_at)):
                    if self._recover(recovery):
                        return True
                else:
                    self.autosaver.forget(recovery)
            return False
        finally:
            self.autosaver.release_claims()

    # --- internals ------------------------------------------------------------------------------------

    def _new_from_template(self, template_id: str) -> bool:
        try:
            info = template_info(template_id)
            folder = unique_folder(self.projects_dir, info.id)
            project = materialize_template(info.id, folder)
        except TemplateError as error:
            self.show_error(say("error.template.title"), error.message, say("error.kept_open"))
            return False
        except OSError as error:
            parent = str(self.projects_dir)
            text = say("error.template.folder", folder=str(folder), reason=reason(error), parent=parent)
            self.show_error(say("error.template.title"), text, say("error.kept_open"))
            return False
        # Named after its folder: a second Python project is python-alpine-2 in its title and Recent too.
        path: Path | None = folder / f"{folder.name}{SUFFIX}"
        try:  # a project that exists as a file from the start: Save just works, and it is in Recent
            save_project(project, folder / f"{folder.name}{SUFFIX}")
        except ProjectFileError as error:
            path = None
            text = say("error.template.save", folder=str(folder), message=error)
            self.show_error(say("error.save.title"), text)
        self._controller.replace_project(project, path)
        if path is not None:
            self._remember_recent(path)
        self.currentPathChanged.emit(path)
        for needed in missing_machine_files(info, folder):
            self.show_error(say("template.missing.title"), describe_missing(needed, folder))
        self.notice.emit(say("notice.template", folder=str(folder)))
        return True

    def _open_file(self, path: Path) -> bool:
        try:
            project = load_project(path)
        except ProjectFileError as error:
            if not path.exists():
                self._forget_recent(path)
            self.show_error(say("error.open.title"), error.message, say("error.kept_open"))
            return False
        self._controller.replace_project(project, Path(os.path.abspath(path)))
        self._remember_recent(path)
        self.currentPathChanged.emit(self._controller.path)
        return True

    def _import_file(self, path: Path) -> bool:
        data = self._read_dockerfile(path)
        if data is None:
            return False
        try:
            document = import_bytes(data)
        except DockerfileSyntaxError as error:
            if error.line > 0:
                text = say("error.import.line", line=error.line, file=path.name, message=error.message)
            else:
                text = say("error.import.whole", file=path.name, message=error.message)
            self.show_error(say("error.import.title"), text, say("error.import.fix"))
            return False
        folder = Path(os.path.abspath(path)).parent
        self._controller.replace_project(Project(document=document, context_dir=folder), None)
        self._remember_recent(path)
        self.currentPathChanged.emit(None)
        self.notice.emit(say("notice.imported", path=str(path)))
        return True

    def _read_dockerfile(self, path: Path) -> bytes | None:
        title = say("error.import.title")
        try:
            size = path.stat().st_size
            if path.is_dir():
                self.show_error(title, say("error.is_folder", path=str(path)), say("error.kept_open"))
                return None
            if size > MAX_DOCKERFILE_BYTES:
                text = say("error.too_big", path=str(path), size=f"{size / 1024 / 1024:.0f}")
                self.show_error(title, text, say("error.kept_open"))
                return None
            data = path.read_bytes()
        except FileNotFoundError:
            self._forget_recent(path)
            self.show_error(title, say("error.not_found", path=str(path)), say("error.kept_open"))
            return None
        except OSError as error:
            text = say("error.read", path=str(path), reason=reason(error))
            self.show_error(title, text, say("error.kept_open"))
            return None
        if b"\0" in data[:8192]:
            self.show_error(title, say("error.binary", path=str(path)), say("error.kept_open"))
            return None
        return data

    def _save_to(self, path: Path) -> bool:
        path = Path(os.path.abspath(path))
        project = self._controller.project
        unset_context = project.context_dir is None
        if unset_context:  # a new empty project: the folder it is saved in becomes its build folder
            project.context_dir = path.parent
        try:
            save_project(project, path)
        except (ProjectFileError, OSError) as error:
            if unset_context:
                project.context_dir = None
            message = error.message if isinstance(error, ProjectFileError) else reason(error)
            self.show_error(say("error.save.title"), message, say("error.save.kept"))
            return False
        moved = path != self._controller.path
        self._controller.path = path
        self._controller.undo_stack.setClean()
        self._remember_recent(path)
        if moved:
            self.currentPathChanged.emit(path)
        if unset_context:
            self._controller.schedule_lint()
        self.notice.emit(say("notice.saved", path=str(path)))
        return True

    def _export(self, path: Path, data: bytes, replace_detail: str) -> bool:
        if path.exists() and not self.ask_replace(path, replace_detail):
            return False
        try:
            write_atomically(path, data)
        except OSError as error:
            text = say("error.export", path=str(path), reason=reason(error))
            self.show_error(say("error.export.title"), text)
            return False
        self.notice.emit(say("notice.exported", path=str(path)))
        return True

    def _recover(self, recovery: Recovery) -> bool:
        if not self.maybe_save():  # offered later than at start, other unsaved work may be open
            return False
        try:
            project = self.autosaver.load(recovery)
        except ProjectFileError as error:
            kept = self.autosaver.set_aside(recovery)
            name = self._recovery_name(recovery)
            text = say("recover.failed", name=name, message=error, path=str(kept))
            self.show_error(say("recover.title"), text)
            return False
        self._controller.replace_project(project, recovery.original)
        self._controller.undo_stack.resetClean()  # unsaved, as it was when Dockblocks stopped
        if self.autosaver.write_now():  # this window's copy holds it now; the old one may go
            self.autosaver.forget(recovery)
        self.currentPathChanged.emit(recovery.original)
        self.notice.emit(say("notice.recovered", name=self.display_name()))
        return True

    def _recovery_name(self, recovery: Recovery) -> str:
        return recovery.name or (recovery.original.stem if recovery.original else say("untitled"))

    def _suggested_project_path(self) -> Path:
        path, context = self._controller.path, self._controller.project.context_dir
        if path is not None:
            return path
        if context is not None:
            return context / f"{context.name or 'project'}{SUFFIX}"
        return existing_folder(self.projects_dir) / f"{say('untitled')}{SUFFIX}"

    def _export_folder(self) -> Path:
        context, path = self._controller.project.context_dir, self._controller.path
        folder = context or (path.parent if path is not None else None) or self.projects_dir
        return existing_folder(folder)

    def _open_folder(self) -> Path:
        recent = self._stored_recent()
        return existing_folder(recent[0].parent if recent else self.projects_dir)

    def _stored_recent(self) -> list[Path]:
        return stored_recent(self._settings)

    def _store_recent(self, paths: list[Path]) -> None:
        store_recent(self._settings, paths)
        self.recentChanged.emit()

    def _remember_recent(self, path: Path) -> None:
        path = Path(os.path.abspath(path))
        self._store_recent([path, *(p for p in self._stored_recent() if p != path)])

    def _forget_recent(self, path: Path) -> None:
        path = Path(os.path.abspath(path))
        stored = self._stored_recent()
        if path in stored:
            self._store_recent([p for p in stored if p != path])
