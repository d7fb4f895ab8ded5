"""Figure: import plus render of 1,000 real Dockerfiles, against BuildKit's parser reading the same files.

Prints seconds in total for both, measured side by side in this run, and their ratio. The files are the
BuildKit parser corpus (../shared/corpus), repeated to 1,000, plus this repository's fixtures.
Run: .venv/bin/python bench/import_render.py [--files 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import dockerfile  # noqa: E402
from oracle import corpus_files  # noqa: E402

from desktop.dockerfile import import_text, render_text  # noqa: E402
from desktop.dockerfile.lexing import ENCODING, ERRORS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    sources = corpus_files("buildkit-parser-testfiles") + sorted(
        (ROOT / "tests" / "fixtures" / "dockerfiles").glob("*.Dockerfile")
    )
    if not sources:
        sys.exit("no Dockerfiles found: the corpus at ../shared/corpus is missing")
    texts = [p.read_bytes().decode(ENCODING, ERRORS) for p in sources]
    batch = [texts[i % len(texts)] for i in range(options.files)]
    total_lines = sum(t.count("\n") + 1 for t in batch)

    def ours() -> None:
        for text in batch:
            if render_text(import_text(text)) != text:
                raise SystemExit("round trip failed")

    def reference() -> None:
        for text in batch:
            dockerfile.parse_string(text)

    names = ("dockblocks import+render", "BuildKit parser (reference)")
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(options.rounds):  # interleaved, so both see the same machine state
        for name, run in zip(names, (ours, reference), strict=True):
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - start_wall)
            cpu[name].append(time.process_time() - start_cpu)

    print(f"{options.files} Dockerfiles ({total_lines} lines), {options.rounds} rounds, seconds:")
    print(f"  {'':30s} {'wall median':>12s} {'wall best':>10s} {'CPU median':>11s} {'CPU best':>9s}")
    for name in names:
        print(
            f"  {name:30s} {statistics.median(wall[name]):12.3f} {min(wall[name]):10.3f}"
            f" {statistics.median(cpu[name]):11.3f} {min(cpu[name]):9.3f}"
        )
    ours_name, ref_name = names
    for label, table, pick in (
        ("wall, median", wall, statistics.median),
        ("wall, best", wall, min),
        ("CPU, median", cpu, statistics.median),
        ("CPU, best", cpu, min),
    ):
        print(f"  ratio ours / reference ({label}): {pick(table[ours_name]) / pick(table[ref_name]):.2f}x")
    print("  target: under 1 s in total, and a ratio under 1.0")


if __name__ == "__main__":
    main()
