"""What the engine benchmarks share: an engine to build on, and three ways to build on it.

- the app: ``desktop.engine.build.build`` exactly as the window and ``dockblocks build`` call it (the
  context scanned and streamed, every JSON line decoded and translated into events);
- the docker CLI (``docker build``, 28.x). This machine's CLI has no buildx plugin, so it can only use the
  classic builder (``DOCKER_BUILDKIT=0``): it is compared with the app's classic builder;
- the bare Engine API: ``tar -c . | curl -T - POST /build?version=2``, the least any client can do for a
  BuildKit build: it is compared with the app's BuildKit builds.
"""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

DOCKER_CLI = shutil.which("docker") or "/usr/local/bin/docker"
LABEL = "org.dockblocks.bench=1"


class Engine:
    """An engine to build on: the one at ``url``, or a private one started for the benchmark."""

    def __init__(self, url: str | None) -> None:
        self._private = None
        if url is None:
            import engine_harness

            reason = engine_harness.why_no_engine()
            if reason is not None:
                raise SystemExit(f"no engine: {reason}; pass --docker-host URL of a running engine")
            self._private = engine_harness.start_engine()
            url = self._private.base_url
            self.base_image = self._private.base_image
        else:
            self.base_image = "dockblocks-test/busybox:latest"
        self.url = url

    def api(self):
        import docker

        return docker.APIClient(base_url=self.url, version="auto", timeout=600)

    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": self.url}

    def stop(self) -> None:
        api = self.api()
        try:
            for image in api.images(filters={"label": LABEL}, quiet=True):
                subprocess.run([DOCKER_CLI, "rmi", "-f", image], env=self.env(), capture_output=True)
        finally:
            api.close()
        if self._private is not None:
            self._private.stop()


def app_build(engine: Engine, dockerfile: str, context: Path, *, classic: bool, no_cache: bool) -> float:
    """Seconds for one build through desktop.engine.build, from the call to BuildFinished."""
    from desktop.dockerfile import import_text
    from desktop.engine.build import BuildOptions, build
    from desktop.engine.build_events import BuildFailed, BuildFinished

    document = import_text(dockerfile)
    options = BuildOptions(
        document,
        context,
        tag="dockblocks-bench/app:1",
        classic=classic,
        labels={"org.dockblocks.bench": "1"},
        no_cache=no_cache,
    )

    async def go() -> None:
        async for batch in build(options, engine.api):
            for event in batch:
                if isinstance(event, BuildFailed):
                    raise SystemExit(f"the app's build failed: {event.message}")
                if isinstance(event, BuildFinished):
                    return

    cpu = _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    asyncio.run(go())
    took = time.perf_counter() - started
    CPU_SECONDS.append(_cpu(resource.RUSAGE_SELF) - cpu)
    return took


def cli_build(engine: Engine, context: Path, *, no_cache: bool) -> float:
    """Seconds for ``docker build`` (classic builder: the CLI here has no buildx)."""
    args = [DOCKER_CLI, "build", "-q", "-t", "dockblocks-bench/cli:1", "--label", LABEL, str(context)]
    if no_cache:
        args.insert(2, "--no-cache")
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, env={**engine.env(), "DOCKER_BUILDKIT": "0"}, capture_output=True, text=True)
    took = time.perf_counter() - started
    CPU_SECONDS.append(_cpu(resource.RUSAGE_CHILDREN) - cpu)
    if done.returncode != 0:
        raise SystemExit(f"docker build failed: {done.stderr.strip()}")
    return took


def raw_build(engine: Engine, context: Path, *, no_cache: bool) -> float:
    """Seconds for ``tar | curl`` straight to ``POST /build?version=2`` (BuildKit, nothing decoded)."""
    socket = engine.url.removeprefix("unix://")
    labels = "%7B%22org.dockblocks.bench%22%3A%221%22%7D"  # {"org.dockblocks.bench": "1"}
    query = f"version=2&dockerfile=Dockerfile&t=dockblocks-bench/raw:1&labels={labels}"
    if no_cache:
        query += "&nocache=1"
    command = (
        f"tar -C {context} -cf - . | curl -sS --fail --unix-socket {socket} -X POST "
        f"-H 'Content-Type: application/x-tar' -T - 'http://docker/v1.41/build?{query}'"
    )
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True)
    took = time.perf_counter() - started
    CPU_SECONDS.append(_cpu(resource.RUSAGE_CHILDREN) - cpu)
    if done.returncode != 0 or '"errorDetail"' in done.stdout:
        raise SystemExit(f"the raw API build failed: {done.stderr.strip()} {done.stdout[-300:]}")
    return took


CPU_SECONDS: list[float] = []
"""The client's CPU time of each run, in order: the app's process, or the CLI's (or tar's and curl's)."""


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def median_of(rounds: int, runs: dict[str, Callable[[], float]]) -> dict[str, list[tuple[float, float]]]:
    """Each run ``rounds`` times, interleaved (a, b, c, a, b, c …) so drifts of the machine hit all alike.

    Returns:
        For each run, its (wall seconds, client CPU seconds) of every round.
    """
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            wall = run()
            times[name].append((wall, CPU_SECONDS[-1]))
    return times


def show(label: str, times: dict[str, list[tuple[float, float]]], pairs: list[tuple[str, str]]) -> None:
    """Prints median and best wall time and the client's CPU per run, then the app/baseline ratios."""
    print(f"\n{label}")
    for name, values in times.items():
        walls = [w for w, _ in values]
        cpu = statistics.median(c for _, c in values)
        spread = ", ".join(f"{v:.2f}" for v in walls)
        print(
            f"  {name:<22} median {statistics.median(walls):6.2f} s  best {min(walls):6.2f} s  "
            f"client CPU {cpu:5.2f} s   ({spread})"
        )
    for app, baseline in pairs:
        walls, base = [w for w, _ in times[app]], [w for w, _ in times[baseline]]
        median = statistics.median(walls) / statistics.median(base)
        best = min(walls) / min(base)
        print(f"  {app} / {baseline}: {median:.3f}x median, {best:.3f}x best")
