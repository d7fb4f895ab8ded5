"""The preview's text layout: Qt's plain-text layout, except that an edit inside lines repaints those lines.

``QPlainTextDocumentLayout`` decides whether an edit stayed inside one line from the change it is told
about, ``position + removed + added``. For a replacement that sum reaches past the line, and a syntax
highlighter's re-colouring (which Qt reports as the whole line removed and added again, merged with the
edit) always reaches into the next line. Qt then lays out and repaints the whole view, ~1 ms on every key
press in a 300-line preview. Here, when the number of lines stayed the same, the lines the change covers
are laid out and repainted one by one instead, which is what Qt's own one-line path does.
"""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

MAX_LINES = 64
"""A change over more lines than this is left to Qt's whole-view path (a paste, a new file)."""


class LineRepaintLayout(QPlainTextDocumentLayout):
    """A plain-text layout that repaints only the lines an edit touched when no line came or went."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._lines = document.blockCount()

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        document = self.document()
        lines = document.blockCount()
        if lines == self._lines and (removed or added):
            first = document.findBlock(position)
            last = document.findBlock(max(position, position + added - 1))
            if first.isValid() and last.isValid() and last.blockNumber() - first.blockNumber() < MAX_LINES:
                block = first
                while True:
                    # One character inside one line: Qt lays out that line and repaints only it (or the
                    # whole view after all when the line's height changed).
                    super().documentChanged(block.position(), 0, 1)
                    if block == last:
                        return
                    block = block.next()
        self._lines = lines
        super().documentChanged(position, removed, added)
