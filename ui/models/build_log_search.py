"""Finding a text in the build log: a slice of lines per frame, and the lines that arrive later too.

A log of 200,000 lines takes tens of milliseconds to search in Python, too long for one frame; the search
goes through the log a slice at a time (at most :data:`SEARCH_BUDGET_S` per frame) and keeps up with the
lines the build adds, so the count of matches grows while the window stays smooth.
"""

from __future__ import annotations

import bisect
import time

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal

from ui.models.build_log_model import FRAME_MS, BuildLogModel

SEARCH_BUDGET_S = 0.002
SLICE = 1000  # lines looked at between two looks at the clock


class LogSearch(QObject):
    """The lines of a :class:`BuildLogModel` holding a text (case-insensitive), found frame by frame.

    Signals:
        changed(): matches were found, or the query changed (at most once per frame).
    """

    changed = Signal()

    def __init__(self, model: BuildLogModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._needle = ""
        self._matches: list[list[int]] = []  # per step row: line numbers holding the needle, in order
        self._scanned: list[int] = []  # per step row: lines looked at so far
        self._count = 0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_frame)
        model.rowsInserted.connect(self._rows_inserted)
        model.modelReset.connect(self._restart)

    @property
    def query(self) -> str:
        return self._needle

    def set_query(self, text: str) -> None:
        """Search for ``text`` from the start (an empty text finds nothing)."""
        needle = text.casefold()
        if needle == self._needle:
            return
        self._needle = needle
        self._restart()

    def count(self) -> int:
        """Matches found so far."""
        return self._count

    def is_complete(self) -> bool:
        """Whether every line in the model has been looked at."""
        return not self._timer.isActive()

    def matches_of(self, step_row: int) -> list[int]:
        """The line numbers of one step holding the text, in order (read it, do not change it)."""
        return self._matches[step_row] if step_row < len(self._matches) else []

    def finish(self) -> None:
        """Look at every line now, however long it takes (tests)."""
        while self._scan(3600.0):
            pass
        self._timer.stop()
        self.changed.emit()

    def next_match(self, after: tuple[int, int] | None, backwards: bool = False) -> tuple[int, int] | None:
        """The match after (or before) a place ``(step_row, line)``, going round the log; None when none.

        A place of ``(step_row, -1)`` is the step's heading: the next match is its first line's.
        """
        places = [(row, matches) for row, matches in enumerate(self._matches) if matches]
        if not places:
            return None
        if after is None:
            row, matches = places[-1] if backwards else places[0]
            return (row, matches[-1] if backwards else matches[0])
        step_row, line = after
        if not backwards:
            for row, matches in places:
                if row == step_row:
                    at = bisect.bisect_right(matches, line)
                    if at < len(matches):
                        return (row, matches[at])
                elif row > step_row:
                    return (row, matches[0])
            return (places[0][0], places[0][1][0])
        for row, matches in reversed(places):
            if row == step_row:
                at = bisect.bisect_left(matches, line)
                if at > 0:
                    return (row, matches[at - 1])
            elif row < step_row:
                return (row, matches[-1])
        return (places[-1][0], places[-1][1][-1])

    # --- finding ---------------------------------------------------------------------------------------

    def _restart(self) -> None:
        steps = self._model.step_count()
        self._matches = [[] for _ in range(steps)]
        self._scanned = [0] * steps
        self._count = 0
        self.changed.emit()
        self._wake()

    def _rows_inserted(self, parent: QModelIndex, _first: int, _last: int) -> None:
        if not parent.isValid():  # new steps
            grown = self._model.step_count() - len(self._matches)
            self._matches.extend([] for _ in range(grown))
            self._scanned.extend([0] * grown)
        self._wake()

    def _wake(self) -> None:
        if self._needle and not self._timer.isActive():
            self._timer.start()

    def _on_frame(self) -> None:
        found_before = self._count
        more = self._scan(SEARCH_BUDGET_S)
        if not more:
            self._timer.stop()
        if self._count != found_before or not more:  # the end of a search is news too ("no match")
            self.changed.emit()

    def _scan(self, budget_s: float) -> bool:
        """Look at lines for about ``budget_s``; True when some are still to be looked at."""
        if not self._needle:
            return False
        deadline = time.perf_counter() + budget_s
        needle = self._needle
        for row in range(len(self._scanned)):
            lines = self._model.step(row).lines
            while self._scanned[row] < len(lines):
                start = self._scanned[row]
                end = min(start + SLICE, len(lines))
                found = [i for i in range(start, end) if needle in lines[i].casefold()]
                self._matches[row].extend(found)
                self._count += len(found)
                self._scanned[row] = end
                if time.perf_counter() >= deadline:
                    return any(s < len(self._model.step(r).lines) for r, s in enumerate(self._scanned))
        return False
