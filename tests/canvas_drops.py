"""Drops on the canvas as the platform delivers them: drag-enter, drag-move and drop events at real
positions in the view (Qt's offscreen platform cannot run a real drag loop: ``QDrag.exec`` returns at once).
The real-mouse proof across that loop is the end-to-end test's, under Xvfb."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shown_window import shown

from desktop.blocks.kinds import Kind
from ui.controller import DocumentController
from ui.models import block_edits
from ui.widgets.canvas import CanvasWidget

NO_MODS = Qt.KeyboardModifier.NoModifier
MOVE_OR_COPY = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction


def drag_event(event_type: type, point: QPoint | QPointF, mime: QMimeData, mods=NO_MODS) -> QDragMoveEvent:
    """A drag-enter or drag-move event as the platform sends it (Qt 6.12 wants QPointF, earlier QPoint)."""
    args = (Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, mods)
    try:
        return event_type(QPointF(point), *args)
    except TypeError:
        return event_type(QPointF(point).toPoint(), *args)


def kind_mime(kind: Kind) -> QMimeData:
    mime = QMimeData()
    mime.setData(block_edits.KIND_MIME, kind.value.encode())
    return mime


def spot(canvas: CanvasWidget, position: int, half: str) -> QPoint:
    """A viewport point in the upper or lower half of the block at a document position."""
    index = canvas.document_model.block_index(canvas._controller.document.blocks[position].id)
    rect = canvas.visualRect(index)
    body_top = rect.top() + 4
    return QPoint(rect.center().x(), body_top + (6 if half == "upper" else 34))


def hover(canvas: CanvasWidget, mime: QMimeData, point: QPoint, mods=NO_MODS) -> int | None:
    """Drag ``mime`` into the canvas to ``point``; the position the drop indicator then shows."""
    viewport = canvas.viewport()
    enter = drag_event(QDragEnterEvent, point, mime, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = drag_event(QDragMoveEvent, point, mime, mods)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    return canvas.drop_indicator_position()


def drop(canvas: CanvasWidget, mime: QMimeData, point: QPoint, mods=NO_MODS) -> Qt.DropAction:
    """Drag ``mime`` to ``point`` and release it there; returns the action the canvas took."""
    hover(canvas, mime, point, mods)
    event = QDropEvent(QPointF(point), MOVE_OR_COPY, mime, Qt.MouseButton.LeftButton, mods)
    QApplication.sendEvent(canvas.viewport(), event)
    assert event.isAccepted()
    assert canvas.drop_indicator_position() is None
    return event.dropAction()


def shown_canvas(
    qtbot: QtBot, controller: DocumentController, width: int = 560, height: int = 900
) -> CanvasWidget:
    """A canvas on the controller's document, shown at a size and exposed."""
    return shown(qtbot, CanvasWidget(controller), width, height)
