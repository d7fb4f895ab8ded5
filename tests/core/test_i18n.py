"""The text loader: locale from argument or environment, English filling every gap, caching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.i18n import clear_cache, format_count, format_text, load_texts, locale_candidates


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def _write(root: Path, name: str, data: object) -> None:
    (root / name).write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def texts_root(tmp_path: Path) -> Path:
    _write(tmp_path, "t.en.json", {"hello": "Hello", "nested": {"a": "A", "b": "B"}, "colour": "#ffffff"})
    _write(tmp_path, "t.fr.json", {"hello": "Bonjour", "nested": {"a": "À"}, "colour": 5, "extra": "en plus"})
    return tmp_path


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de_AT.UTF-8", ("de_AT", "de", "en")),
        ("pt-BR", ("pt_BR", "pt", "en")),
        ("fr", ("fr", "en")),
        ("en_GB", ("en_GB", "en")),
        ("C", ("en",)),
        ("POSIX", ("en",)),
        ("", ("en",)),
        ("sr_RS@latin", ("sr_RS", "sr", "en")),
    ],
)
def test_locale_candidates_from_argument(locale, expected):
    assert locale_candidates(locale, environ={"LANG": "ja_JP.UTF-8"}) == expected


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANGUAGE": "fr:de", "LANG": "it_IT"}, ("fr", "de", "en")),
        ({"LC_ALL": "es_ES.UTF-8", "LC_MESSAGES": "it", "LANG": "de"}, ("es_ES", "es", "en")),
        ({"LC_MESSAGES": "it_IT", "LANG": "de"}, ("it_IT", "it", "en")),
        ({"LANG": "nl_NL.UTF-8"}, ("nl_NL", "nl", "en")),
        ({"LANGUAGE": "", "LANG": "nl"}, ("nl", "en")),
        ({}, ("en",)),
    ],
)
def test_locale_candidates_from_environment(environ, expected):
    assert locale_candidates(None, environ=environ) == expected


def test_translation_is_laid_over_english(texts_root):
    texts = load_texts("t", "fr_FR.UTF-8", root=texts_root)
    assert texts["hello"] == "Bonjour"
    assert texts["nested"] == {"a": "À", "b": "B"}  # a missing key comes from English
    assert texts["colour"] == "#ffffff"  # a value of the wrong type keeps English
    assert texts["extra"] == "en plus"


def test_unknown_locale_falls_back_to_english(texts_root):
    assert load_texts("t", "xx", root=texts_root) == {
        "hello": "Hello",
        "nested": {"a": "A", "b": "B"},
        "colour": "#ffffff",
    }


def test_broken_translation_falls_back_to_english(tmp_path):
    _write(tmp_path, "t.en.json", {"hello": "Hello"})
    (tmp_path / "t.de.json").write_text("{not json", encoding="utf-8")
    _write(tmp_path, "t.it.json", ["not", "an", "object"])
    assert load_texts("t", "de", root=tmp_path) == {"hello": "Hello"}
    assert load_texts("t", "it", root=tmp_path) == {"hello": "Hello"}


def test_locale_comes_from_the_environment(texts_root, monkeypatch):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert load_texts("t", root=texts_root)["hello"] == "Bonjour"
    monkeypatch.setenv("LANGUAGE", "xx:yy")
    assert load_texts("t", root=texts_root)["hello"] == "Hello"


def test_missing_english_file_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nothing\.en\.json"):
        load_texts("nothing", "en", root=tmp_path)


def test_texts_are_cached_until_cleared(texts_root):
    first = load_texts("t", "fr", root=texts_root)
    assert load_texts("t", "fr", root=texts_root) is first
    _write(texts_root, "t.fr.json", {"hello": "Salut"})
    assert load_texts("t", "fr", root=texts_root)["hello"] == "Bonjour"
    clear_cache()
    assert load_texts("t", "fr", root=texts_root)["hello"] == "Salut"


def test_english_file_is_not_changed_by_a_translation(texts_root):
    load_texts("t", "fr", root=texts_root)
    assert load_texts("t", "en", root=texts_root)["nested"] == {"a": "A", "b": "B"}


def test_bundled_topics_fall_back_to_english():
    for topic in ("blocks", "validation"):
        assert load_texts(topic, "xx") == load_texts(topic, "en")


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("Copy {sources} into {dest}", {"sources": "a", "dest": "/b"}, "Copy a into /b"),
        ("Hello {nmae}", {"name": "x"}, "Hello {nmae}"),  # a misspelt placeholder stays visible
        ("Broken { brace", {}, "Broken { brace"),
        ("Port {port:>5}", {"port": 80}, "Port    80"),
        ("{0} positional", {}, "{0} positional"),
    ],
)
def test_format_text_never_fails(template, values, expected):
    assert format_text(template, **values) == expected


def test_a_count_of_one_takes_the_singular_text_when_there_is_one() -> None:
    texts = {"made": "{count} replicas of {name}", "made_one": "1 replica of {name}", "other": "{count} x"}
    assert format_count(texts, "made", 1, name="web") == "1 replica of web"
    assert format_count(texts, "made", 3, name="web") == "3 replicas of web"
    assert format_count(texts, "other", 1) == "1 x"  # no singular form: the plural text, filled


# English texts with a {count} that are never said of exactly one thing, or read well with "1":
# (file topic, key) -> why no "_one" form is needed.
COUNTS_WITHOUT_SINGULAR = {
    ("build_window", "log.matches"): "one match is log.one_match",
    ("build_window", "log.lines"): "one line is log.one_line",
    ("build_window", "large.text"): "said of a build folder with thousands of files",
    ("instances", "action.launch"): '"Launch 1 more like this" reads well',
    ("instances", "confirm.remove"): "asked only when two or more instances are removed",
    ("instances", "confirm.more"): '"and 1 more" reads well',
    ("run", "port.count"): "said only when two or more instances are started",
    ("validation", "legacy_many"): "said only of two or more name=value pairs",
}


def test_every_english_text_about_a_count_has_a_singular_form_or_a_reason() -> None:
    folder = Path(__file__).resolve().parents[2] / "resources" / "i18n"
    lacking = set()
    for path in folder.glob("*.en.json"):
        topic = path.name.removesuffix(".en.json")
        texts = json.loads(path.read_text(encoding="utf-8"))
        for key, text in texts.items():
            singular = key.endswith("_one") or f"{key}_one" in texts
            if isinstance(text, str) and "{count}" in text and not singular:
                lacking.add((topic, key))
    # "1 replicas", "Removed 1 stopped instances": each such text needs its "_one" form (format_count).
    assert lacking == set(COUNTS_WITHOUT_SINGULAR)
