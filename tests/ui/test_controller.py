"""The controller's undo stack names every edit, including those that know their name only once done."""

from __future__ import annotations

from desktop.blocks.operations import MoveBlocks, RemoveBlocks
from desktop.dockerfile import import_text
from desktop.project import Project
from ui.controller import DocumentController


def test_undo_texts_name_moves_and_removals(qtbot) -> None:
    controller = DocumentController(Project(import_text("FROM a\nRUN b\nRUN c\n")))
    first_run, second_run = controller.document.blocks[1].id, controller.document.blocks[2].id
    controller.apply(MoveBlocks([second_run], 1))
    assert controller.undo_stack.undoText() == "Move RUN"
    controller.apply(RemoveBlocks([first_run, second_run]))
    assert controller.undo_stack.undoText() == "Delete 2 blocks"
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert controller.rendered.text == "FROM a\nRUN b\nRUN c\n"
    controller.wait_for_lint()
