"""The text part of the Dockerfile preview: a highlighted ``QPlainTextEdit`` with a gutter on the left (line
numbers, a coloured dot on lines with problems, a stripe beside selected lines) and, when asked, a column on
the right with each block's explanation beside its first line.

It knows nothing of blocks or of the controller: the preview widget gives it line-based data.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QTextBlock,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from ui.highlight import DockerfileHighlighter, is_dark
from ui.widgets.preview_layout import LineRepaintLayout
from ui.widgets.preview_margins import PAD, ExplainColumn, Gutter, Marker, Note
from ui.widgets.quiet_scroll_bar import QuietScrollBar, lay_out_only_to_show_or_hide

EXPLAIN_SHARE = 0.42  # of the editor's width, for the explanation column
EXPLAIN_MIN, EXPLAIN_MAX = 180, 460
_NAVIGATION_KEYS = frozenset(
    {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End}
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
        document = QTextDocument(self)
        # An edit repaints its lines, not the whole view. Kept referenced: PySide does not know that the
        # document owns its layout, and would delete it with its Python wrapper.
        self._layout = LineRepaintLayout(document)
        document.setDocumentLayout(self._layout)
        self.setDocument(document)
        self._layout.moves_lines = True  # lines that only moved are scrolled, not drawn again (_lines_moved)
        self._layout.linesMoved.connect(self._lines_moved)
        self.setVerticalScrollBar(QuietScrollBar(Qt.Orientation.Vertical, self))
        self.setHorizontalScrollBar(QuietScrollBar(Qt.Orientation.Horizontal, self))
        lay_out_only_to_show_or_hide(self)
        for bar in (self.verticalScrollBar(), self.horizontalScrollBar()):
            # The Fusion style's scroll bar paints every pixel of itself: the window, the splitters and the
            # preview under it need not be painted first when its length changes (lines came or went).
            bar.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.set_editable(False)
        self.highlighter = DockerfileHighlighter(self.document(), is_dark(self.palette()), self)
        self.highlighter.set_palette(self.palette())
        self._markers: dict[int, Marker] = {}
        self._accents: dict[int, QColor] = {}
        self._notes: tuple[Note, ...] = ()
        self._explain = False
        self.gutter = Gutter(self)
        self.explain_column = ExplainColumn(self)
        self.explain_column.hide()
        self.apply_font()
        self.blockCountChanged.connect(self._line_count_changed)
        self.updateRequest.connect(self._repaint_margins)
        self._update_margins()

    def apply_font(self) -> None:
        """The system's fixed-width font at the window's text size (which the zoom changes)."""
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        size = QApplication.font().pointSizeF()
        if size > 0:
            font.setPointSizeF(size)
        self.setFont(font)
        self.setTabStopDistance(QFontMetricsF(font).horizontalAdvance(" ") * 4)
        self._update_margins()

    def set_editable(self, editable: bool) -> None:
        """Read-only (the keyboard still moves through the lines) or editable with its own text undo."""
        self.setReadOnly(not editable)
        self.setUndoRedoEnabled(editable)
        if editable:
            self.document().clearUndoRedoStacks()
        else:
            self.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )

    # --- what the preview gives us -------------------------------------------------------------------

    def set_markers(self, markers: dict[int, Marker]) -> None:
        """Problem badges by 1-based line."""
        if markers != self._markers:
            self._markers = dict(markers)
            self.gutter.update()

    def set_accents(self, accents: dict[int, QColor]) -> None:
        """A coloured stripe beside these 1-based lines (the selected blocks, in their colours)."""
        if accents == self._accents:  # the same after most edits: nothing to repaint
            return
        # Only the lines whose stripe came, went or changed colour are repainted: a line keeps its place
        # in the view while the scroll stays (a scroll repaints the whole gutter anyway).
        changed = [n for n in self._accents.keys() | accents.keys() if self._accents.get(n) != accents.get(n)]
        self._accents = dict(accents)
        top, bottom = self.line_rect(min(changed)), self.line_rect(max(changed))
        if top.isEmpty() or bottom.isEmpty():  # a line past the end of the text: repaint all of it
            self.gutter.update()
        else:
            self.gutter.update(0, top.top(), self.gutter.width(), bottom.bottom() - top.top() + 1)

    def set_notes(self, notes: list[Note]) -> None:
        """The explanations to show beside the code."""
        self._notes = tuple(notes)
        self.explain_column.update()

    def marker_at(self, line: int) -> Marker | None:
        return self._markers.get(line)

    def accent_at(self, line: int) -> QColor | None:
        return self._accents.get(line)

    def set_explain_visible(self, visible: bool) -> None:
        """Show or hide the explanation column (the code area gives it room; they never overlap)."""
        self._explain = visible
        self.explain_column.setVisible(visible)
        self._update_margins()

    @property
    def markers(self) -> dict[int, Marker]:
        return dict(self._markers)

    @property
    def markers_by_line(self) -> dict[int, Marker]:
        """The problem badges by 1-based line, not copied (the gutter reads them on every paint)."""
        return self._markers

    @property
    def accents(self) -> dict[int, QColor]:
        """The stripe colours by 1-based line, not copied (the gutter reads them on every paint)."""
        return self._accents

    @property
    def notes(self) -> tuple[Note, ...]:
        return self._notes

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

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange:  # zoomed: our own font follows
            self.apply_font()
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())
            self.gutter.update()
            self.explain_column.update()

    # --- margins -------------------------------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + round(QFontMetricsF(self.font()).horizontalAdvance("9") * max(2, digits)) + PAD

    def explain_width(self) -> int:
        if not self._explain:
            return 0
        return max(EXPLAIN_MIN, min(EXPLAIN_MAX, round(self.width() * EXPLAIN_SHARE)))

    def _update_margins(self, _count: int = 0) -> None:
        left, right = self.gutter_width(), self.explain_width()
        self.setViewportMargins(left, 0, right, 0)
        area = self.contentsRect()
        # As tall as the text's view, not the whole area: along the bottom runs the horizontal scroll bar,
        # which Qt paints again (raised) whenever a scroll range changes, and everything under it with it.
        height = self.viewport().height()
        self.gutter.setGeometry(QRect(area.left(), area.top(), left, height))
        vertical = self.verticalScrollBar()
        bar = vertical.width() if vertical.isVisible() else 0
        self.explain_column.setGeometry(QRect(area.right() - bar - right + 1, area.top(), right, height))

    def _line_count_changed(self, _count: int) -> None:
        # Lines came or went (an edit of a continued RUN): the gutter moves only when the numbers need
        # another digit. The explanation column also follows the scroll bar, which may come or go.
        if self._explain or self.gutter.width() != self.gutter_width():
            self._update_margins()

    def _lines_moved(self, first: int, last: int, moved: int) -> None:
        """Lines came or went (0-based ``first``..``last`` changed, the lines below moved by ``moved``): the
        text below keeps its pixels, moved by a scroll of that part of the view; the changed lines and what
        the move uncovers are painted, and the gutter only where its numbers changed (see below)."""
        view, offset = self.viewport(), self.contentOffset()
        top = self.blockBoundingGeometry(self.document().findBlockByNumber(first)).translated(offset)
        end = self.blockBoundingGeometry(self.document().findBlockByNumber(last)).translated(offset)
        width, height = view.width(), view.height()
        margins = [self.gutter, self.explain_column] if self._explain else [self.gutter]
        if top.top() < 0:  # the change starts above the view: what is in view is other lines now
            view.update()
            for margin in margins:
                margin.update()
            return
        if top.top() >= height:
            return  # below the view: nothing shown changed (the scroll bar learnt the new length)
        line_height = (end.bottom() - top.top()) / (last - first + 1)  # one height: lines never wrap here
        shift = round(moved * line_height)
        changed_top, changed_bottom = int(top.top()), math.ceil(end.bottom())
        below = changed_bottom - max(shift, 0)  # where the unchanged lines below started before the edit
        if below < height:
            view.scroll(0, shift, QRect(0, below, width, height - below))
        view.update(QRect(0, changed_top, width, changed_bottom - changed_top))
        # Each place in the gutter shows the same line number as before, and the problem dots stay by line
        # number until the document is checked again (which repaints them); stripes that changed are
        # repainted by set_accents. So nothing is drawn again there, unless the text now ends in view
        # (numbers there came or went) or is being edited (the current line's number is highlighted).
        lines_in_view = first + 1 + math.ceil((height - top.top()) / line_height)
        if self.document().blockCount() - min(moved, 0) <= lines_in_view:
            self.gutter.update(0, changed_top, self.gutter.width(), self.gutter.height() - changed_top)
        elif not self.isReadOnly():
            self.gutter.update(0, changed_top, self.gutter.width(), changed_bottom - changed_top)
        if self._explain:
            self.explain_column.update()

    def _repaint_margins(self, rect: QRect, dy: int) -> None:
        """Repaint the margins beside what the text repaints: the edited lines, or all on scrolling.

        Not the gutter beside lines edited in place while the text is read-only: each place in it shows the
        same number as long as the view does not scroll and no line comes or goes (then the whole gutter,
        or the part :meth:`_lines_moved` says, is repainted), and its stripes and dots are repainted by
        :meth:`set_accents` and :meth:`set_markers` when they change. Only the last line's number depends
        on its text (the empty line after the final line break has none), and the current line's on the
        cursor, which moves only while the text is edited.
        """
        whole = bool(dy) or rect.height() >= self.viewport().height()
        margins = [self.explain_column] if self._explain else []
        if whole or not self._numbers_stay(rect):
            margins.append(self.gutter)
        for margin in margins:
            if whole:
                margin.update()
            else:
                margin.update(0, rect.top(), margin.width(), rect.height())

    def _numbers_stay(self, rect: QRect) -> bool:
        """Whether the gutter beside ``rect`` (in the view) shows what it showed before an edit there."""
        if not self.isReadOnly():
            return False
        last = self.document().lastBlock()
        return self.blockBoundingGeometry(last).translated(self.contentOffset()).top() > rect.bottom()

    def visible_blocks(self, top: int = 0, bottom: int | None = None) -> list[tuple[QTextBlock, QRectF]]:
        """The blocks in view with their geometry in viewport coordinates (those between ``top`` and
        ``bottom`` when given: a repaint of a few lines need not measure every line in view)."""
        out: list[tuple[QTextBlock, QRectF]] = []
        block = self.firstVisibleBlock() if top <= 0 else self.cursorForPosition(QPoint(0, top)).block()
        offset = self.contentOffset()
        bottom = self.viewport().height() if bottom is None else min(bottom, self.viewport().height())
        while block.isValid():
            rect = self.blockBoundingGeometry(block).translated(offset)
            if rect.top() > bottom:
                break
            if top <= 0 or rect.bottom() >= top:
                out.append((block, rect))
            block = block.next()
        return out
