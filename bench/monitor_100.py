"""Figure: monitoring 100 running instances at 1 Hz for 60 s — the app against ``docker stats``, in one run.

On a private engine (``_engine_common.Engine``), ``--instances`` busybox instances run ``sleep``. Then, one
after the other, each for ``--seconds`` seconds after a warm-up:

(a) the app: a child process with the window's real pieces, offscreen, on a qasync loop — the engine
    monitor, the instances dock and the charts dock (both shown), observing the window's one follower of
    the engine (events stream, reconcile, saved history, the 2-worker one-shot sampler at 1 Hz);
(b) ``docker stats`` (streaming, the docker CLI on the machine) over the same instances, output discarded.

Printed: CPU seconds of the app's process and of the CLI's process, the engine's (dockerd's) CPU seconds
during each, the app's largest thread count (every thread of the process, Qt's too, read from
/proc/self/task twice a second) and, in a second window of the same length, its largest event-loop stall
(the largest gap between beats of a 2 ms precise Qt timer, as in build_log_stall.py; the timer costs about
0.03 CPU-s/s by itself, so the CPU figure is taken without it), with the targets: app CPU <= CLI CPU,
engine CPU under the app <= under the CLI, threads <= 8, stall < 50 ms.

Run: .venv/bin/python bench/monitor_100.py [--instances 100] [--seconds 60] [--warmup 8]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _engine_common import DOCKER_CLI, LABEL, ROOT, Engine

TICK = os.sysconf("SC_CLK_TCK")
BEAT_MS = 2


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) of a running process, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def start_instances(engine: Engine, count: int) -> list[str]:
    """``count`` labelled busybox instances running ``sleep``, created and started four at a time."""
    from desktop.engine.labels import dockblocks_labels

    key, value = LABEL.split("=")

    def one(number: int) -> str:
        api = engine.api()
        try:
            created = api.create_container(
                engine.base_image,
                ["sleep", "3600"],
                name=f"bench-sleeper-{number:03d}",
                labels=dockblocks_labels({key: value}),
            )
            api.start(created["Id"])
            return str(created["Id"])
        finally:
            api.close()

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(count)))


def remove_instances(engine: Engine, ids: list[str]) -> None:
    def one(container: str) -> None:
        api = engine.api()
        try:
            api.remove_container(container, force=True)
        finally:
            api.close()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, ids))


# --- (a) the app, in a child process ---------------------------------------------------------------------


def child(url: str, instances: int, seconds: float, warmup: float) -> dict[str, Any]:
    """Runs in the child: the window's pieces follow the engine; returns what it measured of itself."""
    import asyncio
    import resource

    import qasync
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop.engine.connection import parse_address
    from ui.asyncqt import AsyncRunner
    from ui.engine_monitor import EngineMonitor
    from ui.widgets.charts.dock import install_charts_panel
    from ui.widgets.instances_panel import install_instances_panel

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1280, 800)
    window.menuBar().addMenu("Run").setObjectName("RunMenu")
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "engine.ini"), QSettings.Format.IniFormat)
    address = parse_address(url)
    engine = EngineMonitor(AsyncRunner.of(window), settings, window, candidates=lambda: [address])
    window.engine = engine  # type: ignore[attr-defined]
    panel = install_instances_panel(window)
    charts_dock = install_charts_panel(window)
    window.show()
    panel.parentWidget().show()
    charts_dock.show()
    beats: list[float] = []
    beat = QTimer()
    beat.setTimerType(Qt.TimerType.PreciseTimer)
    beat.setInterval(BEAT_MS)
    beat.timeout.connect(lambda: beats.append(time.perf_counter()))
    threads: list[int] = []

    def count_threads() -> None:
        threads.append(len(os.listdir("/proc/self/task")))

    counter = QTimer()
    counter.setInterval(500)
    counter.timeout.connect(count_threads)

    slowest: dict[str, float] = {}

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(*args)
            finally:
                slowest[name] = max(slowest.get(name, 0.0), (time.perf_counter() - began) * 1000)

        return wrapper

    def process_cpu_now() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    async def run() -> dict[str, Any]:
        engine.start()
        charts = window.charts_panel  # type: ignore[attr-defined]
        # What a stall is made of: the longest charts redraw, list update, uptime tick and paint.
        charts.feed.updated.disconnect(charts.redraw)
        charts.feed.updated.connect(timed("charts redraw", charts.redraw))
        panel.model.set_instances = timed("instances list update", panel.model.set_instances)
        for chart in (charts.timeline_chart, charts.cpu_chart, charts.memory_chart):
            chart.paintEvent = timed("one chart's paint", chart.paintEvent)
        panel.tree.viewport().paintEvent = timed("instances list paint", panel.tree.viewport().paintEvent)
        gc_started: list[float] = []

        def gc_timing(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                gc_started[:] = [time.perf_counter()]
            elif gc_started:
                took = (time.perf_counter() - gc_started[0]) * 1000
                slowest["garbage collection"] = max(slowest.get("garbage collection", 0.0), took)

        import gc

        gc.callbacks.append(gc_timing)
        deadline = time.monotonic() + 120
        while len(charts.cpu_chart.lines) < instances or len(panel.model.instances) < instances:
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"the app saw {len(panel.model.instances)} instances and "
                    f"{len(charts.cpu_chart.lines)} CPU lines, not {instances}"
                )
            await asyncio.sleep(0.2)
        await asyncio.sleep(warmup)
        slowest.clear()
        print("ready", flush=True)  # the parent reads the engine's CPU from now on
        cpu_before = process_cpu_now()
        began = time.perf_counter()
        counter.start()
        await asyncio.sleep(seconds)
        counter.stop()
        cpu_s = process_cpu_now() - cpu_before
        took = time.perf_counter() - began
        print("measured", flush=True)  # the parent's engine CPU stops here
        # The stall in a window of its own: the 2 ms beat timer is 500 Python callbacks a second, about
        # 0.03 CPU-s/s by itself, which the CPU figure above must not count (docker stats has no such timer).
        cpu_before_beats = process_cpu_now()
        beats.append(time.perf_counter())
        beat.start()
        await asyncio.sleep(seconds)
        beat.stop()
        cpu_with_beats = process_cpu_now() - cpu_before_beats
        gaps = [b - a for a, b in itertools.pairwise(beats)]
        monitor = window.monitor  # type: ignore[attr-defined]
        result = {
            "cpu_s": cpu_s,
            "cpu_with_beats_s": cpu_with_beats,
            "wall_s": took,
            "threads_max": max(threads),
            "thread_names": sorted(t.name for t in threading.enumerate()),
            "stall_ms": max(gaps) * 1000,
            "events_streams": monitor.events_streams_opened,
            "sampled": sum(len(s.fine) for s in monitor.series.values()),
            "read_locally": monitor.monitor.sampler.read_locally,
            "instances": len(panel.model.instances),
            "slowest_ms": slowest,
        }
        AsyncRunner.of(window).cancel_all()
        await asyncio.sleep(0.5)
        return result

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(run())


