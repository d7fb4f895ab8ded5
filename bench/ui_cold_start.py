"""Figure: cold start to the first painted window, as a ratio to a bare PySide6 window started the same way.

Each start is a fresh Python process (this interpreter, the same environment). The parent reads
``time.monotonic()`` just before it spawns the process; the child reports ``time.monotonic()`` once its
first window has been painted (the first Paint event reached it, and the paint pass that event belongs to
has finished). Linux's monotonic clock is one for the whole system, so the difference is the time from
spawn to first picture, interpreter start and imports included.

- bare: ``QApplication`` and a ``QMainWindow`` holding a label, shown at 1280x800.
- Dockblocks: the real start-up path of ``dockblocks`` with no command, ``ui.app.main()`` (application,
  theme, logging, main window with every panel, the asyncio loop): the start page, no project yet.

The two alternate (after one warm-up start of each, not counted), so both see the same machine.
Run: .venv/bin/python bench/ui_cold_start.py [--rounds 5] [--display auto|xvfb|offscreen]
Target: Dockblocks under 1.5x the bare window.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _ui_common import SCREEN, machine, median, private_home, use_display

KINDS = ("bare", "dockblocks")
TIMEOUT_S = 120


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--display", choices=("auto", "xvfb", "offscreen"), default="auto")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with use_display(options.display) as display, private_home():
        for kind in KINDS:
            start(kind)  # warm-up: the files both read are in the page cache from now on
        for number in range(options.rounds):
            order = KINDS if number % 2 == 0 else KINDS[::-1]
            for kind in order:
                times[kind].append(start(kind))
    report(times, display)


def start(kind: str) -> float:
    """Seconds from spawning a fresh process to its first painted window."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    spawned = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].startswith("painted "):
        sys.exit(f"the {kind} start failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return float(lines[-1].split()[1]) - spawned


def child(kind: str) -> None:
    """Start a window; print ``painted <monotonic>`` once it has been painted, then leave at once."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                # The rest of this paint pass (every child widget) runs before the timer can fire.
                QTimer.singleShot(0, report_paint)
            return False

    def report_paint() -> None:
        print(f"painted {time.monotonic()!r}", flush=True)
        os._exit(0)  # the figure is taken; closing the window and Qt is not part of the start

    watcher = FirstPaint()
    if kind == "bare":
        from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

        app = QApplication(sys.argv[:1])
        app.installEventFilter(watcher)
        window = QMainWindow()
        window.setCentralWidget(QLabel("Hello"))
        window.resize(*SCREEN)
        window.show()
        app.exec()
    else:
        from ui.app import create_application, main

        app = create_application(sys.argv[:1])  # main() takes this one over, as the command does
        app.installEventFilter(watcher)
        main(sys.argv[:1])
    sys.exit("the window closed before it was painted")


def report(times: dict[str, list[float]], display: str) -> None:
    rounds = len(times["bare"])
    print(f"Cold start to the first painted window, {rounds} fresh processes each, display {display}")
    for kind, label in (
        ("bare", "bare PySide6 QMainWindow + label"),
        ("dockblocks", "Dockblocks (ui.app.main)"),
    ):
        values = [v * 1000 for v in times[kind]]
        spread = ", ".join(f"{v:.0f}" for v in values)
        print(f"  {label:34s} median {median(values):7.1f} ms   ({spread})")
    ratio = median(times["dockblocks"]) / median(times["bare"])
    verdict = "meets" if ratio < 1.5 else "MISSES"
    print(f"  ratio Dockblocks / bare: {ratio:.2f}x ({verdict} the target of 1.5x)")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
