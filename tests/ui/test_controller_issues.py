"""The controller's field problems, worked out again only for what an edit changed, are always what checking
the whole document from scratch gives."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.blocks.operations import InsertBlocks, MoveBlocks, RemoveBlocks, SetParams
from desktop.blocks.validate import FieldIssue, validate_document
from ui.controller import DocumentController

# A file with problems of every sort: a first instruction that is not FROM, a directive below the top,
# two stages with one name, an unknown flag, and blocks an edit can make wrong (an empty command).
PROBLEMS = """\
RUN echo before any stage
# syntax=docker/dockerfile:1
FROM alpine AS build
RUN --bogus=1 echo hi
ENV A=1
FROM alpine AS build
WORKDIR /app
COPY --from=build /a /b
"""


def grouped(issues: list[FieldIssue]) -> dict[str, list[FieldIssue]]:
    out: dict[str, list[FieldIssue]] = {}
    for issue in issues:
        out.setdefault(issue.block_id, []).append(issue)
    return out


def assert_fresh(controller: DocumentController) -> None:
    fresh = validate_document(controller.document)
    assert controller.issues_by_block() == grouped(fresh)
    assert controller.field_issues() == fresh


EDITS: list[tuple[Kind, dict[str, object]]] = [
    (Kind.RUN, {"command": ""}),  # required: an error appears
    (Kind.RUN, {"command": "echo fixed"}),
    (Kind.RUN, {"extra_flags": []}),  # the unknown flag goes
    (Kind.RUN, {"extra_flags": ["--nope"]}),
    (Kind.ENV, {"pairs": [["A", "1"], ["", "x"]]}),
    (Kind.WORKDIR, {"path": ""}),
    (Kind.WORKDIR, {"path": "/srv"}),
    (Kind.FROM, {"stage_name": "other"}),  # stage names change: the whole document again
    (Kind.FROM, {"stage_name": "build"}),
    (Kind.DIRECTIVE, {"value": "docker/dockerfile:1.7"}),
]


@pytest.mark.parametrize("seed", range(6))
def test_problems_after_edits_are_those_of_the_whole_document(
    controller_for: Callable[[str], DocumentController], seed: int
) -> None:
    controller = controller_for(PROBLEMS)
    pick = random.Random(seed)
    assert_fresh(controller)
    for _ in range(30):
        kind, values = pick.choice(EDITS)
        targets = [b for b in controller.document.blocks if b.kind is kind]
        if pick.random() < 0.1:  # now and then a structural edit, or an undo, in between
            step = pick.choice(["insert", "move", "remove", "undo"])
            blocks = controller.document.blocks
            if step == "insert":
                controller.apply(
                    InsertBlocks(pick.randrange(len(blocks) + 1), [new_block(Kind.EXPOSE, ports=["80"])])
                )
            elif step == "move" and len(blocks) > 2:
                controller.apply(MoveBlocks([pick.choice(blocks).id], pick.randrange(len(blocks))))
            elif step == "remove" and len(blocks) > 4:
                controller.apply(RemoveBlocks([pick.choice(blocks[1:]).id]))
            elif controller.undo_stack.canUndo():
                controller.undo_stack.undo()
        elif targets:
            controller.apply(SetParams(pick.choice(targets).id, values))
        # Views ask for the issues after every change, as the canvas does: the next edit updates them.
        controller.issues_by_block()
        assert_fresh(controller)
