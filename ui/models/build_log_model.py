"""The build log as a Qt item model: one row per step, the lines that step printed as its children.

A build can print tens of thousands of lines a second, and the window must stay smooth meanwhile. So
events are never applied as they arrive: :meth:`BuildLogModel.feed` only queues them, and a timer applies
the queue frame by frame, each frame doing at most :data:`FRAME_BUDGET_S` of work and telling the views
once per step per frame (one ``rowsInserted`` for all the lines a step got in that frame). A naive loop
that applied everything queued at once stalled the window for half a second under a fast build.
"""

from __future__ import annotations

import enum
import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal

from desktop.engine.build_events import BuildEvent, StepLog, StepState, StepUpdate

AnyIndex = QModelIndex | QPersistentModelIndex

FRAME_MS = 16  # the queue is looked at once per frame of a 60 Hz screen
FRAME_BUDGET_S = 0.002  # the most a frame spends applying the queue: the rest is the window's
SLICE_LINES = 2000  # a long batch of lines is applied in slices, so the budget is checked between them
FRAME_LINES = 5_000  # the most lines one frame takes (300,000 a second at 60 frames)
MAX_LINES = 1_000_000  # beyond this the log keeps counting lines but stops keeping them (memory)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class LogRole(enum.IntEnum):
    """Item data roles of the build log (beyond Qt's display role)."""

    IS_STEP = Qt.ItemDataRole.UserRole + 1  # bool: a step row (False: a line)
    STATE = enum.auto()  # StepState value of the step (a line: its step's)
    BLOCK_ID = enum.auto()  # the block the step comes from, "" for the builder's own steps
    STEP_ID = enum.auto()  # the step's id in the build
    STARTED = enum.auto()  # float seconds since the epoch, or None
    COMPLETED = enum.auto()  # float seconds since the epoch, or None
    LINE_COUNT = enum.auto()  # int: lines the step printed (including any not kept)


@dataclass
class LogStep:
    """One step of the build and what it printed."""

    step_id: str
    name: str
    block_id: str | None
    state: StepState = StepState.WAITING
    started: float | None = None
    completed: float | None = None
    lines: list[str] = field(default_factory=list)
    dropped: int = 0  # lines printed past MAX_LINES, counted but not kept


def clean_line(line: str) -> str:
    """A line as a log shows it: colour codes removed, and of a line redrawn with carriage returns (a
    progress bar) only its last state."""
    if "\r" in line:
        line = line.rstrip("\r").rsplit("\r", 1)[-1]
    if "\x1b" in line:
        line = _ANSI.sub("", line)
    return line


