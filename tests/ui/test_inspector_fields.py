"""Each field editor of the inspector writes the right parameters, in one undo step, and follows undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QTextEdit

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, new_block
from desktop.blocks.operations import InsertBlocks
from desktop.dockerfile import import_text
from ui.widgets.fields.command import exec_to_shell, needs_shell, shell_to_exec
from ui.widgets.inspector import InspectorWidget


@pytest.fixture
def inspector(qtbot, controller) -> InspectorWidget:
    made = InspectorWidget(controller)
    qtbot.addWidget(made)
    made.resize(360, 700)
    made.show()
    qtbot.waitExposed(made)
    return made


def add_and_select(controller, block: Block | Kind) -> Block:
    made = new_block(block) if isinstance(block, Kind) else block
    controller.apply(InsertBlocks(len(controller.document.blocks), [made]))
    controller.select([made.id])
    return made


def child(inspector, kind, name):
    widget = inspector.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} {name!r}"
    return widget


def lines_of(controller, block: Block) -> str:
    span = controller.rendered.lines_of(block.id)
    assert span is not None
    return "".join(controller.rendered.text.splitlines(keepends=True)[span.first - 1 : span.last])


def click_option(qtbot, button) -> None:
    # A radio button reacts to clicks on its circle and text, not on the empty space beside them.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def open_more_options(qtbot, inspector) -> None:
    assert inspector.form is not None and inspector.form.advanced is not None
    if not inspector.form.advanced.is_open():
        qtbot.mouseClick(inspector.form.advanced.button, Qt.MouseButton.LeftButton)


def test_text_field_shows_the_example_as_placeholder(inspector, controller):
    add_and_select(controller, Kind.WORKDIR)
    assert child(inspector, QLineEdit, "field-path").placeholderText() == "/app"


def test_bool_field_writes_and_undoes(qtbot, inspector, controller):
    block = add_and_select(controller, Kind.COPY)
    open_more_options(qtbot, inspector)
    box = child(inspector, QCheckBox, "field-link")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert block.params["link"] is True
    assert lines_of(controller, block).startswith("COPY --link")
    assert controller.undo_stack.undoText() == "Change link"
    controller.undo_stack.undo()
    assert block.params["link"] is False and not box.isChecked()


def test_choice_field_writes_the_value_and_shows_catalog_words(qtbot, inspector, controller):
    block = add_and_select(controller, new_block(Kind.RUN, command="make"))
    open_more_options(qtbot, inspector)
    combo = child(inspector, QComboBox, "field-network")
    assert combo.currentText() == "Not set"
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Not set",
        "Normal",
        "No network",
        "The host's network",
    ]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the keyboard, as a user would: Not set -> Normal
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # -> No network
    assert block.params["network"] == "none"
    assert lines_of(controller, block) == "RUN --network=none make\n"
    while controller.undo_stack.canUndo() and block.params["network"]:
        controller.undo_stack.undo()
    assert combo.currentText() == "Not set"


def test_list_field_adds_moves_and_removes_items(qtbot, inspector, controller):
    block = add_and_select(controller, Kind.EXPOSE)
    qtbot.keyClicks(child(inspector, QLineEdit, "field-ports-0-0"), "80")
    qtbot.keyClick(child(inspector, QLineEdit, "field-ports-0-0"), Qt.Key.Key_Return)
    # Enter started a new row, which is a draft: nothing empty is written.
    assert block.params["ports"] == ["80"]
    qtbot.keyClicks(child(inspector, QLineEdit, "field-ports-1-0"), "443")
    inspector.flush()
    assert block.params["ports"] == ["80", "443"]
    editor = inspector.field_editor("ports")
    qtbot.mouseClick(editor.rows[1].up, Qt.MouseButton.LeftButton)
    assert block.params["ports"] == ["443", "80"]
    assert lines_of(controller, block) == "EXPOSE 443 80\n"
    qtbot.mouseClick(editor.rows[0].remove, Qt.MouseButton.LeftButton)
    assert block.params["ports"] == ["80"]
    controller.undo_stack.undo()
    assert block.params["ports"] == ["443", "80"]
    assert [row.edits[0].text() for row in editor.rows] == ["443", "80"]
    controller.undo_stack.undo()
    assert block.params["ports"] == ["80", "443"]


def test_list_field_add_button_starts_a_draft_row_with_the_cursor_in_it(qtbot, inspector, controller):
    block = add_and_select(controller, new_block(Kind.VOLUME, paths=["/data"]))
    inspector.activateWindow()
    editor = inspector.field_editor("paths")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert len(editor.rows) == 2 and editor.rows[1].draft
    qtbot.waitUntil(editor.rows[1].edits[0].hasFocus)
    assert block.params["paths"] == ["/data"]
    qtbot.mouseClick(editor.rows[1].remove, Qt.MouseButton.LeftButton)
    assert len(editor.rows) == 1 and block.params["paths"] == ["/data"]


def test_pairs_quote_a_value_with_spaces_and_undo(qtbot, inspector, controller):
    block = add_and_select(controller, Kind.ENV)
    qtbot.keyClicks(child(inspector, QLineEdit, "field-pairs-0-0"), "GREETING")
    value = child(inspector, QLineEdit, "field-pairs-0-1")
    qtbot.keyClicks(value, "Hello world")
    inspector.flush()
    assert block.params["pairs"] == [["GREETING", '"Hello world"']]
    assert lines_of(controller, block) == 'ENV GREETING="Hello world"\n'
    assert value.text() == "Hello world", "the field shows the value, not its quotes"
    controller.undo_stack.undo()  # the typing in the table was one step
    assert block.params["pairs"] == []
    assert [row.texts() for row in inspector.field_editor("pairs").rows] == [["", ""]]


def test_pairs_keep_untouched_cells_as_written(qtbot, inspector, controller):
    imported = import_text("ENV A='x y' B=1\n").blocks[0]
    block = add_and_select(controller, imported)
    first_value = child(inspector, QLineEdit, "field-pairs-0-1")
    assert first_value.text() == "x y"
    second_value = child(inspector, QLineEdit, "field-pairs-1-1")
    second_value.selectAll()
    qtbot.keyClicks(second_value, "2")
    inspector.flush()
    assert block.params["pairs"] == [["A", "'x y'"], ["B", "2"]]


def test_args_name_and_optional_default(qtbot, inspector, controller):
    block = add_and_select(controller, Kind.ARG)
    qtbot.keyClicks(child(inspector, QLineEdit, "field-args-0-0"), "VERSION")
    default = child(inspector, QLineEdit, "field-args-0-1")
    qtbot.keyClicks(default, "1.0")
    inspector.flush()
    assert lines_of(controller, block) == "ARG VERSION=1.0\n"
    default.clear()
    default.textEdited.emit("")
    inspector.flush()
    assert block.params["args"] == [["VERSION"]]
    assert lines_of(controller, block) == "ARG VERSION\n"
    controller.undo_stack.undo()  # the typing in the table was one step
    assert block.params["args"] == []


def test_multiline_command_line_break_is_a_continuation(qtbot, inspector, controller):
    block = add_and_select(controller, Kind.RUN)
    edit = child(inspector, QTextEdit, "field-command")
    metrics = QFontMetrics(edit.font())
    assert metrics.horizontalAdvance("iiii") == metrics.horizontalAdvance("MMMM"), (
        "commands use a monospace font"
    )
    qtbot.keyClicks(edit, "apt-get update &&")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "    apt-get install -y curl")
    qtbot.waitUntil(lambda: "install" in block.params["command"], timeout=3000)
    assert lines_of(controller, block) == "RUN apt-get update &&\\\n    apt-get install -y curl\n"


def test_int_field(qtbot, inspector, controller):
    block = add_and_select(controller, Kind.BLANK)
    spin = child(inspector, QSpinBox, "field-count")
    assert spin.value() == 1
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    inspector.flush()
    assert block.params["count"] == 2
    controller.undo_stack.undo()
    assert spin.value() == 1


def test_switch_shell_to_exec_and_back_in_one_step_each(qtbot, inspector, controller):
    block = add_and_select(controller, new_block(Kind.RUN, command="pip install -r requirements.txt"))
    editor = inspector.field_editor("command")
    click_option(qtbot, editor.exec_button)
    assert block.params["form"] == "exec"
    assert block.params["args"] == ["pip", "install", "-r", "requirements.txt"]
    assert lines_of(controller, block) == 'RUN ["pip", "install", "-r", "requirements.txt"]\n'
    assert editor.args.isVisibleTo(inspector) and not editor.command.isVisibleTo(inspector)
    controller.undo_stack.undo()
    assert block.params["form"] == "shell" and block.params["command"] == "pip install -r requirements.txt"
    assert editor.shell_button.isChecked() and editor.command.isVisibleTo(inspector)


def test_switch_keeps_shell_features_through_sh_c(qtbot, inspector, controller):
    block = add_and_select(controller, new_block(Kind.CMD, form="shell", command="serve --port $PORT"))
    click_option(qtbot, inspector.field_editor("command").exec_button)
    assert block.params["args"] == ["/bin/sh", "-c", "serve --port $PORT"]
    click_option(qtbot, inspector.field_editor("command").shell_button)
    assert block.params["command"] == "serve --port $PORT"


def test_switch_exec_to_shell_quotes_words(qtbot, inspector, controller):
    block = controller.document.blocks[-1]  # CMD ["python", "app.py"]
    controller.select([block.id])
    click_option(qtbot, inspector.field_editor("command").shell_button)
    assert block.params == {**block.params, "form": "shell", "command": "python app.py", "args": []}
    assert lines_of(controller, block) == "CMD python app.py\n"


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("python app.py", ["python", "app.py"]),
        ('python "my app.py"', ["python", "my app.py"]),
        ("npm start\n  --verbose", ["npm", "start", "--verbose"]),
        (
            "apt-get update && apt-get install -y git",
            ["/bin/sh", "-c", "apt-get update && apt-get install -y git"],
        ),
        ("echo $HOME", ["/bin/sh", "-c", "echo $HOME"]),
        ("ls *.py", ["/bin/sh", "-c", "ls *.py"]),
        ("FOO=1 run", ["/bin/sh", "-c", "FOO=1 run"]),
        ("echo 'unclosed", ["/bin/sh", "-c", "echo 'unclosed"]),
        ("", []),
    ],
)
def test_shell_to_exec(command, args):
    assert shell_to_exec(command) == args
    if args and args[0] != "/bin/sh":
        assert not needs_shell(command.replace("\n", " "))
        assert shell_to_exec(exec_to_shell(args)) == args, "the conversion goes both ways"


def test_exec_to_shell():
    assert exec_to_shell(["python", "my app.py"]) == "python 'my app.py'"
    assert exec_to_shell(["/bin/sh", "-c", "a && b"]) == "a && b"
    assert exec_to_shell([]) == ""


def test_heredocs_show_and_edit_their_text(qtbot, inspector, controller):
    imported = import_text("RUN <<EOF\necho hi\nEOF\n").blocks[0]
    block = add_and_select(controller, imported)
    assert inspector.form is not None and inspector.form.advanced is not None
    assert inspector.form.advanced.is_open(), "a block with inline files opens More options"
    assert not inspector.field_editor("command").exec_button.isEnabled()
    edit = child(inspector, QTextEdit, "field-heredocs-0")
    assert edit.toPlainText() == "echo hi"
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(edit, " there")
    inspector.flush()
    assert lines_of(controller, block) == "RUN <<EOF\necho hi there\nEOF\n"
    controller.undo_stack.undo()
    assert edit.toPlainText() == "echo hi"


def test_onbuild_trigger_kind_and_nested_field(qtbot, inspector, controller):
    block = add_and_select(controller, Kind.ONBUILD)
    combo = child(inspector, QComboBox, "field-trigger")
    assert combo.currentIndex() == 0
    index = combo.findData("RUN")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    trigger = block.params["trigger"]
    assert isinstance(trigger, Block) and trigger.kind is Kind.RUN
    editor = inspector.field_editor("trigger")
    assert editor.form is not None
    nested = editor.form.editor("command").command.edit
    assert editor.form.rows[0].issues.messages(), "the empty trigger command is reported in the nested form"
    qtbot.keyClicks(nested, "echo hi")
    inspector.flush()
    assert lines_of(controller, block) == "ONBUILD RUN echo hi\n"
    assert editor.form.rows[0].issues.messages() == []
    controller.undo_stack.undo()
    assert block.params["trigger"].params["command"] == "" and nested.toPlainText() == ""
    controller.undo_stack.undo()
    assert block.params["trigger"] is None and combo.currentIndex() == 0
    assert not editor.box.isVisibleTo(inspector)


def test_healthcheck_none_makes_the_command_inactive(qtbot, inspector, controller):
    add_and_select(controller, Kind.HEALTHCHECK)
    combo = child(inspector, QComboBox, "field-mode")
    index = combo.findData("NONE")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert inspector.form is not None
    rows = {row.editor.context.name: row for row in inspector.form.rows}
    assert not rows["command"].isEnabled() and not rows["interval"].isEnabled()
    assert rows["mode"].isEnabled()
