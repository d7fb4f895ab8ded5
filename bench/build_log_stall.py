"""Figure: the largest stall of the Qt event loop while a build streams 200,000 log lines as fast as it can,
and the lines per second the build log takes meanwhile.

A child process shows the build log (:class:`ui.widgets.build_log.BuildLogView`) alone in a 1280x800
window on a qasync loop, as the app runs it. A producer thread makes the lines of one running step as fast
as it can (a compiler's lines, 40 to a message, as BuildKit sends a step's output in chunks) and hands them
to the loop through :func:`desktop.engine.threads.stream_blocking`, the path the real build takes. A
precise 2 ms Qt timer beats meanwhile; the stall is the largest gap between two beats, from the first line
until the log has taken the last line and painted it. Lines/s: lines taken over that time. Beside it, the
largest CPU time the loop thread itself spent between two beats (``time.thread_time``): the work the
window did, without the time it waited for a core or for the interpreter lock, which a loaded machine
adds to the stall.

Cases, each in a fresh process, in the same run:
- naive: each batch the loop receives is applied at once (``feed`` then ``flush``): "append everything
  queued", the baseline.
- framed: the log model's own frame-by-frame feeding (at most ``FRAME_BUDGET_S`` of work per frame).
- framed + search: the same, with "error" typed in the search field (the search keeps up with new lines).

With ``--engine`` (root, Debian's docker.io), two more cases build ``RUN seq 1 200000`` with no cache on a
private real dockerd (the tests' harness) through :func:`desktop.engine.build.build`, classic builder and
BuildKit: the engine's own stream, JSON and BuildKit trace decoding in the reading thread included.

Run: .venv/bin/python bench/build_log_stall.py [--lines 200000] [--rounds 5] [--engine]
                                               [--display auto|xvfb|offscreen]
Target: stall under 33 ms (two frames) at 50,000 lines/s or more.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _ui_common import SCREEN, machine, private_home, run_child, use_display

CASES = {
    "naive": "naive: apply every batch at once",
    "framed": "framed: bounded work per frame",
    "search": "framed, searching meanwhile",
}
ENGINE_CASES = {
    "classic": "real engine, classic builder (framed)",
    "buildkit": "real engine, BuildKit (framed)",
}
CHUNK = 40  # lines per message
BEAT_MS = 2
TARGET_STALL_MS = 33
TARGET_RATE = 50_000
BASE_IMAGE = "dockblocks-test/busybox:latest"  # made by the harness, no registry needed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--display", choices=("auto", "xvfb", "offscreen"), default="auto")
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--engine",
        nargs="?",
        const="buildkit,classic",
        default="",
        help="also build `RUN seq 1 LINES` on a private real dockerd (tests/engine_harness.py; needs root) "
        "with these builders (default: buildkit,classic)",
    )
    parser.add_argument("--child", choices=(*CASES, *ENGINE_CASES), help=argparse.SUPPRESS)
    parser.add_argument("--engine-url", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options.child, options.lines, options.engine_url)))
        return
    cases = dict(CASES)
    figures: dict[str, list[dict[str, Any]]] = {}
    with contextlib.ExitStack() as stack:
        display = stack.enter_context(use_display(options.display))
        stack.enter_context(private_home())
        extra: list[str] = []
        if options.engine:
            engine = start_private_engine()
            stack.callback(engine.stop)
            extra = ["--engine-url", engine.base_url]
            cases.update({c: ENGINE_CASES[c] for c in options.engine.split(",") if c in ENGINE_CASES})
        figures = {case: [] for case in cases}
        for _ in range(options.rounds):
            for case in cases:  # the cases alternate, so a busy moment of the machine hits them alike
                figures[case].append(run_child(Path(__file__), case, "--lines", str(options.lines), *extra))
    report(figures, display, options.lines, cases)


def start_private_engine() -> Any:
    """A private dockerd with the local busybox base image (the tests' harness)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import engine_harness

    reason = engine_harness.why_no_engine()
    if reason is not None:
        sys.exit(f"--engine: no private Docker engine can be started here: {reason}")
    return engine_harness.start_engine()


def engine_build(case: str, lines: int, url: str) -> Any:
    """The batches of a real build printing ``lines`` lines in one step (no cache, labelled)."""
    import tempfile

    import docker

    from desktop.dockerfile import import_text
    from desktop.engine.build import BuildOptions, build
    from desktop.engine.labels import DOCKBLOCKS_LABEL

    folder = Path(tempfile.mkdtemp(prefix="stall-"))
    document = import_text(f"FROM {BASE_IMAGE}\nRUN seq 1 {lines}\n")
    options = BuildOptions(
        document, folder, classic=case == "classic", no_cache=True, labels={DOCKBLOCKS_LABEL: "bench"}
    )
    return build(options, lambda: docker.APIClient(base_url=url, version="auto", timeout=120))


def produce(lines: int) -> Iterator[Any]:
    from desktop.engine.build_events import StepLog

    for first in range(0, lines, CHUNK):
        last = min(first + CHUNK, lines)
        words = tuple(
            f"[{n:6d}] cc -O2 -Wall -c src/module_{n % 977}.c -o build/module_{n % 977}.o"
            + ("  error: expected ';'" if n % 1000 == 999 else "")
            for n in range(first, last)
        )
        yield StepLog("run", "block", words)


def measure(case: str, lines: int, engine_url: str | None) -> dict[str, Any]:
    import asyncio

    import qasync
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop.engine.build_events import StepState, StepUpdate
    from desktop.engine.threads import stream_blocking
    from ui.widgets.build_log import BuildLogView, quick_thread_switches

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    view = BuildLogView()
    window.setCentralWidget(view)
    window.resize(*SCREEN)
    window.show()
    beats: list[float] = []
    cpu: list[float] = []  # the loop thread's own CPU time at each beat
    beat = QTimer()
    beat.setTimerType(Qt.TimerType.PreciseTimer)
    beat.setInterval(BEAT_MS)
    beat.timeout.connect(lambda: (beats.append(time.perf_counter()), cpu.append(time.thread_time())))

    async def run() -> dict[str, Any]:
        await asyncio.sleep(0.5)  # shown and painted once
        if case == "search":
            view.field.setText("error")
        if case in ENGINE_CASES:
            assert engine_url is not None
            source = engine_build(case, lines, engine_url)
        else:
            view.feed([StepUpdate("run", "[stage-0 2/2] RUN make", "block", StepState.RUNNING, time.time())])
            source = stream_blocking(lambda: produce(lines), lambda: None)
        await asyncio.sleep(0.1)
        beat.start()
        started = time.perf_counter()
        beats.append(started)
        cpu.append(time.thread_time())
        with quick_thread_switches():  # as the build panel streams a build
            async for batch in source:
                view.feed(batch)
                if case == "naive":
                    view.model.flush()
            while view.model.pending():
                await asyncio.sleep(0.001)
        taken = time.perf_counter()
        await asyncio.sleep(0.1)  # the last lines are painted
        beat.stop()
        gaps = [b - a for a, b in itertools.pairwise(beats) if a <= taken + 0.05]
        counted = len(gaps) + 1
        work = [b - a for a, b in itertools.pairwise(cpu[:counted])]
        kept = view.model.line_count()
        # A real build prints a few lines of its own too; BuildKit (engine 20.10) clips a step's output
        # once it passes 200 KiB/s ("[output clipped, log limit 200KiB/s reached]").
        assert kept >= (1000 if case in ENGINE_CASES else lines), kept
        return {
            "stall_ms": max(gaps) * 1000,
            "work_ms": max(work) * 1000,
            "rate": kept / (taken - started),
            "lines": kept,
            "seconds": taken - started,
            "matches": view.search.count(),
        }

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(run())
    window.close()
    return result


def report(figures: dict[str, list[dict[str, Any]]], display: str, lines: int, cases: dict[str, str]) -> None:
    print(f"build log: {lines:,} lines streamed as fast as they come; {machine()}; display {display}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other work on the machine shows up as stalls)")
    print(
        f"{'case':<36} {'stall, median / worst (ms)':>27} {'lines/s (slowest)':>18} {'lines':>8}"
        f" {'CPU between beats, worst (ms)':>30}"
    )
    for case, rounds in figures.items():
        stalls = sorted(r["stall_ms"] for r in rounds)
        rate = min(r["rate"] for r in rounds)
        kept = min(r["lines"] for r in rounds)
        median, worst = stalls[len(stalls) // 2], stalls[-1]
        work = max(r["work_ms"] for r in rounds)
        print(f"{cases[case]:<36} {median:>14.1f} / {worst:>8.1f} {rate:>18,.0f} {kept:>8,} {work:>30.1f}")
        each = ", ".join(f"{r['stall_ms']:.1f}" for r in rounds)
        print(f"{'':<36} rounds: {each}")
    framed = sorted(r["stall_ms"] for r in figures["framed"])
    rate = min(r["rate"] for r in figures["framed"])
    median = framed[len(framed) // 2]
    verdict = "meets" if median < TARGET_STALL_MS and rate >= TARGET_RATE else "misses"
    naive = sorted(r["stall_ms"] for r in figures["naive"])[len(framed) // 2]
    work = max(r["work_ms"] for r in figures["framed"])
    print(
        f"framed: median stall {median:.1f} ms (naive {naive:.1f} ms) at >= {rate:,.0f} lines/s: "
        f"{verdict} the target (stall < {TARGET_STALL_MS} ms at >= {TARGET_RATE:,} lines/s); "
        f"the window's own work between two beats at most {work:.1f} ms"
    )


if __name__ == "__main__":
    main()
