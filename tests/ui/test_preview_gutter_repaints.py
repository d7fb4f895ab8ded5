"""The gutter is not drawn again beside lines edited in place while the text is read-only (its numbers stay
where they are); where its picture can change (the last line, the current line while editing as text, a
selection's stripes) it still shows exactly what a fresh paint shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from screen_pixels import PaintedAreas, on_screen, painted_afresh
from shown_preview import preview_fixture, settle, steady_cursor

from desktop.blocks.kinds import Kind
from desktop.blocks.operations import SetParams

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = "FROM alpine:3.20\nRUN apk add \\\n    one \\\n    two \\\n    three\n" + "".join(
    f"RUN echo step {n}\nENV NAME_{n}=value\n" for n in range(6)
)


shown = preview_fixture(TEXT)


def test_an_edit_in_place_leaves_the_gutter_alone(qtbot, shown) -> None:
    preview, controller = shown
    gutter = preview.editor.gutter
    block = [b for b in controller.document.blocks if b.kind is Kind.RUN][3]
    painted = PaintedAreas(gutter)
    controller.apply(SetParams(block.id, {"command": "echo another step"}))
    settle(qtbot)
    assert "echo another step" in preview.editor.toPlainText()
    assert painted.areas == []
    assert on_screen(gutter) == painted_afresh(gutter)


def test_a_selected_block_edited_in_place_keeps_its_stripe(qtbot, shown) -> None:
    preview, controller = shown
    gutter = preview.editor.gutter
    block = [b for b in controller.document.blocks if b.kind is Kind.RUN][1]
    controller.select([block.id])
    settle(qtbot)
    controller.apply(SetParams(block.id, {"command": "echo stripe stays"}))
    settle(qtbot)
    assert preview.editor.accents, "the selected block's lines have their stripe"
    assert on_screen(gutter) == painted_afresh(gutter)


def test_the_last_line_edited_is_numbered_as_a_fresh_paint(qtbot, shown) -> None:
    preview, controller = shown
    gutter = preview.editor.gutter
    last = controller.document.blocks[-1]
    controller.apply(SetParams(last.id, {"pairs": [["NAME_5", "another"]]}))
    settle(qtbot)
    assert on_screen(gutter) == painted_afresh(gutter)


def test_while_editing_as_text_the_current_line_number_follows_the_cursor(qtbot, shown) -> None:
    preview, _controller = shown
    editor = preview.editor
    with steady_cursor():
        preview.edit_toggle.setChecked(True)
        editor.setFocus()
        cursor = editor.textCursor()
        cursor.setPosition(editor.document().findBlockByNumber(1).position())  # the continued RUN
        editor.setTextCursor(cursor)
        settle(qtbot)
        for _ in range(3):  # through its lines: one block, so no stripe changes with the cursor
            QTest.keyClick(editor, Qt.Key.Key_Down)
            settle(qtbot)
            assert on_screen(editor.gutter) == painted_afresh(editor.gutter)
        preview.discard_text()
