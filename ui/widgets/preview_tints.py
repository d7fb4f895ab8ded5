"""The tints on the preview's lines: the selected blocks' lines in the selection colour (with a stripe in
each block's colour in the gutter), and a line the typed text has a problem on in red, wavy underlined.

Tints are Qt extra selections: cursors in the text, which edits move. They are made again only when what
they show changed, or when an edit moved them off their lines; after most edits (typing in the settings of
the selected block) neither is the case, and nothing is done. An edit that rewrites the selected block's
lines into fewer gathers its tints on the lines that remain: those are kept, and only the gutter's
stripes change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit

from desktop.dockerfile.render import LineSpan
from ui.highlight import is_dark
from ui.theme import blend

if TYPE_CHECKING:
    from ui.widgets.preview_editor import DockerfileEditor

MARK = QTextFormat.Property.UserProperty + 1
"""An extra selection's purpose, in its format: SELECTED_LINE or PROBLEM_LINE."""
SELECTED_LINE, PROBLEM_LINE = 1, 2


class LineTints:
    """The extra selections and gutter accents of one editor."""

    def __init__(self, editor: DockerfileEditor) -> None:
        self._editor = editor
        self._shown: tuple[object, ...] | None = None  # what the tints were made for
        self._cursors: list[tuple[QTextCursor, int]] = []  # each selected line's tint cursor and line

    def show(self, blocks: list[tuple[LineSpan, QColor]], problem_line: int = 0) -> None:
        """Tint the lines of these blocks (each with its colour for the gutter) and a problem line (0: none).

        A problem line's tints are made again every time: they are shown while the text is typed.
        """
        palette = self._editor.palette()
        wanted = (tuple((span, colour.rgba()) for span, colour in blocks), palette.cacheKey())
        if not problem_line and wanted == self._shown and self._in_place():
            return
        accents = {line: colour for span, colour in blocks for line in range(span.first, span.last + 1)}
        if not problem_line and self._gathered_on(accents.keys(), palette.cacheKey()):
            # An edit rewrote tinted lines into fewer (a continued RUN written on one line): the tints Qt
            # gathered at its end still cover exactly the lines wanted, in the one tint colour. Only the
            # gutter's stripes change (~0.4 ms of making every tint again saved).
            self._cursors = [(cursor, cursor.blockNumber() + 1) for cursor, _line in self._cursors]
            self._editor.set_accents(accents)
            self._shown = wanted
            return
        share = 0.38 if is_dark(palette) else 0.22  # a dark base needs more of the colour to show it
        soft = blend(palette.color(palette.ColorRole.Base), palette.color(palette.ColorRole.Highlight), share)
        selections: list[QTextEdit.ExtraSelection] = []
        self._cursors = []
        for line in accents:
            selection = self.line_selection(line, soft, SELECTED_LINE)
            selections.append(selection)
            self._cursors.append((QTextCursor(selection.cursor), line))  # a copy moves with the text
        selections.extend(self._problem_selections(problem_line))
        self._editor.setExtraSelections(selections)
        self._editor.set_accents(accents)
        self._shown = None if problem_line else wanted

    def _gathered_on(self, lines: Iterable[int], palette_key: int) -> bool:
        """Whether the tints shown (selected lines only, for this palette) now lie on exactly ``lines``."""
        shown = self._shown
        if shown is None or shown[1] != palette_key or not self._cursors:
            return False
        return {cursor.blockNumber() + 1 for cursor, _line in self._cursors} == set(lines)

    def _in_place(self) -> bool:
        """Whether every tint is still on the line it was made for.

        An edit inside a tinted line keeps its tint there, but one that rewrites several tinted lines
        gathers their tints at its end.
        """
        return all(cursor.blockNumber() == line - 1 for cursor, line in self._cursors)

    def line_selection(self, line: int, colour: QColor, mark: int) -> QTextEdit.ExtraSelection:
        """A full-width tint of a 1-based line."""
        selection = QTextEdit.ExtraSelection()
        selection.cursor = QTextCursor(self._editor.document().findBlockByNumber(line - 1))
        selection.format.setBackground(colour)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.format.setProperty(MARK, mark)
        return selection

    def _problem_selections(self, line: int) -> list[QTextEdit.ExtraSelection]:
        if line <= 0:
            return []
        block = self._editor.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return []
        palette = self._editor.palette()
        red = QColor("#ff6b6b" if is_dark(palette) else "#d32f2f")
        tinted = blend(palette.color(palette.ColorRole.Base), red, 0.14)
        tint = self.line_selection(line, tinted, PROBLEM_LINE)
        wavy = QTextEdit.ExtraSelection()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        wavy.cursor = cursor
        underline = QTextCharFormat()
        underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        underline.setUnderlineColor(red)
        underline.setProperty(MARK, PROBLEM_LINE)
        wavy.format = underline
        return [tint, wavy]
