"""Starting the window: the application's names and icon, the qasync loop, the check for a screen, the
last line of defence against unexpected errors, and ``dockblocks`` with no command."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import desktop.cli
from ui import app as gui
from ui import error_report
from ui.controller import DocumentController

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings and the log file of this test stay in its own folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    error_report.errors_reported.clear()
    yield tmp_path


@pytest.fixture
def app_state(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    """Puts back what starting the app changes for the whole test session."""
    names = (qapp.applicationName(), qapp.organizationName(), qapp.desktopFileName())
    quit_on_close = qapp.quitOnLastWindowClosed()
    handlers = list(logging.getLogger().handlers)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield qapp
    qapp.setApplicationName(names[0])
    qapp.setOrganizationName(names[1])
    qapp.setDesktopFileName(names[2])
    qapp.setQuitOnLastWindowClosed(quit_on_close)
    for handler in logging.getLogger().handlers:
        if handler not in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()


@pytest.mark.parametrize(
    ("platform", "environ", "can_open"),
    [
        ("linux", {}, False),
        ("linux", {"DISPLAY": ":0"}, True),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, True),
        ("linux", {"QT_QPA_PLATFORM": "offscreen"}, True),
        ("linux", {"DISPLAY": ""}, False),
        ("freebsd14", {}, False),
        ("darwin", {}, True),
        ("win32", {}, True),
    ],
)
def test_a_missing_screen_is_found_before_qt_starts(
    platform: str, environ: dict[str, str], can_open: bool
) -> None:
    problem = gui.launch_problem(environ, platform)
    if can_open:
        assert problem is None
    else:
        assert problem is not None and "DISPLAY" in problem and problem.endswith(".") and "\n" not in problem


def test_application_names_icon_and_theme(app_state: QApplication) -> None:
    made = gui.create_application()
    assert made is app_state, "an existing application is reused"
    assert made.applicationName() == "Dockblocks" and made.organizationName() == "Dockblocks"
    assert made.desktopFileName() == "dockblocks"
    assert not made.windowIcon().isNull()
    assert made.style().name().lower() == "fusion"


def test_the_loop_runs_until_the_window_closes(
    qtbot, app_state: QApplication, controller: DocumentController
) -> None:
    window = gui.create_main_window(controller, QSettings())
    qtbot.addWidget(window)
    ran: list[bool] = []

    async def probe() -> None:
        ran.append(True)  # asyncio work runs inside the Qt loop
        window.close()

    QTimer.singleShot(0, lambda: asyncio.ensure_future(probe()))
    assert gui.run(gui.main_async(window)) == 0
    assert ran == [True] and not window.isVisible()


def test_smoke_test_opens_and_closes_the_window(
    app_state: QApplication, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gui.main(["dockblocks"], smoke_test=True) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("The self-check passed:") and "5 templates rendered" in lines[0]
    assert lines[1] == "The Dockblocks window opened and closed normally."
    assert not error_report.errors_reported
    assert sys.excepthook is gui.report_unexpected_error
    for window in QApplication.topLevelWidgets():
        if window.objectName() == "MainWindow":
            window.deleteLater()


def test_an_unexpected_error_is_logged_and_told_in_one_sentence(qtbot, private_folders: Path) -> None:
    try:
        raise ValueError("the frobnicator is out of range\nsecond line")
    except ValueError as error:
        gui.report_unexpected_error(type(error), error, error.__traceback__)
    log = private_folders / "data" / "dockblocks" / "dockblocks.log"
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ValueError: the frobnicator" in text
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "UnexpectedErrorBox"]
    assert len(boxes) == 1
    box = boxes[0]
    assert isinstance(box, QMessageBox)
    assert "Traceback" not in box.text() and "second line" not in box.text()
    assert "the frobnicator is out of range" in box.text() and str(log) in box.text()

    gui.report_unexpected_error(RuntimeError, RuntimeError("again"), None)
    assert [
        w for w in QApplication.topLevelWidgets() if w.objectName() == "UnexpectedErrorBox" and w.isVisible()
    ] == [box]
    assert log.read_text(encoding="utf-8").count("---") == 2, "every error is logged, one message is shown"
    box.done(0)
    qtbot.waitUntil(lambda: not error_report._open_message)


def test_an_error_in_a_thread_is_shown_by_the_gui_thread(qtbot, app_state: QApplication) -> None:
    error_report.install_excepthook()

    def fail() -> None:
        raise OSError("the disk went away")

    worker = threading.Thread(target=fail)
    worker.start()
    worker.join()

    def shown() -> QMessageBox | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if w.objectName() == "UnexpectedErrorBox"), None
        )

    qtbot.waitUntil(lambda: shown() is not None)
    box = shown()
    assert box is not None and "the disk went away" in box.text() and "Traceback" not in box.text()
    assert box.thread() is QApplication.instance().thread()
    assert error_report.errors_reported == ["OSError"]
    box.done(0)
    qtbot.waitUntil(lambda: not error_report._open_message)


def test_the_log_file_does_not_grow_without_end(
    private_folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(error_report, "LOG_LIMIT", 100)
    error = RuntimeError("x" * 200)
    first = error_report.write_log(RuntimeError, error, None)
    error_report.write_log(RuntimeError, error, None)
    assert first.with_name("dockblocks.log.1").exists()
    assert first.stat().st_size < 400


def test_no_command_launches_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], bool]] = []
    monkeypatch.setattr(
        gui, "main", lambda argv, smoke_test=False, project=None: calls.append((list(argv), smoke_test)) or 0
    )
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert desktop.cli.main([]) == 0
    assert calls == [(sys.argv[:1], False)]


def test_no_command_without_a_screen_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(gui, "main", lambda *a, **k: pytest.fail("the window must not be tried"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert desktop.cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dockblocks: There is no screen") and err.count("\n") == 1


# --- a project handed over from outside: a double-click (the command line) or macOS's open-document event --


def test_a_double_clicked_project_opens_in_the_window(
    app_state: QApplication, private_folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.project import Project, save_project
    from ui.recent_files import stored_recent

    path = private_folders / "classroom.dockblocks"
    save_project(Project(name="classroom"), path)
    monkeypatch.setattr(sys, "argv", ["dockblocks"])
    # What the Windows association and the .desktop file run, with the release check to close the window.
    assert desktop.cli.main([str(path), "--smoke-test"]) == 0
    assert stored_recent(QSettings())[:1] == [path]  # opened the way File > Open opens a project
    for window in QApplication.topLevelWidgets():
        if window.objectName() == "MainWindow":
            window.deleteLater()


def test_a_project_macos_hands_over_opens_in_the_window(
    qtbot, app_state: QApplication, private_folders: Path
) -> None:
    from PySide6.QtGui import QFileOpenEvent

    from desktop.project import Project, save_project
    from ui.open_files import FileOpenEvents

    path = private_folders / "lesson.dockblocks"
    save_project(Project(name="lesson"), path)
    window = gui.create_main_window()
    qtbot.addWidget(window)
    app_state.installEventFilter(FileOpenEvents(window))
    QApplication.sendEvent(app_state, QFileOpenEvent(str(path)))
    qtbot.waitUntil(lambda: window.controller.path == path)
    assert window.controller.project.name == "lesson"
