"""The inspector as a whole: a form for every kind, typing and undo, selection, sync, validation, findings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from shown_window import shown

from desktop.blocks.catalog import catalog_entry
from desktop.blocks.kinds import COMMAND_KINDS, Kind, params_of
from desktop.blocks.model import Block, new_block
from desktop.blocks.operations import InsertBlocks, MoveBlocks, SetParams
from desktop.lint import Finding, HadolintState, HadolintStatus, LintReport, Severity
from ui.widgets.inspector import InspectorWidget


def show_inspector(qtbot, controller, width: int = 360, height: int = 700) -> InspectorWidget:
    return shown(qtbot, InspectorWidget(controller), width, height)


def add_and_select(controller, block: Block | Kind) -> Block:
    made = new_block(block) if isinstance(block, Kind) else block
    controller.apply(InsertBlocks(len(controller.document.blocks), [made]))
    controller.select([made.id])
    return made


def line_edit(inspector: InspectorWidget, name: str) -> QLineEdit:
    edit = inspector.findChild(QLineEdit, name)
    assert edit is not None, f"no line edit {name!r} in the form"
    return edit


def messages_under(inspector: InspectorWidget, param: str) -> list[str]:
    assert inspector.form is not None
    for row in inspector.form.rows:
        if param in row.editor.params:
            return row.issues.messages()
    raise KeyError(param)


def block_of(controller, kind: Kind) -> Block:
    return next(b for b in controller.document.blocks if b.kind is kind)


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.value)
def test_a_form_for_every_kind_shows_each_plain_field(qtbot, controller, kind):
    inspector = show_inspector(qtbot, controller)
    block = add_and_select(controller, kind)
    assert inspector.current_block_id() == block.id
    form = inspector.form
    assert form is not None and form.kind is kind
    assert inspector.header is not None and inspector.header.title.text() == catalog_entry(kind).title
    for spec in params_of(kind):
        editor = form.editor(spec.name)
        if spec.advanced and not (kind in COMMAND_KINDS and spec.name in ("form", "command", "args")):
            assert form.advanced is not None and form.advanced.body.isAncestorOf(editor)
        else:
            assert editor.isVisibleTo(inspector), f"{kind.value}: {spec.name} is not shown"
            for widget in editor.focus_widgets():
                assert widget.accessibleName(), (
                    f"{kind.value}: an input of {spec.name} has no accessible name"
                )
    # A new block has no advanced value set, so "More options" starts closed.
    assert form.advanced is None or not form.advanced.is_open()


def test_typing_the_image_renders_and_one_undo_restores(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    add_and_select(controller, Kind.FROM)
    before = controller.rendered.text
    steps = controller.undo_stack.count()
    qtbot.keyClicks(line_edit(inspector, "field-image"), "python")
    qtbot.waitUntil(lambda: "\nFROM python\n" in controller.rendered.text, timeout=3000)
    assert controller.undo_stack.count() == steps + 1, "typing one word makes one undo step"
    assert controller.undo_stack.undoText() == "Change image"
    controller.undo_stack.undo()
    assert controller.rendered.text == before
    assert line_edit(inspector, "field-image").text() == ""


def test_typing_taken_back_leaves_no_step_to_undo(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    block = add_and_select(controller, Kind.WORKDIR)
    steps, before = controller.undo_stack.count(), controller.undo_stack.undoText()
    edit = line_edit(inspector, "field-path")
    qtbot.keyClicks(edit, "/srv")
    qtbot.waitUntil(lambda: block.params["path"] == "/srv", timeout=3000)
    for _ in "/srv":
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: block.params["path"] == "", timeout=3000)
    # The field is as it was: the Edit menu offers the step before, not an "Undo Change path" doing nothing.
    assert controller.undo_stack.count() == steps
    assert controller.undo_stack.undoText() == before


def test_typing_is_written_after_a_pause_not_per_key(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    block = add_and_select(controller, Kind.WORKDIR)
    edit = line_edit(inspector, "field-path")
    qtbot.keyClicks(edit, "/srv")
    assert block.params["path"] == "", "nothing is written while the user is still typing"
    qtbot.waitUntil(lambda: block.params["path"] == "/srv", timeout=3000)


def test_undo_elsewhere_updates_the_field_and_keeps_the_cursor(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    from_block = controller.document.blocks[0]
    controller.select([from_block.id])
    edit = line_edit(inspector, "field-image")
    assert edit.text() == "python"
    inspector.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setCursorPosition(2)
    steps = controller.undo_stack.count()
    controller.apply(SetParams(from_block.id, {"image": "pypy"}))
    assert edit.text() == "pypy" and edit.cursorPosition() == 2
    controller.apply(SetParams(from_block.id, {"tag": "3.13"}))  # another field: this one is untouched
    assert edit.text() == "pypy" and edit.cursorPosition() == 2
    assert line_edit(inspector, "field-tag").text() == "3.13"
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert edit.text() == "python" and line_edit(inspector, "field-tag").text() == "3.12-slim"
    assert controller.undo_stack.count() == steps + 2, "showing values never writes them back"


def test_undo_while_typing_wins_over_the_unwritten_text(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    block = add_and_select(controller, Kind.USER)
    edit = line_edit(inspector, "field-user")
    qtbot.keyClicks(edit, "app")
    inspector.flush()
    qtbot.keyClicks(edit, "x")  # typed, not yet written
    controller.undo_stack.undo()
    assert block.params["user"] == "" and edit.text() == ""
    inspector.flush()
    assert block.params["user"] == "", "the undone typing is not written again"


def test_nothing_selected_and_several_selected(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    controller.select([])
    assert inspector.stack.currentWidget() is inspector.hint
    assert "Select a block" in inspector.hint.text()
    assert inspector.current_block_id() is None and not inspector.focus_first_field()
    ids = [b.id for b in controller.document.blocks[:3]]
    controller.select(ids)
    assert inspector.stack.currentWidget() is inspector.several
    assert inspector.several.text().startswith("3 blocks selected")
    assert inspector.form is None and inspector.current_block_id() is None
    controller.select(ids[:1])
    assert inspector.stack.currentWidget() is inspector.scroll_area and inspector.current_block_id() == ids[0]


def test_selection_change_rebuilds_and_writes_pending_typing_first(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    workdir = block_of(controller, Kind.WORKDIR)
    controller.select([workdir.id])
    path = line_edit(inspector, "field-path")
    qtbot.keyClick(path, Qt.Key.Key_End)
    qtbot.keyClicks(path, "/x")
    controller.select([block_of(controller, Kind.EXPOSE).id])
    assert workdir.params["path"] == "/app/x"
    assert inspector.form is not None and inspector.form.kind is Kind.EXPOSE


def test_removing_the_shown_block_shows_the_hint(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    block = add_and_select(controller, Kind.USER)
    controller.undo_stack.undo()  # undoes the insertion
    assert inspector.current_block_id() is None
    assert inspector.stack.currentWidget() is inspector.hint
    assert block.id not in {b.id for b in controller.document.blocks}


def test_focus_first_field(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    inspector.activateWindow()
    controller.select([controller.document.blocks[0].id])
    assert inspector.focus_first_field()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line_edit(inspector, "field-image"))
    assert line_edit(inspector, "field-image").selectedText() == "python"


def test_labels_name_their_fields(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    controller.select([controller.document.blocks[0].id])
    image = line_edit(inspector, "field-image")
    assert image.accessibleName() == "Image"
    buddies = {label.buddy() for label in inspector.findChildren(QLabel) if label.buddy() is not None}
    assert image in buddies


def test_tab_goes_top_to_bottom(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    controller.select([controller.document.blocks[0].id])
    image, tag, stage = (line_edit(inspector, f"field-{n}") for n in ("image", "tag", "stage_name"))
    assert image.nextInFocusChain() is tag
    assert tag.nextInFocusChain() is stage


def test_block_issues_and_field_issues_show_where_they_belong(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    # A RUN before any FROM: a message for the whole block, at the top of the form.
    run = new_block(Kind.RUN, command="echo hi")
    controller.apply(InsertBlocks(0, [run]))
    controller.select([run.id])
    assert inspector.form is not None
    assert any("FROM" in m for m in inspector.form.block_issues.messages())
    assert inspector.form.block_issues.isVisibleTo(inspector)


def test_empty_image_is_an_error_under_the_image_until_fixed(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    add_and_select(controller, Kind.FROM)
    assert messages_under(inspector, "image"), "an empty image is reported"
    assert inspector.field_editor("image").property("issue") == "error"
    assert not messages_under(inspector, "tag")
    qtbot.keyClicks(line_edit(inspector, "field-image"), "alpine")
    # Validation follows the typing at once, before anything is written.
    assert messages_under(inspector, "image") == []
    assert inspector.field_editor("image").property("issue") == ""


def test_port_out_of_range_is_reported_under_ports(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    add_and_select(controller, Kind.EXPOSE)
    edit = line_edit(inspector, "field-ports-0-0")
    qtbot.keyClicks(edit, "99999")
    assert any("99999" in m for m in messages_under(inspector, "ports"))
    edit.clear()
    qtbot.keyClicks(edit, "8080")
    assert messages_under(inspector, "ports") == []


def test_env_name_with_a_space_is_reported_under_the_pairs(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    add_and_select(controller, Kind.ENV)
    name = line_edit(inspector, "field-pairs-0-0")
    qtbot.keyClicks(name, "MY NAME")
    qtbot.keyClicks(line_edit(inspector, "field-pairs-0-1"), "x")
    messages = messages_under(inspector, "pairs")
    assert any("MY NAME" in m for m in messages)
    name.setText("MY_NAME")
    name.textEdited.emit("MY_NAME")
    assert not [m for m in messages_under(inspector, "pairs") if "MY NAME" in m]


def _report(block_id: str) -> LintReport:
    finding = Finding(
        code="DL3006",
        severity=Severity.WARNING,
        message="Always tag the version of an image explicitly",
        title="Say which version of the image to use",
        explanation="Without a tag you get whatever is newest, which can change any day.",
        link="https://github.com/hadolint/hadolint/wiki/DL3006",
        block_id=block_id,
        line=1,
    )
    return LintReport([finding], HadolintStatus(HadolintState.OK))


def test_lint_findings_of_the_block_are_listed_with_a_link(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    first = controller.document.blocks[0]
    controller.select([first.id])
    controller.lintChanged.emit(_report(first.id))
    assert inspector.notes is not None and inspector.notes.isVisibleTo(inspector)
    assert inspector.notes.titles() == ["Say which version of the image to use"]
    assert inspector.notes.links and inspector.notes.links[0].openExternalLinks()
    controller.select([controller.document.blocks[1].id])
    controller.lintChanged.emit(_report(first.id))
    assert not inspector.notes.isVisibleTo(inspector), "another block's findings are not listed"


def test_more_options_open_when_one_is_set(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    add_and_select(controller, new_block(Kind.FROM, image="alpine", platform="linux/arm64"))
    assert inspector.form is not None and inspector.form.advanced is not None
    assert inspector.form.advanced.is_open()
    assert line_edit(inspector, "field-platform").isVisibleTo(inspector)


def test_the_explanation_folds_and_links_to_the_reference(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    controller.select([controller.document.blocks[0].id])
    header = inspector.header
    assert header is not None
    assert not header.explanation.is_open()
    qtbot.mouseClick(header.explanation.button, Qt.MouseButton.LeftButton)
    assert header.explanation.is_open()
    assert "docs.docker.com" in header.link.text() and header.link.openExternalLinks()
    controller.select([controller.document.blocks[1].id])
    assert inspector.header is not None and inspector.header.explanation.is_open(), "the choice is kept"


def test_a_duplicate_stage_name_is_reported_once_written(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    second_from = [b for b in controller.document.blocks if b.kind is Kind.FROM][1]
    controller.select([second_from.id])
    qtbot.keyClicks(line_edit(inspector, "field-stage_name"), "BUILD")
    inspector.flush()
    assert any("build" in m.lower() for m in messages_under(inspector, "stage_name"))
    controller.undo_stack.undo()
    assert messages_under(inspector, "stage_name") == []


def test_a_command_changed_elsewhere_keeps_the_cursor_of_the_user(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    run = block_of(controller, Kind.RUN)
    controller.select([run.id])
    edit = inspector.field_editor("command").command.edit
    inspector.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    cursor = edit.textCursor()
    cursor.setPosition(3)
    edit.setTextCursor(cursor)
    controller.apply(SetParams(run.id, {"command": "pip install --no-cache-dir -r requirements.txt"}))
    assert edit.toPlainText() == "pip install --no-cache-dir -r requirements.txt"
    assert edit.textCursor().position() == 3


def test_a_runs_example_command_follows_the_image_of_its_stage(qtbot, controller_for):
    controller = controller_for(
        "FROM alpine:3.20\nRUN echo a\nFROM debian:12\nRUN echo b\nFROM busybox\nRUN x\n"
    )
    inspector = show_inspector(qtbot, controller)
    runs = [b for b in controller.document.blocks if b.kind is Kind.RUN]

    def suggested(block) -> str:
        controller.select([block.id])
        return inspector.form.editor("command").command.edit.placeholderText()

    assert suggested(runs[0]).startswith("apk add")  # apt-get does not exist on Alpine
    assert suggested(runs[1]).startswith("apt-get update")
    assert suggested(runs[2]) == "echo hello"  # no package tool to guess: the plain example
    controller.select([runs[0].id])
    first_from = controller.document.blocks[0]
    controller.apply(SetParams(first_from.id, {"image": "ubuntu", "tag": ""}))
    assert inspector.form.editor("command").command.edit.placeholderText().startswith("apt-get")
    # Moved into the busybox stage, where there is no tool to guess: the plain example again.
    controller.apply(MoveBlocks([runs[0].id], len(controller.document.blocks)))
    assert inspector.form.editor("command").command.edit.placeholderText() == "echo hello"


def test_a_version_typed_with_the_image_goes_to_the_version_field(qtbot, controller):
    inspector = show_inspector(qtbot, controller)
    block = add_and_select(controller, Kind.FROM)
    image = line_edit(inspector, "field-image")
    image.setFocus()
    image.selectAll()
    qtbot.keyClicks(image, "alpine:3.20")
    qtbot.keyClick(image, Qt.Key.Key_Return)  # done with the field (leaving it does the same)
    qtbot.waitUntil(lambda: block.params["tag"] == "3.20", timeout=3000)
    assert block.params["image"] == "alpine"
    assert image.text() == "alpine" and line_edit(inspector, "field-tag").text() == "3.20"
    assert "\nFROM alpine:3.20\n" in controller.rendered.text
    # A registry's port is not a version, a digest stays where it was typed, and a version given in
    # its own field is left alone (the two then disagree, which the image field says).
    for typed, tag, expected in (
        ("localhost:5000/app", "", ("localhost:5000/app", "")),
        ("alpine@sha256:" + "0" * 64, "", ("alpine@sha256:" + "0" * 64, "")),
        ("alpine:3.19", "3.20", ("alpine:3.19", "3.20")),
    ):
        controller.apply(SetParams(block.id, {"image": "x", "tag": tag}))
        image.setFocus()
        image.selectAll()
        qtbot.keyClicks(image, typed)
        qtbot.keyClick(image, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda typed=typed: block.params["image"] != "x", timeout=3000)
        assert (block.params["image"], block.params["tag"]) == expected


def test_renaming_a_stage_in_its_form_takes_its_links_along(qtbot, controller):
    # The small project's second stage copies --from=build: renaming the first stage left it pointing
    # at a stage that no longer existed (the build then fails; only a vague warning said so).
    inspector = show_inspector(qtbot, controller)
    first = controller.document.blocks[0]
    controller.select([first.id])
    steps = controller.undo_stack.count()
    name = line_edit(inspector, "field-stage_name")
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "compiler")
    qtbot.waitUntil(lambda: first.params["stage_name"] == "compiler", timeout=3000)
    assert "COPY --from=compiler /app /app" in controller.rendered.text
    assert controller.undo_stack.count() == steps + 1
    assert controller.undo_stack.undoText() == "Rename stage build to compiler"
    controller.undo_stack.undo()
    assert "COPY --from=build /app /app" in controller.rendered.text and first.params["stage_name"] == "build"


def test_a_zoom_builds_the_form_again_in_the_new_size(qtbot, controller):
    # After Ctrl++ the form kept the sizes it was built with until another block was chosen: its words
    # were cut off at the panel's edge (or stayed far too big after Ctrl+-).
    inspector = show_inspector(qtbot, controller)
    add_and_select(controller, Kind.RUN)
    before = inspector.header.title.font().pointSizeF()
    normal = QApplication.font()
    bigger = QFont(normal)
    bigger.setPointSizeF(normal.pointSizeF() * 1.5)
    try:
        QApplication.setFont(bigger)
        qtbot.waitUntil(lambda: inspector.header.title.font().pointSizeF() > before * 1.3)
    finally:
        QApplication.setFont(normal)
    qtbot.waitUntil(lambda: inspector.header.title.font().pointSizeF() == pytest.approx(before))
