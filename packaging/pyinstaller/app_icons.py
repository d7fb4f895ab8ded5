"""Renders the app icon (resources/icons/dockblocks.svg) into the files each platform's installer wants.

    python packaging/pyinstaller/app_icons.py OUTPUT_FOLDER

writes ``hicolor/<size>x<size>/apps/dockblocks.png`` for the Linux icon theme (16 … 512 pixels),
``dockblocks.ico`` (Windows: several sizes in one file) and ``dockblocks.icns`` (macOS). Qt renders the SVG
(QtSvg, offscreen) and writes ICO and ICNS with its own image plugins, so the build needs nothing beyond the
PySide6 it bundles anyway. Generated at build time, never committed: the SVG stays the one source.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "resources" / "icons" / "dockblocks.svg"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest size an ICO entry can say it has
ICNS_SIZE = 512  # Qt's ICNS writer stores one image; macOS scales it for the Dock and Finder


def render_icons(output: Path) -> list[Path]:
    """Writes every icon file into ``output`` and returns their paths.

    Raises:
        RuntimeError: the SVG could not be read, or Qt could not write a format (a missing image plugin).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise RuntimeError(f"could not read the icon {SVG}")

    def image(size: int) -> QImage:
        picture = QImage(QSize(size, size), QImage.Format.Format_ARGB32)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        return picture

    def write(picture: QImage, path: Path, fmt: bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = QImageWriter(str(path), fmt)
        if not writer.write(picture):
            raise RuntimeError(f"could not write {path}: {writer.errorString()}")
        return path

    written = [
        write(image(size), output / "hicolor" / f"{size}x{size}" / "apps" / "dockblocks.png", b"png")
        for size in HICOLOR_SIZES
    ]
    # Qt's ICO writer takes one image per call; an ICO with several sizes is assembled from PNG entries.
    written.append(_write_ico([image(size) for size in ICO_SIZES], output / "dockblocks.ico"))
    written.append(write(image(ICNS_SIZE), output / "dockblocks.icns", b"icns"))
    return written


def _write_ico(images: list[QImage], path: Path) -> Path:
    """An ICO file whose entries are PNG images (read by Windows Vista and later)."""
    import struct

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    blobs: list[tuple[int, bytes]] = []
    for picture in images:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        picture.save(buffer, "PNG")
        blobs.append((picture.width(), bytes(data.data())))
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = len(header) + 16 * len(blobs)
    entries, payload = b"", b""
    for size, blob in blobs:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(payload))
        payload += blob
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + entries + payload)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: app_icons.py OUTPUT_FOLDER")
    for made in render_icons(Path(sys.argv[1])):
        print(made)