def measure_app(engine: Engine, pid: int, args: argparse.Namespace) -> dict[str, Any]:
    home = tempfile.mkdtemp(prefix="monitor-home-")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": home,
        "XDG_DATA_HOME": f"{home}/data",
        "XDG_CONFIG_HOME": f"{home}/config",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, __file__, "--child", engine.url, "--instances", str(args.instances)]
    command += ["--seconds", str(args.seconds), "--warmup", str(args.warmup)]
    child_process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child_process.stdout is not None
    engine_before = None
    result: dict[str, Any] = {}
    for line in child_process.stdout:
        if line.strip() == "ready":
            engine_before = process_cpu(pid)
        elif line.strip() == "measured" and engine_before is not None:
            result["engine_cpu_s"] = process_cpu(pid) - engine_before
        elif line.startswith("{"):
            result = {**json.loads(line), **result}
    if child_process.wait() != 0 or not result:
        raise SystemExit("the app's run failed (see above)")
    return result


# --- (b) docker stats ------------------------------------------------------------------------------------


def measure_cli(engine: Engine, pid: int, ids: list[str], args: argparse.Namespace) -> dict[str, Any]:
    stats = subprocess.Popen(
        [DOCKER_CLI, "stats", *ids],
        env=engine.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(args.warmup)
        if stats.poll() is not None:
            raise SystemExit(f"docker stats ended at once (exit code {stats.returncode})")
        cli_before, engine_before = process_cpu(stats.pid), process_cpu(pid)
        time.sleep(args.seconds)
        return {
            "cpu_s": process_cpu(stats.pid) - cli_before,
            "engine_cpu_s": process_cpu(pid) - engine_before,
        }
    finally:
        stats.kill()  # it ignores SIGTERM while it streams
        stats.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if os.environ.get("MONITOR_PROFILE"):  # where the app's time goes: a cProfile of the child
            import cProfile

            profile = cProfile.Profile()
            result = profile.runcall(child, args.child, args.instances, args.seconds, args.warmup)
            profile.dump_stats(os.environ["MONITOR_PROFILE"])
        else:
            result = child(args.child, args.instances, args.seconds, args.warmup)
        print(json.dumps(result), flush=True)
        return
    print(f"load average before: {os.getloadavg()}")
    engine = Engine(None)
    try:
        pid = engine._private.process.pid
        began = time.perf_counter()
        ids = start_instances(engine, args.instances)
        print(f"{len(ids)} instances running ({time.perf_counter() - began:.0f} s to start them)")
        app = measure_app(engine, pid, args)
        cli = measure_cli(engine, pid, ids, args)
        print(f"load average after: {os.getloadavg()}")
        seconds = args.seconds
        print(f"\n{args.instances} instances, {seconds:.0f} s each, after a {args.warmup:.0f} s warm-up")
        print(f"{'':<34}{'app':>12}{'docker stats':>14}{'ratio':>8}")
        for name, key in (("client CPU s", "cpu_s"), ("engine (dockerd) CPU s", "engine_cpu_s")):
            ratio = app[key] / cli[key] if cli[key] else float("inf")
            print(f"{name:<34}{app[key]:>12.2f}{cli[key]:>14.2f}{ratio:>8.2f}")
            print(f"{'  per second':<34}{app[key] / seconds:>12.3f}{cli[key] / seconds:>14.3f}")
        print(
            f"{'  app while the stall is measured':<34}{app['cpu_with_beats_s'] / seconds:>12.3f}"
            "  (CPU-s/s with the 2 ms beat timer, a window of its own)"
        )
        print(f"app threads (max, every thread of the process): {app['threads_max']} (target <= 8)")
        print(f"  named in Python: {', '.join(app['thread_names'])}")
        print(f"app largest event-loop stall: {app['stall_ms']:.1f} ms (target < 50 ms)")
        parts = ", ".join(f"{name} {ms:.1f} ms" for name, ms in app["slowest_ms"].items())
        print(f"  the longest of each: {parts}")
        print(
            f"app events streams opened: {app['events_streams']}; samples kept: {app['sampled']} "
            f"({app['read_locally']} read from the instances' cgroups, the rest asked of the engine)"
        )
        verdicts = {
            "app CPU <= CLI CPU": app["cpu_s"] <= cli["cpu_s"],
            "engine CPU (app) <= engine CPU (CLI)": app["engine_cpu_s"] <= cli["engine_cpu_s"],
            "threads <= 8": app["threads_max"] <= 8,
            "stall < 50 ms": app["stall_ms"] < 50,
        }
        for what, met in verdicts.items():
            print(f"  {what}: {'met' if met else 'MISSED'}")
        remove_instances(engine, ids)
    finally:
        engine.stop()


if __name__ == "__main__":
    main()
