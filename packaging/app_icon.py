"""Makes the installers' icon files from resources/icons/dockblocks.svg, at build time.

    python packaging/app_icon.py ico  build/icons/dockblocks.ico    (Windows: setup, shortcuts, documents)
    python packaging/app_icon.py icns build/icons/Dockblocks.icns   (macOS: the .app and its documents)

The icons are generated, not committed, so they can never drift from the SVG the window itself uses. Qt draws
the SVG (PySide6 is already a dependency; the offscreen platform needs no screen); both containers are packed
here by hand because they are simple: a directory of PNG images, which Windows (since Vista) and macOS (since
10.7) read directly. No Pillow, no iconutil: the same code runs, and is tested, on Linux.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "dockblocks.svg"

# Windows picks the nearest size for each place (16 in lists, 32 on the desktop, 256 in large views).
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# macOS: the PNG-carrying types, by pixel size (the @2x types share a size with the next 1x type).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16 pt @2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32 pt @2x
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),  # 128 pt @2x
    (b"ic09", 512),
    (b"ic14", 512),  # 256 pt @2x
    (b"ic10", 1024),  # 512 pt @2x
)


def render_png(size: int, svg: Path = SVG) -> bytes:
    """The SVG drawn on a transparent square of ``size`` pixels, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        _keep.append(QGuiApplication([sys.argv[0]]))
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"app_icon: {svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


_keep: list[object] = []  # the QGuiApplication, alive until the process ends


def pack_ico(images: dict[int, bytes]) -> bytes:
    """An .ico file holding one PNG per size (ICONDIR, one ICONDIRENTRY each, then the images)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries = b""
    for size in sizes:
        png = images[size]
        side = 0 if size >= 256 else size  # 0 means 256 in the one-byte width and height fields
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + entries + b"".join(images[size] for size in sizes)


def pack_icns(images: dict[int, bytes]) -> bytes:
    """An .icns file: the 'icns' header, then one (type, length, PNG) element per entry of ICNS_TYPES."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the installers' icon files from the app's SVG.")
    parser.add_argument("format", choices=("ico", "icns"))
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    sizes = ICO_SIZES if args.format == "ico" else sorted({size for _, size in ICNS_TYPES})
    images = {size: render_png(size) for size in sizes}
    packed = pack_ico(images) if args.format == "ico" else pack_icns(images)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(packed)
    print(f"app_icon: wrote {args.output} ({len(packed)} bytes, sizes {', '.join(map(str, sizes))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
