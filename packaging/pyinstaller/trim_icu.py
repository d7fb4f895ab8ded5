"""Rebuild PySide6's ICU data library (libicudata.so.NN) without the parts Qt never reads.

libicudata holds all of ICU's data (32 MB for ICU 73) as one exported symbol, ``icudtNN_dat``. QtCore is
the only library that links ICU, and it calls only the converters (``ucnv_*``), case mapping
(``u_strToLower``/``u_strToUpper``), collation (``ucol_open``, ``ucol_strcoll``, ``ucol_getSortKey``,
``ucol_setAttribute``) and calendars for time zone names (``ucal_open``, ``ucal_getCanonicalTimeZoneID``,
``ucal_getTimeZoneDisplayName``): ``nm -D --undefined-only libQt6Core.so.6 | grep _73$``. What none of
these reads is left out:

- unit/, curr/, lang/, region/, rbnf/: measurement units, currency, language and country names, spelled-out
  numbers: QLocale answers those from the CLDR tables compiled into QtCore;
- translit/: transliterators (Qt has no API over them);
- brkitr/, whole: break iterators (and their word dictionaries) are never opened; Qt finds text boundaries
  itself. The whole tree goes, so no remaining item names a removed one (icupkg checks that);
- the legacy codec tables (*.cnv): only QStringConverter's non-Unicode codecs would read them, and the app
  reads and writes UTF-8 only (the UTF and Latin-1 converters are code in libicuuc, not data);
- unames.icu (character names), *.spp (StringPrep profiles), uts46.nrm (IDNA), confusables*.cfu (spoof
  checks), langInfo.res (locale matching): services Qt does not call;
- the main tree's per-locale files (de.res, zh_Hant_TW.res ...). Collation reads coll/, zone names zone/,
  case mapping only the language code: what a locale file still gave Qt is its calendar and week data,
  which ucal now takes from root.res (Qt reads only zone names through ucal), and the default digits of a
  "GMT+3"-style zone name, for zones a language has no name for. So the files of every language with a
  locale whose default digits are not Latin (ar, fa, bn, mr, ne, my ... asked of the wheel's own ICU with
  ``unumsys_open``) stay, all of that language's files, since a region may switch back to Latin digits:
  "غرينتش+٣" stays "غرينتش+٣" and not "غرينتش+3".

Kept: coll/ and zone/ whole, the main tree's root.res, pool.res, res_index.res and every table that is not
a locale (supplementalData, likelySubtags, metaZones, timezoneTypes, zoneinfo64, metadata, keyTypeData,
numberingSystems ...), the normalization data. The item list comes from the wheel's data itself, so a
newer ICU with the same layout is trimmed the same way. tests/packaging/test_icu_trim.py compares Qt's
collation, case mapping and zone names in 27 locales with the full and the trimmed data.

    python trim_icu.py <libicudata.so.NN> <work folder>   # prints the path of the trimmed library

Needs ``nm`` and ``readelf`` (binutils), ``gcc`` and ``icupkg`` (Debian/Ubuntu: icu-devtools), and the
wheel's libicui18n beside its libicudata. Any surprise (no ``icudtNN_dat`` symbol, a tool missing, an
item list without collation, no locale with non-Latin digits) raises :class:`IcuTrimError`: the build
stops rather than ship an untrimmed or broken library.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import sys
from pathlib import Path

TOOLS = {"nm": "binutils", "readelf": "binutils", "gcc": "gcc", "icupkg": "icu-devtools"}
REMOVED_TREES = ("unit/", "curr/", "lang/", "region/", "translit/", "rbnf/", "brkitr/")
# Top-level data of ICU services QtCore never calls: character names, StringPrep profiles, IDNA, spoof
# checking, locale matching.
REMOVED_FILES = ("unames.icu", "uts46.nrm", "langInfo.res")
REMOVED_SUFFIXES = (".cnv", ".spp", ".cfu")
# A per-locale file of the main tree: a language code, then script, region and variant subtags
# (de.res, zh_Hant_TW.res, en_US_POSIX.res), never the tree's own root.res, pool.res, res_index.res or
# the non-locale tables (supplementalData.res, metaZones.res, zoneinfo64.res ...).
LOCALE_FILE = re.compile(r"^[a-z]{2,3}(_[A-Z0-9][A-Za-z0-9]*)*\.res$")
# Without these Qt's collation, case mapping or time zone names would change: the trim is wrong if one
# is missing.
REQUIRED_ITEMS = (
    "coll/root.res",
    "coll/ucadata.icu",
    "res_index.res",
    "root.res",
    "pool.res",
    "zoneinfo64.res",
    "metaZones.res",
    "timezoneTypes.res",
    "zone/root.res",
    "supplementalData.res",
    "likelySubtags.res",
)
SYMBOL = re.compile(r"^(?P<address>[0-9a-f]+) (?P<size>[0-9a-f]+) [RD] (?P<name>icudt(?P<version>\d+)_dat)$")


class IcuTrimError(Exception):
    """The ICU data cannot be trimmed as expected (a changed PySide6 wheel, a tool missing)."""


def removed(item: str, digit_languages: frozenset[str] = frozenset()) -> bool:
    """Whether an item of the ICU data (its name without the icudtNNl/ prefix) is left out.

    Args:
        item: the item's name, e.g. ``coll/de.res``.
        digit_languages: languages whose per-locale files stay (see :func:`non_latin_digit_languages`).
    """
    if item.startswith(REMOVED_TREES):
        return True
    if "/" in item:
        return False  # coll/ and zone/ stay whole
    if item in REMOVED_FILES or item.endswith(REMOVED_SUFFIXES):
        return True
    return bool(LOCALE_FILE.match(item)) and language(item) not in digit_languages


def language(item: str) -> str:
    """The language subtag of a per-locale file: ``ar`` of ``ar_EG.res``."""
    return item.removesuffix(".res").split("_")[0]


def non_latin_digit_languages(library: Path, version: str, items: list[str]) -> frozenset[str]:
    """The languages of which some locale writes numbers with other than Latin digits (``ar``, ``fa`` ...),
    asked of the untrimmed ICU beside ``library`` (its libicui18n) for every per-locale file of ``items``."""
    i18n = library.with_name(f"libicui18n.so.{version}")
    try:
        icu = ctypes.CDLL(str(i18n))
        open_system = getattr(icu, f"unumsys_open_{version}")
        name_of = getattr(icu, f"unumsys_getName_{version}")
        close = getattr(icu, f"unumsys_close_{version}")
    except (OSError, AttributeError) as error:
        raise IcuTrimError(f"cannot ask {i18n} for the locales' digits: {error}") from None
    open_system.restype, open_system.argtypes = (
        ctypes.c_void_p,
        [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)],
    )
    name_of.restype, name_of.argtypes = ctypes.c_char_p, [ctypes.c_void_p]
    close.restype, close.argtypes = None, [ctypes.c_void_p]
    languages = set()
    for item in items:
        if "/" in item or not LOCALE_FILE.match(item):
            continue
        status = ctypes.c_int(0)
        system = open_system(item.removesuffix(".res").encode(), ctypes.byref(status))
        if status.value > 0 or not system:  # U_ZERO_ERROR is 0, warnings are negative
            raise IcuTrimError(f"ICU could not tell the digits of {item} (error {status.value})")
        if name_of(system) != b"latn":
            languages.add(language(item))
        close(system)
    if not languages:
        raise IcuTrimError("ICU names no locale with non-Latin digits: not the data this trim expects")
    return frozenset(languages)


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
    digit_languages = non_latin_digit_languages(
        library, symbol.removeprefix("icudt").removesuffix("_dat"), items
    )
    gone = [item for item in items if removed(item, digit_languages)]
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
