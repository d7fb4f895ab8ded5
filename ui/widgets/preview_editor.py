"""The text part of the Dockerfile preview: a highlighted ``QPlainTextEdit`` with a gutter on the left (line
numbers, a coloured dot on lines with problems, a stripe beside selected lines) and, when asked, a column on
the right with each block's explanation beside its first line.

It knows nothing of blocks or of the controller: the preview widget gives it line-based data.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextBlock,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from ui.highlight import DockerfileHighlighter, is_dark
from ui.models.findings_model import severity_colour

EXPLAIN_SHARE = 0.42  # of the editor's width, for the explanation column
EXPLAIN_MIN, EXPLAIN_MAX = 180, 460
_PAD = 8
_NAVIGATION_KEYS = frozenset(
    {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End}
)


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


def blend(one: QColor, two: QColor, amount: float) -> QColor:
    """``one`` mixed with ``amount`` (0..1) of ``two``."""
    return QColor.fromRgbF(
        one.redF() + (two.redF() - one.redF()) * amount,
        one.greenF() + (two.greenF() - one.greenF()) * amount,
        one.blueF() + (two.blueF() - one.blueF()) * amount,
    )


class DockerfileEditor(QPlainTextEdit):
    """The highlighted Dockerfile text with its gutter and explanation column.

    Signals:
        lineChosen(int, object): the user clicked a line (or moved to it with the keyboard while the text is
            read-only); the 1-based line number and the keyboard modifiers.
    """

    lineChosen = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PreviewText")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(QFontMetricsF(font).horizontalAdvance(" ") * 4)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.highlighter = DockerfileHighlighter(self.document(), is_dark(self.palette()), self)
        self.highlighter.set_palette(self.palette())
        self._markers: dict[int, Marker] = {}
        self._accents: dict[int, QColor] = {}
        self._notes: list[Note] = []
        self._explain = False
        self.gutter = _Gutter(self)
        self.explain_column = _ExplainColumn(self)
        self.explain_column.hide()
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._repaint_margins)
        self._update_margins()

    # --- what the preview gives us -------------------------------------------------------------------

    def set_markers(self, markers: dict[int, Marker]) -> None:
        """Problem badges by 1-based line."""
        self._markers = markers
        self.gutter.update()

    def set_accents(self, accents: dict[int, QColor]) -> None:
        """A coloured stripe beside these 1-based lines (the selected blocks, in their colours)."""
        self._accents = accents
        self.gutter.update()

    def set_notes(self, notes: list[Note]) -> None:
        """The explanations to show beside the code."""
        self._notes = notes
        self.explain_column.update()

    def set_explain_visible(self, visible: bool) -> None:
        """Show or hide the explanation column (the code area gives it room; they never overlap)."""
        self._explain = visible
        self.explain_column.setVisible(visible)
        self._update_margins()

    @property
    def markers(self) -> dict[int, Marker]:
        return dict(self._markers)

    @property
    def notes(self) -> list[Note]:
        return list(self._notes)

    def line_rect(self, line: int) -> QRect:
        """Where a 1-based line is, in viewport coordinates (empty when there is no such line)."""
        block = self.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return QRect()
        return self.blockBoundingGeometry(block).translated(self.contentOffset()).toAlignedRect()

    def visible_lines(self) -> range:
        """The 1-based lines at least partly in view."""
        block = self.firstVisibleBlock()
        first = block.blockNumber() + 1
        last = first
        bottom = self.viewport().height()
        while (
            block.isValid()
            and self.blockBoundingGeometry(block).translated(self.contentOffset()).top() < bottom
        ):
            last = block.blockNumber() + 1
            block = block.next()
        return range(first, last + 1)

    def scroll_to_lines(self, first: int, last: int) -> None:
        """Scroll just enough to show lines ``first``..``last`` (the first wins if all do not fit)."""
        shown = self.visible_lines()
        height = max(1, len(shown) - 1)  # the last visible line may be cut
        bar = self.verticalScrollBar()
        if first < shown.start:
            bar.setValue(first - 2)
        elif last > shown.start + height - 1:
            bar.setValue(min(first - 2, last - height + 1))

    # --- events -------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        block = self.cursorForPosition(event.position().toPoint()).block()
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        if geometry.top() <= event.position().y() < geometry.bottom():
            self.lineChosen.emit(block.blockNumber() + 1, event.modifiers())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self.textCursor().blockNumber()
        super().keyPressEvent(event)
        after = self.textCursor().blockNumber()
        if self.isReadOnly() and event.key() in _NAVIGATION_KEYS and after != before:
            self.lineChosen.emit(after + 1, Qt.KeyboardModifier.NoModifier)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_margins()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())
            self.gutter.update()
            self.explain_column.update()

    # --- margins -------------------------------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + round(QFontMetricsF(self.font()).horizontalAdvance("9") * max(2, digits)) + _PAD

    def explain_width(self) -> int:
        if not self._explain:
            return 0
        return max(EXPLAIN_MIN, min(EXPLAIN_MAX, round(self.width() * EXPLAIN_SHARE)))

    def _update_margins(self, _count: int = 0) -> None:
        left, right = self.gutter_width(), self.explain_width()
        self.setViewportMargins(left, 0, right, 0)
        area = self.contentsRect()
        self.gutter.setGeometry(QRect(area.left(), area.top(), left, area.height()))
        vertical = self.verticalScrollBar()
        bar = vertical.width() if vertical.isVisible() else 0
        self.explain_column.setGeometry(
            QRect(area.right() - bar - right + 1, area.top(), right, area.height())
        )

    def _repaint_margins(self, _rect: QRect, _dy: int) -> None:
        self.gutter.update()
        if self._explain:
            self.explain_column.update()

    def visible_blocks(self) -> list[tuple[QTextBlock, QRectF]]:
        """The blocks in view with their geometry in viewport coordinates."""
        out: list[tuple[QTextBlock, QRectF]] = []
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        bottom = self.viewport().height()
        while block.isValid():
            rect = self.blockBoundingGeometry(block).translated(offset)
            if rect.top() > bottom:
                break
            out.append((block, rect))
            block = block.next()
        return out


class _Gutter(QWidget):
    """Line numbers, problem dots and selection stripes, left of the code."""

    def __init__(self, editor: DockerfileEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setObjectName("PreviewGutter")
        self.setAccessibleName(self.tr("Line numbers and problem marks"))
        self.setMouseTracking(True)

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
        painter.fillRect(event.rect(), blend(base, text, 0.04))
        painter.setFont(editor.font())
        number_colour = blend(text, base, 0.45)
        current_colour = text
        current = editor.textCursor().blockNumber() + 1 if not editor.isReadOnly() else -1
        width = self.width()
        for block, rect in editor.visible_blocks():
            line = block.blockNumber() + 1
            accent = editor._accents.get(line)
            if accent is not None:
                painter.fillRect(QRectF(0, rect.top(), 4, rect.height()), accent)
            marker = editor._markers.get(line)
            if marker is not None:
                size = min(9.0, rect.height() * 0.55)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(severity_colour(marker.severity, dark))
                painter.drawEllipse(QRectF(7, rect.center().y() - size / 2, size, size))
            if line == editor.blockCount() > 1 and not block.text():
                continue  # the empty line after the final line break: nothing to number
            painter.setPen(current_colour if line == current else number_colour)
            painter.drawText(
                QRectF(14, rect.top(), width - 14 - _PAD / 2, rect.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(line),
            )
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            marker = self._editor._markers.get(self._line_at(event.pos()))
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


class _ExplainColumn(QWidget):
    """Each block's explanation beside its first line, wrapped into the lines it may use, never over code."""

    def __init__(self, editor: DockerfileEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setObjectName("ExplainColumn")
        self.setAccessibleName(self.tr("Explanations of the lines"))
        self.setMouseTracking(True)

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
        width = self.width() - 2 * _PAD
        out: list[tuple[Note, QRectF, list[str]]] = []
        for note in editor._notes:
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
                painter.drawText(QPointF(_PAD, y + metrics.ascent() + 1), line)
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
