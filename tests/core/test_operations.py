"""Every edit is reversible: any sequence of operations, undone in reverse, gives back the same bytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.blocks.operations import (
    ChangeKind,
    InsertBlocks,
    MoveBlocks,
    Operation,
    RemoveBlocks,
    RenameStage,
    ReplaceBlocks,
    SetParams,
    duplicates_of,
)
from desktop.dockerfile import import_text, render_text

TEXT = (
    'FROM alpine:3.20\n# tools\nRUN apk add --no-cache curl \\\n    git\nWORKDIR /app\nCOPY . .\nCMD ["sh"]\n'
)


def test_insert_and_its_undo() -> None:
    doc = import_text(TEXT)
    op = InsertBlocks(1, [new_block(Kind.ENV, pairs=[["A", "1"]])])
    change = op.apply(doc)
    assert change.kind is ChangeKind.INSERTED and change.positions == (1,)
    assert render_text(doc).splitlines()[1] == "ENV A=1"
    assert op.title == "Add ENV"
    op.revert(doc)
    assert render_text(doc) == TEXT


def test_move_puts_blocks_before_the_drop_position() -> None:
    doc = import_text(TEXT)
    workdir = doc.blocks[3]
    op = MoveBlocks([workdir.id], 1)
    change = op.apply(doc)
    assert change.positions == (1,) and doc.blocks[1] is workdir
    assert op.title == "Move WORKDIR"
    op.revert(doc)
    assert render_text(doc) == TEXT
    down = MoveBlocks([doc.blocks[0].id], len(doc.blocks))
    down.apply(doc)
    assert doc.blocks[-1].kind is Kind.FROM


def test_set_params_and_back_restores_the_original_text() -> None:
    doc = import_text(TEXT)
    op = SetParams(doc.blocks[0].id, {"tag": "3.21"})
    assert op.apply(doc).params == ("tag",)
    assert render_text(doc).startswith("FROM alpine:3.21\n")
    op.revert(doc)
    assert render_text(doc) == TEXT


def test_duplicate_inserts_copies_after_the_last_selected() -> None:
    doc = import_text(TEXT)
    op = duplicates_of(doc, [doc.blocks[2].id, doc.blocks[0].id])
    op.apply(doc)
    assert [b.kind for b in doc.blocks[3:5]] == [Kind.FROM, Kind.RUN]
    assert doc.blocks[3].id != doc.blocks[0].id
    assert render_text(doc).count("RUN apk add --no-cache curl \\\n    git\n") == 2


def test_replace_blocks_for_edit_as_text() -> None:
    doc = import_text(TEXT)
    op = ReplaceBlocks(import_text("FROM busybox\r\n").blocks, "\r\n")
    op.apply(doc)
    assert render_text(doc) == "FROM busybox\r\n"
    op.revert(doc)
    assert render_text(doc) == TEXT


def test_typing_in_one_field_is_one_step_and_typing_taken_back_is_none() -> None:
    doc = import_text(TEXT)
    first, second = SetParams(doc.blocks[0].id, {"tag": "3.2"}), SetParams(doc.blocks[0].id, {"tag": "3.21"})
    first.apply(doc)
    second.apply(doc)
    assert first.absorb(second) and not first.changes_nothing()
    first.revert(doc)
    assert render_text(doc) == TEXT  # the step goes back to before the first key
    first.apply(doc)
    back = SetParams(doc.blocks[0].id, {"tag": "3.20"})
    back.apply(doc)
    assert first.absorb(back) and first.changes_nothing()
    assert not first.absorb(SetParams(doc.blocks[0].id, {"image": "x"}))  # another field: its own step
    assert not first.absorb(SetParams(doc.blocks[2].id, {"tag": "1"}))  # another block


def test_replacements_of_one_stretch_of_text_editing_are_one_step() -> None:
    doc = import_text(TEXT)
    original = list(doc.blocks)
    typed = ReplaceBlocks(import_text(TEXT + "COPPY a /b\n").blocks, session=1)
    typed.apply(doc)
    same_again = [*original]  # the editor's own undo: the text reads as it did, the blocks keep their ids
    taken_back = ReplaceBlocks(same_again, session=1)
    taken_back.apply(doc)
    assert typed.absorb(taken_back) and typed.changes_nothing()
    more = ReplaceBlocks(import_text(TEXT + "USER nobody\n").blocks, session=1)
    more.apply(doc)
    assert typed.absorb(more) and not typed.changes_nothing()
    typed.revert(doc)
    assert render_text(doc) == TEXT
    assert not ReplaceBlocks([], session=1).absorb(ReplaceBlocks([], session=2))  # switched off and on
    assert not ReplaceBlocks([]).absorb(ReplaceBlocks([]))  # not from the text editor


@st.composite
def operations(draw: st.DrawFn, size: int) -> list[tuple[str, int, int]]:
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(["insert", "remove", "move", "set", "dup"]),
                st.integers(0, size + 5),
                st.integers(0, size + 5),
            ),
            max_size=12,
        )
    )


@settings(max_examples=200, deadline=None)
@given(operations(7))
def test_any_sequence_undone_in_reverse_gives_back_the_bytes(steps: list[tuple[str, int, int]]) -> None:
    doc = import_text(TEXT)
    done: list[Operation] = []
    states = [render_text(doc)]
    for name, a, b in steps:
        n = len(doc.blocks)
        op: Operation
        if name == "insert":
            op = InsertBlocks(a, [new_block(Kind.RUN, command=f"echo {a}")])
        elif n == 0:
            continue
        elif name == "remove":
            op = RemoveBlocks([doc.blocks[a % n].id, doc.blocks[b % n].id])
        elif name == "move":
            op = MoveBlocks([doc.blocks[a % n].id], b)
        elif name == "dup":
            op = duplicates_of(doc, [doc.blocks[a % n].id])
        else:
            block = doc.blocks[a % n]
            if block.kind is not Kind.RUN:
                continue
            op = SetParams(block.id, {"command": f"echo changed {b}"})
        op.apply(doc)
        done.append(op)
        states.append(render_text(doc))
    for op in reversed(done):
        states.pop()
        op.revert(doc)
        assert render_text(doc) == states[-1]
    assert render_text(doc) == TEXT


MULTI_STAGE = (
    "FROM golang:1.22 AS build\nRUN go build -o /app\n"
    "FROM build AS test\nRUN go test\n"
    "FROM alpine:3.20\nCOPY --from=build /app /app\nCOPY --from=BUILD /app /also\nCOPY --from=other /x /x\n"
    "FROM build:1\n"
)


def test_renaming_a_stage_takes_its_links_along_in_one_step() -> None:
    doc = import_text(MULTI_STAGE)
    rename = RenameStage(doc.blocks[0].id, "compiler")
    rename.apply(doc)
    text = render_text(doc)
    assert "FROM golang:1.22 AS compiler\n" in text
    assert "FROM compiler AS test\n" in text  # a stage built on it
    assert "COPY --from=compiler /app /app\n" in text and "COPY --from=compiler /app /also\n" in text
    assert "COPY --from=other /x /x\n" in text  # another name
    assert "FROM build:1\n" in text  # an image called build, not the stage
    assert rename.title == "Rename stage build to compiler"
    rename.revert(doc)
    assert render_text(doc) == MULTI_STAGE


def test_typing_a_stage_name_is_one_rename_and_typing_it_back_is_none() -> None:
    text = MULTI_STAGE.replace("--from=BUILD", "--from=build")  # a rename writes the name as typed
    doc = import_text(text)
    first = RenameStage(doc.blocks[0].id, "comp")
    first.apply(doc)
    later = RenameStage(doc.blocks[0].id, "compiler")
    later.apply(doc)
    assert first.absorb(later) and first.title == "Rename stage build to compiler"
    assert not first.changes_nothing()
    first.revert(doc)
    assert render_text(doc) == text  # back before the first key, links included
    first.apply(doc)
    back = RenameStage(doc.blocks[0].id, "build")
    back.apply(doc)
    assert first.absorb(back) and first.changes_nothing()
    assert render_text(doc) == text


def test_a_stage_renamed_from_or_to_nothing_leaves_the_links() -> None:
    doc = import_text(MULTI_STAGE)
    RenameStage(doc.blocks[0].id, "").apply(doc)
    assert "COPY --from=build /app /app\n" in render_text(doc)
