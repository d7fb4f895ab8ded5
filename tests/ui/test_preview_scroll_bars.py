"""The preview's scroll bars keep a picture of themselves (Qt paints both again whenever a range changes):
what they show must be what ``QScrollBar`` itself draws, and the picture is drawn again when the handle
moves. The text's width does not shrink on small edits, so the horizontal bar stays still while typing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QScrollBar
from screen_pixels import PaintedAreas, on_screen, painted_afresh
from shown_preview import preview_fixture, settle, show_preview

from desktop.blocks.kinds import Kind
from desktop.blocks.operations import SetParams
from ui.widgets.quiet_scroll_bar import QuietScrollBar

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WIDE = "x" * 160
TEXT = "FROM alpine:3.20\n" + "".join(
    f"RUN apk add --no-cache \\\n    tool{n} \\\n    more{n}\n# step {n} {WIDE if n == 1 else ''}\n"
    for n in range(30)
)


def _pair(qtbot, orientation: Qt.Orientation) -> tuple[QuietScrollBar, QScrollBar]:
    ours, qts = QuietScrollBar(orientation), QScrollBar(orientation)
    size = QSize(16, 240) if orientation is Qt.Orientation.Vertical else QSize(240, 16)
    for bar in (ours, qts):
        qtbot.addWidget(bar)
        bar.resize(size)
        bar.setRange(0, 600)
        bar.setPageStep(40)
    return ours, qts


@pytest.mark.parametrize("orientation", [Qt.Orientation.Vertical, Qt.Orientation.Horizontal])
@pytest.mark.parametrize("value", [0, 1, 300, 599, 600])
def test_the_bar_at_rest_looks_as_qts_own(qtbot, orientation: Qt.Orientation, value: int) -> None:
    ours, qts = _pair(qtbot, orientation)
    for bar in (ours, qts):
        bar.setValue(value)
    assert painted_afresh(ours) == painted_afresh(qts)
    for bar in (ours, qts):  # one line more: the picture may be reused, and must still be right
        bar.setRange(0, 601)
    assert painted_afresh(ours) == painted_afresh(qts)


def test_the_picture_is_reused_while_the_handle_stays_and_drawn_again_when_it_moves(qtbot) -> None:
    ours, qts = _pair(qtbot, Qt.Orientation.Vertical)
    ours.setValue(300)
    painted_afresh(ours)
    picture = ours._picture
    assert picture is not None
    ours.setRange(0, 601)  # the handle keeps its pixels
    painted_afresh(ours)
    assert ours._picture is picture
    ours.setValue(500)
    qts.setRange(0, 601)
    qts.setValue(500)
    assert painted_afresh(ours) == painted_afresh(qts)
    assert ours._picture is not picture


def test_a_disabled_bar_is_drawn_again(qtbot) -> None:
    ours, qts = _pair(qtbot, Qt.Orientation.Horizontal)
    painted_afresh(ours)
    for bar in (ours, qts):
        bar.setEnabled(False)
    assert painted_afresh(ours) == painted_afresh(qts)


shown = preview_fixture(TEXT)


def test_the_preview_uses_them_and_they_show_the_truth_after_lines_move(qtbot, shown) -> None:
    preview, controller = shown
    editor = preview.editor
    bars = (editor.verticalScrollBar(), editor.horizontalScrollBar())
    assert all(isinstance(bar, QuietScrollBar) and bar.isVisible() for bar in bars)
    block = [b for b in controller.document.blocks if b.kind is Kind.RUN][2]
    controller.select([block.id])
    settle(qtbot)
    controller.apply(SetParams(block.id, {"command": "apk add --no-cache tool2"}))  # three lines to one
    settle(qtbot)
    for bar in bars:
        assert on_screen(bar) == painted_afresh(bar)


def test_the_gutter_stops_above_the_horizontal_bar(qtbot, shown) -> None:
    preview, _controller = shown
    editor = preview.editor
    assert editor.horizontalScrollBar().isVisible()
    assert editor.gutter.height() == editor.viewport().height()
    bar_top = editor.horizontalScrollBar().mapTo(editor, QPoint(0, 0)).y()
    assert editor.gutter.geometry().bottom() < bar_top


def test_without_a_horizontal_bar_the_gutter_reaches_the_bottom(qtbot) -> None:
    preview, controller = show_preview(qtbot, "FROM alpine:3.20\nRUN echo short\n")
    editor = preview.editor
    settle(qtbot)
    assert not editor.horizontalScrollBar().isVisible()
    assert editor.gutter.height() == editor.contentsRect().height()
    controller.wait_for_lint()


def test_the_width_does_not_shrink_on_a_small_edit_and_follows_a_new_text(qtbot, shown) -> None:
    preview, controller = shown
    editor = preview.editor
    bar = editor.horizontalScrollBar()
    widest = bar.maximum()
    assert widest > 0
    comment = next(b for b in controller.document.blocks if b.kind is Kind.COMMENT and WIDE in str(b.params))
    controller.apply(SetParams(comment.id, {"text": "step 3"}))  # the widest line made short
    settle(qtbot)
    assert bar.maximum() == widest, "a line made shorter leaves its width to scroll through"
    editor.setPlainText("FROM alpine:3.20\nRUN echo short\n")  # a new text: Qt's own width again
    settle(qtbot)
    assert bar.maximum() == 0


def test_the_groove_is_kept_while_the_handle_moves_and_drawn_again_for_a_new_size(qtbot) -> None:
    ours, qts = _pair(qtbot, Qt.Orientation.Vertical)
    painted_afresh(ours)
    groove = ours._groove_picture
    assert groove is not None
    for bar in (ours, qts):
        bar.setValue(450)  # the handle moves: the bar is drawn again over the same groove
    assert painted_afresh(ours) == painted_afresh(qts)
    assert ours._groove_picture is groove
    for bar in (ours, qts):
        bar.resize(16, 300)
    assert painted_afresh(ours) == painted_afresh(qts)
    assert ours._groove_picture is not groove


def test_a_range_change_that_keeps_the_handle_does_not_repaint_the_bars(qtbot) -> None:
    long_text = "FROM alpine:3.20\n" + "".join(
        f"RUN apk add --no-cache \\\n    tool{n} \\\n    more{n}\n# step {n} {WIDE if n == 1 else ''}\n"
        for n in range(200)
    )  # ~800 lines: the handle is at its shortest, at the top, and stays there when two lines go
    preview, controller = show_preview(qtbot, long_text)
    settle(qtbot)
    editor = preview.editor
    bars = (editor.verticalScrollBar(), editor.horizontalScrollBar())
    painted = [PaintedAreas(bar) for bar in bars]
    block = [b for b in controller.document.blocks if b.kind is Kind.RUN][-1]  # far below the view
    lines = editor.blockCount()
    controller.apply(SetParams(block.id, {"command": "apk add --no-cache tool29"}))  # three lines to one
    settle(qtbot)
    assert editor.blockCount() == lines - 2
    assert [p.areas for p in painted] == [[], []]
    for bar in bars:
        assert on_screen(bar) == painted_afresh(bar)
    controller.wait_for_lint()


def test_bars_still_come_and_go_with_the_text(qtbot, shown) -> None:
    preview, _controller = shown
    editor = preview.editor
    editor.setPlainText("FROM alpine:3.20\n")
    settle(qtbot)
    assert not editor.verticalScrollBar().isVisible()
    assert not editor.horizontalScrollBar().isVisible()
    editor.setPlainText(TEXT)
    settle(qtbot)
    assert editor.verticalScrollBar().isVisible()
    assert editor.horizontalScrollBar().isVisible()


def test_a_smaller_font_gives_the_text_its_narrower_width(qtbot) -> None:
    preview, controller = show_preview(qtbot, "FROM alpine:3.20\nRUN echo " + "x" * 120 + "\n")
    settle(qtbot)
    editor = preview.editor
    wide = editor.horizontalScrollBar().maximum()
    assert wide > 0
    font = editor.font()
    font.setPointSizeF(font.pointSizeF() / 2)
    editor.setFont(font)
    settle(qtbot)
    assert editor.horizontalScrollBar().maximum() < wide
    controller.wait_for_lint()
