"""Blocks dragged out of the window and let go there are deleted; let go anywhere else, they are not.

Qt's offscreen platform has no drag loop of its own (``QDrag.exec`` returns at once), so the drag is started
with real mouse events and the loop is stood in for: it puts the pointer where the hand would be (outside
the window, over the preview, back over the canvas), lets the canvas's timers run as they would during the
real loop, and ends the drag with what Qt reports there, ``IgnoreAction`` when nothing took the drop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCursor, QDrag
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QWidget

from ui.controller import DocumentController
from ui.widgets.canvas import CanvasWidget
from ui.widgets.canvas_drop import FOLLOW_MS, delete_cursor, outside_every_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NO_MODS = Qt.KeyboardModifier.NoModifier
IGNORE = Qt.DropAction.IgnoreAction


class Window:
    """A window like the main one: the canvas beside a read-only text that takes no drops."""

    def __init__(self, controller: DocumentController, qtbot) -> None:
        self.top = QWidget()
        qtbot.addWidget(self.top)
        self.canvas = CanvasWidget(controller, self.top)
        self.preview = QPlainTextEdit("FROM python:3.12-slim AS build\n", self.top)
        self.preview.setReadOnly(True)
        layout = QHBoxLayout(self.top)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.preview, 1)
        self.top.resize(900, 700)
        self.top.move(0, 0)
        self.top.show()
        qtbot.waitExposed(self.top)

    def outside(self) -> QPoint:
        frame = self.top.frameGeometry()
        return QPoint(frame.right() + 150, frame.center().y())

    def over_preview(self) -> QPoint:
        return self.preview.mapToGlobal(self.preview.rect().center())

    def block_point(self, controller: DocumentController, position: int) -> QPoint:
        index = self.canvas.document_model.block_index(controller.document.blocks[position].id)
        return self.canvas.visualRect(index).center()


@pytest.fixture
def window(controller: DocumentController, qtbot) -> Iterator[Window]:
    made = Window(controller, qtbot)
    yield made
    QCursor.setPos(QPoint(0, 0))


class Hand:
    """Stands in for the platform's drag loop: where the pointer goes, what it sees, how the drag ends."""

    def __init__(self, qtbot, path: list[QPoint], result: Qt.DropAction, escape: bool = False) -> None:
        self.qtbot, self.path, self.result, self.escape = qtbot, path, result, escape
        self.cursors: list[bool] = []  # per stop: does the drag show its own "delete" cursor there?
        self.drags = 0

    def __call__(self, drag: QDrag, *_args: object) -> Qt.DropAction:
        self.drags += 1
        for point in self.path:
            QCursor.setPos(point)
            self.qtbot.wait(FOLLOW_MS * 4)  # the real loop runs the canvas's timers meanwhile
            self.cursors.append(not drag.dragCursor(IGNORE).isNull())
        if self.escape:
            QTest.keyClick(drag.source(), Qt.Key.Key_Escape)
        return self.result


def drag_block(window: Window, controller: DocumentController, position: int) -> None:
    """Select the block at ``position`` with a click and drag it with the real mouse until the drag starts."""
    viewport = window.canvas.viewport()
    start = window.block_point(controller, position)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, NO_MODS, start)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, NO_MODS, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + QPoint(step * 12, 0))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, NO_MODS, start + QPoint(60, 0))


def ids(controller: DocumentController) -> list[str]:
    return [b.id for b in controller.document.blocks]


@pytest.fixture
def hand(monkeypatch, qtbot) -> Callable[..., Hand]:
    def make(path: list[QPoint], result: Qt.DropAction = IGNORE, escape: bool = False) -> Hand:
        made = Hand(qtbot, path, result, escape)
        monkeypatch.setattr(QDrag, "exec", lambda drag, *args: made(drag, *args))
        return made

    return make


def test_a_block_let_go_outside_the_window_is_deleted_in_one_undo_step(
    window: Window, controller: DocumentController, hand: Callable[..., Hand]
) -> None:
    before = ids(controller)
    run = before[3]
    loop = hand([window.over_preview(), window.outside()])
    drag_block(window, controller, 3)
    assert loop.drags == 1
    assert run not in ids(controller)
    assert controller.undo_stack.count() == 1
    assert controller.undo_stack.undoText() == "Delete RUN"
    controller.undo_stack.undo()
    assert ids(controller) == before  # back in its place


def test_the_cursor_says_delete_only_while_outside_the_window(
    window: Window, controller: DocumentController, hand: Callable[..., Hand]
) -> None:
    loop = hand([window.over_preview(), window.outside(), window.over_preview()])
    drag_block(window, controller, 3)
    assert loop.cursors == [False, True, False]


def test_a_block_let_go_on_a_place_inside_that_takes_nothing_stays(
    window: Window, controller: DocumentController, hand: Callable[..., Hand]
) -> None:
    before = ids(controller)
    hand([window.outside(), window.over_preview()])
    drag_block(window, controller, 3)
    assert ids(controller) == before
    assert controller.undo_stack.count() == 0


def test_escape_outside_the_window_cancels_the_drag(
    window: Window, controller: DocumentController, hand: Callable[..., Hand]
) -> None:
    before = ids(controller)
    hand([window.outside()], escape=True)
    drag_block(window, controller, 3)
    assert ids(controller) == before
    assert controller.undo_stack.count() == 0


def test_a_drag_that_never_showed_the_delete_cursor_deletes_nothing(
    window: Window, controller: DocumentController, monkeypatch
) -> None:
    # A platform without a drag loop (offscreen) ends the drag at once: the pointer may be anywhere.
    before = ids(controller)
    QCursor.setPos(window.outside())
    monkeypatch.setattr(QDrag, "exec", lambda *_args: IGNORE)
    drag_block(window, controller, 3)
    assert ids(controller) == before


def test_a_drop_some_other_program_took_deletes_nothing(
    window: Window, controller: DocumentController, hand: Callable[..., Hand]
) -> None:
    # Another application that accepts the drop (a file manager, say) reports a copy: the blocks stay.
    before = ids(controller)
    hand([window.outside()], result=Qt.DropAction.CopyAction)
    drag_block(window, controller, 3)
    assert ids(controller) == before


def test_several_selected_blocks_leave_together(
    window: Window, controller: DocumentController, hand: Callable[..., Hand]
) -> None:
    before = ids(controller)
    loop = hand([window.outside()])
    controller.select([before[1], before[2]])
    viewport = window.canvas.viewport()
    start = window.block_point(controller, 1)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, NO_MODS, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + QPoint(step * 12, 0))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, NO_MODS, start + QPoint(60, 0))
    assert loop.drags == 1
    assert ids(controller) == [before[0], *before[3:]]
    assert controller.undo_stack.undoText() == "Delete 2 blocks"


def test_outside_means_outside_every_shown_window(window: Window) -> None:
    assert outside_every_window(window.outside())
    assert not outside_every_window(window.over_preview())
    window.top.hide()
    assert outside_every_window(window.over_preview())


def test_the_delete_cursor_reads_well(window: Window, tmp_path) -> None:
    one, many = delete_cursor(window.canvas.font(), 1), delete_cursor(window.canvas.font(), 3)
    assert many.width() > one.width() > 0
    # The arrow's tip is the hot spot, which Qt puts in the middle of the picture: it is drawn there.
    image = one.toImage()
    tip = image.pixelColor(image.width() // 2 + 1, image.height() // 2 + 3)
    assert tip.alpha() > 0
    corner = image.pixelColor(2, 2)
    assert corner.alpha() == 0
    one.save(str(tmp_path / "delete-cursor.png"))
