"""Hypothesis: valid projects round-trip; anything else fails with a ProjectFileError and nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.blocks.kinds import Kind, ParamSpec, ParamType, params_of
from desktop.blocks.model import Block, Document, Origin, new_block
from desktop.dockerfile import DockerfileSyntaxError, import_text, render_text
from desktop.dockerfile.lexing import ENCODING, ERRORS
from desktop.project import Project, ProjectFileError, dumps_project, loads_project
from desktop.project.origins import untrusted_origins
from desktop.project.schema import MAX_INT

HERE = Path("/projects/demo")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Texts as they are held in memory: any character but a surrogate, plus the U+DC80..U+DCFF escapes that
# stand for undecodable bytes of a Dockerfile.
_held_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
    st.binary(max_size=12).map(lambda data: data.decode(ENCODING, ERRORS)),
)
_ITEM_SIZES = {ParamType.PAIRS: (2, 2), ParamType.ARGS: (1, 2), ParamType.HEREDOCS: (3, 3)}
_SIMPLE_KINDS = [kind for kind in Kind if kind is not Kind.ONBUILD]


def _value(spec: ParamSpec, depth: int) -> st.SearchStrategy[Any]:
    kind = spec.type
    if kind in (ParamType.TEXT, ParamType.MULTILINE):
        return _held_text
    if kind is ParamType.CHOICE:
        return st.sampled_from([*spec.choices, ""]) | _held_text
    if kind is ParamType.BOOL:
        return st.booleans()
    if kind is ParamType.INT:
        return st.integers(0, MAX_INT)
    if kind is ParamType.LIST:
        return st.lists(_held_text, max_size=3)
    if kind is ParamType.BLOCK:
        return st.none() | _blocks(depth + 1)
    low, high = _ITEM_SIZES[kind]
    return st.lists(st.lists(_held_text, min_size=low, max_size=high), max_size=3)


@st.composite
def _block_of(draw: st.DrawFn, kind: Kind, depth: int) -> Block:
    params = {spec.name: draw(_value(spec, depth)) for spec in params_of(kind) if draw(st.booleans())}
    block = new_block(kind, **params)
    original = new_block(kind).params
    if original != block.params and draw(st.booleans()):
        # An edited imported block: its original text is kept, but not rendered as its parameters differ.
        escape = draw(st.sampled_from(["\\", "`"]))
        block.origin = Origin(draw(_held_text), original, escape, draw(st.booleans()))
    return block


def _blocks(depth: int = 0) -> st.SearchStrategy[Block]:
    kinds = st.sampled_from(_SIMPLE_KINDS if depth >= 2 else list(Kind))
    return kinds.flatmap(lambda kind: _block_of(kind, depth))


_projects = st.builds(
    Project,
    document=st.builds(Document, st.lists(_blocks(), max_size=6), st.sampled_from(["\n", "\r\n"])),
    context_dir=st.none() | st.sampled_from([HERE, HERE / "src", HERE.parent, Path("/elsewhere/deep/ctx")]),
    run_settings=st.dictionaries(
        st.text(max_size=5), st.none() | st.integers() | st.text(max_size=5), max_size=3
    ),
    name=_held_text,
)


def _snapshot(block: Block) -> Any:
    def plain(value: Any) -> Any:
        return _snapshot(value) if isinstance(value, Block) else value

    origin = block.origin
    return (
        block.kind,
        {name: plain(value) for name, value in block.params.items()},
        None
        if origin is None
        else (origin.text, {k: plain(v) for k, v in origin.params.items()}, origin.escape, origin.open_end),
    )


def _without_ids(content: bytes) -> bytes:
    return re.sub(rb'"id": "[^"]*"', b'"id": ""', content)


@FUZZ
@given(_projects)
def test_random_valid_projects_round_trip(project: Project) -> None:
    content = dumps_project(project, HERE)
    assert content.isascii()
    loaded = loads_project(content, HERE)
    assert [_snapshot(b) for b in loaded.document.blocks] == [_snapshot(b) for b in project.document.blocks]
    assert loaded.document.newline == project.document.newline
    assert (loaded.context_dir, loaded.run_settings, loaded.name) == (
        project.context_dir,
        project.run_settings,
        project.name,
    )
    # Saved again, it gives the same file but for the block ids, which are new in each session.
    assert _without_ids(dumps_project(loaded, HERE)) == _without_ids(content)


def _loads_or_refuses(content: bytes) -> None:
    """Loading either works or raises ProjectFileError; a loaded project can always be saved again."""
    try:
        project = loads_project(content, HERE)
    except ProjectFileError as error:
        assert error.message and "Traceback" not in error.message
        return
    loads_project(dumps_project(project, HERE), HERE)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(_json)
def test_random_json_never_raises_anything_but_project_file_error(value: Any) -> None:
    _loads_or_refuses(json.dumps(value).encode())


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_never_raise_anything_but_project_file_error(data: bytes) -> None:
    _loads_or_refuses(data)


_SAMPLE = import_text(
    "# syntax=docker/dockerfile:1\nFROM alpine AS base\n# a comment\n\nRUN --mount=type=cache,target=/c \\\n"
    '    apk add curl\nONBUILD COPY <<EOF /x\nhello\nEOF\nENV A=1 B=2\nARG V=1\nEXPOSE 80/tcp\nCMD ["sh"]\n'
)
_SAMPLE_FILE = dumps_project(Project(_SAMPLE, HERE / "src", name="sample"), HERE)


@FUZZ
@given(st.data())
def test_byte_mutations_of_a_project_file_never_raise_anything_else(data: st.DataObject) -> None:
    content = bytearray(_SAMPLE_FILE)
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["replace", "delete", "insert"]))
        byte = data.draw(st.sampled_from([*b'{}[]",:01-.e\\ntfu ', 0, 0xFF]))
        if action == "replace":
            content[where] = byte
        elif action == "delete":
            del content[where]
        else:
            content.insert(where, byte)
    _loads_or_refuses(bytes(content))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*path, index))
    return out


@FUZZ
@given(st.data())
def test_structural_mutations_of_a_project_file_never_raise_anything_else(data: st.DataObject) -> None:
    tree = json.loads(_SAMPLE_FILE)
    target = data.draw(st.sampled_from(_paths(tree)[1:]))
    parent = tree
    for key in target[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[target[-1]]
    else:
        parent[target[-1]] = data.draw(_json)
    _loads_or_refuses(json.dumps(tree).encode())


# Pieces of Dockerfiles that exercise every way import cuts text into blocks.
_DOCKERFILE_PIECES = [
    "FROM a\n",
    "RUN",
    "ONBUILD",
    "COPY",
    "ENV",
    "HEALTHCHECK",
    "ARG",
    "NOPE",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\\\n",
    "\\",
    "`\n",
    "#",
    "# escape=`\n",
    "# syntax=x\n",
    "# check=skip=all\n",
    "\ufeff",
    '["a", "b"]',
    "<<EOF",
    "<<-EOF",
    "EOF\n",
    "\tEOF\n",
    "a=b",
    "--mount=type=cache,target=/x",
    "--link",
    "echo hi",
    "\udcff",
]


@FUZZ
@given(st.lists(st.sampled_from(_DOCKERFILE_PIECES), min_size=1, max_size=25), st.data())
def test_any_importable_dockerfile_renders_the_same_after_save_and_load(
    pieces: list[str], data: st.DataObject
) -> None:
    text = "FROM a\n" + "".join(pieces)
    try:
        doc = import_text(text)
    except DockerfileSyntaxError:
        return
    # Unedited blocks moved or brought together by deleting what was between them keep their text.
    for _ in range(data.draw(st.integers(0, 3))):
        taken = doc.blocks.pop(data.draw(st.integers(0, len(doc.blocks) - 1)))
        if doc.blocks and data.draw(st.booleans()):
            doc.blocks.insert(data.draw(st.integers(0, len(doc.blocks))), taken)
        if not doc.blocks:
            return
    loaded = loads_project(dumps_project(Project(doc), HERE), HERE)
    dropped = untrusted_origins(doc)
    expected = [None if index in dropped else block.origin for index, block in enumerate(doc.blocks)]
    assert [block.origin for block in loaded.document.blocks] == expected
    if not dropped:
        # Compared with the rendering before saving: whether that is the imported text byte for byte is
        # the conformance tests' business; the project file must only not change it.
        assert render_text(loaded.document) == render_text(doc)
