"""The lint texts in resources/lint/: complete for the rules we promise, translatable, English as fallback."""

from __future__ import annotations

import json
import shutil
import string

import pytest

from desktop.lint.texts import load_texts
from desktop.paths import resource_path

REQUIRED = [
    "DL3006", "DL3007", "DL3008", "DL3009", "DL3013", "DL3015", "DL3018", "DL3020", "DL3025", "DL4006",
    "DL3002", "DL3003", "DL3059", "DL3000", "DL3004", "DL3014", "DL3016", "DL3019", "DL3042", "DL4000",
    "DL3022", "DL3023", "DL3024", "SC2086", "DB000", "DB001", "DB002", "DB003", "DB004", "DB005",
]  # fmt: skip
ALL_FIELDS = {
    "source": "app.py",
    "folder": "myapp",
    "instruction": "RUN",
    "features": "--mount",
    "name": "NAME",
    "index": "3",
    "count": "2",
    "last": "1",
    "path": "/x/hadolint",
    "seconds": "30",
}


def _english() -> dict:
    return json.loads(resource_path("lint", "rules.en.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", REQUIRED)
def test_promised_rules_have_their_own_words(code):
    texts = load_texts("en")
    assert texts.knows(code)
    rule = texts.rule(code)
    assert rule.title and rule.explanation
    assert rule.explanation.endswith(".")
    assert "\n" not in rule.explanation and rule.explanation == rule.explanation.strip()


def test_links():
    texts = load_texts("en")
    assert texts.rule("DL3006").link == "https://github.com/hadolint/hadolint/wiki/DL3006"
    assert texts.rule("DL3999").link == "https://github.com/hadolint/hadolint/wiki/DL3999"
    assert texts.rule("SC2086").link == "https://www.shellcheck.net/wiki/SC2086"
    assert texts.rule("DB000").link is None
    assert texts.rule("DB001").link.startswith("https://docs.docker.com/")


def test_unknown_codes_get_a_generic_explanation_by_source():
    texts = load_texts("en")
    assert not texts.knows("SC9999")
    assert "ShellCheck" in texts.rule("SC9999").explanation
    assert "hadolint" in texts.rule("DL9999").explanation


def test_every_rule_entry_is_complete():
    rules = _english()["rules"]
    assert len(rules) >= 60
    for code, entry in rules.items():
        assert set(entry) <= {"title", "explanation", "link", "messages"}, code
        assert entry["title"] and entry["explanation"], code


def test_every_message_fills_in_and_reads_as_a_sentence():
    texts = load_texts("en")
    english = _english()
    for code, entry in english["rules"].items():
        for variant, template in entry.get("messages", {}).items():
            names = {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field}
            assert names <= set(ALL_FIELDS), (code, variant, names - set(ALL_FIELDS))
            message = texts.message(code, variant, **ALL_FIELDS)
            assert "{" not in message and message.endswith("."), (code, variant)
    for key in english["hadolint_status"]:
        message = texts.status(key, **ALL_FIELDS)
        assert message.startswith("The Dockerfile checker (hadolint) could not run: ") and message.endswith(
            "."
        )


@pytest.mark.parametrize("locale", ["xx_YY", "C", "POSIX", "de_AT.UTF-8"])
def test_a_language_without_a_file_is_english(locale):
    assert load_texts(locale).rule("DL3006") == load_texts("en").rule("DL3006")


@pytest.fixture
def text_folder(tmp_path):
    shutil.copy(resource_path("lint", "rules.en.json"), tmp_path / "rules.en.json")
    return tmp_path


def test_a_translation_overlays_english_key_by_key(text_folder):
    translation = {
        "rules": {
            "DL3006": {"title": "Sag, welche Version des Images du willst"},
            "DB001": {"messages": {"missing": "{source} fehlt im Build-Ordner {folder}."}},
            "DL3007": {"title": ["not", "a", "text"]},  # a wrong type keeps English
            "ZZ0001": {"title": "a rule English does not have is ignored", "explanation": "x"},
        },
    }
    (text_folder / "rules.de.json").write_text(json.dumps(translation), encoding="utf-8")
    english, german = load_texts("en", text_folder), load_texts("de_DE.UTF-8", text_folder)
    assert german.rule("DL3006").title == "Sag, welche Version des Images du willst"
    assert german.rule("DL3006").explanation == english.rule("DL3006").explanation
    assert german.rule("DL3007") == english.rule("DL3007")
    assert not german.knows("ZZ0001")
    assert (
        german.message("DB001", "missing", source="a.py", folder="app") == "a.py fehlt im Build-Ordner app."
    )
    assert german.message("DB001", "pattern", source="*.js", folder="app") == english.message(
        "DB001", "pattern", source="*.js", folder="app"
    )


def test_a_translation_with_a_broken_placeholder_falls_back_to_english(text_folder):
    translation = {"rules": {"DB001": {"messages": {"missing": "{quelle} fehlt."}}}}
    (text_folder / "rules.fr.json").write_text(json.dumps(translation), encoding="utf-8")
    message = load_texts("fr", text_folder).message("DB001", "missing", source="a.py", folder="app")
    assert message == "a.py is not in the build folder app, so the build will stop here."


def test_a_broken_translation_file_is_ignored(text_folder):
    (text_folder / "rules.it.json").write_text("{ not json", encoding="utf-8")
    assert load_texts("it", text_folder).rule("DL3006") == load_texts("en", text_folder).rule("DL3006")


def test_english_missing_is_a_packaging_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_texts("en", tmp_path)
