"""Each block's build state on its canvas face, live: waiting, running (with the time so far), cached, done,
failed (with the engine's message and a hint when the mouse rests on it).

The marks are painted by an overlay laid over the canvas's viewport (a transparent sibling, so it is not
scrolled away with the rows, and lets every mouse event through to the canvas): the canvas and its
delegate are not changed at all. The overlay asks the canvas where a block's face is
(``visualRect`` + the delegate's ``body_rect``) only for the blocks that have a mark.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Document
from desktop.blocks.operations import Change, ChangeKind
from desktop.engine.build_events import BuildEvent, BuildFailed, StepState, StepUpdate
from ui.widgets.build_states import say, state_colour, state_text, text_on

# When a block has several steps (rare), the mark shows the one that matters most.
_WEIGHT = {
    StepState.FAILED: 4,
    StepState.RUNNING: 3,
    StepState.WAITING: 2,
    StepState.DONE: 1,
    StepState.CACHED: 0,
}
_NOT_STEPS = (Kind.COMMENT, Kind.BLANK, Kind.DIRECTIVE)  # lines of the file, not instructions
PILL_HEIGHT = 18.0
PILL_INSET = 12.0  # from the face's right edge


@dataclass
class Mark:
    """The build state of one block."""

    state: StepState
    started: float | None = None
    completed: float | None = None
    message: str = ""
    hint: str = ""

    def text(self, now: float) -> str:
        return state_text(self.state, self.started, self.completed, now)


class BuildMarks(QObject):
    """The build state of each block, from the events of the running (or last) build.

    Signals:
        changed(): some block's mark changed (or all were cleared).
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._marks: dict[str, Mark] = {}
        self._steps: dict[str, dict[str, Mark]] = {}  # block id -> step id -> that step's state

    def mark(self, block_id: str) -> Mark | None:
        return self._marks.get(block_id)

    def marked_ids(self) -> list[str]:
        return list(self._marks)

    def is_running(self) -> bool:
        return any(m.state is StepState.RUNNING for m in self._marks.values())

    def clear(self) -> None:
        """Forget every mark (a new build starts, or the project was replaced)."""
        if self._marks:
            self._marks.clear()
            self._steps.clear()
            self.changed.emit()

    def forget(self, block_ids: Iterable[str]) -> None:
        """Forget the marks of blocks that were edited: what the build said no longer holds for them."""
        gone = [b for b in block_ids if self._marks.pop(b, None) is not None]
        for block_id in gone:
            self._steps.pop(block_id, None)
        if gone:
            self.changed.emit()

    def apply(self, events: Iterable[BuildEvent]) -> None:
        """Follow a batch of build events (one ``changed`` for the whole batch)."""
        touched = False
        for event in events:
            if isinstance(event, StepUpdate) and event.block_id:
                steps = self._steps.setdefault(event.block_id, {})
                before = steps.get(event.step_id)
                steps[event.step_id] = Mark(
                    event.state,
                    event.started if event.started is not None else (before.started if before else None),
                    event.completed,
                )
                self._marks[event.block_id] = max(steps.values(), key=lambda m: _WEIGHT[m.state])
                touched = True
            elif isinstance(event, BuildFailed) and event.block_id:
                mark = self._marks.get(event.block_id) or Mark(StepState.FAILED)
                mark.state, mark.message, mark.hint = StepState.FAILED, event.message, event.hint or ""
                self._marks[event.block_id] = mark
                touched = True
        if touched:
            self.changed.emit()

    def finish_stages(self, document: Document) -> None:
        """The image was made: in every stage that was built, the blocks that had no step of their own
        (BuildKit makes none for ENV, LABEL, EXPOSE, CMD…: they only set the image's settings) are done."""
        settled = False
        for stage in document.stages():
            if stage.index < 0 or not any(b.id in self._marks for b in stage.blocks):
                continue  # the global part, or a stage the build did not need
            for block in stage.blocks:
                if block.id not in self._marks and block.kind not in _NOT_STEPS:
                    self._marks[block.id] = Mark(StepState.DONE)
                    settled = True
        if settled:
            self.changed.emit()

    def stop_running(self) -> None:
        """The build ended (cancelled, or the engine went away): no block is still waiting or running."""
        stopped = False
        for block_id in list(self._marks):
            if self._marks[block_id].state in (StepState.RUNNING, StepState.WAITING):
                del self._marks[block_id]
                self._steps.pop(block_id, None)
                stopped = True
        if stopped:
            self.changed.emit()