class BuildLogModel(QAbstractItemModel):
    """Steps (top-level rows) and their lines (children), filled from build events a frame at a time.

    Signals:
        stepChanged(int): a step's state, name or times changed (its row number).
        caughtUp(): the queue became empty: everything fed so far is in the model.
    """

    stepChanged = Signal(int)
    caughtUp = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[LogStep] = []
        self._row_of: dict[str, int] = {}
        self._queue: deque[BuildEvent] = deque()
        self._head_offset = 0  # lines of the queue's first event already applied
        self._kept = 0
        self.longest_line = 0  # in characters, for the view's horizontal scrolling
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_frame)

    # --- feeding ---------------------------------------------------------------------------------------

    def feed(self, events: Iterable[BuildEvent]) -> None:
        """Queue build events; they reach the model (and the views) over the next frames."""
        self._queue.extend(events)
        if self._queue and not self._timer.isActive():
            self._timer.start()

    def pending(self) -> int:
        """Events fed but not applied yet."""
        return len(self._queue)

    def flush(self) -> None:
        """Apply everything queued now, however long it takes (the end of a build, tests)."""
        while self._queue:
            self.drain(budget_s=3600.0)

    def clear(self) -> None:
        """Forget every step, line and queued event (a new build starts)."""
        self._queue.clear()
        self._head_offset = 0
        self._timer.stop()
        self.beginResetModel()
        self._steps.clear()
        self._row_of.clear()
        self._kept = 0
        self.longest_line = 0
        self.endResetModel()

    def drain(self, budget_s: float = FRAME_BUDGET_S) -> bool:
        """Apply queued events for about ``budget_s`` seconds; True when some are still queued.

        Every piece of work per line (cleaning, measuring) happens inside the loop that watches the clock,
        and a frame takes at most :data:`FRAME_LINES` lines: what is left for the end of the frame (one
        ``rowsInserted`` per step) costs the same for ten lines as for ten thousand.
        """
        deadline = time.perf_counter() + budget_s
        new_lines: dict[int, list[str]] = {}
        queue = self._queue
        taken = 0
        longest = self.longest_line
        while queue and taken < FRAME_LINES:
            event = queue[0]
            if isinstance(event, StepLog):
                # A long batch goes a slice at a time; the rest stays in front, for this frame or the next.
                start = self._head_offset
                end = min(start + SLICE_LINES, len(event.lines), start + FRAME_LINES - taken)
                row = self._ensure_step(event.step_id, event.block_id)
                lines = [clean_line(t) if ("\r" in t or "\x1b" in t) else t for t in event.lines[start:end]]
                if lines:
                    longest = max(longest, max(map(len, lines)))
                new_lines.setdefault(row, []).extend(lines)
                taken += end - start
                if end < len(event.lines):
                    self._head_offset = end
                else:
                    self._head_offset = 0
                    queue.popleft()
            elif isinstance(event, StepUpdate):
                queue.popleft()
                self._update_step(event)
            else:
                queue.popleft()  # upload progress and the end of the build are the panel's, not the log's
            if time.perf_counter() >= deadline:
                break
        self.longest_line = longest
        for row, lines in new_lines.items():
            self._append_lines(row, lines)
        if not queue:
            self._timer.stop()
            self.caughtUp.emit()
        return bool(queue)

    def _on_frame(self) -> None:
        self.drain()

    def _ensure_step(self, step_id: str, block_id: str | None) -> int:
        row = self._row_of.get(step_id)
        if row is None:  # lines before the step was announced (the classic builder may do that)
            row = self._add_step(LogStep(step_id, step_id, block_id, StepState.RUNNING))
        return row

    def _update_step(self, event: StepUpdate) -> None:
        row = self._row_of.get(event.step_id)
        if row is None:
            self._add_step(
                LogStep(
                    event.step_id, event.name, event.block_id, event.state, event.started, event.completed
                )
            )
            return
        step = self._steps[row]
        step.state = event.state
        step.name = event.name or step.name
        step.block_id = event.block_id if event.block_id is not None else step.block_id
        step.started = event.started if event.started is not None else step.started
        step.completed = event.completed if event.completed is not None else step.completed
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)
        self.stepChanged.emit(row)

    def _add_step(self, step: LogStep) -> int:
        row = len(self._steps)
        self.beginInsertRows(QModelIndex(), row, row)
        self._steps.append(step)
        self._row_of[step.step_id] = row
        self.endInsertRows()
        self.stepChanged.emit(row)
        return row

    def _append_lines(self, row: int, lines: list[str]) -> None:
        if not lines:
            return
        step = self._steps[row]
        room = MAX_LINES - self._kept
        if room < len(lines):
            step.dropped += len(lines) - max(room, 0)
            lines = lines[: max(room, 0)]
            if not lines:
                return
        first = len(step.lines)
        self.beginInsertRows(self.index(row, 0), first, first + len(lines) - 1)
        step.lines.extend(lines)
        self._kept += len(lines)
        self.endInsertRows()

    # --- reading (Python side, for views and the search) -----------------------------------------------

    def step(self, row: int) -> LogStep:
        """The step of a top-level row (read it, do not change it)."""
        return self._steps[row]

    def step_count(self) -> int:
        return len(self._steps)

    def step_row(self, step_id: str) -> int | None:
        """The row of a step by its id, None when the log has no such step."""
        return self._row_of.get(step_id)

    def line_count(self) -> int:
        """Lines kept in the log, every step together."""
        return self._kept

    def step_title(self, step: LogStep) -> str:
        """A step's row text: its name, or the block's own words when the builder named it by a digest."""
        return step.name or step.step_id

    # --- QAbstractItemModel ----------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._steps) else QModelIndex()
        if parent.internalId() != 0 or parent.row() >= len(self._steps):
            return QModelIndex()  # lines have no children
        if row >= len(self._steps[parent.row()].lines):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)  # internal id: the step's row + 1

    def parent(self, child: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._steps)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self._steps[parent.row()].lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        is_step = index.internalId() == 0
        step = self._steps[index.row() if is_step else index.internalId() - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.step_title(step) if is_step else step.lines[index.row()]
        if role == LogRole.IS_STEP:
            return is_step
        if role == LogRole.STATE:
            return step.state.value
        if role == LogRole.BLOCK_ID:
            return step.block_id or ""
        if role == LogRole.STEP_ID:
            return step.step_id
        if role == LogRole.STARTED:
            return step.started
        if role == LogRole.COMPLETED:
            return step.completed
        if role == LogRole.LINE_COUNT:
            return len(step.lines) + step.dropped
        return None
