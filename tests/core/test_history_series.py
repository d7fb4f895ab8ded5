"""CPU % and memory as the docker CLI computes them, and the bounded series they go into."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.engine.sampler import Reading, cpu_percent, memory_usage, reading
from desktop.history.series import COARSE_SAMPLES, FINE_SAMPLES, ResourceSeries, Ring


def stats(total: int, system: int, online: int = 2, usage: int = 0, **memory: int) -> dict[str, Any]:
    """The parts of a ``stats(stream=False, one_shot=True)`` answer the sampler reads (cgroup v1 names)."""
    return {
        "read": "2027-01-15T08:00:00.5Z",
        "cpu_stats": {"cpu_usage": {"total_usage": total}, "system_cpu_usage": system, "online_cpus": online},
        "precpu_stats": {"cpu_usage": {"total_usage": 0}},  # empty with one_shot: never read
        "memory_stats": {"usage": usage, "stats": memory},
    }


def test_cpu_percent_is_the_clis_formula() -> None:
    first = reading(stats(1_000_000_000, 100_000_000_000))
    second = reading(stats(1_900_000_000, 102_000_000_000))  # 0.9 s of CPU in 2 s of system time, 2 CPUs
    assert first is not None and second is not None
    assert cpu_percent(first, second) == pytest.approx(0.9 / 2.0 * 2 * 100)
    assert cpu_percent(second, second) == 0.0
    assert cpu_percent(second, first) == 0.0  # a counter reset (restart) is no negative load


def test_online_cpus_fall_back_to_the_per_cpu_list_and_a_stopped_container_has_no_reading() -> None:
    answer = stats(5, 10)
    answer["cpu_stats"].pop("online_cpus")
    answer["cpu_stats"]["cpu_usage"]["percpu_usage"] = [1, 2, 3, 4]
    assert reading(answer) == Reading(5, 10, 4)
    assert reading({"cpu_stats": {"cpu_usage": {"total_usage": 0}}, "memory_stats": {}}) is None


def test_memory_is_usage_minus_inactive_file_cache_like_the_cli() -> None:
    assert (
        memory_usage(stats(0, 1, usage=10_000, total_inactive_file=3_000, cache=5_000)) == 7_000
    )  # cgroup v1
    assert memory_usage(stats(0, 1, usage=10_000, inactive_file=1_000)) == 9_000  # cgroup v2
    assert memory_usage(stats(0, 1, usage=10_000, total_inactive_file=20_000)) == 10_000
    assert memory_usage({}) == 0


def test_a_ring_keeps_the_newest_rows_in_order() -> None:
    ring = Ring(3)
    assert ring.last() is None
    for n in range(5):
        ring.append(float(n), n * 10.0, n * 100.0)
    assert len(ring) == 3
    assert ring.rows() == [(2.0, 20.0, 200.0), (3.0, 30.0, 300.0), (4.0, 40.0, 400.0)]
    assert ring.last() == (4.0, 40.0, 400.0)


def test_a_day_of_samples_stays_bounded_with_minute_means_behind_the_fine_samples() -> None:
    series = ResourceSeries()
    start = 1_800_000_000.0
    for second in range(24 * 3600):
        series.add(start + second, float(second % 60), 1000.0)
    assert len(series.fine) == FINE_SAMPLES
    assert len(series.coarse) == COARSE_SAMPLES - 1 or len(series.coarse) == COARSE_SAMPLES
    rows = series.rows()
    assert rows[-1] == (start + 24 * 3600 - 1, 59.0, 1000.0)
    times = [row[0] for row in rows]
    assert times == sorted(times)
    coarse = [row for row in rows if row[0] < start + 24 * 3600 - FINE_SAMPLES]
    assert coarse and all(row[1] == pytest.approx(29.5) for row in coarse)  # the mean of 0..59
    assert series.byte_size() == 8 * 3 * (FINE_SAMPLES + COARSE_SAMPLES)
    assert series.rows(since=times[-10]) == rows[-10:]
