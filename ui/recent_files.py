"""The list of recent projects, kept in QSettings under ``files/recent``, newest first.

The start page reads it for its first picture, before the File menu's work (:mod:`ui.files`, with the
recovery copies and file dialogs it brings) is loaded; :class:`ui.files.ProjectFiles` keeps it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "files/recent"
MAX_RECENT = 10


def stored_recent(settings: QSettings) -> list[Path]:
    """The paths stored, newest first, without duplicates (at most :data:`MAX_RECENT`; gone ones too)."""
    raw = settings.value(RECENT_KEY, [])
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    out: list[Path] = []
    for item in items:
        if isinstance(item, str) and item and Path(item) not in out:
            out.append(Path(item))
    return out[:MAX_RECENT]


def existing_recent(settings: QSettings) -> list[Path]:
    """The stored paths whose files are still there, newest first."""
    return [path for path in stored_recent(settings) if path.exists()]


def store_recent(settings: QSettings, paths: list[Path]) -> None:
    """Keep these paths as the recent ones (the first :data:`MAX_RECENT`)."""
    settings.setValue(RECENT_KEY, [str(p) for p in paths[:MAX_RECENT]])
