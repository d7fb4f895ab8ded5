"""The canvas: drops land where the indicator shows, keys edit, the clipboard works, each edit undoes.

Qt's offscreen platform cannot run a real drag loop (``QDrag.exec`` returns at once), so drops are driven
here by the same drag-enter/move/drop events the platform would send, at real positions in the view. The
mouse drag itself is started with real mouse events (press, move past the drag distance); only the
platform loop between the start and the drop is stood in for. The real-mouse proof across that loop is
the end-to-end test's, under Xvfb.
"""

from __future__ import annotations

import pytest
from canvas_drops import MOVE_OR_COPY, NO_MODS, drag_event, drop, hover, kind_mime, shown_canvas, spot
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QPushButton, QVBoxLayout, QWidget

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.blocks.operations import InsertBlocks, SetParams
from ui.controller import DocumentController
from ui.models import block_edits
from ui.models.document_model import BlockRole
from ui.widgets.block_delegate import GAP
from ui.widgets.block_paint import ERROR_COLOUR, badges_for, stage_colour
from ui.widgets.canvas import CanvasWidget
from ui.widgets.canvas_drop import empty_hint_ghost, indicator_line
from ui.widgets.palette import PaletteWidget

# The offscreen platform says this when a window with a layout is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def canvas(controller: DocumentController, qtbot) -> CanvasWidget:
    return shown_canvas(qtbot, controller)


def kinds(controller: DocumentController) -> list[str]:
    return [b.kind.value for b in controller.document.blocks]


def ids(controller: DocumentController) -> list[str]:
    return [b.id for b in controller.document.blocks]


# --- dropping from the palette ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "half", "expected"),
    # Above the first FROM an EXPOSE would be refused by Docker: it goes to the start of that stage.
    [(2, "upper", 2), (2, "lower", 3), (5, "upper", 5), (8, "lower", 9), (0, "upper", 1)],
)
def test_a_palette_drop_lands_where_the_indicator_shows(
    canvas: CanvasWidget, controller: DocumentController, position: int, half: str, expected: int
) -> None:
    point = spot(canvas, position, half)
    assert hover(canvas, kind_mime(Kind.EXPOSE), point) == expected
    before = ids(controller)
    drop(canvas, kind_mime(Kind.EXPOSE), point)
    added = controller.document.blocks[expected]
    assert added.kind is Kind.EXPOSE
    assert ids(controller) == [*before[:expected], added.id, *before[expected:]]
    assert controller.selection() == [added.id]
    assert canvas.selectionModel().isSelected(canvas.document_model.block_index(added.id))
    assert controller.undo_stack.undoText() == "Add EXPOSE"
    controller.undo_stack.undo()
    assert ids(controller) == before


def test_a_block_from_the_palette_asks_for_its_form_and_a_moved_one_keeps_the_canvas(
    qtbot, canvas: CanvasWidget, controller: DocumentController
) -> None:
    # What the user types after dropping a new block fills its first field (it went nowhere before).
    with qtbot.waitSignal(canvas.editRequested, timeout=1000) as asked:
        drop(canvas, kind_mime(Kind.RUN), spot(canvas, 2, "upper"))
    assert asked.args == [controller.document.blocks[2].id]
    moved: list[str] = []
    canvas.editRequested.connect(moved.append)
    drop(canvas, block_edits.ids_mime([controller.document.blocks[2].id]), spot(canvas, 4, "lower"))
    assert moved == []


