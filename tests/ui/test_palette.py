"""The palette: groups and entries from the catalog, search by purpose, adding by mouse and keyboard."""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.blocks.catalog import catalog_entry, palette_groups
from desktop.blocks.kinds import INSTRUCTION_KINDS, Kind
from ui.controller import DocumentController
from ui.models import block_edits
from ui.models.document_model import BlockRole
from ui.models.palette_model import PaletteModel
from ui.widgets.block_paint import ERROR_COLOUR, face_colour
from ui.widgets.palette import PaletteWidget

NO_MODS = Qt.KeyboardModifier.NoModifier

# The offscreen platform says this when a window with a layout is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def drag_event(
    event_type: type, point: QPoint | QPointF, mime: QMimeData, mods=Qt.KeyboardModifier.NoModifier
) -> QDragMoveEvent:
    """A drag-enter or drag-move event as the platform sends it (Qt 6.12 wants QPointF, earlier QPoint)."""
    args = (Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, mods)
    try:
        return event_type(QPointF(point), *args)
    except TypeError:
        return event_type(QPointF(point).toPoint(), *args)


@pytest.fixture
def palette(controller: DocumentController, qtbot) -> PaletteWidget:
    widget = PaletteWidget(controller)
    qtbot.addWidget(widget)
    widget.resize(300, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def entry(palette: PaletteWidget, kind: Kind) -> QPoint:
    """The middle of a kind's entry, in the list's viewport."""
    index = palette.model.index_of(kind)
    assert index.isValid(), f"{kind} is not shown"
    palette.view.scrollTo(index)
    return palette.view.visualRect(index).center()


def test_the_model_passes_the_model_tester_while_searching(qtmodeltester) -> None:
    model = PaletteModel()
    qtmodeltester.check(model)
    for query in ("install", "copy files", "nothing matches this", ""):
        model.set_query(query)
        qtmodeltester.check(model)


def test_groups_come_in_catalog_order_with_their_titles() -> None:
    model = PaletteModel()
    titles = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert titles == [g.title for g in palette_groups()]
    first = model.index(0, 0)
    assert first.data(BlockRole.IS_HEADER) is True
    assert not model.flags(first) & Qt.ItemFlag.ItemIsSelectable


def test_the_palette_offers_what_a_beginner_needs() -> None:
    offered = set(PaletteModel().visible_kinds())
    expected = (set(INSTRUCTION_KINDS) - {Kind.MAINTAINER}) | {Kind.COMMENT}
    assert offered == expected
    assert not offered & {Kind.MAINTAINER, Kind.UNKNOWN, Kind.BLANK, Kind.DIRECTIVE}


def test_an_entry_shows_its_keyword_title_colour_and_explanation() -> None:
    model = PaletteModel()
    run = model.index_of(Kind.RUN)
    info = catalog_entry(Kind.RUN)
    assert run.data() == "RUN — Run a command"
    assert run.data(BlockRole.KEYWORD) == "RUN"
    assert run.data(BlockRole.COLOUR) == QColor(info.colour)
    assert run.data(BlockRole.ICON_NAME) == info.icon
    assert info.explanation in html.unescape(run.data(Qt.ItemDataRole.ToolTipRole))
    assert model.flags(run) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.index_of(Kind.COMMENT).data() == "Comment"


def test_an_entry_is_dragged_as_its_kind() -> None:
    model = PaletteModel()
    mime = model.mimeData([model.index_of(Kind.HEALTHCHECK)])
    assert bytes(mime.data(block_edits.KIND_MIME).data()) == b"HEALTHCHECK"
    assert block_edits.kind_from_mime(mime) is Kind.HEALTHCHECK


@pytest.mark.parametrize(
    ("typed", "found"), [("install", Kind.RUN), ("port", Kind.EXPOSE), ("copy", Kind.COPY)]
)
def test_searching_by_purpose(palette: PaletteWidget, typed: str, found: Kind) -> None:
    QTest.keyClicks(palette.search, typed)
    shown = palette.model.visible_kinds()
    assert shown[0] is found
    assert len(shown) < 6
    assert palette.view.visualRect(palette.model.index_of(found)).isValid()
    assert not palette.no_match.isVisible()


def test_a_search_without_result_says_so(palette: PaletteWidget) -> None:
    palette.search.setText("xylophone")
    assert palette.model.visible_kinds() == []
    assert palette.no_match.isVisible()
    assert palette.no_match.text() == "No block matches “xylophone”: try another word."
    palette.search.clear()
    assert not palette.no_match.isVisible()
    assert len(palette.model.visible_kinds()) == 18


def test_double_click_adds_after_the_selected_block(
    palette: PaletteWidget, controller: DocumentController, qtbot
) -> None:
    controller.select([controller.document.blocks[1].id])
    point = entry(palette, Kind.RUN)
    # A real double-click is a click, then a second press that the system reports as a double-click.
    QTest.mouseClick(
        palette.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    with qtbot.waitSignal(palette.blockAdded) as added:
        QTest.mouseDClick(
            palette.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
        )
    new = controller.document.blocks[2]
    assert new.kind is Kind.RUN and added.args == [new.id]
    assert controller.selection() == [new.id]
    controller.undo_stack.undo()
    assert len(controller.document.blocks) == 9


def test_with_nothing_selected_a_block_goes_to_the_end(
    palette: PaletteWidget, controller: DocumentController
) -> None:
    palette.add_kind(Kind.CMD)
    assert controller.document.blocks[-1].kind is Kind.CMD


def test_the_keyboard_path_search_down_enter(palette: PaletteWidget, controller: DocumentController) -> None:
    palette.search.setFocus()
    QTest.keyClicks(palette.search, "port")
    QTest.keyClick(palette.search, Qt.Key.Key_Down)
    assert palette.view.hasFocus()
    assert palette.model.kind_at(palette.view.currentIndex()) is Kind.EXPOSE
    QTest.keyClick(palette.view, Qt.Key.Key_Return)
    assert controller.document.blocks[-1].kind is Kind.EXPOSE


def test_enter_in_the_search_field_adds_the_best_match(
    palette: PaletteWidget, controller: DocumentController
) -> None:
    QTest.keyClicks(palette.search, "install")
    QTest.keyClick(palette.search, Qt.Key.Key_Return)
    assert controller.document.blocks[-1].kind is Kind.RUN
    assert controller.undo_stack.undoText() == "Add RUN"


def test_arrow_keys_skip_the_group_headings(palette: PaletteWidget) -> None:
    palette.view.setFocus()
    palette.view.setCurrentIndex(palette.model.index_of(Kind.FROM))
    QTest.keyClick(palette.view, Qt.Key.Key_Down)
    assert palette.model.kind_at(palette.view.currentIndex()) is Kind.ADD
    QTest.keyClick(palette.view, Qt.Key.Key_Up)
    assert palette.model.kind_at(palette.view.currentIndex()) is Kind.FROM


def test_entries_are_painted_in_their_group_colour(palette: PaletteWidget) -> None:
    index = palette.model.index_of(Kind.FROM)
    rect = palette.view.visualRect(index)
    picture = palette.view.viewport().grab().toImage()
    ratio = picture.devicePixelRatio()
    # Right of the text, inside the block face.
    colour = picture.pixelColor(int((rect.right() - 20) * ratio), int((rect.top() + 10) * ratio))
    assert colour.name() == face_colour(index).name()  # the catalog colour, or the theme's version of it


def test_a_block_dragged_over_the_palette_shows_it_will_be_deleted(
    palette: PaletteWidget, controller: DocumentController
) -> None:
    mime = block_edits.ids_mime([controller.document.blocks[1].id])
    point = QPointF(100, 300)
    enter = drag_event(QDragEnterEvent, point, mime)
    QApplication.sendEvent(palette.view.viewport(), enter)
    assert enter.isAccepted()
    picture = palette.view.viewport().grab().toImage()
    centre = palette.view.viewport().rect().center()
    ratio = picture.devicePixelRatio()
    assert picture.pixelColor(int(20 * ratio), int(centre.y() * ratio)).name() == ERROR_COLOUR.name()
    entry_mime = palette.model.mimeData(
        [palette.model.index_of(Kind.RUN)]
    )  # kept: the event only points to it
    palette_kind = drag_event(QDragEnterEvent, point, entry_mime)
    QApplication.sendEvent(palette.view.viewport(), palette_kind)
    assert not palette_kind.isAccepted()  # a palette entry dropped back on the palette is nothing


def test_accessible_names(palette: PaletteWidget) -> None:
    assert palette.objectName() == "Palette"
    assert palette.accessibleName() == "Block palette"
    assert palette.search.objectName() == "PaletteSearch"
    assert palette.search.placeholderText() == "Search blocks: install, copy, port…"
    assert palette.view.accessibleName() == "Blocks to add"
    run = palette.model.index_of(Kind.RUN)
    assert run.data(Qt.ItemDataRole.AccessibleTextRole).startswith("RUN — Run a command: ")
    assert palette.model.kind_at(QModelIndex()) is None
