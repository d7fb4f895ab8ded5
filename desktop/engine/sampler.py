"""CPU and memory of the watched instances, sampled once a second by a few workers.

No thread and no open HTTP stream per container (``docker stats`` keeps one stream per container): a
small pool of :data:`WORKERS` threads, each with a client of its own, takes one-shot samples
(``GET /containers/{id}/stats?stream=false&one-shot=true``, API 1.41+: answered at once, without the
engine's one-second wait for a second reading). CPU % comes from two consecutive samples of our own, with
the docker CLI's formula; memory is the CLI's "usage": the cgroup's usage minus its inactive file cache.
A container whose sample is still on its way when the next tick comes is skipped for that tick, so a slow
engine makes samples sparser, never queues them up. Results are handed to the loop once per tick.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.history.model import parse_engine_time
from desktop.history.series import ResourceSeries

ApiFactory = Callable[[], Any]
"""Makes a fresh ``docker.APIClient``."""

WORKERS = 2
"""Threads taking samples: one sample takes a few milliseconds, so two take 100 instances a second while
leaving the machine's other cores alone (and the application within its thread budget)."""

INTERVAL = 1.0
"""Seconds between samples of one instance."""

ONE_SHOT_API = "1.41"


@dataclass(frozen=True)
class Reading:
    """The counters of one raw sample that CPU % needs (nanoseconds of CPU time)."""

    container_cpu: int
    system_cpu: int
    online_cpus: int


def reading(stats: Mapping[str, Any]) -> Reading | None:
    """The CPU counters of a stats answer, or None when it has none (a stopped container)."""
    cpu = stats.get("cpu_stats") or {}
    usage = cpu.get("cpu_usage") or {}
    total, system = usage.get("total_usage"), cpu.get("system_cpu_usage")
    if not isinstance(total, int) or not isinstance(system, int) or system == 0:
        return None
    online = cpu.get("online_cpus") or len(usage.get("percpu_usage") or ()) or 1
    return Reading(total, system, int(online))


def cpu_percent(previous: Reading, current: Reading) -> float:
    """CPU % between two readings, as ``docker stats`` shows it (100 % = one CPU busy).

    The CLI's formula: container CPU delta / system CPU delta x online CPUs x 100.
    """
    container_delta = current.container_cpu - previous.container_cpu
    system_delta = current.system_cpu - previous.system_cpu
    if system_delta <= 0 or container_delta <= 0:
        return 0.0
    return container_delta / system_delta * current.online_cpus * 100.0


def memory_usage(stats: Mapping[str, Any]) -> int:
    """Memory in use as ``docker stats`` shows it: usage minus the inactive file cache (cgroup v1 or v2)."""
    memory = stats.get("memory_stats") or {}
    usage = int(memory.get("usage") or 0)
    details = memory.get("stats") or {}
    for key in ("total_inactive_file", "inactive_file"):  # cgroup v1 names it total_…, v2 does not
        cache = details.get(key)
        if isinstance(cache, int) and cache < usage:
            return usage - cache
    return usage


class Sampler:
    """Samples the watched instances once a second and keeps a bounded series for each.

    Attributes:
        series: CPU and memory over time, by container id.
        gone: ids that no longer exist on the engine (dropped from the watch).
    """

    def __init__(
        self,
        api_factory: ApiFactory,
        interval: float = INTERVAL,
        workers: int = WORKERS,
        on_samples: Callable[[list[str]], None] | None = None,
    ) -> None:
        """Samples with clients from ``api_factory`` every ``interval`` seconds, in ``workers`` threads.

        ``on_samples`` is called in the loop once per tick with the ids that got a new sample.
        """
        self.series: dict[str, ResourceSeries] = {}
        self.gone: set[str] = set()
        self._api_factory = api_factory
        self._interval = interval
        self._on_samples = on_samples
        self._watched: set[str] = set()
        self._in_flight: set[str] = set()
        self._previous: dict[str, Reading] = {}
        self._results: collections.deque[tuple[str, float, Mapping[str, Any] | None]] = collections.deque()
        self._local = threading.local()
        self._clients: list[Any] = []
        self._clients_lock = threading.Lock()
        self._workers = workers
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def watch(self, containers: Iterable[str]) -> None:
        """Samples exactly these containers from the next tick on (the running ones, usually)."""
        self._watched = set(containers) - self.gone
        for container in list(self._previous):
            if container not in self._watched:
                del self._previous[container]  # its next sample starts a new CPU delta

    async def run(self) -> None:
        """Takes samples until cancelled; closes the workers' clients then (running it again resumes)."""
        loop = asyncio.get_running_loop()
        tick = loop.time()
        self._in_flight.clear()  # samples of an earlier run that never came back
        try:
            while True:
                self._collect()
                for container in self._watched - self._in_flight:
                    if self._pool is None:  # made on the first sample: nothing watched, no thread
                        self._pool = concurrent.futures.ThreadPoolExecutor(
                            self._workers, thread_name_prefix="engine-sample"
                        )
                    self._in_flight.add(container)
                    self._pool.submit(self._sample, container)
                tick += self._interval
                delay = tick - loop.time()
                if delay < 0:  # the loop was held up: start again from now rather than catch up
                    tick, delay = loop.time(), 0.0
                await asyncio.sleep(delay)
        finally:
            self.close()

    def close(self) -> None:
        """Stops the workers and closes their clients."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        with self._clients_lock:
            for client in self._clients:
                client.close()
            self._clients.clear()

    def _collect(self) -> None:
        sampled: list[str] = []
        while self._results:
            container, moment, stats = self._results.popleft()
            self._in_flight.discard(container)
            if stats is None:
                self.gone.add(container)
                self._watched.discard(container)
                continue
            if container not in self._watched:
                continue
            current = reading(stats)
            previous = self._previous.get(container)
            if current is None:
                continue
            self._previous[container] = current
            if previous is None:
                continue  # the first reading: CPU % needs two
            series = self.series.get(container)
            if series is None:
                series = self.series[container] = ResourceSeries()
            series.add(moment, cpu_percent(previous, current), float(memory_usage(stats)))
            sampled.append(container)
        if sampled and self._on_samples is not None:
            self._on_samples(sampled)

    def _client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._api_factory()
            with self._clients_lock:
                self._clients.append(client)
        return client

    def _sample(self, container: str) -> None:
        """Runs in a worker: one sample, handed over through the results queue."""
        import docker.errors
        import docker.utils

        try:
            client = self._client()
            if docker.utils.version_gte(client.api_version, ONE_SHOT_API):
                stats = client.stats(container, stream=False, one_shot=True)
            else:  # older engines wait a second for a second reading: slower, still correct
                stats = client.stats(container, stream=False)
        except docker.errors.NotFound:
            self._results.append((container, time.time(), None))
            return
        except Exception:  # the engine is away: no sample this tick; the watch decides what comes next
            self._results.append((container, time.time(), {}))
            return
        moment = parse_engine_time(stats.get("read")) or time.time()
        self._results.append((container, moment, stats))
