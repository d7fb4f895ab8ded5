"""The lines of the build log on screen: each step a heading that folds its lines away, painted row by row.

A log of 200,000 lines cannot go through Qt's item views here: they lay out every row again when rows are
added to an open branch, asking the (Python) model about each, which is seconds at that size. This view
reads the model through its Qt interface too, but only for the rows on screen; where the rows are is
worked out from one count per step (a few dozen), so adding lines costs the same at 200 lines as at
200,000. Every row has the same height, and the scroll bar counts rows.
"""

from __future__ import annotations

import bisect
import time

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QWidget

from desktop.engine.build_events import StepState
from ui.models.build_log_model import BuildLogModel
from ui.models.build_log_search import LogSearch
from ui.widgets.build_log_paint import LINE_INDENT, paint_heading
from ui.widgets.build_states import say

Place = tuple[int, int]  # (step row, line number); line -1 is the step's heading
PAINTED_CHARS = 1000  # a line wider than this many screens of characters is cut when painted


class LogLines(QAbstractScrollArea):
    """Steps and their lines; a step folds open or shut by a click on its heading (or Enter, Left, Right).

    Signals:
        blockRequested(str): the user asked to see the block a step comes from (double click on a heading).
    """

    blockRequested = Signal(str)

    def __init__(self, model: BuildLogModel, search: LogSearch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BuildLogLines")
        self.setAccessibleName(say("log.name"))
        self.setAccessibleDescription(say("log.description"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._model = model
        self._search = search
        self._only_matching = False
        self._chosen: dict[str, bool] = {}  # step id -> the user opened (True) or shut (False) it
        self._steps: list[int] = []  # the step rows shown, in order
        self._starts: list[int] = []  # the flat row of each shown step's heading
        self._total = 0
        self._cursor: Place | None = None
        self._anchor: Place | None = None
        self.current_match: Place | None = None
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._heading_font = QFont(self.font())
        self._heading_font.setBold(True)
        self._row_height = 0
        self._name_column = 0
        self._char_width = 1
        self._measure()
        self._clock = QTimer(self)  # running steps show their time: repaint once a second meanwhile
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self.viewport().update)
        model.rowsInserted.connect(self._rows_inserted)
        model.modelReset.connect(self._reset)
        model.stepChanged.connect(self._step_changed)
        search.changed.connect(self._search_changed)

    # --- public ----------------------------------------------------------------------------------------

    def set_only_matching(self, only: bool) -> None:
        """Show only the lines holding the searched text (and their steps' headings), or every line."""
        self._only_matching = only
        self.relayout()

    def is_expanded(self, step_row: int) -> bool:
        step = self._model.step(step_row)
        chosen = self._chosen.get(step.step_id)
        if chosen is not None:
            return chosen
        if self._only_matching:
            return True  # asked for the matching lines: show them all
        return step.state in (StepState.RUNNING, StepState.FAILED)  # finished steps fold themselves away

    def set_expanded(self, step_row: int, expanded: bool) -> None:
        self._chosen[self._model.step(step_row).step_id] = expanded
        self.relayout()

    def row_count(self) -> int:
        """Rows the log shows now (headings and open lines)."""
        return self._total

    def place_at_row(self, flat: int) -> Place:
        """The step and line shown at a flat row (line -1: the heading)."""
        at = bisect.bisect_right(self._starts, flat) - 1
        step_row = self._steps[at]
        offset = flat - self._starts[at]
        if offset == 0:
            return (step_row, -1)
        if self._only_matching:
            return (step_row, self._search.matches_of(step_row)[offset - 1])
        return (step_row, offset - 1)

    def row_of_place(self, place: Place) -> int | None:
        """The flat row showing a place, None when it is folded away or filtered out."""
        step_row, line = place
        at = bisect.bisect_left(self._steps, step_row)
        if at >= len(self._steps) or self._steps[at] != step_row:
            return None
        start = self._starts[at]
        if line < 0:
            return start
        if not self.is_expanded(step_row):
            return None
        if self._only_matching:
            matches = self._search.matches_of(step_row)
            i = bisect.bisect_left(matches, line)
            return start + 1 + i if i < len(matches) and matches[i] == line else None
        return start + 1 + line

    def go_to(self, place: Place) -> None:
        """Open the place's step, scroll the place into view and make it the current match."""
        step_row, line = place
        if line >= 0 and not self.is_expanded(step_row):
            self._chosen[self._model.step(step_row).step_id] = True
            self.relayout()
        self.current_match = place
        self._cursor = self._anchor = place
        row = self.row_of_place(place)
        if row is not None:
            bar = self.verticalScrollBar()
            if not bar.value() <= row < bar.value() + self._visible_rows() - 1:
                bar.setValue(row - self._visible_rows() // 2)
        self.viewport().update()

    def selected_text(self) -> str:
        """The selected rows' text, a heading as its step's name."""
        if self._cursor is None or self._anchor is None:
            return ""
        first, last = sorted((self._cursor, self._anchor))
        rows = [self.row_of_place(first), self.row_of_place(last)]
        if rows[0] is None or rows[1] is None:
            return ""
        return "\n".join(self._row_text(self.place_at_row(r)) for r in range(rows[0], rows[1] + 1))

    def step_text(self, step_row: int) -> str:
        return "\n".join(self._model.step(step_row).lines)

    def all_text(self) -> str:
        parts = []
        for row in range(self._model.step_count()):
            parts.append(f"# {self._model.step_title(self._model.step(row))}")
            parts.extend(self._model.step(row).lines)
        return "\n".join(parts)

    # --- following the model ---------------------------------------------------------------------------

    def relayout(self) -> None:
        """Work out the rows again (one count per step) and keep the end in view if it was."""
        bar = self.verticalScrollBar()
        following = bar.value() >= bar.maximum()
        steps, starts, flat = [], [], 0
        for row in range(self._model.step_count()):
            if self._only_matching:
                shown = len(self._search.matches_of(row))
                if not shown:
                    continue
                shown = shown if self.is_expanded(row) else 0
            else:
                shown = self._model.rowCount(self._model.index(row, 0)) if self.is_expanded(row) else 0
            steps.append(row)
            starts.append(flat)
            flat += 1 + shown
        self._steps, self._starts, self._total = steps, starts, flat
        self._update_bars()
        if following:
            bar.setValue(bar.maximum())
        self.viewport().update()

    def _rows_inserted(self, parent: QModelIndex, _first: int, _last: int) -> None:
        if parent.isValid() and not self.is_expanded(parent.row()) and not self._only_matching:
            self._update_bars()  # lines of a folded step: only the widest line may have changed
            return
        self.relayout()

    def _step_changed(self, _row: int) -> None:
        running = any(self._model.step(r).state is StepState.RUNNING for r in range(self._model.step_count()))
        if running and not self._clock.isActive():
            self._clock.start()
        elif not running:
            self._clock.stop()
        self.relayout()

    def _reset(self) -> None:
        self._chosen.clear()
        self._cursor = self._anchor = self.current_match = None
        self._clock.stop()
        self.relayout()

    def _search_changed(self) -> None:
        if self._only_matching:
            self.relayout()
        else:
            self.viewport().update()

    # --- geometry --------------------------------------------------------------------------------------

    def _measure(self) -> None:
        mono, heading = QFontMetrics(self._mono), QFontMetrics(self._heading_font)
        self._row_height = max(mono.lineSpacing(), heading.lineSpacing()) + 4
        self._char_width = max(1, mono.horizontalAdvance("M"))

    def _visible_rows(self) -> int:
        return max(1, self.viewport().height() // self._row_height)

    def _update_bars(self) -> None:
        bar = self.verticalScrollBar()
        bar.setPageStep(self._visible_rows())
        bar.setSingleStep(1)
        bar.setRange(0, max(0, self._total - self._visible_rows()))
        wide = LINE_INDENT + self._model.longest_line * self._char_width + 8
        across = self.horizontalScrollBar()
        across.setPageStep(self.viewport().width())
        across.setSingleStep(self._char_width * 4)
        across.setRange(0, max(0, wide - self.viewport().width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_bars()

    def changeEvent(self, event: object) -> None:
        super().changeEvent(event)  # type: ignore[arg-type]
        self._heading_font = QFont(self.font())
        self._heading_font.setBold(True)
        self._measure()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # --- painting --------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Base))
        if self._total == 0:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.viewport().rect().adjusted(24, 0, -24, 0), flags, say("log.empty"))
            return
        first = self.verticalScrollBar().value()
        now = time.time()
        selection = sorted((self._cursor, self._anchor)) if self._cursor and self._anchor else None
        width, height = self.viewport().width(), self._row_height
        text_colour = palette.color(QPalette.ColorRole.Text)
        chosen = palette.color(QPalette.ColorRole.Highlight).lighter(180)
        # Lines are painted with as few calls into Qt as can be (font and pen set once per run of lines):
        # each call may hand the interpreter to the thread reading the build, and wait to get it back.
        baseline = (height + QFontMetrics(self._mono).ascent() - QFontMetrics(self._mono).descent()) // 2
        scrolled = self.horizontalScrollBar().value()
        skip = max(0, (scrolled - LINE_INDENT) // self._char_width)
        room = min(width // self._char_width + 2, PAINTED_CHARS)
        x = LINE_INDENT - scrolled + skip * self._char_width
        top_row, bottom_row = event.rect().top() // height, event.rect().bottom() // height
        lines_font = False
        for k in range(top_row, min(bottom_row + 1, self._total - first)):
            place = self.place_at_row(first + k)
            top = k * height
            if selection is not None and selection[0] <= place <= selection[1]:
                painter.fillRect(0, top, width, height, chosen)
            if place[1] < 0:
                self._paint_heading(painter, QRect(0, top, width, height), place[0], now)
                lines_font = False
                continue
            text = self._model.step(place[0]).lines[place[1]]
            if "\t" in text:
                text = text.expandtabs(8)
            shown = text[skip : skip + room]
            if self._search.query:
                self._paint_matches(painter, shown, x, top, place)
            if not lines_font:
                painter.setFont(self._mono)
                painter.setPen(text_colour)
                lines_font = True
            painter.drawText(x, top + baseline, shown)

    def _paint_heading(self, painter: QPainter, rect: QRect, step_row: int, now: float) -> None:
        step = self._model.step(step_row)
        expanded = self.is_expanded(step_row) if step.lines else None
        chip_right = paint_heading(
            painter, rect, step, expanded, now, self._heading_font, self.palette(), self._name_column
        )
        # The names line up in one column, as wide as the widest state shown so far.
        self._name_column = max(self._name_column, chip_right + 10)

    def _paint_matches(self, painter: QPainter, shown: str, x: int, top: int, place: Place) -> None:
        needle = self._search.query
        folded = shown.casefold()
        if len(folded) != len(shown):  # the places would not line up; the line is still found and counted
            return
        at = folded.find(needle)
        if at < 0:
            return
        colour = QColor("#f59e0b") if place == self.current_match else QColor("#fde68a")
        while at >= 0:
            left = x + at * self._char_width
            painter.fillRect(left, top + 1, len(needle) * self._char_width, self._row_height - 2, colour)
            at = folded.find(needle, at + len(needle))

    # --- mouse and keys --------------------------------------------------------------------------------

    def _place_at(self, point: QPoint) -> Place | None:
        flat = self.verticalScrollBar().value() + point.y() // self._row_height
        return self.place_at_row(flat) if 0 <= flat < self._total else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        place = self._place_at(event.position().toPoint())
        if place is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._cursor = place
        if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier or self._anchor is None:
            self._anchor = place
        if place[1] < 0 and event.position().x() < LINE_INDENT + 120 and not event.modifiers():
            self.set_expanded(place[0], not self.is_expanded(place[0]))
        self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        place = self._place_at(event.position().toPoint())
        if place is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._cursor = place
            self.viewport().update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        place = self._place_at(event.position().toPoint())
        if place is not None and place[1] < 0:
            block_id = self._model.step(place[0]).block_id
            if block_id:
                self.blockRequested.emit(block_id)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        place = self._place_at(event.pos())
        menu = QMenu(self)
        menu.setObjectName("BuildLogMenu")
        if self._cursor is not None:
            menu.addAction(say("log.copy_selection"), lambda: self._copy(self.selected_text()))
        if place is not None:
            row = place[0]
            menu.addAction(say("log.copy_step"), lambda: self._copy(self.step_text(row)))
            block_id = self._model.step(row).block_id
            if block_id:
                menu.addAction(say("log.show_block"), lambda: self.blockRequested.emit(block_id))
        menu.addAction(say("log.copy_all"), lambda: self._copy(self.all_text()))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self._copy(self.selected_text())
            return
        key = Qt.Key(event.key())
        steps: dict[Qt.Key, int] = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_PageUp: -self._visible_rows(),
            Qt.Key.Key_PageDown: self._visible_rows(),
            Qt.Key.Key_Home: -self._total,
            Qt.Key.Key_End: self._total,
        }
        if key in steps and self._total:
            here = self.row_of_place(self._cursor) if self._cursor is not None else None
            here = self.verticalScrollBar().value() if here is None else here
            self._move_cursor(min(max(here + steps[key], 0), self._total - 1), event)
            return
        if (
            self._cursor is not None
            and self._cursor[1] < 0
            and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            row = self._cursor[0]
            wanted = {Qt.Key.Key_Left: False, Qt.Key.Key_Right: True}
            opened: bool = wanted.get(key, not self.is_expanded(row))
            self.set_expanded(row, opened)
            return
        super().keyPressEvent(event)

    def _move_cursor(self, flat: int, event: QKeyEvent) -> None:
        self._cursor = self.place_at_row(flat)
        if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier or self._anchor is None:
            self._anchor = self._cursor
        bar = self.verticalScrollBar()
        if flat < bar.value():
            bar.setValue(flat)
        elif flat >= bar.value() + self._visible_rows():
            bar.setValue(flat - self._visible_rows() + 1)
        self.viewport().update()

    def _row_text(self, place: Place) -> str:
        step = self._model.step(place[0])
        if place[1] < 0:
            return f"# {self._model.step_title(step)}"
        return step.lines[place[1]]
