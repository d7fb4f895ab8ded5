"""The last line of defence: an error nobody caught is written, with its traceback, to the log file, and the
user reads one plain sentence saying what happened and where the details are. Never a traceback.

Errors can come from Qt slots (``sys.excepthook``), Python threads (``threading.excepthook``), worker
threads of Qt, and asyncio tasks (the loop's exception handler in :mod:`ui.app`). The message box is shown
in the GUI thread whatever thread the error came from, and only one at a time: a storm of errors shows one
box and logs them all.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from desktop.paths import user_data_dir
from ui.window_texts import say

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

LOG_NAME = "dockblocks.log"
LOG_LIMIT = 1_000_000  # bytes; beyond this the old log moves to dockblocks.log.1
REASON_LIMIT = 200  # characters of the error's own message quoted in the sentence
_log = logging.getLogger(__name__)
_open_message: list[QMessageBox] = []  # the box on screen, if any
# traceback, datetime and QMessageBox (its enums) are imported when an error is reported: a start with no
# error need not pay for them before its first picture (bench/ui_cold_start.py).
errors_reported: list[str] = []
"""The kinds of the errors reported in this run (the smoke test fails on any)."""


class _GuiThreadBridge(QObject):
    """Lives in the GUI thread; a signal emitted from another thread reaches it through the event loop."""

    show = Signal(str, str)


_bridge: list[_GuiThreadBridge] = []


def log_path() -> Path:
    """Where errors and warnings are written: ``user_data_dir()/dockblocks.log``."""
    return user_data_dir() / LOG_NAME


def configure_logging() -> None:
    """Warnings and errors go to the log file, not to the terminal the window was started from."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("--- %(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.WARNING))


def install_excepthook() -> None:
    """Send every uncaught exception, of Qt slots and of threads, to :func:`report_unexpected_error`.

    Call it from the GUI thread, after the QApplication exists.
    """
    if not _bridge:
        bridge = _GuiThreadBridge(QCoreApplication.instance())
        bridge.show.connect(lambda reason, log: show_error_message(reason, Path(log)))
        _bridge.append(bridge)
    sys.excepthook = report_unexpected_error
    threading.excepthook = _thread_exception


def report_unexpected_error(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """Write the traceback to the log file and tell the user in one sentence (from any thread)."""
    if issubclass(kind, KeyboardInterrupt):
        QCoreApplication.quit()
        return
    errors_reported.append(kind.__name__)
    log = write_log(kind, error, trace)
    text = str(error).strip()
    reason = text.splitlines()[0][:REASON_LIMIT] if text else kind.__name__
    app = QCoreApplication.instance()
    from PySide6.QtCore import QThread  # here: its type and enums are made on the first error, not at start

    if app is not None and QThread.currentThread() is not app.thread():
        if _bridge:  # widgets belong to the GUI thread: let it show the box
            _bridge[0].show.emit(reason, str(log))
        return
    show_error_message(reason, log)


def write_log(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> Path:
    """Append the error's traceback, with the time, to the log file; returns its path."""
    import datetime
    import traceback

    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > LOG_LIMIT:
            path.replace(path.with_name(LOG_NAME + ".1"))
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n")
            handle.write("".join(traceback.format_exception(kind, error, trace)))
    except OSError:
        _log.error("could not write %s", path, exc_info=(kind, error, trace))
    return path


def show_error_message(reason: str, log: Path) -> None:
    """A non-blocking message box: something went wrong (``reason``) and the details are in ``log``."""
    if _message_showing() or not isinstance(QCoreApplication.instance(), QApplication):
        return
    from PySide6.QtWidgets import QMessageBox

    parent = QApplication.activeWindow()
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        say("crash.title"),
        say("crash.message", reason=reason, log=str(log)),
        QMessageBox.StandardButton.Ok,
        parent if isinstance(parent, QWidget) and parent.isVisible() else None,
    )
    box.setObjectName("UnexpectedErrorBox")
    from PySide6.QtCore import Qt  # here: Qt's enums are built on first use, not before the first picture

    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_message.append(box)
    box.finished.connect(lambda _result: _open_message.clear())
    box.open()  # not exec(): a nested event loop inside a coroutine breaks qasync


def _message_showing() -> bool:
    for box in _open_message:
        try:
            if box.isVisible():
                return True
        except RuntimeError:  # deleted together with the window it belonged to
            pass
    _open_message.clear()
    return False


def _thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        report_unexpected_error(args.exc_type, args.exc_value, args.exc_traceback)
