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

    timings: dict[str, list[float]] = {"dockblocks import+render": [], "BuildKit parser (reference)": []}
    for _ in range(options.rounds):  # interleaved, so both see the same machine state
        for name, run in (("dockblocks import+render", ours), ("BuildKit parser (reference)", reference)):
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)

    print(f"{options.files} Dockerfiles ({total_lines} lines), {options.rounds} rounds, median seconds:")
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in medians.items():
        print(f"  {name:30s} {value:8.3f} s   (min {min(timings[name]):.3f} s)")
    ratio = medians["dockblocks import+render"] / medians["BuildKit parser (reference)"]
    print(f"  ratio ours / reference: {ratio:.2f}x  (target: total under 1 s and ratio under 1.0)")


if __name__ == "__main__":
    main()
