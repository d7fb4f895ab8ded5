"""Recovery copies: written while work is unsaved, removed when it is saved or let go, and offered after a
crash (a real one in one test: a process that holds the lock and dies without cleaning up)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from desktop.blocks.kinds import Kind
from desktop.blocks.operations import SetParams
from desktop.dockerfile import import_text, render
from desktop.project import Project, load_project, save_project
from ui.autosave import BROKEN_SUFFIX
from ui.controller import DocumentController
from ui.file_dialogs import Button
from ui.files import ProjectFiles

FAST = {"autosave_interval_ms": 60_000, "autosave_quiet_ms": 30}


def never(name: str) -> Callable[..., object]:
    def fail(*_args: object, **_kwargs: object) -> object:
        raise AssertionError(f"{name} was not expected here")

    return fail


@pytest.fixture
def make_files(qtbot, tmp_path: Path) -> Iterator[Callable[..., tuple[ProjectFiles, DocumentController]]]:
    made: list[tuple[ProjectFiles, DocumentController]] = []

    def make(**timing: int) -> tuple[ProjectFiles, DocumentController]:
        controller = DocumentController(Project(document=import_text("FROM alpine:3.20\nWORKDIR /app\n")))
        window = QWidget()
        qtbot.addWidget(window)
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        files = ProjectFiles(
            controller,
            window,
            settings=settings,
            autosave_dir=tmp_path / "autosave",
            projects_dir=tmp_path / "new",
            **(timing or FAST),
        )
        # The stand-in must not refer to ``files`` itself: a cycle through the lambda would leave the
        # object (and its timers) to the cyclic garbage collector, which may run in a lint worker thread.
        errors: list[str] = []
        files.errors = errors  # type: ignore[attr-defined]
        files.show_error = lambda title, text, detail="": errors.append(text)  # type: ignore[method-assign]
        files.ask_save_changes = never("ask_save_changes")
        files.ask_recover = never("ask_recover")
        made.append((files, controller))
        return files, controller

    yield make
    for files, controller in made:
        files.autosaver.stop()
        controller.wait_for_lint()


def edit(controller: DocumentController, path: str = "/srv") -> None:
    workdir = next(b for b in controller.document.blocks if b.kind is Kind.WORKDIR)
    controller.apply(SetParams(workdir.id, {"path": path}))


def copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.dockblocks")) if folder.is_dir() else []


def test_a_copy_is_written_after_a_pause_in_editing(make_files, qtbot, tmp_path: Path) -> None:
    files, controller = make_files()
    assert files.start_autosave()
    edit(controller)

    qtbot.waitUntil(lambda: len(copies(tmp_path / "autosave")) == 1, timeout=3000)

    [copy] = copies(tmp_path / "autosave")
    assert render(load_project(copy).document).text == controller.rendered.text
    note = json.loads(copy.with_suffix(".json").read_text())
    assert note["original"] is None and note["format"] == "dockblocks-autosave" and note["saved_at"]


def test_nothing_is_written_while_the_work_is_saved(make_files, qtbot, tmp_path: Path) -> None:
    files, _controller = make_files()
    files.start_autosave()

    qtbot.wait(150)

    assert copies(tmp_path / "autosave") == []


def test_long_typing_is_still_copied_by_the_periodic_timer(make_files, qtbot, tmp_path: Path) -> None:
    files, controller = make_files(autosave_interval_ms=50, autosave_quiet_ms=60_000)
    files.start_autosave()
    edit(controller, "/one")

    qtbot.waitUntil(lambda: len(copies(tmp_path / "autosave")) == 1, timeout=3000)


def test_the_copy_is_removed_when_the_project_is_saved(make_files, qtbot, tmp_path: Path) -> None:
    files, controller = make_files()
    files.start_autosave()
    edit(controller)
    qtbot.waitUntil(lambda: copies(tmp_path / "autosave") != [], timeout=3000)
    files.choose_save_path = lambda suggested: tmp_path / "mine.dockblocks"

    assert files.save()

    assert copies(tmp_path / "autosave") == []
    assert not files.autosaver.project_file.with_suffix(".json").exists()


def test_work_let_go_on_purpose_leaves_no_copy_even_at_quit(make_files, qtbot, tmp_path: Path) -> None:
    files, controller = make_files()
    files.start_autosave()
    edit(controller)
    qtbot.waitUntil(lambda: copies(tmp_path / "autosave") != [], timeout=3000)
    files.ask_save_changes = lambda name: Button.Discard

    assert files.maybe_save()
    files.autosaver.stop()

    assert copies(tmp_path / "autosave") == []


def test_a_quit_without_asking_keeps_the_copy_of_unsaved_work(make_files, tmp_path: Path) -> None:
    files, controller = make_files(autosave_interval_ms=60_000, autosave_quiet_ms=60_000)
    files.start_autosave()
    edit(controller)

    files.autosaver.stop()  # what QApplication.aboutToQuit does

    [copy] = copies(tmp_path / "autosave")
    assert render(load_project(copy).document).text == controller.rendered.text
    assert not list((tmp_path / "autosave").glob("*.lock"))


def test_recovery_after_a_crash_restores_the_unsaved_project(make_files, qtbot, tmp_path: Path) -> None:
    saved = tmp_path / "app.dockblocks"
    first, first_controller = make_files()
    first.choose_save_path = lambda suggested: saved
    first.save()
    first.start_autosave()
    edit(first_controller, "/recovered")
    qtbot.waitUntil(lambda: copies(tmp_path / "autosave") != [], timeout=3000)
    expected = first_controller.rendered.text
    first.autosaver.stop()  # the first window is gone; its copy stays

    second, controller = make_files()
    second.start_autosave()
    asked: list[tuple[str, str]] = []
    second.ask_recover = lambda name, when: asked.append((name, when)) or True

    assert second.offer_recovery()

    assert asked and asked[0][0] == "app" and asked[0][1]
    assert controller.rendered.text == expected and controller.path == saved
    assert not controller.undo_stack.isClean()
    assert copies(tmp_path / "autosave") == [second.autosaver.project_file]
    assert load_project(saved).document.blocks[1].params["path"] == "/app"  # the file itself is untouched


def test_a_copy_left_by_a_killed_process_is_offered(make_files, qtbot, tmp_path: Path) -> None:
    first, first_controller = make_files()
    first.start_autosave()
    edit(first_controller, "/killed")
    qtbot.waitUntil(lambda: copies(tmp_path / "autosave") != [], timeout=3000)
    session = first.autosaver.session
    first.autosaver._lock.unlock()  # type: ignore[union-attr]  # hand the lock to a process that dies
    first.autosaver._running = False
    lock_path = tmp_path / "autosave" / f"{session}.lock"
    holder = (
        "import os, sys\nfrom PySide6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1])\nassert lock.tryLock(0)\nos._exit(0)  # killed: no clean-up at all\n"
    )
    subprocess.run([sys.executable, "-c", holder, str(lock_path)], check=True, timeout=60)
    assert lock_path.exists()

    second, controller = make_files()
    second.ask_recover = lambda name, when: True

    assert second.offer_recovery()

    assert controller.document.blocks[1].params["path"] == "/killed"
    assert controller.path is None and not controller.undo_stack.isClean()


def test_the_copy_of_a_running_dockblocks_is_never_offered(make_files, qtbot, tmp_path: Path) -> None:
    running, running_controller = make_files()
    running.start_autosave()
    edit(running_controller)
    qtbot.waitUntil(lambda: copies(tmp_path / "autosave") != [], timeout=3000)

    other, _controller = make_files()

    assert not other.offer_recovery()  # ask_recover would fail the test if it were asked
    assert copies(tmp_path / "autosave") == [running.autosaver.project_file]


def test_declining_recovery_deletes_the_copy(make_files, qtbot, tmp_path: Path) -> None:
    first, first_controller = make_files()
    first.start_autosave()
    edit(first_controller)
    qtbot.waitUntil(lambda: copies(tmp_path / "autosave") != [], timeout=3000)
    first.autosaver.stop()
    second, controller = make_files()
    document = controller.document
    second.ask_recover = lambda name, when: False

    assert not second.offer_recovery()

    assert controller.document is document
    assert copies(tmp_path / "autosave") == []
    assert list((tmp_path / "autosave").iterdir()) == []


def test_a_damaged_copy_is_set_aside_and_explained(make_files, tmp_path: Path) -> None:
    folder = tmp_path / "autosave"
    folder.mkdir()
    (folder / "deadbeef.dockblocks").write_text("{ this is not a project")
    files, controller = make_files()
    document = controller.document
    files.ask_recover = lambda name, when: True

    assert not files.offer_recovery()

    assert controller.document is document
    assert (folder / f"deadbeef.dockblocks{BROKEN_SUFFIX}").exists()
    assert "could not be recovered" in files.errors[0] and BROKEN_SUFFIX in files.errors[0]
    files.ask_recover = never("ask_recover")
    assert not files.offer_recovery()  # never offered again


def test_the_newest_copy_is_offered_first(make_files, qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "autosave"
    folder.mkdir()
    written = (("a1", "older", "2026-01-01T10:00:00+00:00"), ("b2", "newer", "2026-02-01T10:00:00+00:00"))
    for session, name, when in written:
        save_project(Project(name=name), folder / f"{session}.dockblocks")
        note = {
            "format": "dockblocks-autosave",
            "version": 1,
            "original": None,
            "name": name,
            "saved_at": when,
        }
        (folder / f"{session}.json").write_text(json.dumps(note))
    files, _controller = make_files()
    asked: list[str] = []
    files.ask_recover = lambda name, when: asked.append(name) or False

    files.offer_recovery()

    assert asked == ["newer", "older"]


def test_recovery_asks_first_when_other_work_is_unsaved(make_files, qtbot, tmp_path: Path) -> None:
    first, first_controller = make_files()
    first.start_autosave()
    edit(first_controller, "/left")
    qtbot.waitUntil(lambda: copies(tmp_path / "autosave") != [], timeout=3000)
    first.autosaver.stop()
    second, controller = make_files()
    edit(controller, "/mine")
    second.ask_recover = lambda name, when: True
    second.ask_save_changes = lambda name: Button.Cancel

    assert not second.offer_recovery()

    assert controller.document.blocks[1].params["path"] == "/mine"
    assert len(copies(tmp_path / "autosave")) == 1  # the copy stays for the next start