def test_only_what_docker_allows_there_goes_before_the_first_stage(qtbot, controller_for) -> None:
    controller = controller_for("ARG V=1\n# about this file\nFROM alpine:3.20\nRUN echo hi\n")
    view = shown_canvas(qtbot, controller)
    above = spot(view, 1, "upper")  # between the ARG and the comment, in the build settings
    for kind, expected in ((Kind.ARG, 1), (Kind.COMMENT, 1), (Kind.WORKDIR, 3), (Kind.FROM, 1)):
        assert hover(view, kind_mime(kind), above) == expected, kind
    drop(view, kind_mime(Kind.WORKDIR), above)
    assert kinds(controller) == ["ARG", "comment", "FROM", "WORKDIR", "RUN"]
    run = controller.document.blocks[-1].id
    drop(view, block_edits.ids_mime([run]), spot(view, 0, "upper"))  # a RUN moved to the very top
    assert kinds(controller) == ["ARG", "comment", "FROM", "RUN", "WORKDIR"]


def test_the_indicator_is_drawn_between_the_blocks_it_names(canvas: CanvasWidget) -> None:
    model, blocks = canvas.document_model, canvas._controller.document.blocks
    line = indicator_line(canvas, model, canvas._delegate, 2)
    above = canvas.visualRect(model.block_index(blocks[1].id))
    below = canvas.visualRect(model.block_index(blocks[2].id))
    assert above.bottom() - GAP < line.y1() < below.top() + 4
    assert line.y1() == line.y2()
    # Position 5 starts the second stage: a block dropped there ends the first, so the line is drawn there.
    end_of_first = canvas.visualRect(model.block_index(blocks[4].id))
    line = indicator_line(canvas, model, canvas._delegate, 5)
    assert end_of_first.top() < line.y1() <= end_of_first.bottom()


def test_dropping_on_a_stage_header_puts_the_block_where_that_stage_starts(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    header = canvas.visualRect(canvas.document_model.index(1, 0)).center()
    assert hover(canvas, kind_mime(Kind.RUN), header) == 5


def test_a_drop_below_every_block_goes_to_the_end(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    below = QPoint(100, canvas.viewport().height() - 5)
    drop(canvas, kind_mime(Kind.CMD), below)
    assert kinds(controller)[-1] == "CMD"
    assert controller.selection() == [controller.document.blocks[-1].id]


def test_dropping_a_from_starts_a_new_stage(canvas: CanvasWidget, controller: DocumentController) -> None:
    drop(canvas, kind_mime(Kind.FROM), spot(canvas, 2, "lower"))
    model = canvas.document_model
    assert model.rowCount() == 3
    new_from = controller.document.blocks[3]
    assert new_from.params["image"] == "alpine"
    assert model.block_index(new_from.id).parent().row() == 1
    assert controller.selection() == [new_from.id]
    assert canvas.selectedIndexes() == [model.block_index(new_from.id)]
    controller.undo_stack.undo()
    assert model.rowCount() == 2


def test_a_drop_on_an_empty_canvas_starts_the_document(qtbot, controller_for) -> None:
    controller = controller_for("")
    view = CanvasWidget(controller)
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    drop(view, kind_mime(Kind.FROM), QPoint(250, 200))
    assert kinds(controller) == ["FROM"]
    assert view.document_model.rowCount() == 1


def test_a_click_on_the_empty_canvass_faded_from_adds_one(qtbot, controller_for) -> None:
    # It looks like a block: a click on it does what it suggests (it did nothing).
    controller = controller_for("")
    view = shown_canvas(qtbot, controller, 500, 600)
    ghost = empty_hint_ghost(view.viewport().rect().toRectF(), view.font())
    assert ghost is not None
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, NO_MODS, QPoint(10, 10))
    assert kinds(controller) == []  # elsewhere on the invitation: nothing
    with qtbot.waitSignal(view.editRequested) as asked:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, NO_MODS, ghost.center().toPoint())
    assert kinds(controller) == ["FROM"] and asked.args == [controller.document.blocks[0].id]
    assert controller.selection() == asked.args and controller.undo_stack.undoText() == "Add FROM"


# --- moving, copying and deleting by dragging --------------------------------------------------------


