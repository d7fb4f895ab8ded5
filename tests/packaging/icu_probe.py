"""Prints, as JSON, what Qt answers through ICU: collation, locale case mapping, time zone names.

Run by test_icu_trim.py twice, with PySide6's own ICU data and with the bundle's trimmed one, which must
give the same answers. It also says which libicudata file the process mapped, so the test knows the
library it meant to try is the one that answered.
"""

# ruff: noqa: RUF001 - letters and digits of many scripts, some looking like Latin ones, on purpose

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QCollator, QDateTime, QLocale, QTimeZone

WORDS = [
    "Zebra", "été", "apple", "Été", "zoo", "eta", "Äpfel", "ångström", "ẞ", "a", "file10", "file9",
    "Iğdır", "ılık", "İzmir", "chata", "cena", "hrad", "čaj", "šála", "ll", "lz", "ñu", "nz",
    "كتاب", "پدر", "گل", "ب", "日本", "にほん", "ニホン", "漢字", "中文", "中國", "한국",
    "Ωμέγα", "Яблоко", "ёж",
    "नमस्ते", "ক", "ไทย", "שלום", "1", "١", "۱", "১",
]  # fmt: skip
ZONES = (
    "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Lord_Howe", "Asia/Tehran",
    "Asia/Kolkata", "Asia/Dhaka", "Asia/Riyadh", "Europe/Istanbul", "America/Sao_Paulo", "Pacific/Chatham",
    "Etc/GMT-3", "UTC",
)  # fmt: skip
NAME_TYPES = (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName, QTimeZone.NameType.OffsetName)
# Every locale the probe asks in: scripts, digits and case rules of all kinds. Non-Latin default digits:
# ar (Arabic-Indic), fa (Persian), bn (Bengali), mr and ne (Devanagari), my (Myanmar).
LOCALES = (
    "en_US", "de_DE", "sv_SE", "tr_TR", "az_AZ", "fr_FR", "lt_LT", "el_GR", "nl_NL", "cs_CZ", "es_ES",
    "pl_PL", "ru_RU", "ar_EG", "ar_SA", "fa_IR", "he_IL", "hi_IN", "bn_BD", "mr_IN", "ne_NP", "my_MM",
    "th_TH", "ja_JP", "zh_CN", "zh_Hant_TW", "ko_KR",
)  # fmt: skip


def answers() -> dict[str, object]:
    result: dict[str, object] = {}
    for locale_name in LOCALES:
        collator = QCollator(QLocale(locale_name))
        result[f"sort {locale_name}"] = sorted(WORDS, key=collator.sortKey)
        collator.setCaseSensitivity(collator.caseSensitivity().CaseInsensitive)
        result[f"compare {locale_name}"] = [collator.compare("été", "ETE"), collator.compare("a", "Z")]
        collator.setNumericMode(True)
        result[f"numeric {locale_name}"] = [collator.compare("file10", "file9"), collator.compare("2", "١٠")]
        locale = QLocale(locale_name)
        result[f"case {locale_name}"] = [
            locale.toUpper("straße istanbul ǆ ﬁ ὀδυσσεύς i̇"),
            locale.toLower("İSTANBUL DIŞ ΟΔΥΣΣΕΥΣ Ì"),
        ]
    moment = QDateTime.fromSecsSinceEpoch(1_780_000_000, QTimeZone.utc())
    winter = QDateTime.fromSecsSinceEpoch(1_767_000_000, QTimeZone.utc())
    for zone_id in ZONES:
        zone = QTimeZone(QByteArray(zone_id.encode()))
        names = [
            zone.displayName(when, kind, QLocale(name))
            for name in LOCALES
            for when in (moment, winter)
            for kind in NAME_TYPES
        ]
        result[f"zone {zone_id}"] = [zone.isValid(), zone.offsetFromUtc(moment), *names]
    maps = Path("/proc/self/maps").read_text().splitlines()
    result["icu data mapped"] = sorted({line.split()[-1] for line in maps if "libicudata" in line})
    return result


if __name__ == "__main__":
    print(json.dumps(answers(), ensure_ascii=False, indent=1))
