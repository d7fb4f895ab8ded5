"""Prints, as JSON, what Qt answers through ICU: collation, locale case mapping, time zone names.

Run by test_icu_trim.py twice, with PySide6's own ICU data and with the bundle's trimmed one, which must
give the same answers. It also says which libicudata file the process mapped, so the test knows the
library it meant to try is the one that answered.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QCollator, QDateTime, QLocale, QTimeZone

WORDS = ["Zebra", "été", "apple", "Été", "zoo", "eta", "Äpfel", "ångström", "ẞ", "a"]
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Lord_Howe")
NAME_TYPES = (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName, QTimeZone.NameType.OffsetName)


def answers() -> dict[str, object]:
    result: dict[str, object] = {}
    for locale_name in ("en_US", "de_DE", "sv_SE", "tr_TR", "fr_FR"):
        collator = QCollator(QLocale(locale_name))
        result[f"sort {locale_name}"] = sorted(WORDS, key=collator.sortKey)
        collator.setCaseSensitivity(collator.caseSensitivity().CaseInsensitive)
        result[f"compare {locale_name}"] = [collator.compare("été", "ETE"), collator.compare("a", "Z")]
    for locale_name in ("en_US", "tr_TR", "de_DE", "lt_LT"):
        locale = QLocale(locale_name)
        result[f"case {locale_name}"] = [locale.toUpper("straße istanbul"), locale.toLower("İSTANBUL DIŞ")]
    moment = QDateTime.fromSecsSinceEpoch(1_780_000_000, QTimeZone.utc())
    for zone_id in ZONES:
        zone = QTimeZone(QByteArray(zone_id.encode()))
        names = [
            zone.displayName(moment, kind, QLocale(name))
            for name in ("en_US", "de_DE", "ja_JP")
            for kind in NAME_TYPES
        ]
        result[f"zone {zone_id}"] = [zone.isValid(), zone.offsetFromUtc(moment), *names]
    maps = Path("/proc/self/maps").read_text().splitlines()
    result["icu data mapped"] = sorted({line.split()[-1] for line in maps if "libicudata" in line})
    return result


if __name__ == "__main__":
    print(json.dumps(answers(), ensure_ascii=False, indent=1))