def test_dragging_a_block_moves_it_into_another_stage(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    run = controller.document.blocks[3].id
    action = drop(canvas, block_edits.ids_mime([run]), spot(canvas, 6, "lower"))
    assert action == Qt.DropAction.MoveAction
    assert ids(controller).index(run) == 6
    assert canvas.document_model.block_index(run).parent().row() == 1
    assert controller.selection() == [run]
    assert controller.undo_stack.undoText() == "Move RUN"
    controller.undo_stack.undo()
    assert ids(controller).index(run) == 3


def test_dragging_with_ctrl_copies(canvas: CanvasWidget, controller: DocumentController) -> None:
    run = controller.document.blocks[3].id
    drop(canvas, block_edits.ids_mime([run]), spot(canvas, 0, "lower"), Qt.KeyboardModifier.ControlModifier)
    assert kinds(controller)[:3] == ["FROM", "RUN", "WORKDIR"]
    assert ids(controller)[1] != run
    assert run in ids(controller)


def test_a_drop_where_the_block_already_is_changes_nothing(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    run = controller.document.blocks[3].id
    drop(canvas, block_edits.ids_mime([run]), spot(canvas, 3, "lower"))
    assert controller.undo_stack.count() == 0


def test_a_real_mouse_drag_starts_with_the_selected_blocks(
    canvas: CanvasWidget, controller: DocumentController, monkeypatch
) -> None:
    started: list[list[str]] = []
    target = spot(canvas, 7, "lower")

    def platform_drag(drag: QDrag, *_args: object) -> Qt.DropAction:
        # Stands in for the platform's drag loop: the mouse goes to ``target`` and lets go there.
        started.append(block_edits.ids_from_mime(drag.mimeData()))
        return drop(canvas, drag.mimeData(), target)

    monkeypatch.setattr(QDrag, "exec", platform_drag)
    workdir = controller.document.blocks[1].id
    start = spot(canvas, 1, "upper")
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, NO_MODS, start)
    assert controller.selection() == [workdir]
    QTest.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, NO_MODS, start)
    for step in range(1, 6):
        QTest.mouseMove(canvas.viewport(), start + QPoint(0, step * 10))
    QTest.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, NO_MODS, start + QPoint(0, 50))
    assert started == [[workdir]]
    assert ids(controller).index(workdir) == 7


def test_clicking_a_stage_heading_selects_the_whole_stage(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    heading = canvas.visualRect(canvas.document_model.index(1, 0)).center()
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, NO_MODS, heading)
    assert controller.selection() == ids(controller)[5:]
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Delete)
    assert kinds(controller) == ["FROM", "WORKDIR", "COPY", "RUN", "blank"]
    assert canvas.document_model.rowCount() == 1


def test_dragging_a_stage_heading_moves_the_whole_stage(
    canvas: CanvasWidget, controller: DocumentController, monkeypatch
) -> None:
    first_stage = ids(controller)[:5]
    below_everything = QPoint(100, canvas.viewport().height() - 5)
    monkeypatch.setattr(QDrag, "exec", lambda drag, *_args: drop(canvas, drag.mimeData(), below_everything))
    heading = canvas.visualRect(canvas.document_model.index(0, 0)).center()
    QTest.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, NO_MODS, heading)
    for step in range(1, 6):
        QTest.mouseMove(canvas.viewport(), heading + QPoint(0, step * 10))
    QTest.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, NO_MODS, heading + QPoint(0, 50))
    assert ids(controller)[4:] == first_stage
    assert canvas.document_model.index(1, 0).data() == "Stage 2 · build (from python:3.12-slim)"
    assert controller.undo_stack.undoText() == "Move 5 blocks"


