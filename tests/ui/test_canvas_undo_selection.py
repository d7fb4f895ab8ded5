"""Undoing (and redoing) a move keeps the moved block selected on the canvas, and scrolls it into view.

A move is shown as rows removed in one place and inserted in another. The view's selection model drops a
removed row from the selection as the rows go; the canvas must not take that passing state for the user's
choice and clear the controller's selection.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.controller import DocumentController
from ui.models import block_edits
from ui.widgets.canvas import CanvasWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NO_MODS = Qt.KeyboardModifier.NoModifier
MOVE_OR_COPY = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
LONG = "FROM alpine\n" + "".join(f"RUN echo step {n}\n" for n in range(1, 25))


def make_canvas(controller: DocumentController, qtbot, height: int = 900) -> CanvasWidget:
    view = CanvasWidget(controller)
    qtbot.addWidget(view)
    view.resize(560, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def ids(controller: DocumentController) -> list[str]:
    return [b.id for b in controller.document.blocks]


def upper_half(canvas: CanvasWidget, block_id: str) -> QPoint:
    rect = canvas.visualRect(canvas.document_model.block_index(block_id))
    return QPoint(rect.center().x(), rect.top() + 10)


def drag_drop(canvas: CanvasWidget, block_id: str, point: QPoint) -> None:
    """A drag of one canvas block released at ``point``, with the events the platform sends."""
    mime = block_edits.ids_mime([block_id])
    args = (MOVE_OR_COPY, mime, Qt.MouseButton.LeftButton, NO_MODS)
    for event in (QDragEnterEvent(point, *args), QDragMoveEvent(point, *args)):
        QApplication.sendEvent(canvas.viewport(), event)
        assert event.isAccepted()
    drop = QDropEvent(QPointF(point), *args)
    QApplication.sendEvent(canvas.viewport(), drop)
    assert drop.isAccepted()


def shown_selection(canvas: CanvasWidget) -> list[str | None]:
    return [canvas.document_model.block_id(i) for i in canvas.selectedIndexes()]


def in_view(canvas: CanvasWidget, block_id: str) -> bool:
    rect = canvas.visualRect(canvas.document_model.block_index(block_id))
    # The last row also holds its stage's foot, which may end a pixel below the viewport.
    return canvas.viewport().rect().intersected(rect).height() >= rect.height() - 4


def assert_selected(canvas: CanvasWidget, controller: DocumentController, block_id: str) -> None:
    assert controller.selection() == [block_id]
    assert shown_selection(canvas) == [block_id]
    assert canvas.currentIndex() == canvas.document_model.block_index(block_id)
    assert in_view(canvas, block_id)


def test_undoing_a_drag_move_keeps_the_block_selected(controller: DocumentController, qtbot) -> None:
    canvas = make_canvas(controller, qtbot)
    run = ids(controller)[3]
    workdir = ids(controller)[1]
    drag_drop(canvas, run, upper_half(canvas, workdir))
    assert ids(controller).index(run) == 1
    assert_selected(canvas, controller, run)
    controller.undo_stack.undo()
    assert ids(controller).index(run) == 3
    assert_selected(canvas, controller, run)
    controller.undo_stack.redo()
    assert ids(controller).index(run) == 1
    assert_selected(canvas, controller, run)


def test_undoing_alt_up_keeps_the_block_selected(controller: DocumentController, qtbot) -> None:
    canvas = make_canvas(controller, qtbot)
    run = ids(controller)[3]
    controller.select([run])
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert ids(controller).index(run) == 2
    controller.undo_stack.undo()
    assert ids(controller).index(run) == 3
    assert_selected(canvas, controller, run)


def test_undoing_a_move_from_far_away_scrolls_the_block_back_into_view(
    controller_for: Callable[[str], DocumentController], qtbot
) -> None:
    controller = controller_for(LONG)
    canvas = make_canvas(controller, qtbot, height=320)
    last = ids(controller)[-1]
    controller.select([last])
    assert in_view(canvas, last)
    block_edits.move_blocks(controller, [last], 1)  # what a drop above the first RUN does
    canvas.scrollToTop()
    assert_selected(canvas, controller, last)
    controller.undo_stack.undo()
    assert ids(controller)[-1] == last
    assert_selected(canvas, controller, last)
