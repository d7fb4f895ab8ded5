"""Figure: cold start to the first painted window, as a ratio to a bare PySide6 window started the same way.

Each start is a fresh Python process (this interpreter, the same environment) running
``_cold_start_child.py``, which imports nothing of the benchmark. The parent reads ``time.monotonic()``
just before it spawns the process; the child reports ``time.monotonic()`` once its first window has been
painted (the first Paint event reached it, and the paint pass that event belongs to has finished). Linux's
monotonic clock is one for the whole system, so the difference is the time from spawn to first picture,
interpreter start and imports included.

- bare: ``QApplication`` and a ``QMainWindow`` holding a label, shown at 1280x800.
- Dockblocks: the real start-up path of ``dockblocks`` with no command (``desktop.cli.main``, which imports
  ``ui.app`` and calls ``ui.app.main()``: application, theme, logging, main window, the asyncio loop):
  the start page, no project yet. The same process also reports when the editor panels, which the
  window builds just after its first picture, are ready (printed beside the figure, not part of it).

The two alternate (after one warm-up start of each, not counted), so both see the same machine. All
starts share one private home: the warm-up is Dockblocks' first start there, which asks the desktop for
light or dark before its first picture and keeps the answer; the counted starts open in it, as every start
after a user's first does (``ui.theme.Theme``, ``remembered_scheme``). Printed
beside the wall times: the CPU time each process used until its first picture (``time.process_time`` in
the child), which moves much less than wall time when other work shares the cores, its ratio, and the
load average before and after the run.
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

from _ui_common import machine, median, private_home, use_display

KINDS = ("bare", "dockblocks")
CHILD = Path(__file__).resolve().parent / "_cold_start_child.py"
TIMEOUT_S = 120


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--display", choices=("auto", "xvfb", "offscreen"), default="auto")
    options = parser.parse_args()
    painted: dict[str, list[float]] = {kind: [] for kind in KINDS}
    cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
    ready: list[float] = []
    load_before = os.getloadavg()[0]
    with use_display(options.display) as display, private_home():
        for kind in KINDS:
            start(kind)  # warm-up: compiled bytecode written, the files both read in the page cache
        for number in range(options.rounds):
            order = KINDS if number % 2 == 0 else KINDS[::-1]
            for kind in order:
                first, done, used = start(kind)
                painted[kind].append(first)
                cpu[kind].append(used)
                if kind == "dockblocks":
                    ready.append(done)
    report(painted, ready, display, cpu, (load_before, os.getloadavg()[0]))


def start(kind: str) -> tuple[float, float, float]:
    """Seconds from spawning a fresh process to its first painted window and to its editor being ready,
    and the CPU seconds the process used until its first picture."""
    command = [sys.executable, str(CHILD), kind, "--ready"]
    spawned = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    marks = dict(
        line.split(maxsplit=1)
        for line in done.stdout.strip().splitlines()
        if line.startswith(("painted ", "ready ", "cpu "))
    )
    if done.returncode != 0 or "painted" not in marks:
        sys.exit(f"the {kind} start failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    first = float(marks["painted"]) - spawned
    return first, float(marks.get("ready", marks["painted"])) - spawned, float(marks["cpu"])


def report(
    painted: dict[str, list[float]],
    ready: list[float],
    display: str,
    cpu: dict[str, list[float]],
    loads: tuple[float, float],
) -> None:
    rounds = len(painted["bare"])
    print(f"Cold start to the first painted window, {rounds} fresh processes each, display {display}")
    for label, seconds in (
        ("bare PySide6 QMainWindow + label", painted["bare"]),
        ("Dockblocks (dockblocks, no command)", painted["dockblocks"]),
        ("  … its editor panels ready", ready),
    ):
        values = [v * 1000 for v in seconds]
        spread = ", ".join(f"{v:.0f}" for v in values)
        print(f"  {label:36s} median {median(values):7.1f} ms   ({spread})")
    ratio = median(painted["dockblocks"]) / median(painted["bare"])
    verdict = "meets" if ratio < 1.5 else "MISSES"
    print(f"  ratio Dockblocks / bare: {ratio:.2f}x ({verdict} the target of 1.5x)")
    used = {kind: median([v * 1000 for v in values]) for kind, values in cpu.items()}
    print(
        f"  CPU until the first picture: bare {used['bare']:.0f} ms, Dockblocks {used['dockblocks']:.0f} ms"
        f" (medians): {used['dockblocks'] / used['bare']:.2f}x"
    )
    print(f"load average: {loads[0]:.2f} before, {loads[1]:.2f} after (2 cores: above ~1 the figures wander)")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