def test_dragging_blocks_onto_the_palette_deletes_them(
    canvas: CanvasWidget, controller: DocumentController, qtbot
) -> None:
    palette = PaletteWidget(controller)
    qtbot.addWidget(palette)
    palette.resize(280, 600)
    palette.show()
    doomed = [controller.document.blocks[1].id, controller.document.blocks[3].id]
    mime = block_edits.ids_mime(doomed)
    point = QPoint(100, 100)
    buttons = Qt.MouseButton.LeftButton
    enter = drag_event(QDragEnterEvent, point, mime)
    QApplication.sendEvent(palette.view.viewport(), enter)
    assert enter.isAccepted() and enter.dropAction() == Qt.DropAction.MoveAction
    event = QDropEvent(QPointF(point), MOVE_OR_COPY, mime, buttons, NO_MODS)
    QApplication.sendEvent(palette.view.viewport(), event)
    assert event.isAccepted()
    assert not set(doomed) & set(ids(controller))
    assert controller.undo_stack.undoText() == "Delete 2 blocks"
    controller.undo_stack.undo()
    assert set(doomed) <= set(ids(controller))


# --- keyboard ---------------------------------------------------------------------------------------


def select(canvas: CanvasWidget, *positions: int) -> list[str]:
    chosen = [canvas._controller.document.blocks[p].id for p in positions]
    canvas._controller.select(chosen)
    canvas.setFocus()
    return chosen


