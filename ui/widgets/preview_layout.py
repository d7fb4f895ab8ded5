"""The preview's text layout: Qt's plain-text layout, except that an edit repaints only what it changed.

``QPlainTextDocumentLayout`` decides whether an edit stayed inside one line from the change it is told
about, ``position + removed + added``. For a replacement that sum reaches past the line, and a syntax
highlighter's re-colouring (which Qt reports as the whole line removed and added again, merged with the
edit) always reaches into the next line. Qt then lays out and repaints the whole view, ~1 ms on every key
press in a 300-line preview. Here, when the number of lines stayed the same, the lines the change covers
are laid out and repainted one by one instead, which is what Qt's own one-line path does.

When lines came or went (a continued RUN rewritten on one line), Qt repaints the whole view too: every
line under the edit is drawn again at its new place, ~3 ms for a screen of highlighted text. Here the
layout tells the editor which lines changed and by how many lines the rest moved (``linesMoved``), and
the editor moves the pixels of the unchanged lines below (a scroll of that part of the view) and repaints
only the changed lines and what the move uncovers.

The text's width, which sets the horizontal scroll bar's range, does not shrink on such edits (see
``documentSize``).

Each line keeps its shaped glyphs after it is laid out (see ``_keep_glyphs``), so drawing it does not
shape it again.
"""

from __future__ import annotations

from PySide6.QtCore import QSizeF, Signal
from PySide6.QtGui import QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

MAX_LINES = 64
"""A change over more lines than this is left to Qt's whole-view path (a paste, a new file)."""


class LineRepaintLayout(QPlainTextDocumentLayout):
    """A plain-text layout that repaints only the lines an edit touched.

    Signals:
        linesMoved(int, int, int): lines came or went; the first and last changed line (0-based, as they
            are now) and how many lines the text below them moved by (negative: up). Nothing of the view
            was repainted: whoever shows the text does it (``DockerfileEditor`` moves what only moved).
    """

    linesMoved = Signal(int, int, int)

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._lines = document.blockCount()
        self.moves_lines = False  # set by a view that connects to linesMoved and repaints for it
        self._widest = 0.0  # the width the view's horizontal scroll bar was last told about

    def documentSize(self) -> QSizeF:
        """Qt's size, except that the width does not shrink on an edit of a few lines.

        Qt forgets the widest line when the lines before it come or go, and learns it again as it lays
        out the lines it paints: the horizontal scroll bar's range went down and back up within one edit,
        its handle moved and the bar was drawn again (~0.9 ms), where a steady range lets it show its
        picture again (``QuietScrollBar``). The width is Qt's again after a change of more than MAX_LINES
        lines (a new file, a paste); until then a line made shorter leaves its width to scroll through.
        """
        size = super().documentSize()
        if size.width() < self._widest:
            size.setWidth(self._widest)
        else:
            self._widest = size.width()
        return size

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        document = self.document()
        first = document.findBlock(position)
        self._keep_glyphs(first, position + added)
        lines = document.blockCount()
        moved, self._lines = lines - self._lines, lines
        if position == 0 and added >= document.characterCount() - 1:
            self._widest = 0.0  # the whole text laid out again (a new font, a new text): Qt's width
        if removed or added:
            last = document.findBlock(max(position, position + added - 1))
            valid = first.isValid() and last.isValid()
            small = valid and last.blockNumber() - first.blockNumber() < MAX_LINES
            if small and not moved:
                self._lay_out_lines(first, last)
                return
            if small and last.blockNumber() - first.blockNumber() - moved >= MAX_LINES:
                self._widest = 0.0  # many lines went (a new file): Qt's width from now on
            if small and self.moves_lines:
                # Qt's own work (lay out the changed lines, count them, note the widest) without its repaint
                # of everything; the scroll bars still learn the new size.
                self.blockSignals(True)
                try:
                    super().documentChanged(position, removed, added)
                finally:
                    self.blockSignals(False)
                self.documentSizeChanged.emit(self.documentSize())
                self.linesMoved.emit(first.blockNumber(), last.blockNumber(), moved)
                return
        self._widest = 0.0  # a larger change: Qt's width from now on
        super().documentChanged(position, removed, added)

    @staticmethod
    def _keep_glyphs(first: QTextBlock, end: int) -> None:
        """Let the lines of a change keep their glyphs once laid out (Qt's plain-text layout drops them).

        A ``QTextLayout`` frees its shaped text at the end of each layout unless its cache is on; every
        paint of the line then itemises and shapes it again (~10 µs a highlighted line: a screenful drawn
        again took 1.0 ms on X11, 0.55 ms with glyphs kept). The flag stays with the line's layout, so
        only the lines a change made or rewrote need it (all of them for a new text): from ``first`` to the
        line holding position ``end``.
        """
        block = first
        while block.isValid():
            block.layout().setCacheEnabled(True)
            if block.position() + block.length() > end:
                return
            block = block.next()

    def _lay_out_lines(self, first: QTextBlock, last: QTextBlock) -> None:
        block = first
        while True:
            # One character inside one line: Qt lays out that line and repaints only it (or the whole view
            # after all when the line's height changed).
            super().documentChanged(block.position(), 0, 1)
            if block == last:
                return
            block = block.next()
