"""Saving the charts: the panel's charts as one PNG picture."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget


def export_png(charts: QWidget, path: Path) -> QSize:
    """Saves what ``charts`` shows (at the screen's pixel ratio) as a PNG file; returns its size in pixels.

    Raises:
        OSError: when the file cannot be written.
    """
    picture = charts.grab()
    image = picture.toImage()
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return image.size()