class BuildMarksOverlay(QWidget):
    """Paints the :class:`BuildMarks` of a canvas over its viewport; shows a failed block's message on hover.

    Args:
        canvas: the :class:`ui.widgets.canvas.CanvasWidget` (any QTreeView over a DocumentModel with a
            BlockDelegate works).
        marks: the marks to show.
    """

    def __init__(self, canvas: QWidget, marks: BuildMarks) -> None:
        super().__init__(canvas)
        self.setObjectName("BuildMarks")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._canvas = canvas
        self._marks = marks
        self._clock = QTimer(self)  # running blocks show their time: once a second
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._view_changed)
        marks.changed.connect(self._marks_changed)
        viewport = canvas.viewport()  # type: ignore[attr-defined]
        viewport.installEventFilter(self)
        canvas.verticalScrollBar().valueChanged.connect(self._view_changed)  # type: ignore[attr-defined]
        model = canvas.model()  # type: ignore[attr-defined]
        for signal in (
            model.rowsInserted,
            model.rowsRemoved,
            model.rowsMoved,
            model.modelReset,
            model.layoutChanged,
            model.dataChanged,
        ):
            signal.connect(self._view_changed)
        self._painted: list[QRect] = []  # where marks were last painted
        self.setGeometry(viewport.geometry())
        self.raise_()
        self._marks_changed()

    def _marks_changed(self) -> None:
        if self._marks.is_running():
            self._clock.start()
        else:
            self._clock.stop()
        # Hidden with no marks: the canvas then repaints as if the overlay were not there at all.
        self.setVisible(bool(self._marks.marked_ids()))
        self._view_changed()

    def _view_changed(self, *_args: object) -> None:
        """Repaint where marks were and where they are now, nothing else (an edit must stay cheap)."""
        if self.isHidden():
            self._painted = []
            return
        now = self._mark_rects()
        for rect in self._painted + now:
            self.update(rect)
        self._painted = now

    def _mark_rects(self) -> list[QRect]:
        rects: list[QRect] = []
        moment = time.time()
        for block_id in self._marks.marked_ids():
            mark = self._marks.mark(block_id)
            face = self.face_of(block_id)
            if mark is None or face is None:
                continue
            area = face.adjusted(-5, -5, 5, 5).united(
                self.pill_of(face, mark.text(moment)).adjusted(-2, -2, 2, 2)
            )
            if area.intersects(QRectF(self.rect())):
                rects.append(area.toAlignedRect())
        return rects

    # --- where things are ------------------------------------------------------------------------------

    def face_of(self, block_id: str) -> QRectF | None:
        """A block's face in the overlay's coordinates, None when the canvas does not show it."""
        canvas = self._canvas
        index = canvas.document_model.block_index(block_id)  # type: ignore[attr-defined]
        if not index.isValid():
            return None
        row = canvas.visualRect(index)  # type: ignore[attr-defined]
        if row.isEmpty():
            return None
        return canvas.itemDelegate().body_rect(QRectF(row), index, canvas.font())  # type: ignore[attr-defined,no-any-return]

    def pill_of(self, face: QRectF, text: str) -> QRectF:
        width = QFontMetricsF(self._pill_font()).horizontalAdvance(text) + 16
        # Across the face's top edge, at the right: on the edge, not on the block's words.
        return QRectF(face.right() - PILL_INSET - width, face.top() - PILL_HEIGHT / 2, width, PILL_HEIGHT)

    def _pill_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(12)
        return font

    def mark_at(self, point: QPoint) -> tuple[str, Mark] | None:
        """The marked block whose face or pill is under a point of the viewport."""
        now = time.time()
        for block_id in self._marks.marked_ids():
            mark = self._marks.mark(block_id)
            face = self.face_of(block_id)
            if mark is None or face is None:
                continue
            if face.contains(point.toPointF()) or self.pill_of(face, mark.text(now)).contains(
                point.toPointF()
            ):
                return block_id, mark
        return None

    # --- painting --------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        ids = self._marks.marked_ids()
        if not ids:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._pill_font())
        palette = self.palette()
        halo = palette.color(QPalette.ColorRole.Base)
        now = time.time()
        visible = QRectF(self.rect()).adjusted(0, -PILL_HEIGHT, 0, PILL_HEIGHT)
        for block_id in ids:
            mark = self._marks.mark(block_id)
            face = self.face_of(block_id)
            if mark is None or face is None or not face.intersects(visible):
                continue
            colour = state_colour(mark.state, palette)
            if mark.state is StepState.FAILED:  # a red ring on a light halo: seen even on a red-orange face
                painter.setBrush(Qt.BrushStyle.NoBrush)
                ring = face.adjusted(-2, -2, 2, 2)
                painter.setPen(QPen(halo, 6))
                painter.drawRoundedRect(ring, 8, 8)
                painter.setPen(QPen(colour, 3))
                painter.drawRoundedRect(ring, 8, 8)
            elif mark.state is StepState.RUNNING:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
                painter.drawRoundedRect(face.adjusted(-1, -1, 1, 1), 7, 7)
            text = mark.text(now)
            pill = self.pill_of(face, text)
            painter.setPen(QPen(halo, 2))
            painter.setBrush(colour)
            painter.drawRoundedRect(pill, PILL_HEIGHT / 2, PILL_HEIGHT / 2)
            painter.setPen(text_on(colour))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()

    # --- following the canvas --------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize:
            self.setGeometry(self._canvas.viewport().geometry())  # type: ignore[attr-defined]
        elif kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            found = self.mark_at(event.pos())
            if found is not None:
                QToolTip.showText(event.globalPos(), self.tooltip(found[1]), self._canvas)
                return True
        return False

    def tooltip(self, mark: Mark) -> str:
        """What the mouse resting on a marked block shows: its state, and for a failure what went wrong."""
        if mark.state is not StepState.FAILED or not mark.message:
            return mark.text(time.time())
        text = say("mark.tooltip.failed", message=mark.message)
        if mark.hint:
            text += "\n" + say("mark.tooltip.hint", hint=mark.hint)
        return text


def follow_document(marks: BuildMarks, change: Change) -> None:
    """Forget the marks of the blocks an edit touched (connected to the controller's ``changed``)."""
    if change.kind is ChangeKind.RESET:
        marks.clear()
    elif change.kind in (ChangeKind.PARAMS, ChangeKind.REMOVED):
        marks.forget(change.block_ids)
