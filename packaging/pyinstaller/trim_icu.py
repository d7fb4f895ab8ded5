"""Rebuild PySide6's ICU data library (libicudata.so.NN) without the parts Qt never reads.

libicudata holds all of ICU's data (32 MB for ICU 73) as one exported symbol, ``icudtNN_dat``. Qt uses
ICU for collation (QCollator, the file dialog's sorting), locale-aware case mapping, normalization and
time zones; what it never asks ICU for is left out:

- unit/, curr/, lang/, region/, rbnf/: measurement units, currency, language and country names, spelled-out
  numbers: QLocale answers those from the CLDR tables compiled into QtCore;
- translit/: transliterators (Qt has no API over them);
- the legacy codec tables (*.cnv): only QStringConverter's non-Unicode codecs would read them, and the app
  reads and writes UTF-8 only (the UTF and Latin-1 converters are code in libicuuc, not data).

Kept: coll/ (collation), the locale tree and core data, zone/ (QTimeZone::displayName asks ICU: without
zone/ every name comes back empty), brkitr/ whole: its word dictionaries (3 MB) are named by
brkitr/root.res, and icupkg refuses to remove an item another item depends on. The item list comes from the
wheel's data itself, so a newer ICU with the same layout is trimmed the same way.

    python trim_icu.py <libicudata.so.NN> <work folder>   # prints the path of the trimmed library

Needs ``nm`` and ``readelf`` (binutils), ``gcc`` and ``icupkg`` (Debian/Ubuntu: icu-devtools). Any
surprise (no ``icudtNN_dat`` symbol, a tool missing, an item list without collation) raises
:class:`IcuTrimError`: the build stops rather than ship an untrimmed or broken library.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

TOOLS = {"nm": "binutils", "readelf": "binutils", "gcc": "gcc", "icupkg": "icu-devtools"}
REMOVED_TREES = ("unit/", "curr/", "lang/", "region/", "translit/", "rbnf/")
# Without these Qt's collation or the locale tree would fail: the trim is wrong if one is missing.
REQUIRED_ITEMS = ("coll/root.res", "coll/ucadata.icu", "res_index.res", "root.res", "zoneinfo64.res")
SYMBOL = re.compile(r"^(?P<address>[0-9a-f]+) (?P<size>[0-9a-f]+) [RD] (?P<name>icudt(?P<version>\d+)_dat)$")


class IcuTrimError(Exception):
    """The ICU data cannot be trimmed as expected (a changed PySide6 wheel, a tool missing)."""


def removed(item: str) -> bool:
    """Whether an item of the ICU data (its name without the icudtNNl/ prefix) is left out."""
    if item.startswith(REMOVED_TREES):
        return True
    return "/" not in item and item.endswith(".cnv")


def run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise IcuTrimError(f"{' '.join(command)} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def data_symbol(library: Path) -> tuple[str, int, int]:
    """The data symbol's name, its file offset and its size in bytes."""
    for line in run("nm", "-D", "-S", "--defined-only", str(library)).splitlines():
        match = SYMBOL.match(line.strip())
        if match:
            address, size = int(match["address"], 16), int(match["size"], 16)
            return match["name"], address - section_delta(library, address), size
    raise IcuTrimError(f"{library} exports no icudtNN_dat symbol: PySide6 changed how it ships ICU's data")


def section_delta(library: Path, address: int) -> int:
    """Address minus file offset of the section that holds ``address``."""
    for line in run("readelf", "-S", "-W", str(library)).splitlines():
        fields = re.match(r"^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if not fields or fields[2] == "NOBITS":
            continue
        start, offset, size = (int(fields[i], 16) for i in (3, 4, 5))
        if start <= address < start + size:
            return start - offset
    raise IcuTrimError(f"no section of {library} holds the ICU data symbol")


def trim(library: Path, work: Path) -> Path:
    """Write the trimmed library (same file name and soname) into ``work``; returns its path."""
    missing = [f"{tool} ({package})" for tool, package in TOOLS.items() if shutil.which(tool) is None]
    if missing:
        needed = ", ".join(missing)
        raise IcuTrimError(f"trimming ICU's data needs {needed}: apt-get install icu-devtools gcc")
    symbol, offset, size = data_symbol(library)
    # icupkg wants the package file named after its items' prefix (icudt73l/...: icudt73l.dat).
    package = symbol.removesuffix("_dat") + ("l" if sys.byteorder == "little" else "b") + ".dat"
    full, small = work / "full" / package, work / package
    full.parent.mkdir(parents=True, exist_ok=True)
    with library.open("rb") as source:
        source.seek(offset)
        full.write_bytes(source.read(size))
    items = [line.strip() for line in run("icupkg", "-l", str(full)).splitlines() if line.strip()]
    gone = [item for item in items if removed(item)]
    absent = [item for item in REQUIRED_ITEMS if item not in items]
    if absent or not gone:
        raise IcuTrimError(f"ICU's data in {library} is not laid out as expected (missing: {absent})")
    (work / "removed.txt").write_text("\n".join(gone) + "\n")
    small.unlink(missing_ok=True)
    run("icupkg", "-tl", "-r", str(work / "removed.txt"), str(full), str(small))
    kept = [line.strip() for line in run("icupkg", "-l", str(small)).splitlines() if line.strip()]
    if len(kept) != len(items) - len(gone):
        raise IcuTrimError(f"icupkg kept {len(kept)} items, {len(items) - len(gone)} were expected")
    assembly = work / "icudata.S"
    # ICU reads the data in place and needs it 16-byte aligned; no executable stack.
    assembly.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n"
        f'{symbol}:\n\t.incbin "{small}"\n\t.size {symbol}, . - {symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n'
    )
    output = work / library.name
    run(
        "gcc",
        "-shared",
        "-nostdlib",
        "-fPIC",
        f"-Wl,-soname,{library.name}",
        "-Wl,-z,noexecstack",
        "-o",
        str(output),
        str(assembly),
    )
    name, _, new_size = data_symbol(output)
    if name != symbol or new_size != small.stat().st_size:
        raise IcuTrimError(f"the rebuilt {output} does not export {symbol} as expected")
    return output


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        print(trim(Path(sys.argv[1]), Path(sys.argv[2])))
    except IcuTrimError as error:
        sys.exit(f"trim_icu: {error}")
