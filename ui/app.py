"""Starting the window: the application, its look, the asyncio loop (qasync) and the last line of defence
against unexpected errors (a log file and a plain-language message, never a traceback).

``dockblocks`` with no command calls :func:`main`. Tests make a window with :func:`create_main_window`.

Start-up is kept short (bench/ui_cold_start.py): the first picture shows the start page, painted by Qt's
own event loop before asyncio and qasync are even imported; the editor panels are made just after it.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Coroutine, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from desktop.paths import APP_NAME, APP_SLUG
from ui.error_report import (
    configure_logging,
    errors_reported,
    install_excepthook,
    log_path,
    report_unexpected_error,
    write_log,
)
from ui.gc_guard import MainThreadCollector, collector_of
from ui.icons import app_icon
from ui.mainwindow import MainWindow
from ui.theme import STYLE_ARGUMENTS, Theme, current_theme, find_theme
from ui.window_texts import say

if TYPE_CHECKING:
    import asyncio

    from ui.controller import DocumentController

SMOKE_TEST_MS = 500
PROBE_VARIABLE = "DOCKBLOCKS_E2E_GEOMETRY"  # ui.testing_probe.ENV_VAR (tests/ui/test_startup.py checks)
FIRST_PICTURE_WAIT_MS = 1000  # a window that is not painted by then (started minimised) waits no longer
_UNIX_DESKTOPS = ("linux", "freebsd", "openbsd", "netbsd", "sunos")


def launch_problem(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why the window cannot open here (one sentence), or None when it can be tried.

    Qt aborts the whole process when it finds no screen, so this is checked before Qt starts.
    """
    env = os.environ if environ is None else environ
    system = platform or sys.platform
    if system.startswith(_UNIX_DESKTOPS) and not any(
        env.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    ):
        return say("launch.no_display")
    return None


def create_application(
    argv: Sequence[str] | None = None, window_icon: bool = True, remembered_scheme: bool = False
) -> QApplication:
    """The QApplication with Dockblocks' names (for QSettings), icon and theme; reused if one exists.

    ``window_icon=False`` leaves the windows' icon for :func:`set_window_icon` (the start sets it after
    the first picture: on X11 showing a window with an icon draws it at every size the window manager
    may use, ~8 ms). ``remembered_scheme=True`` opens in the light or dark of the last start and leaves
    asking the desktop for :meth:`ui.theme.Theme.follow_system` (see :class:`ui.theme.Theme`).

    Qt 6 scales for high-DPI screens by itself and keeps fractional factors (150 %) exact, not rounded
    (its default rounding policy, PassThrough, which ``QT_SCALE_FACTOR_ROUNDING_POLICY`` may change).
    """
    existing = QApplication.instance()
    made_here = existing is None
    if existing is None:
        # The Fusion style from the start (last, so it wins over a -style given by the user, as before).
        app = QApplication([*(argv if argv is not None else sys.argv[:1]), *STYLE_ARGUMENTS])
    elif isinstance(existing, QApplication):
        app = existing
    else:
        raise RuntimeError("a QCoreApplication without widgets is already running")
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_SLUG)  # Wayland and taskbars match the window to dockblocks.desktop
    if window_icon:
        set_window_icon(app)
    if find_theme(app) is None:
        Theme(app, QSettings(), style_given=made_here, remembered_scheme=remembered_scheme)
    if collector_of(app) is None:
        MainThreadCollector(app)  # worker threads must never be the ones that free Qt objects
    return app


def set_window_icon(app: QApplication) -> None:
    """Dockblocks' icon for every window (those already open take it too)."""
    app.setWindowIcon(app_icon())


def create_main_window(
    controller: DocumentController | None = None,
    settings: QSettings | None = None,
    defer_editor: bool = False,
) -> MainWindow:
    """A ready main window (not shown yet). Needs a QApplication; the theme is set up if it is not.

    Args:
        controller: the project to show (a new empty one when None).
        settings: where the window keeps its layout (the application's QSettings when None).
        defer_editor: make the editor panels just after the first picture when the window opens on its
            start page (see :class:`ui.mainwindow.MainWindow`).
    """
    current_theme()
    return MainWindow(controller, settings, defer_editor=defer_editor)


