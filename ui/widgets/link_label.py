"""A link to a web page ("Dockerfile reference ↗", "More ↗") that the keyboard reaches and shows.

A plain ``QLabel`` holding a link takes the keyboard by Tab and opens the page with Enter, but the Fusion
style draws nothing to show it has the keyboard: someone working without a mouse lost their place at the
links of the block settings. This one draws a ring in the selection colour around its words while it has
the keyboard.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QLabel, QWidget

RING_WIDTH = 2.0


class LinkLabel(QLabel):
    """``text ↗`` linking to ``url``, opened in the browser by a click or Enter, its address as tooltip."""

    def __init__(self, url: str, text: str, accessible_name: str, parent: QWidget | None = None) -> None:
        self._words = f"{text} ↗"
        super().__init__(f"<a href='{html.escape(url)}'>{html.escape(self._words)}</a>", parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setAccessibleName(accessible_name)
        self.setToolTip(url)
        self.setContentsMargins(round(RING_WIDTH * 2), 0, round(RING_WIDTH * 2), 0)  # room for the ring

    def ring_rect(self) -> QRectF:
        """Where the focus ring goes: around the words, inside the label."""
        area = self.contentsRect()
        width = self.fontMetrics().boundingRect(self._words).width()
        left = area.right() - width if self.alignment() & Qt.AlignmentFlag.AlignRight else area.left()
        ring = QRectF(left, area.top(), width, self.fontMetrics().height())
        ring.adjust(-RING_WIDTH, -RING_WIDTH / 2, RING_WIDTH * 2, RING_WIDTH / 2)
        return ring.intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.hasFocus():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), RING_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.ring_rect(), 3, 3)
        painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
