"""The canvas's tree model: stages and blocks, following every edit, undo and redo, passing qtmodeltester."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.blocks.operations import InsertBlocks, MoveBlocks, RemoveBlocks, ReplaceBlocks, SetParams
from desktop.dockerfile import import_text
from desktop.lint import LintReport
from desktop.lint.findings import Finding, HadolintState, HadolintStatus, Severity
from desktop.project import Project
from ui.controller import DocumentController
from ui.models import block_edits
from ui.models.document_model import BlockRole, DocumentModel
from ui.models.row_diff import plan_row_changes

# The offscreen platform says this when a window with a layout is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

FIXTURES = Path(__file__).parents[1] / "fixtures" / "dockerfiles"
DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def model(controller: DocumentController, qtmodeltester) -> DocumentModel:
    made = DocumentModel(controller)
    qtmodeltester.check(made)
    return made


def shown_structure(model: DocumentModel) -> list[list[str]]:
    """The block ids under each top-level row."""
    rows = []
    for top in range(model.rowCount()):
        parent = model.index(top, 0)
        rows.append([model.block_id(model.index(r, 0, parent)) for r in range(model.rowCount(parent))])
    return rows


def expected_structure(controller: DocumentController) -> list[list[str]]:
    stages = controller.document.stages()
    return [[b.id for b in s.blocks] for s in stages if s.index >= 0 or s.blocks]


def ids(controller: DocumentController) -> list[str]:
    return [b.id for b in controller.document.blocks]


def test_stages_are_rows_and_blocks_their_children(
    model: DocumentModel, controller: DocumentController
) -> None:
    assert model.rowCount() == 2
    assert model.index(0, 0).data() == "Stage 1 · build (from python:3.12-slim)"
    assert model.index(1, 0).data() == "Stage 2 (from python:3.12-slim)"
    assert shown_structure(model) == expected_structure(controller)
    first_stage = model.index(0, 0)
    from_index = model.index(0, 0, first_stage)
    assert from_index.data(BlockRole.KIND) == "FROM"
    assert from_index.data(BlockRole.BLOCK_ID) == controller.document.blocks[0].id
    assert (
        model.index(1, 0).data(Qt.ItemDataRole.AccessibleTextRole)
        == "Stage 2 (from python:3.12-slim), 4 blocks"
    )


def test_global_part_is_shown_only_when_it_has_blocks(qtmodeltester, controller_for) -> None:
    controller = controller_for((FIXTURES / "multistage.Dockerfile").read_text())
    model = DocumentModel(controller)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Before the first stage: build settings"
    assert model.index(1, 0).data() == "Stage 1 · build (from golang:${GO_VERSION})"
    assert model.index(0, 0).data(BlockRole.STAGE_INDEX) == -1
    assert model.index(2, 0).data(BlockRole.STAGE_INDEX) == 1
    controller.apply(RemoveBlocks([b.id for b in controller.document.stages()[0].blocks]))
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Stage 1 · build (from golang:${GO_VERSION})"
    assert shown_structure(model) == expected_structure(controller)


def test_block_roles(model: DocumentModel, controller: DocumentController) -> None:
    run = model.block_index(controller.document.blocks[3].id)
    assert run.data(DISPLAY) == "Run: pip install -r requirements.txt"
    assert run.data(BlockRole.KEYWORD) == "RUN"
    assert run.data(BlockRole.TITLE) == "Run a command"
    assert run.data(BlockRole.ICON_NAME) == "run.svg"
    assert not run.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert isinstance(run.data(BlockRole.COLOUR), QColor)
    assert run.data(BlockRole.ISSUES) == []
    assert run.data(BlockRole.PROBLEMS) == (0, 0)
    assert run.data(Qt.ItemDataRole.AccessibleTextRole) == "RUN block: Run: pip install -r requirements.txt"
    assert "Run a command" in run.data(Qt.ItemDataRole.ToolTipRole)
    assert model.flags(run) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable


def test_validation_issues_show_on_the_block(model: DocumentModel, controller: DocumentController) -> None:
    head = controller.document.blocks[0]
    controller.apply(SetParams(head.id, {"image": ""}))
    index = model.block_index(head.id)
    issues = index.data(BlockRole.ISSUES)
    assert [i.field for i in issues] == ["image"]
    assert index.data(BlockRole.PROBLEMS) == (1, 0)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).endswith(", 1 error")
    assert "The field “Image” is empty" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data() == "Stage 1 · build"


def test_lint_findings_count_as_warnings(model: DocumentModel, controller: DocumentController, qtbot) -> None:
    run_id = controller.document.blocks[3].id
    finding = Finding(
        "DL3042", Severity.WARNING, "pip cache", "Pip keeps its cache", "Add --no-cache-dir.", None, run_id, 4
    )
    report = LintReport([finding], HadolintStatus(HadolintState.OK))
    controller.lint_report = report
    with qtbot.waitSignal(model.dataChanged):
        controller.lintChanged.emit(report)
    index = model.block_index(run_id)
    assert index.data(BlockRole.FINDINGS) == [finding]
    assert index.data(BlockRole.PROBLEMS) == (0, 1)
    assert (
        index.data(Qt.ItemDataRole.AccessibleTextRole)
        == "RUN block: Run: pip install -r requirements.txt, 1 warning"
    )


def test_faces_follow_edits_problems_and_findings(
    model: DocumentModel, controller: DocumentController, qtbot
) -> None:
    # Faces are kept between paints: each must be made again when what it shows changed.
    head, run_id = controller.document.blocks[0], controller.document.blocks[3].id
    head_index, run_index = model.block_index(head.id), model.block_index(run_id)
    assert model.face(run_index) == run_index.data(BlockRole.FACE)
    assert model.face(model.index(0, 0)) is None  # a stage row
    assert model.face(head_index).problems == (0, 0)  # type: ignore[union-attr]
    controller.apply(SetParams(head.id, {"image": ""}))
    assert model.face(head_index).problems == (1, 0)  # type: ignore[union-attr]
    controller.apply(SetParams(run_id, {"command": "echo changed"}))
    assert model.face(run_index).summary == "Run: echo changed"  # type: ignore[union-attr]
    finding = Finding("DL3000", Severity.WARNING, "t", "e", "f", None, run_id, 4)
    report = LintReport([finding], HadolintStatus(HadolintState.OK))
    controller.lint_report = report
    controller.lintChanged.emit(report)
    assert model.face(run_index).problems == (0, 1)  # type: ignore[union-attr]
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert model.face(head_index).problems == (0, 0)  # type: ignore[union-attr]
    assert model.face(run_index) == run_index.data(BlockRole.FACE)
    # The neighbours the canvas asks about, straight from the model, agree with Qt's indexes.
    for stage_row in range(model.rowCount()):
        stage = model.index(stage_row, 0)
        count = model.rowCount(stage)
        for row in range(count):
            index = model.index(row, 0, stage)
            above = model.index(row - 1, 0, stage).data(BlockRole.FACE) if row else None
            assert model.face_above(index) == above
            assert model.is_last_in_stage(index) == (row == count - 1)
    assert model.face_above(model.index(0, 0)) is None
    assert not model.is_last_in_stage(model.index(0, 0))


def test_edits_inside_a_stage_are_row_changes_not_resets(
    model: DocumentModel, controller: DocumentController, qtbot, qtmodeltester
) -> None:
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    run = new_block(Kind.RUN, command="echo hi")
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        controller.apply(InsertBlocks(2, [run]))
    parent, first, last = inserted.args
    assert (parent.row(), first, last) == (0, 2, 2)
    with qtbot.waitSignal(model.rowsRemoved):
        controller.apply(MoveBlocks([run.id], 7))  # into the second stage
    assert model.block_index(run.id).parent().row() == 1
    with qtbot.waitSignal(model.rowsRemoved):
        controller.undo_stack.undo()
    assert model.block_index(run.id).parent().row() == 0
    assert not resets
    qtmodeltester.check(model)
    assert shown_structure(model) == expected_structure(controller)


def test_params_change_is_data_changed(model: DocumentModel, controller: DocumentController, qtbot) -> None:
    workdir = controller.document.blocks[1]
    with qtbot.waitSignal(model.dataChanged):
        controller.apply(SetParams(workdir.id, {"path": "/srv"}))
    assert model.block_index(workdir.id).data() == "Go to folder /srv (create it if needed)"


def test_new_stage_resets_and_keeps_ids(model: DocumentModel, controller: DocumentController, qtbot) -> None:
    with qtbot.waitSignal(model.modelReset):
        controller.apply(InsertBlocks(2, [new_block(Kind.FROM, image="alpine")]))
    assert model.rowCount() == 3
    assert shown_structure(model) == expected_structure(controller)


def test_model_follows_a_long_series_of_edits_and_undos(
    model: DocumentModel, controller: DocumentController, qtmodeltester
) -> None:
    doc = controller.document
    edits = [
        InsertBlocks(0, [new_block(Kind.ARG, args=[["V", "1"]])]),
        InsertBlocks(
            len(doc.blocks) + 1, [new_block(Kind.RUN, command="ls"), new_block(Kind.FROM, image="b")]
        ),
        MoveBlocks([doc.blocks[2].id, doc.blocks[4].id], 8),
        RemoveBlocks([doc.blocks[1].id, doc.blocks[6].id]),
        MoveBlocks([doc.blocks[-1].id], 0),
        ReplaceBlocks(import_text("FROM a\nRUN b\n").blocks),
    ]
    for edit in edits:
        controller.apply(edit)
        qtmodeltester.check(model)
        assert shown_structure(model) == expected_structure(controller)
    while controller.undo_stack.canUndo():
        controller.undo_stack.undo()
        qtmodeltester.check(model)
        assert shown_structure(model) == expected_structure(controller)
    while controller.undo_stack.canRedo():
        controller.undo_stack.redo()
        assert shown_structure(model) == expected_structure(controller)


def test_project_replaced_resets(model: DocumentModel, controller: DocumentController, qtbot) -> None:
    with qtbot.waitSignal(model.modelReset):
        controller.replace_project(Project(document=import_text("FROM busybox\n")), None)
    assert shown_structure(model) == [[controller.document.blocks[0].id]]


def test_drop_positions_follow_rows_and_parents(model: DocumentModel) -> None:
    first, second = model.index(0, 0), model.index(1, 0)
    root = QModelIndex()
    assert model.document_position(0, root) == 0
    assert model.document_position(1, root) == 5
    assert model.document_position(-1, root) == 9
    assert model.document_position(2, first) == 2
    assert model.document_position(-1, first) == 5
    assert model.document_position(-1, second) == 9
    assert model.document_position(-1, model.index(1, 0, first)) == 2  # on a block: after it


def test_drop_of_a_kind_inserts_and_selects(model: DocumentModel, controller: DocumentController) -> None:
    mime = block_edits.QMimeData()
    mime.setData(block_edits.KIND_MIME, b"EXPOSE")
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, model.index(1, 0))
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, 1, 0, model.index(1, 0))
    added = controller.document.blocks[6]
    assert added.kind is Kind.EXPOSE
    assert controller.selection() == [added.id]
    controller.undo_stack.undo()
    assert Kind.EXPOSE not in [b.kind for b in controller.document.blocks[5:7]]


def test_mime_data_carries_the_block_ids_in_document_order(
    model: DocumentModel, controller: DocumentController
) -> None:
    doc = controller.document
    mime = model.mimeData([model.block_index(doc.blocks[3].id), model.block_index(doc.blocks[1].id)])
    assert block_edits.ids_from_mime(mime) == [doc.blocks[1].id, doc.blocks[3].id]


def test_moving_blocks_by_drop_and_copying_with_ctrl(
    model: DocumentModel, controller: DocumentController
) -> None:
    doc = controller.document
    run = doc.blocks[3].id
    mime = block_edits.ids_mime([run])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 1, 0, model.index(0, 0))
    assert ids(controller).index(run) == 1
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, model.index(1, 0))
    assert doc.blocks[-1].kind is Kind.RUN and doc.blocks[-1].id != run
    assert controller.undo_stack.count() == 2


def test_a_drop_where_the_blocks_already_are_is_no_edit(
    model: DocumentModel, controller: DocumentController
) -> None:
    run = controller.document.blocks[3].id
    mime = block_edits.ids_mime([run])
    for row in (3, 4):
        assert not model.dropMimeData(mime, Qt.DropAction.MoveAction, row, 0, model.index(0, 0))
    assert controller.undo_stack.count() == 0


@given(
    st.lists(st.integers(0, 15), unique=True, max_size=10),
    st.lists(st.integers(0, 15), unique=True, max_size=10),
)
def test_row_plan_turns_one_list_into_the_other(current: list[int], wanted: list[int]) -> None:
    before, after = [str(i) for i in current], [str(i) for i in wanted]
    removals, insertions = plan_row_changes(before, after)
    rows = list(before)
    for first, last in removals:
        del rows[first : last + 1]
    for row, new in insertions:
        rows[row:row] = new
    assert rows == after
    # The rows that stay are a longest common ordered part, so the view keeps as many rows as it can.
    kept = len(before) - sum(last - first + 1 for first, last in removals)
    assert kept == longest_common_part(before, after)


def longest_common_part(a: list[str], b: list[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


def test_row_plan_for_one_move_touches_one_row() -> None:
    removals, insertions = plan_row_changes(list("abcde"), list("acdbe"))
    assert removals == [(1, 1)]
    assert insertions == [(3, ["b"])]
