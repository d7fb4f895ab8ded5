"""An edit that makes lines come or go (a continued RUN written on one line, or the other way round): the
preview moves the pixels of the unchanged lines below it instead of painting them again. What is on the
screen afterwards must be exactly what a fresh paint of the new text shows, with the right colours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from screen_pixels import on_screen as _on_screen
from screen_pixels import painted_afresh as _painted_afresh
from shown_preview import settle, show_preview, steady_cursor

from desktop.blocks.kinds import Kind
from desktop.blocks.operations import SetParams
from ui.controller import DocumentController
from ui.highlight import token_ranges
from ui.widgets.preview import PreviewWidget
from ui.widgets.preview_text import display_text
from ui.widgets.preview_tints import MARK, SELECTED_LINE

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = "FROM alpine:3.20\n" + "".join(
    f'RUN apk add --no-cache \\\n    tool{n} \\\n    more{n}\nENV NAME_{n}="value {n}"\n# step {n}\n'
    for n in range(12)
)


@pytest.fixture
def shown(qtbot):
    preview, controller = show_preview(qtbot, TEXT)
    yield preview, controller
    controller.wait_for_lint()


def _assert_shows_the_text(preview: PreviewWidget, controller: DocumentController) -> None:
    editor = preview.editor
    text = display_text(controller.rendered.text)
    assert editor.toPlainText() == text
    expected = token_ranges(text)
    assert [editor.highlighter.line_ranges(n) for n in range(len(expected))] == expected
    for widget in (editor.viewport(), editor.gutter):
        assert _on_screen(widget) == _painted_afresh(widget), widget.objectName() or "viewport"


@pytest.mark.parametrize("selected", [True, False], ids=["selected", "not-selected"])
@pytest.mark.parametrize("pick", [1, 3, 6])
def test_lines_that_go_and_come_back_are_shown_exactly(qtbot, shown, pick: int, selected: bool) -> None:
    preview, controller = shown
    runs = [b for b in controller.document.blocks if b.kind is Kind.RUN]
    block = runs[pick]
    controller.select([block.id])  # scrolls its lines into view
    settle(qtbot)
    if not selected:  # then no tint changes, and nothing else repaints the gutter
        controller.select([])
        settle(qtbot)
    span = controller.rendered.lines_of(block.id)
    assert span is not None and span.first in preview.editor.visible_lines(), "the edit is in view"
    before = preview.editor.blockCount()

    controller.apply(SetParams(block.id, {"command": f"apk add --no-cache tool{pick}"}))  # three lines to one
    settle(qtbot)
    assert preview.editor.blockCount() == before - 2
    _assert_shows_the_text(preview, controller)

    controller.undo_stack.undo()  # and back to three
    settle(qtbot)
    assert preview.editor.blockCount() == before
    _assert_shows_the_text(preview, controller)


def test_lines_moved_above_the_view_repaint_what_is_shown(qtbot, shown) -> None:
    preview, controller = shown
    editor = preview.editor
    editor.verticalScrollBar().setValue(editor.verticalScrollBar().maximum())
    settle(qtbot)
    first_run = next(b for b in controller.document.blocks if b.kind is Kind.RUN)
    assert controller.rendered.lines_of(first_run.id).last < editor.visible_lines().start
    controller.apply(SetParams(first_run.id, {"command": "apk add --no-cache tool0"}))
    settle(qtbot)
    _assert_shows_the_text(preview, controller)


def test_the_scroll_bars_paint_every_pixel_they_cover(qtbot, shown) -> None:
    """They say so (WA_OpaquePaintEvent), so Qt paints nothing under them: a pixel they left would show
    whatever was there before."""
    preview, _controller = shown
    editor = preview.editor
    editor.setPlainText("\n".join("RUN echo " + "wide " * 60 for _ in range(200)))  # both bars shown
    settle(qtbot)
    magenta = QColor(255, 0, 255)
    for bar in (editor.verticalScrollBar(), editor.horizontalScrollBar()):
        assert bar.isVisible() and bar.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        image = QImage(bar.size(), QImage.Format.Format_RGB32)
        image.fill(magenta)
        bar.render(image, QPoint(0, 0), renderFlags=QWidget.RenderFlag(0))  # no background drawn for it
        left = [
            (x, y)
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y) == magenta
        ]
        assert left == [], f"{bar.orientation()}: {len(left)} pixels not painted"


def test_lines_typed_and_joined_in_the_text_are_shown_exactly(qtbot, shown) -> None:
    """Typing in "Edit as text": Enter makes a line, Backspace joins two; the view shows each at once."""
    preview, _controller = shown
    editor = preview.editor
    with steady_cursor():
        preview.edit_toggle.setChecked(True)
        cursor = editor.textCursor()
        cursor.setPosition(editor.document().findBlockByNumber(4).position() + 4)
        editor.setTextCursor(cursor)
        editor.setFocus()
        settle(qtbot)
        lines = editor.blockCount()
        for key, change in ((Qt.Key.Key_Return, 1), (Qt.Key.Key_Return, 1), (Qt.Key.Key_Backspace, -1)):
            QTest.keyClick(editor, key)
            settle(qtbot)
            lines += change
            assert editor.blockCount() == lines
            for widget in (editor.viewport(), editor.gutter):
                assert _on_screen(widget) == _painted_afresh(widget), widget.objectName() or "viewport"
        preview.discard_text()


def test_the_selected_blocks_tints_follow_its_lines_as_they_go_and_come(qtbot, shown) -> None:
    preview, controller = shown
    editor = preview.editor
    block = [b for b in controller.document.blocks if b.kind is Kind.RUN][2]
    controller.select([block.id])
    settle(qtbot)

    def tinted() -> tuple[set[int], set[int]]:
        marked = {
            s.cursor.blockNumber() + 1
            for s in editor.extraSelections()
            if s.format.property(MARK) == SELECTED_LINE
        }
        return marked, set(editor.accents)

    def wanted() -> set[int]:
        span = controller.rendered.lines_of(block.id)
        assert span is not None
        return set(range(span.first, span.last + 1))

    assert tinted() == (wanted(), wanted()) and len(wanted()) == 3
    controller.apply(SetParams(block.id, {"command": "apk add --no-cache tool2"}))  # three lines to one
    settle(qtbot)
    assert tinted() == (wanted(), wanted()) and len(wanted()) == 1
    controller.undo_stack.undo()  # and back to three
    settle(qtbot)
    assert tinted() == (wanted(), wanted()) and len(wanted()) == 3


def _lines_dropping_glyphs(preview: PreviewWidget) -> list[int]:
    """Lines whose layout frees its shaped glyphs after each layout (to be shaped again at every paint)."""
    block, dropping = preview.editor.document().begin(), []
    while block.isValid():
        if not block.layout().cacheEnabled():
            dropping.append(block.blockNumber())
        block = block.next()
    return dropping


def test_every_line_keeps_its_glyphs_through_new_texts_and_edits(qtbot, shown) -> None:
    preview, controller = shown
    assert _lines_dropping_glyphs(preview) == []
    runs = [b for b in controller.document.blocks if b.kind is Kind.RUN]
    four_lines = "apk add --no-cache one \\\n    two \\\n    three \\\n    four"
    controller.apply(SetParams(runs[2].id, {"command": four_lines}))
    settle(qtbot)
    controller.apply(SetParams(runs[4].id, {"command": "apk add --no-cache joined"}))  # three lines to one
    settle(qtbot)
    assert _lines_dropping_glyphs(preview) == []
    _assert_shows_the_text(preview, controller)
