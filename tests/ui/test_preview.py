"""The Dockerfile preview: it follows every edit and undo, shows and makes the selection, explains lines,
marks problems, and reads typed text back into blocks (keeping what it can, refusing what Docker cannot
read)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QFont, QHelpEvent, QTextCharFormat, QTextCursor, QTextDocumentFragment, QTextFormat
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip
from releasing import release

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.blocks.operations import InsertBlocks, RemoveBlocks, SetParams
from desktop.blocks.summary import explain_line
from desktop.dockerfile import import_text
from desktop.dockerfile.render import render
from desktop.project import Project
from ui.controller import DocumentController
from ui.widgets.preview import MARK, PROBLEM_LINE, SELECTED_LINE, PreviewWidget
from ui.widgets.preview_text import display_text, explanation_beside, keep_ids, smallest_edit

# The offscreen platform says these about every shown top-level window and tooltip.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints", "This plugin does not support raise"
)

MULTILINE = """\
# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN apk add --no-cache \\
    python3 \\
    py3-pip

WORKDIR /app
COPY <<EOF /app/app.py
print("hello")
EOF
EXPOSE 8000
CMD ["python3", "app.py"]
"""


@pytest.fixture
def make_preview(qtbot):
    made: list[DocumentController] = []
    widgets: list[QObject] = []

    def make(text: str = MULTILINE) -> tuple[PreviewWidget, DocumentController]:
        controller = DocumentController(Project(document=import_text(text)))
        made.append(controller)
        preview = PreviewWidget(controller)
        widgets.append(preview)
        preview.resize(900, 500)
        preview.show()
        qtbot.waitExposed(preview)
        return preview, controller

    yield make
    release(widgets, made)


def block_id_at(controller: DocumentController, line: int) -> str:
    found = controller.rendered.block_at_line(line)
    assert found is not None
    return found


def highlighted_lines(preview: PreviewWidget) -> set[int]:
    """The 1-based lines the selection highlight covers (full-width extra selections with a background)."""
    return {
        selection.cursor.blockNumber() + 1
        for selection in preview.editor.extraSelections()
        if selection.format.property(MARK) == SELECTED_LINE
        and selection.format.property(QTextFormat.Property.FullWidthSelection)
    }


def test_text_follows_edits_and_undo(make_preview):
    preview, controller = make_preview()
    assert preview.editor.toPlainText() == display_text(controller.rendered.text)
    workdir = block_id_at(controller, 7)
    controller.apply(SetParams(workdir, {"path": "/srv"}))
    assert "WORKDIR /srv" in preview.editor.toPlainText()
    controller.apply(InsertBlocks(0, [new_block(Kind.ARG, args=[["VERSION", "1"]])]))
    controller.apply(RemoveBlocks([block_id_at(controller, 13)]))
    assert preview.editor.toPlainText() == display_text(controller.rendered.text)
    while controller.undo_stack.canUndo():
        controller.undo_stack.undo()
        assert preview.editor.toPlainText() == display_text(controller.rendered.text)
    assert preview.editor.toPlainText() == MULTILINE
    controller.undo_stack.redo()
    assert preview.editor.toPlainText() == display_text(controller.rendered.text)


def test_an_edit_keeps_the_scroll_position(make_preview):
    text = "FROM alpine\n" + "".join(f"RUN echo step {n}\n" for n in range(200))
    preview, controller = make_preview(text)
    bar = preview.editor.verticalScrollBar()
    bar.setValue(80)
    controller.apply(SetParams(block_id_at(controller, 150), {"command": "echo changed"}))
    assert "RUN echo changed" in preview.editor.toPlainText()
    assert bar.value() == 80


def test_selection_highlights_exactly_the_block_lines_and_scrolls_to_them(make_preview):
    preview, controller = make_preview()
    run = block_id_at(controller, 3)
    controller.select([run])
    assert highlighted_lines(preview) == {3, 4, 5}
    copy = block_id_at(controller, 8)
    controller.select([run, copy])
    assert highlighted_lines(preview) == {3, 4, 5, 8, 9, 10}
    controller.select([])
    assert highlighted_lines(preview) == set()

    long_text = "FROM alpine\n" + "".join(f"RUN echo step {n}\n" for n in range(200))
    preview, controller = make_preview(long_text)
    controller.select([block_id_at(controller, 170)])
    assert 170 in preview.editor.visible_lines()
    assert highlighted_lines(preview) == {170}


def test_the_highlight_stays_on_the_selected_lines_while_they_are_edited(make_preview):
    preview, controller = make_preview()
    run = block_id_at(controller, 3)
    controller.select([run])
    # Every line of the selected block changes, their number stays: the marks must not slide to one line.
    controller.apply(SetParams(run, {"command": "apk add \n    curl \n    git"}))  # "\n": a continuation
    assert preview.editor.toPlainText().splitlines()[2:5] == ["RUN apk add \\", "    curl \\", "    git"]
    assert highlighted_lines(preview) == {3, 4, 5}
    controller.apply(SetParams(run, {"command": "apk add curl"}))  # two lines fewer
    assert highlighted_lines(preview) == {3}
    controller.apply(SetParams(run, {"command": "apk add one"}))
    assert highlighted_lines(preview) == {3}
    controller.apply(SetParams(block_id_at(controller, 2), {"tag": "3.21"}))  # a line above it
    assert highlighted_lines(preview) == {3}
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert highlighted_lines(preview) == {3, 4, 5}


def click_line(preview: PreviewWidget, line: int, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    cursor = QTextCursor(preview.editor.document().findBlockByNumber(line - 1))
    cursor.movePosition(QTextCursor.MoveOperation.Right)
    point = preview.editor.cursorRect(cursor).center()
    QTest.mouseClick(preview.editor.viewport(), Qt.MouseButton.LeftButton, modifiers, point)


def test_clicking_a_line_selects_its_block(make_preview):
    preview, controller = make_preview()
    click_line(preview, 4)  # the middle line of the continued RUN
    assert controller.selection() == [block_id_at(controller, 3)]
    click_line(preview, 11)
    assert controller.selection() == [block_id_at(controller, 11)]
    click_line(preview, 2, Qt.KeyboardModifier.ControlModifier)
    assert controller.selection() == [block_id_at(controller, 2), block_id_at(controller, 11)]
    # Clicking a number in the gutter selects too.
    top = preview.editor.line_rect(7).center().y()
    QTest.mouseClick(
        preview.editor.gutter, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, top)
    )
    assert controller.selection() == [block_id_at(controller, 7)]


def test_arrow_keys_in_the_text_select_the_block_of_the_line(make_preview):
    preview, controller = make_preview()
    click_line(preview, 2)
    QTest.keyClick(preview.editor, Qt.Key.Key_Down)
    assert controller.selection() == [block_id_at(controller, 3)]


def test_explain_shows_each_blocks_explanation_beside_its_first_line(make_preview):
    preview, controller = make_preview()
    assert not preview.editor.explain_column.isVisible()
    preview.explain_toggle.click()
    assert preview.explain_toggle.isChecked()
    column = preview.editor.explain_column
    assert column.isVisible()
    viewport = preview.editor.viewport().geometry()
    assert column.geometry().left() >= viewport.right()  # the notes never cover code
    doc = controller.document
    notes = {note.first: note for note in preview.editor.notes}
    for span in controller.rendered.spans:
        block = doc.blocks[doc.find(span.block_id)]
        if block.kind is Kind.BLANK:
            assert span.first not in notes
            continue
        note = notes[span.first]
        assert note.full == explain_line(block, doc.stage_names())
        assert note.text == explanation_beside(block, doc.stage_names())[0]
        assert note.text.lower() in note.full.lower()
        assert note.last >= span.last
    # What is drawn: the text wrapped into the block's lines, cut with an ellipsis when it does not fit.
    drawn = {note.first: lines for note, _band, lines in column.layout_notes()}
    assert 1 <= len(drawn[3]) <= 4  # the continued RUN and the blank line after it give four lines of room
    assert notes[3].text.startswith(" ".join(drawn[3]).removesuffix("…").rstrip())
    assert len(drawn[2]) == 1  # FROM has one line
    controller.select([block_id_at(controller, 7)])
    shown = QTextDocumentFragment.fromHtml(preview.detail.text()).toPlainText()
    assert shown == explain_line(controller.block(block_id_at(controller, 7)), doc.stage_names())
    assert preview.detail.text().startswith("<b>WORKDIR /app</b>")
    preview.explain_toggle.click()
    assert not column.isVisible()


def enter_text_mode(preview: PreviewWidget) -> None:
    preview.edit_toggle.click()
    assert preview.editing and not preview.editor.isReadOnly()


def replace_line(preview: PreviewWidget, line: int, text: str) -> None:
    cursor = QTextCursor(preview.editor.document().findBlockByNumber(line - 1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text)


def test_typed_text_becomes_blocks_in_one_undo_step(make_preview, qtbot):
    preview, controller = make_preview()
    enter_text_mode(preview)
    steps = controller.undo_stack.count()
    preview.editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(preview.editor, "USER nobody")
    QTest.keyClick(preview.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.undo_stack.count() == steps + 1, timeout=3000)
    assert controller.document.blocks[-1].kind is Kind.USER
    assert controller.undo_stack.undoText() == "Edit the Dockerfile as text"
    assert preview.editor.toPlainText() == MULTILINE + "USER nobody\n"
    controller.undo_stack.undo()
    assert controller.rendered.text == MULTILINE
    assert preview.editor.toPlainText() == MULTILINE


def test_typing_taken_back_with_the_editors_undo_leaves_no_step_to_undo(make_preview, qtbot):
    # Typed, read into blocks, then taken back with Ctrl+Z in the text: the Edit menu's Undo must not
    # bring the line back (it said "Undo Edit the Dockerfile as text" and did just that).
    preview, controller = make_preview()
    enter_text_mode(preview)
    steps, before = controller.undo_stack.count(), controller.undo_stack.undoText()
    preview.editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(preview.editor, "COPPY app.py /app")
    qtbot.waitUntil(lambda: controller.undo_stack.count() == steps + 1, timeout=3000)
    assert "COPPY" in controller.rendered.text
    while preview.editor.document().isUndoAvailable():
        QTest.keyClick(preview.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: controller.undo_stack.count() == steps, timeout=3000)
    assert "COPPY" not in controller.rendered.text
    assert controller.undo_stack.undoText() == before
    assert controller.undo_stack.isClean()


def test_one_stretch_of_typing_is_one_undo_step(make_preview, qtbot):
    preview, controller = make_preview()
    enter_text_mode(preview)
    steps = controller.undo_stack.count()
    for line in ("USER nobody", "ENV A=1"):
        preview.editor.moveCursor(QTextCursor.MoveOperation.End)
        QTest.keyClicks(preview.editor, line)
        QTest.keyClick(preview.editor, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda line=line: line in controller.rendered.text, timeout=3000
        )  # read after a pause
    assert controller.undo_stack.count() == steps + 1
    controller.undo_stack.undo()
    assert controller.rendered.text == MULTILINE
    # Switched off and on again, new typing is a step of its own.
    preview.edit_toggle.click()
    controller.undo_stack.redo()
    enter_text_mode(preview)
    preview.editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(preview.editor, "LABEL a=b")
    qtbot.waitUntil(lambda: controller.undo_stack.count() == steps + 2, timeout=3000)


def test_unchanged_blocks_keep_their_ids(make_preview):
    preview, controller = make_preview()
    before = [b.id for b in controller.document.blocks]
    expose = block_id_at(controller, 11)
    controller.select([block_id_at(controller, 7)])
    enter_text_mode(preview)
    replace_line(preview, 11, "EXPOSE 9000")
    assert preview.apply_text()
    after = [b.id for b in controller.document.blocks]
    assert len(after) == len(before)
    assert [a for a, b in zip(after, before, strict=True) if a != b] == [after[before.index(expose)]]
    assert expose not in after
    assert controller.selection() == [block_id_at(controller, 7)]  # still the same WORKDIR block


lines = st.lists(st.sampled_from(["FROM a", "RUN x", "", "EXPOSE 1"]), min_size=1, max_size=8)


@given(lines, lines)
def test_smallest_edit_turns_one_text_into_the_other(old, new):
    before, after = "\n".join(old), "\n".join(new)
    start, end, insert = smallest_edit(before, after)
    assert before[:start] + insert + before[end:] == after


def test_the_text_follows_the_window_zoom(make_preview, qtbot):
    preview, _controller = make_preview()
    app = QApplication.instance()
    original = app.font()
    bigger = QFont(original)
    bigger.setPointSizeF(original.pointSizeF() * 1.5)
    try:
        app.setFont(bigger)  # what the theme does on Ctrl+=
        qtbot.waitUntil(lambda: preview.editor.font().pointSizeF() == pytest.approx(bigger.pointSizeF()))
    finally:
        app.setFont(original)
    qtbot.waitUntil(lambda: preview.editor.font().pointSizeF() == pytest.approx(original.pointSizeF()))


def test_windows_line_endings_survive_editing_as_text(make_preview):
    preview, controller = make_preview(MULTILINE.replace("\n", "\r\n"))
    assert preview.editor.toPlainText() == MULTILINE  # Qt shows lines; the document keeps its endings
    before = [b.id for b in controller.document.blocks]
    enter_text_mode(preview)
    replace_line(preview, 7, "WORKDIR /srv")
    assert preview.apply_text()
    assert controller.rendered.text == MULTILINE.replace("/app\nCOPY", "/srv\nCOPY").replace("\n", "\r\n")
    after = [b.id for b in controller.document.blocks]
    assert sum(a != b for a, b in zip(after, before, strict=True)) == 1


def test_problem_dot_tooltip_and_stale_marks_while_typing(make_preview, qtbot):
    preview, controller = make_preview("FROM alpine\nRUN cd /app\n")
    with qtbot.waitSignal(controller.lintChanged, timeout=30000):
        controller.schedule_lint(immediately=True)
    line = next(f.line for f in controller.lint_report.findings if f.line)
    gutter = preview.editor.gutter
    point = QPoint(10, preview.editor.line_rect(line).center().y())
    QApplication.sendEvent(gutter, QHelpEvent(QEvent.Type.ToolTip, point, gutter.mapToGlobal(point)))
    assert QToolTip.text() == preview.editor.markers[line].tooltip
    QToolTip.hideText()
    enter_text_mode(preview)
    QTest.keyClicks(preview.editor, "# ")
    assert preview.editor.markers == {}  # lines may move while typing: no dot points at a wrong line


def test_keep_ids_matches_in_order():
    old_doc = import_text("FROM a\nRUN x\nRUN x\nEXPOSE 1\n")
    new_doc = import_text("FROM a\nRUN x\nLABEL l=1\nRUN x\nEXPOSE 2\n")
    kept = keep_ids(old_doc.blocks, render(old_doc), new_doc.blocks)
    old_ids = [b.id for b in old_doc.blocks]
    assert [b.id for b in kept][:2] == old_ids[:2]
    assert kept[3].id == old_ids[2]
    assert kept[2].id not in old_ids and kept[4].id not in old_ids


def test_text_docker_cannot_read_shows_the_problem_and_changes_no_block(make_preview, qtbot):
    preview, controller = make_preview()
    enter_text_mode(preview)
    steps = controller.undo_stack.count()
    replace_line(preview, 3, "ENV PATH")
    assert not preview.apply_text()
    assert preview.banner.isVisible()
    assert preview.banner_label.text().startswith("Line 3: ENV PATH needs a value")
    assert controller.undo_stack.count() == steps
    assert controller.rendered.text == MULTILINE
    assert preview.editor.toPlainText().split("\n")[2] == "ENV PATH"  # the typed text stays
    wavy = [
        s
        for s in preview.editor.extraSelections()
        if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
        and s.format.property(MARK) == PROBLEM_LINE
        and s.cursor.hasSelection()
    ]
    assert [s.cursor.blockNumber() + 1 for s in wavy] == [3]
    # Leaving text mode now would lose the text: it stays on, and says how to get out.
    preview.edit_toggle.click()
    assert preview.editing
    assert "discard" in preview.banner_label.text().lower()
    # As soon as it reads again, it applies (after the pause in typing).
    replace_line(preview, 3, "ENV PATH=/opt/bin:$PATH")
    qtbot.waitUntil(lambda: controller.undo_stack.count() == steps + 1, timeout=3000)
    assert not preview.banner.isVisible()
    assert "ENV PATH=/opt/bin:$PATH" in controller.rendered.text
    preview.edit_toggle.click()
    assert not preview.editing and preview.editor.isReadOnly()


def test_discarding_typed_text_restores_the_blocks_text(make_preview):
    preview, _controller = make_preview()
    enter_text_mode(preview)
    replace_line(preview, 2, "FROM")
    replace_line(preview, 3, "ENV PATH")
    assert not preview.apply_text()
    preview.discard_button.click()
    assert preview.editor.toPlainText() == MULTILINE
    assert not preview.banner.isVisible()
    preview.edit_toggle.click()
    assert not preview.editing


def test_problem_dots_in_the_gutter_explain_the_problem(make_preview, qtbot):
    preview, controller = make_preview("FROM alpine\nRUN cd /app\n")
    with qtbot.waitSignal(controller.lintChanged, timeout=30000):
        controller.schedule_lint(immediately=True)
    report = controller.lint_report
    assert report is not None
    lines = {f.line for f in report.findings if f.line is not None}
    assert lines, "hadolint and our checks find something in this file"
    markers = preview.editor.markers
    assert lines <= set(markers)
    finding = next(f for f in report.findings if f.line is not None)
    assert finding.explanation in markers[finding.line].tooltip
