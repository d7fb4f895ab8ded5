"""The words the lint module shows: rule titles, explanations, links and messages, from resources/lint/.

English lives in ``rules.en.json``; a translation ``rules.<lang>.json`` may hold any subset of its keys.
Loading and the key-by-key English fallback are :mod:`desktop.i18n`'s; this module knows the file's layout.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop import i18n
from desktop.lint.findings import Source, source_of
from desktop.paths import resource_path

_LOG = logging.getLogger(__name__)
_TOPIC = "rules"
_FOLDER = "lint"


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
        # Only rules English knows: a translation cannot invent a rule without its English original.
        self._known: dict[str, Any] = {
            code: entry for code, entry in texts["rules"].items() if code in english["rules"]
        }

    def rule(self, code: str) -> RuleText:
        """The title, explanation and link of a rule; a generic text for codes we have not written up."""
        source = source_of(code)
        entry = self._known.get(code) or self._texts["fallback"][source.value]
        return RuleText(str(entry["title"]), str(entry["explanation"]), self._link(code, entry, source))

    def knows(self, code: str) -> bool:
        """Whether the rule has its own explanation (not the generic one)."""
        return code in self._known

    def rule_codes(self) -> list[str]:
        """Every code with its own explanation."""
        return sorted(self._known)

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
        except (KeyError, IndexError, ValueError, AttributeError):
            # A translation with a broken placeholder must not garble the message: say it in English.
            _LOG.warning("lint text %s has a broken placeholder in this language", ".".join(keys))
            return i18n.format_text(str(_dig(self._english, keys)), **fields)


def _dig(tree: dict[str, Any], keys: tuple[str, ...]) -> Any:
    node: Any = tree
    for key in keys:
        node = node[key]
    return node


def load_texts(locale: str | None = None, root: Path | None = None) -> LintTexts:
    """The lint texts for a locale (``de``, ``pt_BR``, ``fr_FR.UTF-8``), English where it has none.

    Args:
        locale: the user's language; None reads it from the environment as :mod:`desktop.i18n` does.
        root: the folder with the ``rules.<lang>.json`` files; ``resources/lint`` by default (tests pass
            their own).

    Raises:
        FileNotFoundError: the English file is missing (a broken installation).
    """
    folder = root if root is not None else resource_path(_FOLDER)
    english = i18n.load_texts(_TOPIC, i18n.FALLBACK_LOCALE, root=folder)
    return LintTexts(i18n.load_texts(_TOPIC, locale, root=folder), english)
