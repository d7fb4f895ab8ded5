"""The words the lint module shows: rule titles, explanations, links and messages, from resources/lint/.

English lives in ``rules.en.json``; a translation ``rules.<lang>.json`` may hold any subset of its keys,
and whatever it lacks (or gets wrong) falls back to English, key by key.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.lint.findings import Source, source_of
from desktop.paths import resource_path

_LOG = logging.getLogger(__name__)
_FOLDER = "lint"
_ENGLISH = "en"


@dataclass(frozen=True)
class RuleText:
    """What a rule code means, for a beginner."""

    title: str
    explanation: str
    link: str | None


class LintTexts:
    """Rule texts and messages in one language, with English under every key."""

    def __init__(self, texts: dict[str, Any], english: dict[str, Any]) -> None:
        self._texts = texts
        self._english = english

    def rule(self, code: str) -> RuleText:
        """The title, explanation and link of a rule; a generic text for codes we have not written up."""
        source = source_of(code)
        entry = self._texts["rules"].get(code) or self._texts["fallback"][source.value]
        return RuleText(str(entry["title"]), str(entry["explanation"]), self._link(code, entry, source))

    def knows(self, code: str) -> bool:
        """Whether the rule has its own explanation (not the generic one)."""
        return code in self._texts["rules"]

    def rule_codes(self) -> list[str]:
        """Every code with its own explanation."""
        return sorted(self._texts["rules"])

    def message(self, code: str, variant: str, **fields: object) -> str:
        """One of our own messages (``rules.<code>.messages.<variant>``), filled in."""
        return self._format(("rules", code, "messages", variant), fields)

    def status(self, key: str, **fields: object) -> str:
        """A message about the hadolint run (``hadolint_status.<key>``), filled in."""
        return self._format(("hadolint_status", key), fields)

    def _link(self, code: str, entry: dict[str, Any], source: Source) -> str | None:
        if "link" in entry:
            return str(entry["link"]) if entry["link"] else None
        pattern = self._texts["links"].get(source.value)
        return str(pattern).format(code=code) if pattern else None

    def _format(self, keys: tuple[str, ...], fields: dict[str, object]) -> str:
        template = _dig(self._texts, keys)
        try:
            return str(template).format(**fields)
        except (KeyError, IndexError, ValueError):
            # A translation with a broken placeholder must not hide the message: say it in English.
            _LOG.warning("lint text %s has a broken placeholder in this language", ".".join(keys))
            return str(_dig(self._english, keys)).format(**fields)


def _dig(tree: dict[str, Any], keys: tuple[str, ...]) -> Any:
    node: Any = tree
    for key in keys:
        node = node[key]
    return node


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with every key ``override`` has (and of a matching type) replaced, recursively."""
    merged = dict(base)
    for key, value in override.items():
        if key not in base:
            continue  # a translation cannot add rules English does not know
        if isinstance(base[key], dict) and isinstance(value, dict):
            merged[key] = _merge(base[key], value)
        elif isinstance(value, str) and isinstance(base[key], str):
            merged[key] = value
    return merged


def locale_candidates(locale: str | None) -> list[str]:
    """File suffixes to try for a locale, most specific first: ``pt_BR.UTF-8`` gives pt_BR, pt."""
    if not locale:
        return []
    name = locale.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if not name or name.lower() in ("c", "posix"):
        return []
    language = name.split("_", 1)[0].lower()
    out = [name] if name.lower() != language else []
    return [*out, language]


def _read(folder: Path, suffix: str) -> dict[str, Any] | None:
    path = folder / f"rules.{suffix}.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold a JSON object")
    return data


def load_texts(locale: str | None = None, root: Path | None = None) -> LintTexts:
    """The lint texts for a locale (``de``, ``pt_BR``, ``fr_FR.UTF-8``), English where it has none.

    Args:
        locale: the user's language; None or ``C`` means English.
        root: the folder with the ``rules.<lang>.json`` files; ``resources/lint`` by default (tests pass
            their own).

    Raises:
        FileNotFoundError: the English file is missing (a broken installation).
    """
    return _load(locale, root if root is not None else resource_path(_FOLDER))


@functools.cache
def _load(locale: str | None, folder: Path) -> LintTexts:
    english = _read(folder, _ENGLISH)
    if english is None:
        raise FileNotFoundError(f"Dockblocks resource not found: {folder / f'rules.{_ENGLISH}.json'}")
    texts = english
    for suffix in reversed(locale_candidates(locale)):
        if suffix == _ENGLISH:
            continue
        try:
            translation = _read(folder, suffix)
        except (OSError, ValueError) as error:  # a broken translation must not break linting
            _LOG.warning("ignoring lint translation %s: %s", suffix, error)
            continue
        if translation is not None:
            texts = _merge(texts, translation)
    return LintTexts(texts, english)
