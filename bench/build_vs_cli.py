"""Build time through the app versus ``docker build`` and the bare Engine API, cold and cached, one run.

    .venv/bin/python bench/build_vs_cli.py [--rounds 5] [--docker-host unix:///path/docker.sock]

Without --docker-host a private engine is started (root, as the tests do). The project: a busybox base,
a 20 MB build folder of 200 files, a COPY, a RUN printing 5,000 lines, a RUN writing 30 MB, a WORKDIR
and an ENV. "cold" builds pass no-cache (every step runs again); "cached" builds are repeated builds with
every step taken from the cache, where the client's own work (scan, upload, decoding) shows most.
Target: the app at most 1.05x its baseline (the CLI for the classic builder, the bare API for BuildKit).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
from pathlib import Path

from _engine_common import Engine, app_build, cli_build, median_of, raw_build, show

DOCKERFILE = """\
FROM {base}
ENV GREETING=hello
WORKDIR /src
COPY . /src
RUN for i in $(seq 1 5000); do echo "line $i of the build log"; done
RUN dd if=/dev/zero of=/blob bs=1M count=30 2>/dev/null && ls -l /blob
"""


def make_context(folder: Path, dockerfile: str) -> None:
    for index in range(200):
        sub = folder / f"dir{index % 10}"
        sub.mkdir(exist_ok=True)
        (sub / f"file{index}.bin").write_bytes(os.urandom(100 * 1024))
    (folder / "Dockerfile").write_text(dockerfile)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--docker-host", default=None)
    args = parser.parse_args()
    engine = Engine(args.docker_host)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            context = Path(tmp)
            dockerfile = DOCKERFILE.format(base=engine.base_image)
            make_context(context, dockerfile)
            print(f"machine: {platform.machine()}, {os.cpu_count()} cores; engine {engine.url}")
            for no_cache, label in ((True, "cold (no cache)"), (False, "cached (every step from the cache)")):
                runs = {
                    "app classic": lambda nc=no_cache: app_build(
                        engine, dockerfile, context, classic=True, no_cache=nc
                    ),
                    "docker CLI (classic)": lambda nc=no_cache: cli_build(engine, context, no_cache=nc),
                    "app BuildKit": lambda nc=no_cache: app_build(
                        engine, dockerfile, context, classic=False, no_cache=nc
                    ),
                    "bare API (BuildKit)": lambda nc=no_cache: raw_build(engine, context, no_cache=nc),
                }
                for run in runs.values():  # warm-up: caches filled, files in the page cache
                    run()
                times = median_of(args.rounds, runs)
                show(
                    label,
                    times,
                    [("app classic", "docker CLI (classic)"), ("app BuildKit", "bare API (BuildKit)")],
                )
    finally:
        engine.stop()


if __name__ == "__main__":
    main()
