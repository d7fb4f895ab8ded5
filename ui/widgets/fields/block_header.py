"""The top of the inspector: the block's icon and colour, its title, what it does and the reference link."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.blocks.catalog import KindInfo
from desktop.paths import resource_path
from ui.icons import device_pixmap
from ui.widgets.fields.base import help_label
from ui.widgets.fields.collapsible import Collapsible
from ui.widgets.link_label import LinkLabel

ICON_SIZE = 32


def kind_pixmap(info: KindInfo, size: int, device_ratio: float = 1.0) -> QPixmap:
    """The kind's SVG icon on a square of its colour; the instruction's first letters without an icon."""
    pixmap = device_pixmap(size, size, device_ratio)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(info.colour))
    painter.drawRoundedRect(QRectF(0, 0, size, size), size / 5, size / 5)
    renderer = QSvgRenderer(str(resource_path("icons", info.icon)))
    if renderer.isValid():
        # The icons are black line drawings: drawn white here, on the kind's colour, as on the block face.
        inset = round(size * device_ratio / 6)
        side = round(size * device_ratio) - 2 * inset
        lines = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        lines.fill(Qt.GlobalColor.transparent)
        lines_painter = QPainter(lines)
        renderer.render(lines_painter, QRectF(0, 0, side, side))
        lines_painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        lines_painter.fillRect(lines.rect(), QColor("white"))
        lines_painter.end()
        lines.setDevicePixelRatio(device_ratio)
        painter.drawImage(QPointF(inset / device_ratio, inset / device_ratio), lines)
    else:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(round(size * 0.4))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        letters = info.kind.value[:2].upper() if info.kind.is_instruction else info.kind.value[:1].upper()
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, letters)
    painter.end()
    return pixmap


class BlockHeader(QFrame):
    """Icon, title and kind of the block, its one-line purpose, the longer explanation and the reference."""

    def __init__(self, info: KindInfo, explanation_open: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BlockHeader")
        # The kind's colour as a bar on the left, as on the block's face in the canvas.
        self.setStyleSheet(
            f"QFrame#BlockHeader {{ border: none; border-left: 5px solid {info.colour}; padding-left: 8px; }}"
        )
        icon = QLabel(self)
        icon.setObjectName("BlockIcon")
        icon.setPixmap(kind_pixmap(info, ICON_SIZE, self.devicePixelRatioF()))
        icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        icon.setAccessibleName(info.title)
        self.title = QLabel(info.title, self)
        self.title.setObjectName("BlockTitle")
        self.title.setWordWrap(True)
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        self.title.setFont(title_font)
        # The instruction's name and its palette group, each only when it adds to the title.
        words = [info.kind.value] if info.kind.is_instruction else []
        if info.group_title not in (info.title, *words):
            words.append(info.group_title)
        self.kind_label = help_label(" · ".join(words), self)
        self.kind_label.setObjectName("BlockKind")
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.kind_label)
        top.addLayout(names, 1)
        self.what = QLabel(info.what, self)
        self.what.setObjectName("BlockWhat")
        self.what.setWordWrap(True)
        self.explanation = Collapsible(self.tr("Tell me more"), "Explanation", self)
        text = QLabel(info.explanation, self.explanation.body)
        text.setObjectName("BlockExplanation")
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.body_layout.addWidget(text)
        if info.deprecation:
            self.explanation.body_layout.addWidget(help_label(info.deprecation, self.explanation.body))
        self.explanation.set_open(explanation_open)
        reference_for = self.tr("Dockerfile reference for {kind}").format(kind=info.kind.value)
        self.link = LinkLabel(info.link, self.tr("Dockerfile reference"), reference_for, self)
        self.link.setObjectName("ReferenceLink")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.what)
        layout.addWidget(self.explanation)
        # The reference link shares the line of "Tell me more": the header stays short in a small panel.
        self.explanation.add_to_title(self.link)

    def focus_widgets(self) -> list[QWidget]:
        return [self.explanation.button, self.link]
