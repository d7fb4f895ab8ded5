"""Figure: the memory that 24 hours of history of 100 instances takes, and its SQLite file on disk.

Simulated, with the real core classes (no engine): each of 100 instances lives a day of events at the
engine's own format (create, start, pause/unpause, health changes, kill, die with a code, OOM kills,
restarts, destroy and a new instance in its place) about every ``--mean-gap`` seconds, fed through
:meth:`desktop.history.timeline.Timeline.apply_event`; and one CPU/memory sample per second per instance
(8.64 million samples) fed into :class:`desktop.history.series.ResourceSeries`, as the sampler does.
The history is then written to a SQLite file and read back, as after a restart.

Memory is measured two ways in the same run, in a fresh process: the growth of the resident set (RSS, from
/proc) across the simulation, and the bytes still allocated according to ``tracemalloc`` (Python objects
only: the truer figure for what the data itself holds). Baseline: the same process before anything is made.

Run: .venv/bin/python bench/history_memory.py [--instances 100] [--hours 24] [--mean-gap 600] [--seed 5]
Target: under 50 MB.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.history.series import ResourceSeries
from desktop.history.store import HistoryStore
from desktop.history.timeline import Timeline

START = 1_800_000_000.0


def rss_bytes() -> int:
    """The resident set of this process."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def event(action: str, container: str, at: float, **attributes: str) -> dict[str, object]:
    """One item of ``/events`` as Engine 20.10 sends it."""
    return {
        "status": action,
        "id": container,
        "from": "dockblocks/app:latest",
        "Type": "container",
        "Action": action,
        "Actor": {
            "ID": container,
            "Attributes": {"name": container[:12], "image": "dockblocks/app", **attributes},
        },
        "scope": "local",
        "time": int(at),
        "timeNano": int(at * 1e9),
    }


def simulate_events(
    timeline: Timeline, instances: int, seconds: float, mean_gap: float, rng: random.Random
) -> int:
    """A day of state changes for ``instances`` slots, in time order; returns the events applied."""
    slots: list[tuple[float, str, str]] = []  # (next time, container id, state)
    count = 0
    for _ in range(instances):
        container = f"{rng.getrandbits(256):064x}"
        timeline.apply_event(event("create", container, START))
        slots.append((START + rng.random(), container, "created"))
        count += 1
    end = START + seconds
    while slots:
        slots.sort()
        at, container, state = slots.pop(0)
        if at >= end:
            continue
        if state in ("created", "exited"):
            if state == "exited" and rng.random() < 0.15:  # removed, another instance takes its place
                timeline.apply_event(event("destroy", container, at))
                container = f"{rng.getrandbits(256):064x}"
                timeline.apply_event(event("create", container, at + 0.2))
                count += 2
            timeline.apply_event(event("start", container, at + 0.5))
            count += 1
            state = "running"
        elif state == "paused":
            timeline.apply_event(event("unpause", container, at))
            count += 1
            state = "running"
        else:
            roll = rng.random()
            if roll < 0.2:
                timeline.apply_event(event("pause", container, at))
                state = "paused"
            elif roll < 0.35:
                verdict = rng.choice(("healthy", "unhealthy"))
                timeline.apply_event(event(f"health_status: {verdict}", container, at))
            elif roll < 0.45:
                timeline.apply_event(event("oom", container, at))
                timeline.apply_event(event("die", container, at + 0.01, exitCode="137"))
                state = "exited"
            else:
                if rng.random() < 0.5:
                    timeline.apply_event(event("kill", container, at, signal="15"))
                code = rng.choice(("0", "1", "3", "143"))
                timeline.apply_event(event("die", container, at + 0.02, exitCode=code))
                state = "exited"
            count += 1
        slots.append((at + rng.expovariate(1 / mean_gap), container, state))
    return count


def simulate_samples(series: dict[str, ResourceSeries], first: int, last: int, seed: int) -> None:
    """A CPU/memory sample a second per instance, seconds ``first`` to ``last``, as the sampler adds them."""
    rng = random.Random(seed)  # the same load per instance in every call
    every = [(one, rng.uniform(0, 100), rng.uniform(2e6, 200e6)) for one in series.values()]
    for second in range(first, last):
        moment = START + second
        wobble = (second % 17) / 17
        for one, cpu, memory in every:
            one.add(moment, cpu * wobble, memory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--mean-gap", type=float, default=600.0, help="mean seconds between state changes")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    seconds = int(args.hours * 3600)
    rng = random.Random(args.seed)

    gc.collect()
    rss_before = rss_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    timeline = Timeline()
    events = simulate_events(timeline, args.instances, seconds, args.mean_gap, rng)
    gc.collect()
    timeline_bytes = tracemalloc.get_traced_memory()[0]
    events_seconds = time.perf_counter() - started
    started = time.perf_counter()
    series = {f"slot-{n}": ResourceSeries() for n in range(args.instances)}
    # The rings are allocated whole when made: the first hour is traced, the rest runs untraced (tracemalloc
    # would make every float it touches five times slower) and the RSS shows that nothing grows after it.
    traced = min(3600, seconds)
    simulate_samples(series, 0, traced, args.seed)
    gc.collect()
    total_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    rss_traced = rss_bytes()
    simulate_samples(series, traced, seconds, args.seed)
    samples_seconds = time.perf_counter() - started
    gc.collect()
    rss_after = rss_bytes()

    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(Path(folder) / "history.sqlite3")
        started = time.perf_counter()
        store.write(timeline.take_changes())
        write_seconds = time.perf_counter() - started
        started = time.perf_counter()
        reloaded = store.load()
        load_seconds = time.perf_counter() - started
        store.close()
        file_bytes = sum(path.stat().st_size for path in Path(folder).iterdir())
    assert reloaded.interval_count == timeline.interval_count

    mb = 1024 * 1024
    print(
        f"history_memory: {args.instances} instances, {args.hours:g} h, "
        f"a state change every ~{args.mean_gap:g} s"
    )
    print(
        f"  events applied:        {events:,} -> {timeline.interval_count:,} intervals, "
        f"{timeline.marker_count:,} markers, {len(timeline.containers)} instances ({events_seconds:.1f} s)"
    )
    print(
        f"  samples added:         {seconds * args.instances:,} at 1 Hz "
        f"({samples_seconds:.1f} s; kept: {len(next(iter(series.values())).rows()):,} rows per instance)"
    )
    print(f"  timeline (tracemalloc): {timeline_bytes / mb:6.1f} MB")
    print(f"  series (tracemalloc):   {(total_bytes - timeline_bytes) / mb:6.1f} MB")
    print(f"  total (tracemalloc):    {total_bytes / mb:6.1f} MB   target < 50 MB")
    print(f"  RSS growth after the first traced hour: {(rss_after - rss_traced) / mb:+.1f} MB")
    print(
        f"  total (RSS growth):     {(rss_after - rss_before) / mb:6.1f} MB   "
        f"(baseline RSS before: {rss_before / mb:.1f} MB)"
    )
    print(
        f"  SQLite file:            {file_bytes / mb:6.1f} MB (written in {write_seconds:.2f} s, "
        f"read back in {load_seconds:.2f} s)"
    )


if __name__ == "__main__":
    main()
