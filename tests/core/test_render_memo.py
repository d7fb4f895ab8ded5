"""Rendering again after parameter edits gives exactly what rendering everything gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.blocks.kinds import Kind, ParamType, params_of
from desktop.blocks.model import Block, new_block
from desktop.dockerfile import import_text
from desktop.dockerfile.render import render
from desktop.dockerfile.render_memo import RenderMemo

SOURCE = (
    "\ufeff# syntax=docker/dockerfile:1\r\n"
    "ARG VERSION=1\r\n"
    "FROM alpine:3.20 AS build\r\n"
    "# a comment\r\n"
    "\r\n"
    "RUN apk add curl \\\r\n"
    "    && echo done\r\n"
    "ENV A=1 B=2 \\\r\n"
    "    C=3\r\n"
    "COPY --from=build /a /b\r\n"
    "RUN <<EOF\r\n"
    "echo inside\r\n"
    "EOF\r\n"
    "\r\n"
    "\r\n"
    "WORKDIR /app\r\n"
    'CMD ["python", "app.py"]'  # no line break at the end
)

words = st.text(alphabet="abc xyz-/$=\"'\\", max_size=12)
lines = st.text(alphabet="ab c\n\\", max_size=16)


def edit_for(block: Block, data: st.DataObject) -> dict[str, object]:
    """New values for some of a block's simple parameters."""
    values: dict[str, object] = {}
    for spec in params_of(block.kind):
        if not data.draw(st.booleans()):
            continue
        if spec.type is ParamType.TEXT and spec.name not in ("form", "keyword", "name"):
            values[spec.name] = data.draw(words)
        elif spec.type is ParamType.MULTILINE:
            values[spec.name] = data.draw(lines)
        elif spec.type is ParamType.INT and block.kind is Kind.BLANK:
            values[spec.name] = data.draw(st.integers(0, 3))  # 0: the block writes nothing
        elif spec.type is ParamType.LIST and spec.name in ("ports", "sources", "paths"):
            values[spec.name] = data.draw(st.lists(words.filter(str.strip), max_size=3))
    return values


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_edits_render_like_a_fresh_render(data: st.DataObject) -> None:
    doc = import_text(SOURCE)
    if data.draw(st.booleans()):
        doc.blocks.append(new_block(Kind.COMMENT, text="added\nover two lines"))
    memo = RenderMemo()
    assert memo.render(doc) == render(doc)
    for _ in range(data.draw(st.integers(1, 6))):
        block = data.draw(st.sampled_from(doc.blocks))
        block.params.update(edit_for(block, data))
        assert memo.render(doc, {block.id}) == render(doc)


def test_an_edit_that_gains_lines_moves_the_spans_below() -> None:
    doc = import_text("FROM a\nRUN one\nRUN two\nCMD x\n")
    memo = RenderMemo()
    memo.render(doc)
    run = doc.blocks[1]
    run.params["command"] = "one\nand more"
    rendered = memo.render(doc, {run.id})
    assert rendered.text == "FROM a\nRUN one\\\nand more\nRUN two\nCMD x\n"
    assert [(s.first, s.last) for s in rendered.spans] == [(1, 1), (2, 3), (4, 4), (5, 5)]


def test_blocks_added_or_replaced_are_noticed_without_being_named() -> None:
    doc = import_text("FROM a\nRUN one\n")
    memo = RenderMemo()
    memo.render(doc)
    doc.blocks.append(new_block(Kind.CMD, form="shell", command="run"))
    assert memo.render(doc) == render(doc)
    doc.blocks[1] = new_block(Kind.RUN, form="shell", command="other")
    assert memo.render(doc) == render(doc)