async def main_async(window: MainWindow) -> int:
    """Show the window and wait until it is closed (or the application is told to quit).

    Returns:
        The exit code, 0.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    finished: asyncio.Future[None] = loop.create_future()

    def finish() -> None:
        if not finished.done():
            finished.set_result(None)

    app = QApplication.instance()
    if isinstance(app, QApplication):
        # The loop ends when this coroutine does; Qt quitting by itself would cut it short.
        app.setQuitOnLastWindowClosed(False)
        app.aboutToQuit.connect(finish)
    window.closed.connect(finish)
    window.show()
    window.start_session()
    await finished
    return 0


def show_first_picture(window: MainWindow, wait_ms: int = FIRST_PICTURE_WAIT_MS) -> bool:
    """Show the window and let Qt's own event loop run until its first picture is on the screen.

    The first picture needs nothing of asyncio, so the asyncio loop (and the import of asyncio and qasync)
    comes after it. No coroutine exists yet: only Qt events run meanwhile.

    Returns:
        False when the window was closed meanwhile.
    """
    app = QApplication.instance()
    if isinstance(app, QApplication):
        # The asyncio loop decides when to stop (main_async); closing the window must not quit Qt first.
        app.setQuitOnLastWindowClosed(False)
    waiting = QEventLoop()
    window.firstPainted.connect(waiting.quit)
    window.closed.connect(waiting.quit)
    QTimer.singleShot(wait_ms, waiting, waiting.quit)
    window.show()
    waiting.exec()
    return window.isVisible()


def run(coroutine: Coroutine[Any, Any, int]) -> int:
    """Run a coroutine on a qasync loop that is also the Qt event loop; the asyncio.run of Dockblocks."""
    import asyncio

    import qasync  # type: ignore[import-untyped]

    # asyncio.Runner is asyncio.run(..., loop_factory=...) for Python 3.11 too.
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        runner.get_loop().set_exception_handler(_loop_exception)
        return runner.run(coroutine)


def main(argv: Sequence[str] | None = None, smoke_test: bool = False, project: Path | None = None) -> int:
    """Open the Dockblocks window and run until it is closed.

    Args:
        argv: arguments for Qt (``sys.argv`` by default).
        smoke_test: check every resource, template and icon and the hadolint binary (ui.smoke), open the
            window, close it again after a moment and report whether every panel loaded (release checks
            run every built package this way).
        project: a project to open once the window is up (``dockblocks app.dockblocks``: a double-clicked
            file on Windows and Linux).

    Returns:
        The exit code: 0, or 1 when the smoke test found something broken (each failure is named).
    """
    app = create_application(argv, window_icon=False, remembered_scheme=True)
    configure_logging()
    install_excepthook()
    if smoke_test:  # imported here: an ordinary start does not pay for the release check
        from ui import smoke

        checked = smoke.check_before_window()
    # The start page is all the first picture shows: the editor panels are made just after it.
    window = create_main_window(defer_editor=True)
    if project is not None or sys.platform == "darwin":  # macOS hands files over as events, not arguments
        from ui.open_files import FileOpenEvents, open_soon

        QApplication.instance().installEventFilter(FileOpenEvents(window))
    if os.environ.get(PROBE_VARIABLE):  # the end-to-end test's eyes; users never have it (nor its import)
        from ui.testing_probe import install_if_requested

        install_if_requested(window)
    if not show_first_picture(window):
        return 0  # closed before the loop began (only Qt events had run): nothing was opened or saved
    # What the start made (modules, the window and its panels) lives as long as the program: it is set
    # aside from the collector, which would otherwise go through all of it at its first turn, a pause of
    # ~45 ms just after the window appears (automatic collection is off during the start, desktop.cli).
    gc.freeze()
    set_window_icon(app)  # after the first picture: drawn at every size the window manager may use
    current_theme().follow_system()  # turns light or dark now if the desktop switched since the last start
    if project is not None:
        open_soon(window, project)
    if not smoke_test:
        return run(main_async(window))
    QTimer.singleShot(SMOKE_TEST_MS, window.close)
    run(main_async(window))
    code, lines = smoke.verdict(checked, window, str(log_path()) if errors_reported else None)
    for line in lines:
        print(line, file=sys.stderr if code else sys.stdout)
    return code


def _loop_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """Errors of asyncio tasks nobody awaited go where every other unexpected error goes."""
    error = context.get("exception")
    if isinstance(error, BaseException):
        report_unexpected_error(type(error), error, error.__traceback__)
    else:
        write_log(RuntimeError, RuntimeError(str(context.get("message", context))), None)
