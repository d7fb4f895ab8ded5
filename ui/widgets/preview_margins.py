"""The two margins of the Dockerfile text: the gutter on the left (line numbers, a coloured dot on lines with
problems, a stripe beside selected lines) and the explanation column on the right (each block's explanation
beside its first line, wrapped into the lines it may use, never over the code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from ui.highlight import is_dark
from ui.models.findings_model import severity_colour
from ui.theme import blend

if TYPE_CHECKING:
    from ui.widgets.preview_editor import DockerfileEditor

PAD = 8


@dataclass(frozen=True)
class Marker:
    """A problem badge in the gutter: the worst severity on the line and what to say on hover."""

    severity: str
    tooltip: str


@dataclass(frozen=True)
class Note:
    """An explanation beside the code: shown from line ``first`` down to ``last`` (1-based, inclusive)."""

    first: int
    last: int
    text: str
    full: str


class Gutter(QWidget):
    """Line numbers, problem dots and selection stripes, left of the code."""

    def __init__(self, editor: DockerfileEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setObjectName("PreviewGutter")
        self.setAccessibleName(self.tr("Line numbers and problem marks"))
        self.setMouseTracking(True)
        # It fills what it repaints: Qt need not paint the window, the splitters and the preview under it
        # first (six widgets for every edited line).
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        editor = self._editor
        palette = editor.palette()
        dark = is_dark(palette)
        base = palette.color(palette.ColorRole.Base)
        text = palette.color(palette.ColorRole.Text)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = event.rect()
        painter.fillRect(area, blend(base, text, 0.04))
        painter.setFont(editor.font())
        number_colour = blend(text, base, 0.45)
        current = editor.textCursor().blockNumber() + 1 if not editor.isReadOnly() else -1
        # An edit repaints its own lines; after one that adds or removes lines, every line below it. The
        # loop asks Qt as little as it can per line: the dictionaries and the line count are read once.
        accents, markers, count = editor.accents, editor.markers_by_line, editor.blockCount()
        number_width = self.width() - 14 - PAD / 2
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        pen = None
        for block, rect in editor.visible_blocks(area.top(), area.bottom()):
            line = block.blockNumber() + 1
            top, height = rect.top(), rect.height()
            accent = accents.get(line)
            if accent is not None:
                painter.fillRect(QRectF(0, top, 4, height), accent)
            marker = markers.get(line)
            if marker is not None:
                size = min(9.0, height * 0.55)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(severity_colour(marker.severity, dark))
                painter.drawEllipse(QRectF(7, top + (height - size) / 2, size, size))
                pen = None
            if line == count > 1 and not block.text():
                continue  # the empty line after the final line break: nothing to number
            wanted = text if line == current else number_colour
            if wanted is not pen:
                painter.setPen(wanted)
                pen = wanted
            painter.drawText(QRectF(14, top, number_width, height), align, str(line))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            marker = self._editor.marker_at(self._line_at(event.pos()))
            if marker is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), marker.tooltip, self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        line = self._line_at(event.position().toPoint())
        if line and event.button() == Qt.MouseButton.LeftButton:
            self._editor.lineChosen.emit(line, event.modifiers())

    def _line_at(self, point: QPoint) -> int:
        for block, rect in self._editor.visible_blocks():
            if rect.top() <= point.y() < rect.bottom():
                return block.blockNumber() + 1
        return 0


class ExplainColumn(QWidget):
    """Each block's explanation beside its first line, wrapped into the lines it may use, never over code."""

    def __init__(self, editor: DockerfileEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setObjectName("ExplainColumn")
        self.setAccessibleName(self.tr("Explanations of the lines"))
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # it fills what it repaints

    def note_font(self) -> QFont:
        """The application's proportional font (more words fit than in monospace), a bit smaller."""
        font = QFont(QApplication.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.95))
        return font

    def layout_notes(self) -> list[tuple[Note, QRectF, list[str]]]:
        """The notes in view: their band and the lines of text drawn in it (the last one elided)."""
        editor = self._editor
        rects = {block.blockNumber() + 1: rect for block, rect in editor.visible_blocks()}
        if not rects:
            return []
        shown = range(min(rects), max(rects) + 1)
        metrics = QFontMetricsF(self.note_font())
        width = self.width() - 2 * PAD
        out: list[tuple[Note, QRectF, list[str]]] = []
        for note in editor.notes:
            if note.last < shown.start or note.first > shown.stop - 1:
                continue
            top_line, bottom_line = max(note.first, shown.start), min(note.last, shown.stop - 1)
            if note.first < shown.start:
                continue  # its first line scrolled away: drawing it elsewhere would mislead
            band = QRectF(
                0, rects[top_line].top(), self.width(), rects[bottom_line].bottom() - rects[top_line].top()
            )
            out.append((note, band, _wrap(note.text, self.note_font(), metrics, width, band.height())))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self._editor.palette()
        base = palette.color(palette.ColorRole.Base)
        text = palette.color(palette.ColorRole.Text)
        painter = QPainter(self)
        painter.fillRect(event.rect(), blend(base, text, 0.05))
        painter.setPen(blend(base, text, 0.2))
        painter.drawLine(0, event.rect().top(), 0, event.rect().bottom())
        painter.setFont(self.note_font())
        metrics = QFontMetricsF(self.note_font())
        painter.setPen(blend(text, base, 0.18))
        for _note, band, lines in self.layout_notes():
            painter.save()
            painter.setClipRect(band)
            y = band.top()
            for line in lines:
                painter.drawText(QPointF(PAD, y + metrics.ascent() + 1), line)
                y += metrics.lineSpacing()
            painter.restore()
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for note, band, _lines in self.layout_notes():
                if band.contains(event.pos().toPointF()):
                    QToolTip.showText(event.globalPos(), note.full, self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)


def _wrap(text: str, font: QFont, metrics: QFontMetricsF, width: float, height: float) -> list[str]:
    """The text word-wrapped to ``width``, as many lines as fit in ``height`` (at least one); the last line
    ends with an ellipsis when text was left out."""
    if width <= 0:
        return []
    room = max(1, int((height + 1) // metrics.lineSpacing()))
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    spans: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    units = text.encode("utf-16-le")  # Qt counts UTF-16 units

    def part(start: int, end: int | None = None) -> str:
        return units[2 * start : None if end is None else 2 * end].decode("utf-16-le", "replace")

    lines = [part(start, start + length).rstrip() for start, length in spans[:room]]
    if len(spans) > room:
        rest = part(spans[room - 1][0])
        lines[-1] = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return lines
