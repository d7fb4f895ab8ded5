"""The File menu's work through ProjectFiles: save and open, unsaved-work questions, recent files, import,
export and templates. Every question and dialog is replaced by an answer the test gives (or a failure if
one appears unasked), so no real dialog ever opens.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget

import desktop.templates
import ui.files
from desktop.blocks.kinds import Kind
from desktop.blocks.operations import SetParams
from desktop.dockerfile import import_text, render
from desktop.project import Project, ProjectFileError, load_project, save_project
from desktop.templates import default_dockerignore, load_template_document
from ui.controller import DocumentController
from ui.file_dialogs import Button
from ui.files import MAX_RECENT, ProjectFiles


def unexpected(name: str) -> Any:
    def fail(*_args: object, **_kwargs: object) -> object:
        raise AssertionError(f"{name} was not expected here")

    return fail


@pytest.fixture
def files(qtbot, controller: DocumentController, tmp_path: Path) -> Iterator[ProjectFiles]:
    window = QWidget()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = ProjectFiles(
        controller,
        window,
        settings=settings,
        autosave_dir=tmp_path / "autosave",
        projects_dir=tmp_path / "new",
    )
    made.errors = []  # type: ignore[attr-defined]
    made.show_error = lambda title, text, detail="": made.errors.append((title, text, detail))  # type: ignore[attr-defined]
    for name in (
        "ask_save_changes",
        "ask_replace",
        "ask_recover",
        "ask_export_anyway",
        "choose_open_path",
        "choose_import_path",
        "choose_save_path",
        "choose_export_path",
    ):
        setattr(made, name, unexpected(name))
    yield made
    made.autosaver.stop()
    controller.wait_for_lint()


def edit(controller: DocumentController) -> None:
    workdir = next(b for b in controller.document.blocks if b.kind is Kind.WORKDIR)
    controller.apply(SetParams(workdir.id, {"path": "/srv/app"}))


def test_save_as_then_open_gives_back_the_same_blocks(
    files: ProjectFiles, controller, tmp_path: Path
) -> None:
    edit(controller)
    text = controller.rendered.text
    target = tmp_path / "work" / "app.dockblocks"
    target.parent.mkdir()
    files.choose_save_path = lambda suggested: target
    paths: list[object] = []
    files.currentPathChanged.connect(paths.append)

    assert files.save_as()

    assert controller.undo_stack.isClean() and controller.path == target
    assert paths == [target] and files.recent_files() == [target]
    assert load_project(target).document.blocks[1].params["path"] == "/srv/app"
    assert files.new_project()
    assert controller.document.blocks == [] and controller.path is None
    assert files.open_project(target)
    assert controller.rendered.text == text and controller.path == target
    assert controller.undo_stack.isClean()
    assert files.errors == []


def test_unsaved_marker_follows_edits_saves_and_undo(files: ProjectFiles, controller, tmp_path: Path) -> None:
    files.choose_save_path = lambda suggested: tmp_path / "p.dockblocks"
    assert controller.undo_stack.isClean()

    edit(controller)
    assert not controller.undo_stack.isClean()
    assert files.save()
    assert controller.undo_stack.isClean() and files.display_name() == "p"
    controller.undo_stack.undo()
    assert not controller.undo_stack.isClean()
    controller.undo_stack.redo()
    assert controller.undo_stack.isClean()


def test_save_asks_where_only_the_first_time(files: ProjectFiles, controller, tmp_path: Path) -> None:
    asked: list[Path] = []
    files.choose_save_path = lambda suggested: asked.append(suggested) or tmp_path / "first.dockblocks"
    edit(controller)
    assert files.save()
    controller.apply(SetParams(controller.document.blocks[0].id, {"tag": "3.13-slim"}))

    assert files.save()

    assert len(asked) == 1
    assert "3.13-slim" in render(load_project(tmp_path / "first.dockblocks").document).text


def test_a_new_empty_project_gets_the_folder_it_is_saved_in_as_build_folder(
    files: ProjectFiles, controller, tmp_path: Path
) -> None:
    assert files.new_project()
    assert controller.project.context_dir is None
    files.choose_save_path = lambda suggested: tmp_path / "mine.dockblocks"

    assert files.save()

    assert controller.project.context_dir == tmp_path
    assert load_project(tmp_path / "mine.dockblocks").context_dir == tmp_path


@pytest.mark.parametrize(
    ("answer", "result", "saved", "clean_after"),
    [
        (Button.Save, True, True, True),
        (Button.Discard, True, False, False),
        (Button.Cancel, False, False, False),
    ],
)
def test_maybe_save_answers(
    files: ProjectFiles, controller, tmp_path: Path, answer, result, saved, clean_after
):
    target = tmp_path / "p.dockblocks"
    files.choose_save_path = lambda suggested: target
    edit(controller)
    asked: list[str] = []
    files.ask_save_changes = lambda name: asked.append(name) or answer

    assert files.maybe_save() is result

    assert asked == ["Untitled"]
    assert target.exists() is saved
    assert controller.undo_stack.isClean() is clean_after


def test_maybe_save_does_not_ask_when_nothing_changed(files: ProjectFiles) -> None:
    assert files.maybe_save()


def test_cancelling_the_save_dialog_keeps_the_work_open(files: ProjectFiles, controller) -> None:
    edit(controller)
    document = controller.document
    files.ask_save_changes = lambda name: Button.Save
    files.choose_save_path = lambda suggested: None

    assert not files.new_project()

    assert controller.document is document and not controller.undo_stack.isClean()


def test_new_project_cancelled_keeps_the_current_one(files: ProjectFiles, controller) -> None:
    edit(controller)
    document = controller.document
    files.ask_save_changes = lambda name: Button.Cancel

    assert not files.new_project("python-alpine")
    assert not files.open_project(Path("/nonexistent.dockblocks"))

    assert controller.document is document


def test_a_failed_save_keeps_the_changes_and_says_why(
    files: ProjectFiles, controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_disk_refusing_the_write(project: Project, path: Path, **_kwargs: object) -> None:
        raise ProjectFileError(f"Dockblocks is not allowed to write {path}; check the permissions.")

    monkeypatch.setattr(ui.files, "save_project", fake_disk_refusing_the_write)
    files.choose_save_path = lambda suggested: tmp_path / "p.dockblocks"
    edit(controller)

    assert not files.save()

    assert not controller.undo_stack.isClean() and controller.path is None
    assert controller.project.context_dir is None
    [(_title, text, detail)] = files.errors
    assert text == f"Dockblocks is not allowed to write {tmp_path / 'p.dockblocks'}; check the permissions."
    assert "Your changes are still here" in detail
    assert files.recent_files() == []


def test_a_real_save_error_into_a_missing_folder_is_explained(
    files: ProjectFiles, controller, tmp_path
) -> None:
    files.choose_save_path = lambda suggested: tmp_path / "gone" / "p.dockblocks"
    edit(controller)

    assert not files.save()

    assert "does not exist" in files.errors[0][1]
    assert not controller.undo_stack.isClean()


def test_recent_files_newest_first_without_duplicates_at_most_ten(
    files: ProjectFiles, tmp_path: Path
) -> None:
    paths = []
    for number in range(12):
        path = tmp_path / f"p{number}.dockblocks"
        save_project(Project(), path)
        paths.append(path)
    changes: list[None] = []
    files.recentChanged.connect(lambda: changes.append(None))

    for path in paths:
        assert files.open_project(path)
    assert files.open_project(paths[5])

    recent = files.recent_files()
    assert len(recent) == MAX_RECENT
    assert recent[0] == paths[5]
    assert recent[1:] == [p for p in reversed(paths) if p != paths[5]][: MAX_RECENT - 1]
    assert len(changes) == 13


def test_recent_files_that_are_gone_are_dropped(files: ProjectFiles, tmp_path: Path) -> None:
    kept, gone = tmp_path / "kept.dockblocks", tmp_path / "gone.dockblocks"
    save_project(Project(), kept)
    save_project(Project(), gone)
    files.open_project(kept)
    files.open_project(gone)
    gone.unlink()

    assert files.recent_files() == [kept]


def test_opening_a_recent_file_that_is_gone_says_so_and_forgets_it(
    files: ProjectFiles, controller, tmp_path
) -> None:
    path = tmp_path / "gone.dockblocks"
    save_project(Project(), path)
    files.open_project(path)
    document = controller.document
    path.unlink()

    assert not files.open_recent(path)

    assert controller.document is document
    assert str(path) in files.errors[0][1] and "taken off the list" in files.errors[0][1]
    assert files._stored_recent() == []


def test_opening_a_damaged_project_keeps_the_current_one(files: ProjectFiles, controller, tmp_path) -> None:
    damaged = tmp_path / "damaged.dockblocks"
    damaged.write_text('{"format": "dockblocks", "version": 1,\n  "document": [1, 2\n')
    document = controller.document

    assert not files.open_project(damaged)

    assert controller.document is document and controller.path is None
    _title, text, detail = files.errors[0]
    assert "line 3" in text.lower() and detail == "Your current project is still open, unchanged."


def test_opening_a_dockerfile_imports_it_with_its_folder_as_build_folder(
    files: ProjectFiles, controller, tmp_path: Path
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\nCOPY . /app\n")
    files.choose_open_path = lambda start: dockerfile

    assert files.open_project()

    assert controller.rendered.text == "FROM alpine:3.20\nCOPY . /app\n"
    assert controller.project.context_dir == tmp_path and controller.path is None
    assert controller.undo_stack.isClean()
    assert files.recent_files() == [dockerfile]


def test_a_broken_dockerfile_names_the_line_and_keeps_the_current_project(
    files: ProjectFiles, controller, tmp_path: Path
) -> None:
    broken = tmp_path / "Dockerfile"
    broken.write_text("FROM alpine\nRUN echo hi\nENV PATH\n")
    document, text = controller.document, controller.rendered.text
    files.choose_import_path = lambda start: broken

    assert not files.import_dockerfile()

    assert controller.document is document and controller.rendered.text == text
    title, message, detail = files.errors[0]
    assert title == "The Dockerfile could not be imported"
    assert message.startswith("Line 3 of Dockerfile: ") and "PATH=value" in message
    assert "Fix that line" in detail
    assert files.recent_files() == []


def test_a_file_that_is_not_text_is_not_imported(files: ProjectFiles, controller, tmp_path: Path) -> None:
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    huge = tmp_path / "huge.Dockerfile"
    with open(huge, "wb") as stream:
        stream.truncate(5 * 1024 * 1024)
    document = controller.document

    assert not files.import_dockerfile(binary)
    assert not files.import_dockerfile(huge)
    assert not files.import_dockerfile(tmp_path)

    assert controller.document is document
    assert "not a text file" in files.errors[0][1]
    assert "5 MB" in files.errors[1][1]
    assert "is a folder" in files.errors[2][1]


def test_export_dockerfile_writes_exactly_the_rendered_bytes(
    files: ProjectFiles, controller, tmp_path
) -> None:
    original = b'\xef\xbb\xbfFROM alpine\r\n# caf\xe9 in Latin-1\r\nRUN echo  hi \\\r\n  there\r\nCMD ["sh"]'
    source = tmp_path / "Dockerfile"
    source.write_bytes(original)
    assert files.import_dockerfile(source)
    target = tmp_path / "out" / "Dockerfile"
    target.parent.mkdir()
    files.choose_export_path = lambda title, suggested, kind: target

    assert files.export_dockerfile()

    assert target.read_bytes() == render(controller.document).text.encode("utf-8", "surrogateescape")
    assert target.read_bytes() == original


def test_export_dockerfile_asks_before_replacing(files: ProjectFiles, controller, tmp_path: Path) -> None:
    target = tmp_path / "Dockerfile"
    target.write_text("mine\n")
    answers = [False, True]
    files.ask_replace = lambda path, detail: answers.pop(0)

    assert not files.export_dockerfile(target)
    assert target.read_text() == "mine\n"
    assert files.export_dockerfile(target)
    assert target.read_text() == controller.rendered.text


def test_export_asks_first_when_docker_would_refuse_the_dockerfile(files: ProjectFiles, controller, tmp_path):
    # It was written silently with an error in it, and Docker refused it later, elsewhere.
    run = next(b for b in controller.document.blocks if b.kind is Kind.RUN)
    controller.apply(SetParams(run.id, {"command": ""}))
    asked: list[int] = []
    answers = [False, True]

    def ask(errors: int) -> bool:
        asked.append(errors)
        return answers.pop(0)

    files.ask_export_anyway = ask
    target = tmp_path / "Dockerfile"
    assert not files.export_dockerfile(target) and not target.exists()
    assert files.export_dockerfile(target) and target.read_text() == controller.rendered.text
    assert asked == [1, 1]
    controller.undo_stack.undo()  # no error: no question
    files.ask_export_anyway = unexpected("ask_export_anyway")
    assert files.export_dockerfile(tmp_path / "Dockerfile.ok")


def test_the_export_question_names_the_errors_and_cancel_is_its_default(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from ui.file_dialogs import FileDialogs

    class Asker(FileDialogs):
        def __init__(self, window: QWidget) -> None:
            self._window = window

    window = QWidget()
    qtbot.addWidget(window)
    seen: list[str] = []

    def answer() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(box.text())
        seen.append(box.defaultButton().text())
        box.button(QMessageBox.StandardButton.Save).click()

    QTimer.singleShot(200, answer)
    assert Asker(window).ask_export_anyway(2)
    assert seen == ["This Dockerfile has 2 errors, so Docker will refuse to build it.", "Cancel"]


def test_export_dockerignore_never_replaces_without_asking(
    files: ProjectFiles, controller, tmp_path: Path
) -> None:
    controller.project.context_dir = tmp_path
    suggested: list[Path] = []
    files.choose_export_path = lambda title, start, kind: suggested.append(start) or start
    asked: list[str] = []
    files.ask_replace = lambda path, detail: asked.append(detail) or False

    assert files.export_dockerignore()
    assert (tmp_path / ".dockerignore").read_text() == default_dockerignore()
    (tmp_path / ".dockerignore").write_text("secret-notes.txt\n")
    assert not files.export_dockerignore()

    assert suggested == [tmp_path / ".dockerignore"] * 2
    assert (tmp_path / ".dockerignore").read_text() == "secret-notes.txt\n"
    assert len(asked) == 1 and "on purpose" in asked[0]


def test_export_into_a_missing_folder_says_why(files: ProjectFiles, tmp_path: Path) -> None:
    assert not files.export_dockerfile(tmp_path / "missing" / "Dockerfile")

    assert "could not write" in files.errors[0][1]
    assert not (tmp_path / "missing").exists()


def test_a_template_becomes_a_saved_project_in_its_own_folder(
    files: ProjectFiles, controller, tmp_path
) -> None:
    notices: list[str] = []
    files.notice.connect(notices.append)

    assert files.new_project("python-alpine")
    assert files.new_project("python-alpine")

    first, second = tmp_path / "new" / "python-alpine", tmp_path / "new" / "python-alpine-2"
    assert controller.path == second / "python-alpine-2.dockblocks"  # its title says so, not the first's
    assert files.display_name() == "python-alpine-2"
    assert controller.project.context_dir == second and (second / "app.py").is_file()
    assert controller.undo_stack.isClean()
    assert render(controller.document).text == render(load_template_document("python-alpine")).text
    assert files.recent_files() == [second / "python-alpine-2.dockblocks", first / "python-alpine.dockblocks"]
    assert notices[-1] == f"Your new project and its files are in {second}."
    assert files.errors == []


def test_a_template_missing_a_file_from_this_computer_says_what_to_do(
    files: ProjectFiles, controller, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(desktop.templates, "find_program", lambda program, static, which=None: None)

    assert files.new_project("offline-busybox")

    folder = tmp_path / "new" / "offline-busybox"
    assert controller.project.context_dir == folder
    [(title, text, _detail)] = files.errors
    assert title == "One file is still missing"
    assert str(folder) in text and "busybox-static" in text


def test_a_template_that_cannot_get_its_folder_keeps_the_current_project(
    files: ProjectFiles, controller, tmp_path: Path
) -> None:
    (tmp_path / "blocked").write_text("a file where the projects folder should be")
    files.projects_dir = tmp_path / "blocked"
    document = controller.document

    assert not files.new_project("node-app")

    assert controller.document is document
    _title, text, detail = files.errors[0]
    assert str(tmp_path / "blocked" / "node-app") in text and detail.startswith("Your current project")


def test_is_project_file_reads_the_content_when_the_suffix_does_not_say(tmp_path: Path) -> None:
    project = tmp_path / "saved-as-json"
    save_project(Project(document=import_text("FROM alpine\n")), project.with_suffix(".dockblocks"))
    os.replace(project.with_suffix(".dockblocks"), project)
    (tmp_path / "Dockerfile").write_text("# {not json}\nFROM alpine\n")

    assert ui.files.is_project_file(project)
    assert not ui.files.is_project_file(tmp_path / "Dockerfile")


def _answer_file_dialog(qtbot, name: str) -> None:
    """Type a file name into the Qt file dialog that opens next and accept it (as a user would)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, answer)
            return
        assert dialog.objectName() == "FilesDialog"
        line = dialog.findChild(QLineEdit, "fileNameEdit")
        line.setText(name)
        dialog.accept()

    QTimer.singleShot(0, answer)


def test_the_real_qt_dialogs_choose_and_add_the_suffix(
    files: ProjectFiles, controller, qtbot, tmp_path
) -> None:
    files.use_native_dialogs = False
    for name in ("choose_save_path", "choose_open_path"):
        delattr(files, name)  # back to the real dialogs
    edit(controller)

    _answer_file_dialog(qtbot, str(tmp_path / "chosen"))
    assert files.save_as()

    assert controller.path == tmp_path / "chosen.dockblocks"
    assert (tmp_path / "chosen.dockblocks").is_file()
    assert files.new_project()
    _answer_file_dialog(qtbot, str(tmp_path / "chosen.dockblocks"))
    assert files.open_project()
    assert controller.path == tmp_path / "chosen.dockblocks"
