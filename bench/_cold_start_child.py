"""One start measured by ui_cold_start.py: ``python _cold_start_child.py bare|dockblocks``.

A script of its own so both kinds start from the same nearly empty interpreter: nothing of the benchmark
(argparse, the 300-block project of ``_ui_common``, the core it imports) is loaded before the window's own
imports, which would make the bare window slower and hand Dockblocks its core for free.

Prints ``painted <time.monotonic()>`` once the first Paint event of the window has been handled and the
paint pass it belongs to has finished (a zero-delay timer fires after it), and ``cpu <time.process_time()>``
(the process's CPU time until then, interpreter start included), then leaves with ``os._exit``.
The watcher filters the main window's own events only (a window gets its Paint before its children): an
event filter on the whole application would have PySide make a Python wrapper for every Qt object any
event reaches, which costs Dockblocks, with its thousands of events while it builds, ~70 ms more than
the bare window, and measures the watcher rather than the start.
With ``--ready`` it also prints ``ready <time.monotonic()>`` when Dockblocks has finished building what
it left for after the first picture (``MainWindow.editorReady``), and leaves then.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def main() -> None:
    kind = sys.argv[1]
    wait_for_ready = "--ready" in sys.argv[2:]
    if kind == "bare":
        from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setCentralWidget(QLabel("Hello"))
        window.resize(1280, 800)
        window.installEventFilter(_first_paint_watcher(wait_for_ready=False))
        window.show()
        app.exec()
    else:
        # The real command: the console script imports desktop.cli, whose window path imports ui.app
        # (and with it PySide6) by name. The watcher is put on the window once ui.app is imported there,
        # so nothing of Qt is imported before, or in another order than, the application imports it.
        import importlib

        import desktop.cli

        find = importlib.import_module

        def import_module(name: str, package: str | None = None) -> Any:
            module = find(name, package)
            if name == "ui.app" and not hasattr(module, "_watched_window"):
                module._watched_window = True
                _watch_main_window(module, wait_for_ready)
            return module

        importlib.import_module = import_module
        desktop.cli.main([])
    sys.exit("the window closed before it was painted")


def _watch_main_window(app_module: Any, wait_for_ready: bool) -> None:
    make_window = app_module.create_main_window

    def watched_window(*args: Any, **kwargs: Any) -> Any:
        made = make_window(*args, **kwargs)  # ui.app.main() makes its window here
        made.installEventFilter(_first_paint_watcher(wait_for_ready))
        return made

    app_module.create_main_window = watched_window


def _first_paint_watcher(wait_for_ready: bool) -> Any:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    def painted() -> None:
        print(f"painted {time.monotonic()!r}\ncpu {time.process_time()!r}", flush=True)
        if not wait_for_ready:
            os._exit(0)  # the figure is taken; closing the window and Qt is not part of the start
        window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "MainWindow")
        # A window without the method built everything before its first picture.
        if getattr(window, "is_editor_ready", lambda: True)():
            ready()
        else:
            window.editorReady.connect(ready)

    def ready() -> None:
        print(f"ready {time.monotonic()!r}", flush=True)
        os._exit(0)

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                # The rest of this paint pass (every child widget) runs before the timer can fire.
                QTimer.singleShot(0, painted)
            return False

    global _watcher
    _watcher = FirstPaint()  # kept: the window does not own its event filters
    return _watcher


_watcher: Any = None


if __name__ == "__main__":
    main()
