"""Figure: resident memory of the window with a 300-block project open, against a bare PySide6 window.

Each case runs in a fresh Python process (this interpreter, the same environment), shows its window at
1280x800, lets it settle (events processed for a while; for Dockblocks, the lint check of the project has
finished and been shown), then reads its own memory: VmRSS from /proc/self/status, and USS (the pages
only this process holds) from psutil when it is installed, else from /proc/self/smaps_rollup.

- bare: ``QApplication`` and a ``QMainWindow`` holding a label.
- Dockblocks, start page: the window as ``dockblocks`` opens it, no project.
- Dockblocks, 300 blocks: the main window over the generated 300-block project (7 stages), editor shown.

Run: .venv/bin/python bench/ui_memory.py [--display auto|xvfb|offscreen]
Target: under 200 MB (VmRSS) with the 300-block project.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _ui_common import SCREEN, machine, memory_kib, private_home, run_child, use_display, uss_source

CASES = {
    "bare": "bare PySide6 QMainWindow + label",
    "start": "Dockblocks, start page (no project)",
    "project": "Dockblocks, 300-block project open",
}
SETTLE_S = 2.0
TARGET_MB = 200


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--display", choices=("auto", "xvfb", "offscreen"), default="auto")
    parser.add_argument("--child", choices=tuple(CASES), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options.child)))
        return
    with use_display(options.display) as display, private_home():
        figures = {case: run_child(Path(__file__), case) for case in CASES}
    report(figures, display)


def measure(case: str) -> dict[str, int]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    def settle(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            QApplication.processEvents()
            time.sleep(0.005)

    if case == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setCentralWidget(QLabel("Hello"))
        window.resize(*SCREEN)
        window.show()
        settle(SETTLE_S)
        return memory_kib()

    from _ui_common import make_project

    from ui.app import create_application, create_main_window
    from ui.controller import DocumentController

    app = create_application(sys.argv[:1])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    controller = DocumentController(make_project(300) if case == "project" else None)
    ours = create_main_window(controller, settings)
    ours.resize(*SCREEN)
    ours.show()
    if case == "project":
        ours.show_editor()
        controller.schedule_lint(immediately=True)
        settle(0.5)
        controller.wait_for_lint()  # the check of the 300 blocks has run (hadolint included)
    settle(SETTLE_S)
    figures = memory_kib()
    controller.wait_for_lint()
    app.processEvents()
    return figures


def report(figures: dict[str, dict[str, int]], display: str) -> None:
    print(f"Resident memory after the window settled, display {display} (USS from {uss_source()})")
    for case, label in CASES.items():
        rss, uss = figures[case]["rss"] / 1024, figures[case].get("uss", 0) / 1024
        print(f"  {label:38s} VmRSS {rss:6.1f} MB   USS {uss:6.1f} MB")
    ours, bare = figures["project"]["rss"] / 1024, figures["bare"]["rss"] / 1024
    verdict = "meets" if ours < TARGET_MB else "MISSES"
    print(
        f"  300-block project: {ours:.0f} MB VmRSS, {ours / bare:.2f}x the bare window, "
        f"{ours - bare:.0f} MB more ({verdict} the target of {TARGET_MB} MB)"
    )
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
