"""CPU and memory of the watched instances, sampled once a second.

No thread and no open HTTP stream per container (``docker stats`` keeps one stream per container): one-shot
samples (``GET /containers/{id}/stats?stream=false&one-shot=true``, API 1.41+: without the engine's wait for
a second reading). The engine answers them at its stats collector's next round (up to a second), so on a
local engine (``unix://``) every request of a tick is in flight at once on the event loop itself
(:mod:`desktop.engine.stats_http`: no thread, one collector round answers all), or, better still, read
from the container's cgroup where it is found on this machine (:mod:`desktop.engine.cgroup_stats`: all of a
tick's readings in one call in the shared worker pool, no engine time at all); elsewhere a small pool of
:data:`WORKERS` threads, each with a docker-py client of its own, takes them one after the other.
CPU % comes from two consecutive samples of our own, with
the docker CLI's formula; memory is the CLI's "usage": the cgroup's usage minus its inactive file cache.
A container whose sample is still on its way when the next tick comes is skipped for that tick, so a slow
engine makes samples sparser, never queues them up. Results are handed to the loop once per tick.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.history.model import parse_engine_time
from desktop.history.series import ResourceSeries

_log = logging.getLogger(__name__)

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
        socket_path: str = "",
        api_version: str = ONE_SHOT_API,
        local_cgroups: bool = False,
    ) -> None:
        """Samples with clients from ``api_factory`` every ``interval`` seconds, in ``workers`` threads.

        ``on_samples`` is called in the loop once per tick with the ids that got a new sample. With a
        ``socket_path`` (a local engine speaking ``api_version`` >= 1.41) the samples are taken on the loop;
        with ``local_cgroups`` (the engine runs on this machine) they are read from the cgroups where found.
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
        self._socket_path = socket_path
        self._api_version = api_version
        self._on_loop: set[asyncio.Task[None]] = set()
        self._local_cgroups = local_cgroups
        self._cgroups: dict[str, Any] = {}  # where each container's cgroup files are (None: not here)
        self.read_locally = 0  # samples read from cgroups (the benchmark reports it)

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
                due = self._watched - self._in_flight
                if self._local_cgroups and due:
                    local = [c for c in due if self._cgroups.get(c, True) is not None]
                    if local:
                        self._in_flight.update(local)
                        self._track(asyncio.ensure_future(self._read_local(local)))
                        due.difference_update(local)
                for container in due:
                    if self._socket_path:
                        self._in_flight.add(container)
                        self._track(asyncio.ensure_future(self._sample_on_loop(container)))
                        continue
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
        """Stops the workers and closes their clients (and the requests in flight on the loop)."""
        for task in list(self._on_loop):
            task.cancel()
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

    def _track(self, task: asyncio.Task[None]) -> None:
        self._on_loop.add(task)
        task.add_done_callback(self._on_loop.discard)

    async def _read_local(self, containers: list[str]) -> None:
        from desktop.engine.cgroup_stats import read_many
        from desktop.engine.threads import run_blocking

        try:
            readings = await run_blocking(read_many, containers, self._cgroups)
        except OSError:  # /proc unreadable: ask the engine from now on
            self._local_cgroups = False
            self._in_flight.difference_update(containers)
            return
        moment = time.time()
        for container, stats in readings.items():
            if stats is None:  # not on this machine, or gone: the engine is asked at the next tick
                self._in_flight.discard(container)
                continue
            self.read_locally += 1
            self._results.append((container, moment, stats))

    async def _sample_on_loop(self, container: str) -> None:
        from desktop.engine.stats_http import StatsUnavailable, one_shot_stats

        try:
            stats = await one_shot_stats(self._socket_path, self._api_version, container)
        except StatsUnavailable:  # the engine is away: no sample this tick
            self._results.append((container, time.time(), {}))
            return
        except Exception:  # anything else: logged, and the container is asked again at the next tick
            _log.exception("stats of %s could not be read", container[:12])
            self._results.append((container, time.time(), {}))
            return
        if stats is None:
            self._results.append((container, time.time(), None))
            return
        self._results.append((container, parse_engine_time(stats.get("read")) or time.time(), stats))

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
