"""The user-facing texts of project files, from ``resources/i18n/project.<language>.json``."""

from __future__ import annotations

import json
from typing import Any

from desktop.i18n import format_text, load_texts

_TOPIC = "project"
_SHOWN_LENGTH = 40


def say(key: str, /, **values: Any) -> str:
    """One message, in the user's language, with its placeholders filled."""
    texts = load_texts(_TOPIC)
    template = texts.get(key)
    return format_text(template if isinstance(template, str) else key, **values)


def shown(value: str | int | float) -> str:
    """A short value as a message may quote it: JSON-like, shortened, unprintable characters escaped."""
    text = json.dumps(value[: _SHOWN_LENGTH * 2] if isinstance(value, str) else value, ensure_ascii=False)
    if len(text) > _SHOWN_LENGTH:
        text = text[: _SHOWN_LENGTH - 1] + "…"
    # A lone surrogate cannot be displayed or encoded: show it as an escape instead.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
