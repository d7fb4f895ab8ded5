"""Figure: cold start to the first painted window of the frozen app (PyInstaller bundle) vs from source.

Both starts run ``_cold_start_child.py dockblocks`` (see ui_cold_start.py for how it sees the first
paint): once with this interpreter from the checkout, once frozen. The frozen one is made with the
shipped spec, ``packaging/pyinstaller/dockblocks.spec``, with only its entry script swapped for the child
(``DOCKBLOCKS_FREEZE_ENTRY``): the same bootloader, bundled Python, Qt, plugins, excludes and stripping
as ``dist/dockblocks``, plus the few lines that report the first paint. The child is the real path of
``dockblocks`` with no command (``desktop.cli.main([])``: application, theme, main window on its start
page, qasync loop).

The parent reads ``time.monotonic()`` just before it spawns a start; the child prints it once its window
has painted. One warm-up start of each (page cache, the source run's bytecode), then the two alternate.
Run: .venv/bin/python bench/frozen_cold_start.py [--rounds 7] [--display auto|xvfb|offscreen] [--reuse]
Target: frozen / source at most 1.2x (median of the rounds).
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

REPO = Path(__file__).resolve().parents[1]
CHILD = REPO / "bench" / "_cold_start_child.py"
SPEC = REPO / "packaging" / "pyinstaller" / "dockblocks.spec"
WORK = REPO / "build" / "bench-frozen"
FROZEN = WORK / "dist" / "dockblocks" / ("dockblocks.exe" if sys.platform == "win32" else "dockblocks")
KINDS = ("source", "frozen")
TIMEOUT_S = 120
TARGET = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--display", choices=("auto", "xvfb", "offscreen"), default="auto")
    parser.add_argument("--reuse", action="store_true", help="use the frozen child of an earlier run")
    options = parser.parse_args()
    if not (options.reuse and FROZEN.is_file()):
        freeze()
    painted: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with use_display(options.display) as display, private_home():
        for kind in KINDS:
            start(kind)  # warm-up
        for number in range(options.rounds):
            for kind in KINDS if number % 2 == 0 else KINDS[::-1]:
                painted[kind].append(start(kind))
    report(painted, display)


def freeze() -> None:
    print("freezing the measuring child with the shipped spec (about a minute) ...", file=sys.stderr)
    env = {**os.environ, "DOCKBLOCKS_FREEZE_ENTRY": str(CHILD)}
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(WORK / "dist"),
        "--workpath",
        str(WORK / "work"),
        str(SPEC),
    ]
    subprocess.run(command, cwd=REPO, env=env, check=True)


def start(kind: str) -> float:
    """Seconds from spawning a fresh process to its first painted window."""
    command = [sys.executable, str(CHILD), "dockblocks"] if kind == "source" else [str(FROZEN), "dockblocks"]
    spawned = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=REPO)
    marks = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("painted ")]
    if done.returncode != 0 or not marks:
        sys.exit(f"the {kind} start failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return float(marks[0]) - spawned


def report(painted: dict[str, list[float]], display: str) -> None:
    rounds = len(painted["source"])
    print(f"Cold start to the first painted window, {rounds} fresh processes each, display {display}")
    labels = {"source": "from source (.venv, bytecode cached)", "frozen": "frozen (PyInstaller)"}
    for kind, label in labels.items():
        values = [v * 1000 for v in painted[kind]]
        spread = ", ".join(f"{v:.0f}" for v in values)
        print(f"  {label:38s} median {median(values):7.1f} ms   ({spread})")
    pairs = [f / s for f, s in zip(painted["frozen"], painted["source"], strict=True)]
    ratio = median(painted["frozen"]) / median(painted["source"])
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(
        f"  ratio frozen / source: {ratio:.2f}x ({verdict} the target of {TARGET}x);"
        f" per round {min(pairs):.2f}-{max(pairs):.2f}x"
    )
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
