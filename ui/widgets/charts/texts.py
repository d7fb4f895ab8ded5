"""The sentences of the charts, from ``resources/i18n/charts.<language>.json``."""

from __future__ import annotations

from typing import Any

from desktop.i18n import format_text, load_texts

TOPIC = "charts"


def say(key: str, /, **values: Any) -> str:
    """One text in the user's language with its placeholders filled (the key itself if it is missing)."""
    template = load_texts(TOPIC).get(key)
    return format_text(template if isinstance(template, str) else key, **values)
