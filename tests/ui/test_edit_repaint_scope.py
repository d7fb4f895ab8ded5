"""What an edit made elsewhere repaints: the preview's gutter only the lines it changed, and the
inspector's command field takes its new height on the next turn of the event loop (the preview is painted
first), unless the user is typing in it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit, QWidget
from screen_pixels import PaintedAreas
from shown_preview import settle, show_preview

from desktop.blocks.kinds import Kind
from desktop.blocks.operations import SetParams
from ui.widgets.fields.multiline import MAX_LINES, GrowingTextEdit

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = "FROM alpine:3.20\n" + "".join(
    f"RUN apk add --no-cache \\\n    tool{n} \\\n    more{n}\n# step {n}\n" for n in range(20)
)


def test_lines_that_go_repaint_only_their_part_of_the_gutter(qtbot) -> None:
    preview, controller = show_preview(qtbot, TEXT)
    editor = preview.editor
    block = [b for b in controller.document.blocks if b.kind is Kind.RUN][1]
    controller.select([block.id])
    settle(qtbot)
    span = controller.rendered.lines_of(block.id)
    assert span is not None and span.last + 5 < editor.visible_lines().stop, "text continues below the edit"
    painted = PaintedAreas(editor.gutter)

    controller.apply(SetParams(block.id, {"command": "apk add --no-cache tool1"}))  # three lines to one
    settle(qtbot)

    changed = editor.line_rect(span.first).united(editor.line_rect(span.first + 2))
    assert painted.areas, "the changed lines were drawn again"
    lowest = max(area.bottom() for area in painted.areas)
    assert lowest <= changed.bottom() + 1, "the unchanged lines below kept their numbers and were not drawn"
    controller.wait_for_lint()


def test_a_command_field_changed_elsewhere_fits_its_text_on_the_next_turn(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    edit = GrowingTextEdit(monospace=True, parent=holder)
    elsewhere = QLineEdit(holder)  # where the user is, not the field
    elsewhere.move(0, 200)
    edit.setPlainText("\n".join(f"line {n}" for n in range(8)))
    holder.show()
    qtbot.waitExposed(holder)
    elsewhere.setFocus()
    settle(qtbot)
    assert not edit.hasFocus()
    tall = edit.height()

    edit.setPlainText("one line")  # not focused: as when the preview or undo changed the block
    assert edit.height() == tall, "the form is not laid out again before the window shows the edit"
    qtbot.waitUntil(lambda: edit.height() < tall)


def test_a_command_field_being_typed_in_fits_its_text_at_once(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    edit = GrowingTextEdit(monospace=True, parent=holder)
    holder.show()
    qtbot.waitExposed(holder)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    short = edit.height()

    edit.setPlainText("\n".join(f"line {n}" for n in range(8)))
    assert edit.height() > short


def test_a_command_field_shows_no_scroll_bar_until_it_is_as_tall_as_it_grows(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    edit = GrowingTextEdit(monospace=True, parent=holder)
    elsewhere = QLineEdit(holder)
    elsewhere.move(0, 400)
    edit.setPlainText("one line")
    holder.show()
    qtbot.waitExposed(holder)
    elsewhere.setFocus()
    settle(qtbot)
    bar = edit.verticalScrollBar()

    edit.setPlainText("\n".join(f"line {n}" for n in range(6)))  # taller than the field, until it fits
    assert not bar.isVisible(), "no scroll bar comes and goes while the field waits to grow"
    settle(qtbot)
    assert not bar.isVisible() and edit.height() > edit.fontMetrics().lineSpacing() * 6

    edit.setPlainText("\n".join(f"line {n}" for n in range(MAX_LINES + 8)))  # more than it ever shows
    qtbot.waitUntil(bar.isVisible)
    assert bar.maximum() > 0
    edit.setPlainText("back to one line")
    qtbot.waitUntil(lambda: not bar.isVisible())
