"""Figure: the time one live redraw of the charts takes with 100 instances (once a second, as in the window).

The real :class:`ui.widgets.charts.charts_panel.ChartsPanel` (timeline, CPU and memory charts), offscreen,
1280x800, over a simulated history: ``--instances`` instances with a few state changes each in the last
``--minutes`` minutes (pauses, exits with codes, restarts, an OOM kill) and ``FINE_SAMPLES`` (ten minutes) of
1 Hz CPU/memory samples each. Then ``--ticks`` live ticks: each adds one sample per running instance (as the
sampler does), one state change to a few instances (as events do), and the panel redraws; the time of the
redraw plus the paint it causes (``repaint`` of the three charts) is what is printed, per tick.

Baseline in the same run: an empty tick (the same panel redrawn with nothing new), and the paint alone.
Then ``--ticks`` steady ticks (new samples, no state change, as while watching running instances): the redraw
and what Qt then paints of what the charts marked as changed, against a forced paint of the whole charts.

Run: .venv/bin/python bench/charts_redraw.py [--instances 100] [--ticks 30] [--seed 3]
Target: a redraw well under a frame budget per second (the window must not feel sluggish): < 30 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.history.series import FINE_SAMPLES, ResourceSeries
from desktop.history.timeline import Timeline

NOW = 1_800_000_000.0


def event(action: str, container: str, at: float, **attributes: str) -> dict[str, object]:
    """One item of ``/events`` as Engine 20.10 sends it."""
    return {
        "Type": "container",
        "Action": action,
        "Actor": {
            "ID": container,
            "Attributes": {"name": f"web-{container}", "image": "busybox", **attributes},
        },
        "timeNano": int(at * 1e9),
    }


def simulate(
    instances: int, minutes: float, rng: random.Random
) -> tuple[Timeline, dict[str, ResourceSeries]]:
    """A timeline and series as 100 busy instances leave them after ``minutes``."""
    timeline = Timeline()
    series: dict[str, ResourceSeries] = {}
    start = NOW - minutes * 60
    for number in range(instances):
        container = f"{number:064x}"
        at = start + rng.uniform(0, 30)
        timeline.apply_event(event("create", container, at))
        timeline.apply_event(event("start", container, at + 0.5))
        at += 1
        while True:
            at += rng.expovariate(1 / 120)
            if at > NOW - 5:
                break
            kind = rng.random()
            if kind < 0.4:
                timeline.apply_event(event("pause", container, at))
                timeline.apply_event(event("unpause", container, at + rng.uniform(2, 20)))
                at += 20
            elif kind < 0.5:
                timeline.apply_event(event("oom", container, at))
                timeline.apply_event(event("die", container, at + 0.1, exitCode="137"))
                timeline.apply_event(event("start", container, at + 3))
                at += 3
            else:
                timeline.apply_event(event("die", container, at, exitCode=str(rng.choice((0, 1, 3)))))
                timeline.apply_event(event("start", container, at + rng.uniform(1, 10)))
                at += 10
        one = series[container] = ResourceSeries()
        for second in range(FINE_SAMPLES):
            one.add(NOW - FINE_SAMPLES + second, rng.uniform(0, 5), rng.uniform(1, 3) * 1024 * 1024)
    return timeline, series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--ticks", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    from PySide6.QtWidgets import QApplication

    from ui.charts_feed import ChartsFeed
    from ui.widgets.charts.charts_panel import ChartsPanel

    app = QApplication.instance() or QApplication([])
    timeline, series = simulate(args.instances, args.minutes, rng)
    now = [NOW]
    feed = ChartsFeed(timeline, series, clock=lambda: now[0], interval_ms=3_600_000)
    panel = ChartsPanel(feed)
    panel.resize(1280, 800)
    panel.show()
    app.processEvents()
    charts = (panel.timeline_chart, panel.cpu_chart, panel.memory_chart)

    def paint() -> float:
        began = time.perf_counter()
        for chart in charts:
            chart.viewport().repaint()
        return time.perf_counter() - began

    live, empty, paint_only = [], [], []
    ids = list(series)
    for tick in range(args.ticks + 3):
        now[0] += 1.0
        for container in timeline.running():
            series[container].add(now[0], rng.uniform(0, 5), rng.uniform(1, 3) * 1024 * 1024)
        feed.add_samples(timeline.running())
        for container in rng.sample(ids, 3):  # a few instances change state each second
            action = "pause" if container in timeline.running() else "unpause"
            timeline.apply_event(event(action, container, now[0] - 0.5))
        feed.mark_changed()
        began = time.perf_counter()
        panel.redraw()
        drawn = time.perf_counter() - began + paint()
        began = time.perf_counter()
        panel.redraw()  # nothing new since: what a redraw costs when only the clock moved
        idle = time.perf_counter() - began + paint()
        alone = paint()
        app.processEvents()
        if tick >= 3:  # the first ticks warm caches up
            live.append(drawn * 1000)
            empty.append(idle * 1000)
            paint_only.append(alone * 1000)

    # Ticks as in a steady watch (new samples, no state change), painted as the window paints them: Qt
    # paints what the charts marked as changed when the event loop runs, against the whole charts.
    steady, steady_whole = [], []
    for tick in range(args.ticks + 3):
        now[0] += 1.0
        for container in timeline.running():
            series[container].add(now[0], rng.uniform(0, 5), rng.uniform(1, 3) * 1024 * 1024)
        feed.add_samples(timeline.running())
        feed.mark_changed()
        began = time.perf_counter()
        panel.redraw()
        app.processEvents()
        app.processEvents()
        marked = time.perf_counter() - began
        whole = paint()
        app.processEvents()
        if tick >= 3:
            steady.append(marked * 1000)
            steady_whole.append(whole * 1000)

    intervals = timeline.interval_count
    print(
        f"load average: {os.getloadavg()[0]:.2f}; {args.instances} instances, {intervals} intervals, "
        f"{FINE_SAMPLES} samples each, {args.ticks} ticks, 1280x800 offscreen"
    )
    for name, values in (
        ("live tick (redraw + paint)", live),
        ("same again, nothing new", empty),
        ("paint alone", paint_only),
        ("steady tick, painted by Qt", steady),
        ("steady: whole charts painted", steady_whole),
    ):
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(
            f"{name:<30} median {statistics.median(values):7.1f} ms   "
            f"p95 {p95:7.1f} ms   max {max(values):7.1f} ms"
        )
    panel.close()
    feed.stop()


if __name__ == "__main__":
    main()