def test_alt_up_and_down_move_the_selected_block(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    (run,) = select(canvas, 3)
    QTest.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert ids(controller).index(run) == 2
    QTest.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert ids(controller).index(run) == 4  # past the blank line
    QTest.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert ids(controller).index(run) == 5  # past the next FROM: now in the second stage
    assert canvas.document_model.block_index(run).parent().row() == 1
    assert controller.selection() == [run]
    for _ in range(4):
        controller.undo_stack.undo()
    assert ids(controller).index(run) == 3


def test_alt_up_at_the_top_does_nothing(canvas: CanvasWidget, controller: DocumentController) -> None:
    select(canvas, 0)
    QTest.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert controller.undo_stack.count() == 0


def test_delete_removes_the_selection_and_selects_the_next(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    doomed = select(canvas, 1, 2)
    following = controller.document.blocks[3].id
    QTest.keyClick(canvas, Qt.Key.Key_Delete)
    assert not set(doomed) & set(ids(controller))
    assert controller.selection() == [following]
    controller.undo_stack.undo()
    assert ids(controller)[1:3] == doomed


def test_ctrl_d_duplicates_after_the_selection(canvas: CanvasWidget, controller: DocumentController) -> None:
    (workdir,) = select(canvas, 1)
    QTest.keyClick(canvas, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    copy = controller.document.blocks[2]
    assert copy.kind is Kind.WORKDIR and copy.id != workdir
    assert controller.selection() == [copy.id]
    assert controller.undo_stack.undoText() == "Duplicate WORKDIR"


def test_copy_and_paste(canvas: CanvasWidget, controller: DocumentController) -> None:
    select(canvas, 1, 3)
    QTest.keyClick(canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    clipboard = QGuiApplication.clipboard().mimeData()
    assert clipboard.text() == "WORKDIR /app\nRUN pip install -r requirements.txt\n"
    assert clipboard.hasFormat(block_edits.BLOCKS_MIME)
    select(canvas, 8)
    QTest.keyClick(canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert kinds(controller)[-2:] == ["WORKDIR", "RUN"]
    pasted = ids(controller)[-2:]
    assert controller.selection() == pasted
    assert controller.undo_stack.undoText() == "Add 2 blocks"
    controller.undo_stack.undo()
    assert len(controller.document.blocks) == 9


def test_cut_and_paste_moves_blocks(canvas: CanvasWidget, controller: DocumentController) -> None:
    select(canvas, 2)
    QTest.keyClick(canvas, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert kinds(controller).count("COPY") == 1
    select(canvas, len(controller.document.blocks) - 1)
    QTest.keyClick(canvas, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert controller.document.blocks[-1].kind is Kind.COPY
    assert controller.document.blocks[-1].params["sources"] == ["requirements.txt"]


def test_pasting_dockerfile_text_imports_it(canvas: CanvasWidget, controller: DocumentController) -> None:
    select(canvas, 0)
    mime = QMimeData()
    mime.setText("ENV PORT=8000\nRUN echo ready\n")
    QGuiApplication.clipboard().setMimeData(mime)
    canvas.paste()
    assert kinds(controller)[1:3] == ["ENV", "RUN"]
    assert controller.document.blocks[2].params["command"] == "echo ready"


def test_pasting_text_that_is_no_dockerfile_says_why(
    canvas: CanvasWidget, controller: DocumentController, qtbot
) -> None:
    QGuiApplication.clipboard().setText("Dear diary, today I learnt Docker.")
    with qtbot.waitSignal(canvas.statusMessage) as said:
        canvas.paste()
    assert said.args[0].startswith("The copied text is not Dockerfile instructions")
    assert controller.undo_stack.count() == 0


def test_enter_asks_for_the_inspector(canvas: CanvasWidget, controller: DocumentController, qtbot) -> None:
    (run,) = select(canvas, 3)
    with qtbot.waitSignal(canvas.editRequested) as asked:
        QTest.keyClick(canvas, Qt.Key.Key_Return)
    assert asked.args == [run]


def test_arrow_keys_step_over_stage_headers(canvas: CanvasWidget, controller: DocumentController) -> None:
    select(canvas, 3)
    QTest.keyClick(canvas, Qt.Key.Key_Down)
    assert controller.selection() == [ids(controller)[4]]
    QTest.keyClick(canvas, Qt.Key.Key_Down)
    assert controller.selection() == [ids(controller)[5]]  # the FROM of stage 2, not its header
    QTest.keyClick(canvas, Qt.Key.Key_Up)
    assert controller.selection() == [ids(controller)[4]]
    QTest.keyClick(canvas, Qt.Key.Key_End)
    assert controller.selection() == [ids(controller)[-1]]
    QTest.keyClick(canvas, Qt.Key.Key_Home)
    assert controller.selection() == [ids(controller)[0]]


def test_ctrl_a_selects_every_block(canvas: CanvasWidget, controller: DocumentController) -> None:
    select(canvas, 0)
    QTest.keyClick(canvas, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert controller.selection() == ids(controller)
    assert len(canvas.selectedIndexes()) == len(ids(controller))


def test_canvas_keys_win_over_window_shortcuts(controller: DocumentController, qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    view = CanvasWidget(controller)
    other = QPushButton("elsewhere")
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.addWidget(view)
    layout.addWidget(other)
    window.setCentralWidget(holder)
    fired: list[bool] = []
    menu_copy = QAction("Copy", window)
    menu_copy.setShortcut(QKeySequence.StandardKey.Copy)
    menu_copy.triggered.connect(lambda: fired.append(True))
    window.addAction(menu_copy)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    other.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is other)
    QTest.keyClick(other, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert fired == [True]  # elsewhere the window's shortcut works
    fired.clear()
    controller.select([controller.document.blocks[1].id])
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    QGuiApplication.clipboard().clear()
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert not fired
    assert QGuiApplication.clipboard().text() == "WORKDIR /app\n"


# --- selection ---------------------------------------------------------------------------------------


def test_clicking_a_block_selects_it_in_the_controller(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, NO_MODS, spot(canvas, 6, "upper"))
    assert controller.selection() == [ids(controller)[6]]
    QTest.mouseClick(
        canvas.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        spot(canvas, 2, "upper"),
    )
    assert controller.selection() == [ids(controller)[2], ids(controller)[6]]


def test_selecting_elsewhere_selects_and_scrolls_here(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    canvas.resize(560, 200)
    last = ids(controller)[-1]
    controller.select([last])
    index = canvas.document_model.block_index(last)
    assert canvas.selectedIndexes() == [index]
    face = canvas._delegate.body_rect(QRectF(canvas.visualRect(index)), index, canvas.font())
    assert QRectF(canvas.viewport().rect()).contains(face)


def test_selection_survives_a_reset(canvas: CanvasWidget, controller: DocumentController, qtbot) -> None:
    chosen = select(canvas, 6, 7)
    with qtbot.waitSignal(canvas.document_model.modelReset):
        controller.apply(InsertBlocks(2, [new_block(Kind.FROM, image="busybox")]))
    shown = {canvas.document_model.block_id(i) for i in canvas.selectedIndexes()}
    assert shown == set(chosen)
    assert controller.selection() == chosen


# --- faces --------------------------------------------------------------------------------------------


def test_a_block_with_an_error_shows_a_red_badge(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    head = controller.document.blocks[0]
    controller.apply(SetParams(head.id, {"image": ""}))
    index = canvas.document_model.block_index(head.id)
    assert index.data(BlockRole.PROBLEMS) == (1, 0)
    assert "1 error" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    body = canvas._delegate.body_rect(QRectF(canvas.visualRect(index)), index, canvas.font())
    (badge,) = badges_for(body, 1, 0)
    picture = canvas.viewport().grab().toImage()
    ratio = picture.devicePixelRatio()
    below_the_digit = badge.rect.center() + QPointF(0, 7)
    colour = picture.pixelColor(int(below_the_digit.x() * ratio), int(below_the_digit.y() * ratio))
    assert colour.name() == ERROR_COLOUR.name()
    tip = canvas._delegate.badge_tooltip(
        QRectF(canvas.visualRect(index)), canvas.font(), index, badge.rect.center()
    )
    assert "The field “Image” is empty" in tip


def test_each_stage_holds_its_blocks_in_a_container_with_a_foot_under_the_last(
    canvas: CanvasWidget, controller: DocumentController
) -> None:
    picture = canvas.viewport().grab().toImage()
    ratio = picture.devicePixelRatio()
    container = stage_colour(canvas.palette()).name()

    def colour_at(x: float, y: float) -> str:
        return picture.pixelColor(int(x * ratio), int(y * ratio)).name()

    model, indent = canvas.document_model, canvas.indentation()
    for stage_row in range(model.rowCount()):
        stage = model.index(stage_row, 0)
        count = model.rowCount(stage)
        for row in range(count):
            rect = canvas.visualRect(model.index(row, 0, stage))
            bar = canvas._delegate.container_bar(rect.adjusted(-indent, 0, 0, 0))
            assert colour_at(bar.center().x(), rect.center().y()) == container, (stage_row, row)
            under_the_face = colour_at(indent + 60, rect.bottom() - 4)  # between the face and the row below
            assert (under_the_face == container) is (row == count - 1), (stage_row, row)


def test_an_empty_canvas_invites_a_first_block(qtbot, controller_for) -> None:
    view = CanvasWidget(controller_for(""))
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    picture = view.viewport().grab().toImage()
    background = view.palette().color(view.viewport().backgroundRole())
    inked = sum(
        1
        for x in range(60, 440, 2)
        for y in range(150, 250, 2)
        if picture.pixelColor(x, y).lightness() < background.lightness() - 80
    )
    assert inked > 100  # the hint's words are there, in the middle


def test_accessible_names(canvas: CanvasWidget) -> None:
    assert canvas.objectName() == "Canvas"
    assert canvas.accessibleName() == "Blocks canvas"
    model = canvas.document_model
    texts = [model.index(r, 0, model.index(0, 0)).data(Qt.ItemDataRole.AccessibleTextRole) for r in range(4)]
    assert texts[0].startswith("FROM block: ")
    assert all(text for text in texts)


def test_a_multistage_document_reads_well(qtbot, controller_for) -> None:
    text = "ARG V=1\nFROM golang:1.22 AS build\nRUN go build\nFROM alpine\nCOPY --from=build /app /app\n"
    view = CanvasWidget(controller_for(text))
    qtbot.addWidget(view)
    model = view.document_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Before the first stage: build settings",
        "Stage 1 · build (from golang:1.22)",
        "Stage 2 (from alpine)",
    ]
