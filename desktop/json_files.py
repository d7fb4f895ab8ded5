"""Reading small JSON files the program can live without (settings of other tools, templates, texts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``; None when the file is missing, unreadable, not JSON or not an object.

    The callers go on without it (a default, English texts, no template), so no error is raised.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
