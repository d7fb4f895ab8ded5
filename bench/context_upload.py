"""Sending a 500 MB build folder: the app versus ``docker build`` and the bare Engine API, in one run.

    .venv/bin/python bench/context_upload.py [--rounds 3] [--megabytes 500] [--docker-host URL]

The folder: 48 files of 10 MB (random, so nothing compresses) and 2,000 files of 10 KB, about 500 MB.
The Dockerfile is ``FROM base`` + ``RUN true``, taken from the cache after the warm-up, so a build's time is
the context's: scanned, streamed as a tar, received and unpacked by the engine. The app streams the tar
while it reads the folder (no temporary file, memory flat); the peak memory of the process is printed too.
Target: the app at most 1.1x its baseline (the CLI for the classic builder, the bare API for BuildKit).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
from pathlib import Path

from _engine_common import Engine, app_build, cli_build, median_of, raw_build, show

DOCKERFILE = "FROM {base}\nRUN true\n"


def make_context(folder: Path, megabytes: int) -> int:
    small = 2000
    big = max(1, (megabytes * 1024 * 1024 - small * 10 * 1024) // (10 * 1024 * 1024))
    chunk = os.urandom(10 * 1024 * 1024)
    for index in range(big):
        # Each file differs (its first bytes) so nothing can be shared between them.
        (folder / f"big{index:03}.bin").write_bytes(index.to_bytes(8, "little") + chunk[8:])
    (folder / "small").mkdir()
    for index in range(small):
        (folder / "small" / f"f{index:04}.txt").write_bytes(os.urandom(10 * 1024))
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--megabytes", type=int, default=500)
    parser.add_argument("--docker-host", default=None)
    args = parser.parse_args()
    engine = Engine(args.docker_host)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            context = Path(tmp)
            dockerfile = DOCKERFILE.format(base=engine.base_image)
            size = make_context(context, args.megabytes)
            (context / "Dockerfile").write_text(dockerfile)
            print(
                f"build folder: {size / 1e6:.0f} MB in {2000 + size // (10 << 20)} files; engine {engine.url}"
            )
            runs = {
                "app BuildKit": lambda: app_build(engine, dockerfile, context, classic=False, no_cache=False),
                "bare API (BuildKit)": lambda: raw_build(engine, context, no_cache=False),
                "app classic": lambda: app_build(engine, dockerfile, context, classic=True, no_cache=False),
                "docker CLI (classic)": lambda: cli_build(engine, context, no_cache=False),
            }
            for run in runs.values():  # warm-up: the base image's steps cached, the folder in the page cache
                run()
            times = median_of(args.rounds, runs)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            show(
                "500 MB build folder, build time (context sent and unpacked)",
                times,
                [("app BuildKit", "bare API (BuildKit)"), ("app classic", "docker CLI (classic)")],
            )
            for name in ("app BuildKit", "app classic"):
                best = min(wall for wall, _ in times[name])
                print(f"  {name}: {size / best / 1e6:.0f} MB/s at best")
            print(f"  peak memory of this process (the app's side, all runs): {peak / 1024:.0f} MB")
    finally:
        engine.stop()


if __name__ == "__main__":
    main()
