"""The Linux bundle's trimmed ICU data answers Qt exactly as PySide6's full data does.

packaging/pyinstaller/trim_icu.py rebuilds libicudata without the items Qt never reads. The proof runs
tests/packaging/icu_probe.py (QCollator sorts, compares and numeric mode, QLocale case mapping, QTimeZone
names, in 27 locales of many scripts, among them ar, fa, bn, tr, lt, de, sv, ja and zh_Hant) with the
wheel's libraries, then with the rebuilt data library, then with the bundle's own ICU and QtCore libraries
preloaded (the exact files shipped), and compares. The frozen bundle itself also has to pass its smoke
test (build-packages.sh runs it before packing).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from linux_packages import DIST, REPO, built_packages, why_not_buildable

sys.path.insert(0, str(REPO / "packaging" / "pyinstaller"))
from trim_icu import removed, trim

PROBE = Path(__file__).with_name("icu_probe.py")
MAPPED = "icu data mapped"
WHEEL_QT_LIB = Path(str(__import__("PySide6").__file__)).parent / "Qt" / "lib"
BUNDLE_QT_LIB = DIST / "dockblocks" / "_internal" / "PySide6" / "Qt" / "lib"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the trim is done on Linux")


def probe(*preloaded: Path) -> dict[str, object]:
    env = {**os.environ, "LD_PRELOAD": " ".join(str(path) for path in preloaded)} if preloaded else None
    done = subprocess.run(
        [sys.executable, str(PROBE)], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    answers: dict[str, object] = json.loads(done.stdout)
    return answers


def test_only_what_qt_never_reads_is_removed() -> None:
    digits = frozenset({"ar", "fa", "bn"})
    for item in (
        "unit/en.res",
        "curr/de.res",
        "lang/fr.res",
        "region/ja.res",
        "translit/root.res",
        "rbnf/en.res",
        "ibm-1047_P100-1995.cnv",
        "brkitr/root.res",
        "brkitr/thaidict.dict",
        "de.res",
        "de_DE.res",
        "zh_Hant_TW.res",
        "en_US_POSIX.res",
        "sr_Latn_BA.res",
        "unames.icu",
        "uts46.nrm",
        "rfc3491.spp",
        "confusables.cfu",
        "confusablesWholeScript.cfu",
        "langInfo.res",
    ):
        assert removed(item, digits), item
    for item in (
        "coll/root.res",
        "coll/ucadata.icu",
        "coll/sv.res",
        "coll/de.res",
        "zone/de.res",
        "zone/root.res",
        "zoneinfo64.res",
        "metaZones.res",
        "timezoneTypes.res",
        "supplementalData.res",
        "likelySubtags.res",
        "metadata.res",
        "keyTypeData.res",
        "numberingSystems.res",
        "cnvalias.icu",
        "root.res",
        "pool.res",
        "res_index.res",
        "nfkc.nrm",
        "ar.res",
        "ar_EG.res",
        "ar_MA.res",  # Latin digits, but without it ar_MA would take ar's Arabic-Indic ones
        "fa_IR.res",
        "bn.res",
    ):
        assert not removed(item, digits), item


@linux_only
@pytest.mark.skipif(
    shutil.which("icupkg") is None or shutil.which("gcc") is None, reason="needs icu-devtools and gcc"
)
def test_the_trimmed_data_gives_qt_the_same_answers(tmp_path: Path) -> None:
    original = WHEEL_QT_LIB / "libicudata.so.73"
    if not original.is_file():
        pytest.skip(f"this PySide6 ships no {original.name}")
    trimmed = trim(original, tmp_path)
    assert trimmed.stat().st_size < original.stat().st_size * 0.6
    full, small = probe(), probe(trimmed)
    assert full.pop(MAPPED) == [str(original.resolve())]
    assert small.pop(MAPPED) == [str(trimmed)]
    assert small == full
    swedish = full["sort sv_SE"]
    assert isinstance(swedish, list)
    assert swedish.index("ångström") > swedish.index("zoo") < swedish.index("Äpfel")  # Swedish: å, ä last
    # Turkish: dotted capital I lowers to i, plain I to the dotless i (U+0131).
    assert full["case tr_TR"][1].startswith("istanbul d\u0131ş")  # type: ignore[index]
    # A zone name with Persian digits: the per-locale files of languages with non-Latin digits stayed.
    assert any("\u06f9" in str(name) for name in full["zone Asia/Tokyo"])  # type: ignore[attr-defined]
    assert full["zone Europe/Berlin"][2] == "Central European Summer Time"  # type: ignore[index]


@linux_only
@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_the_bundle_ships_the_trimmed_data_and_it_gives_the_same_answers() -> None:
    reason = why_not_buildable()
    if reason is not None:
        pytest.skip(reason)
    built_packages()  # reuses dist/ when it was built from these inputs
    shipped = BUNDLE_QT_LIB / "libicudata.so.73"
    assert shipped.stat().st_size < (WHEEL_QT_LIB / shipped.name).stat().st_size * 0.6
    libraries = [
        BUNDLE_QT_LIB / name
        for name in ("libicudata.so.73", "libicuuc.so.73", "libicui18n.so.73", "libQt6Core.so.6")
    ]
    frozen, source = probe(*libraries), probe()
    assert frozen.pop(MAPPED) == [str(shipped)]
    source.pop(MAPPED)
    assert frozen == source
