"""Every way a project file can be wrong gives one ProjectFileError that says what and where."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.project import FORMAT_VERSION, ProjectFileError, loads_project
from desktop.project.jsontext import MAX_DEPTH, MAX_FILE_BYTES, nesting_depth
from desktop.project.schema import MAX_BLOCKS, MAX_INT

HERE = Path("/projects/demo")


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages checked here are the English ones, whatever the language of the machine."""
    monkeypatch.setenv("LANGUAGE", "en")


def _content(blocks: list[Any], **top: Any) -> bytes:
    data: dict[str, Any] = {"format": "dockblocks", "version": 1, "document": {"blocks": blocks}}
    data.update(top)
    return json.dumps(data, indent=1).encode()


def _error(content: bytes) -> ProjectFileError:
    with pytest.raises(ProjectFileError) as caught:
        loads_project(content, HERE)
    error = caught.value
    assert str(error) == error.message
    assert "Traceback" not in error.message
    return error


def _value_at(content: bytes, line: int, column: int) -> Any:
    """The JSON value that starts at a 1-based line and column."""
    text = content.decode().splitlines(keepends=True)
    return json.JSONDecoder().raw_decode("".join(text[line - 1 :])[column - 1 :])[0]


def _line_of(content: bytes, needle: str) -> int:
    """The 1-based line of the first line containing ``needle``."""
    return next(n for n, line in enumerate(content.decode().splitlines(), 1) if needle in line)


def test_a_newer_format_is_refused_with_the_versions_named() -> None:
    error = _error(_content([], version=3, surprise={"new": "field"}))
    assert error.message == (
        "This project file was made by a newer Dockblocks (format 3); this version reads up to format "
        f"{FORMAT_VERSION}. Update Dockblocks to open it."
    )
    assert error.field_path == "version"


@pytest.mark.parametrize("version", ["1", 0, -1, 1.5, True, None, [1]])
def test_a_version_that_is_not_a_positive_whole_number_is_refused(version: object) -> None:
    error = _error(_content([], version=version))
    assert error.field_path == "version"
    assert "format version must be a whole number" in error.message
    assert error.line == _line_of(_content([], version=version), '"version"')


@pytest.mark.parametrize("content", [b"[]", b"3", b'"text"', b"null"])
def test_a_top_level_that_is_not_an_object_is_refused(content: bytes) -> None:
    assert "should hold one JSON object" in _error(content).message


@pytest.mark.parametrize("marker", [None, "dockerfile", 1])
def test_a_file_of_another_format_is_refused(marker: object) -> None:
    content = _content([]) if marker is None else _content([], format=marker)
    if marker is None:
        content = content.replace(b'"format": "dockblocks",', b"")
    assert _error(content).message.startswith("This is not a Dockblocks project file")


def test_a_syntax_error_names_its_line_and_column() -> None:
    content = b'{\n  "format": "dockblocks",\n  "version": 1\n  "document": {}\n}\n'
    error = _error(content)
    assert (error.line, error.column) == (4, 3)
    assert error.message.startswith(
        "The project file is damaged at line 4, column 3 (Expecting ',' delimiter)"
    )


def test_bytes_that_are_not_utf8_name_their_place() -> None:
    error = _error(b'{"format": "dockblocks",\n "name": "caf\xe9"}')
    assert (error.line, error.column) == (2, 14)  # columns count characters: c, a, f, then the bad byte
    assert "bytes that are not text" in error.message


def test_a_byte_order_mark_is_accepted() -> None:
    assert loads_project(b"\xef\xbb\xbf" + _content([]), HERE).document.blocks == []


def test_a_duplicate_key_is_refused_where_it_repeats() -> None:
    content = b'{"format": "dockblocks", "version": 1,\n"document": {"blocks": [], "blocks": []}}'
    error = _error(content)
    assert (error.line, error.field_path) == (2, "document.blocks")
    assert 'the field "blocks" appears twice' in error.message


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_not_a_number_constants_are_refused(word: str) -> None:
    content = _content([{"kind": "blank", "params": {"count": "HERE"}}]).replace(b'"HERE"', word.encode())
    error = _error(content)
    assert word in error.message
    assert error.field_path == "document.blocks[0].params.count"
    assert error.line == _line_of(content, word)


def test_deep_nesting_is_refused_without_recursion() -> None:
    for opening in ("[", '{"a":'):
        error = _error((opening * 200_000).encode())
        assert f"more than {MAX_DEPTH} levels deep" in error.message


def test_brackets_inside_texts_do_not_count_as_nesting() -> None:
    assert nesting_depth('{"a": "[[[[{{{{\\"[["}') == 1
    command = "[" * 1000 + "{" * 1000
    project = loads_project(_content([{"kind": "RUN", "params": {"command": command}}]), HERE)
    assert project.document.blocks[0].params["command"] == command


def test_a_file_over_the_size_limit_is_refused() -> None:
    content = _content([]) + b" " * MAX_FILE_BYTES
    assert "more than the 20 MB a project file can be" in _error(content).message


def test_a_huge_integer_is_refused() -> None:
    content = _content([{"kind": "blank", "params": {"count": 7}}]).replace(b"7", b"9" * 5000)
    assert "thousands of digits" in _error(content).message


def test_too_many_blocks_are_refused() -> None:
    content = _content([{"kind": "blank"}] * (MAX_BLOCKS + 1))
    error = _error(content)
    assert f"more than {MAX_BLOCKS} blocks" in error.message
    assert error.field_path == f"document.blocks[{MAX_BLOCKS}]"


WRONG_VALUES = [
    (Kind.EXPOSE, "ports", 5, "must be a list of texts, but it is a number"),
    (Kind.EXPOSE, "ports", "80 443", "must be a list of texts, but it is a text"),
    (Kind.USER, "user", ["root"], "must be a text, but it is a list of one item"),
    (Kind.RUN, "command", None, "must be a text, but it is null"),
    (Kind.RUN, "network", 1, "must be a text, but it is a number"),
    (Kind.COPY, "link", "yes", "must be true or false, but it is a text"),
    (Kind.COPY, "link", 1, "must be true or false, but it is a number"),
    (Kind.BLANK, "count", True, "must be a whole number, but it is true or false"),
    (Kind.BLANK, "count", 1.5, "must be a whole number, but it is a number"),
    (
        Kind.ENV,
        "pairs",
        [["A", "1", "2"]],
        "[0] must be a [key, value] pair of two texts, but it is a list of 3",
    ),
    (Kind.ENV, "pairs", ["A=1"], "[0] must be a [key, value] pair of two texts, but it is a text"),
    (Kind.ENV, "pairs", {"A": "1"}, "must be a list of [key, value] pairs, but it is an object"),
    (
        Kind.ARG,
        "args",
        [[]],
        "[0] must be a [name] or [name, default value] list of texts, but it is an empty",
    ),
    (Kind.ARG, "args", [["A", 1]], "args[0][1] must be a text, but it is a number"),
    (Kind.RUN, "heredocs", [["EOF", "x"]], "[0] must be a [name, content, end line] list of three texts"),
    (Kind.ONBUILD, "trigger", "RUN x", 'must be a block (an object with a "kind"), but it is a text'),
    (Kind.ONBUILD, "trigger", [], 'must be a block (an object with a "kind"), but it is an empty list'),
]


@pytest.mark.parametrize(("kind", "name", "value", "expected"), WRONG_VALUES)
def test_a_parameter_of_the_wrong_shape_names_its_field(
    kind: Kind, name: str, value: Any, expected: str
) -> None:
    content = _content(
        [{"kind": "FROM", "params": {"image": "a"}}, {"kind": kind.value, "params": {name: value}}]
    )
    error = _error(content)
    assert error.field_path.startswith(f"document.blocks[1].params.{name}")
    assert f"{error.field_path} {expected}" in error.message or expected in error.message
    assert error.message.startswith(
        f"Line {error.line}, column {error.column}: document.blocks[1].params.{name}"
    )
    # The line and column point at the very value the message is about.
    expected_value = value
    for index in re.findall(r"\[(\d+)\]", error.field_path.split(name, 1)[1]):
        expected_value = expected_value[int(index)]
    assert _value_at(content, error.line, error.column) == expected_value


@pytest.mark.parametrize("count", [-1, MAX_INT + 1])
def test_a_whole_number_out_of_range_is_refused(count: int) -> None:
    error = _error(_content([{"kind": "blank", "params": {"count": count}}]))
    assert f"must be a whole number from 0 to {MAX_INT}" in error.message


def test_an_unknown_kind_is_refused() -> None:
    error = _error(_content([{"kind": "COPYY"}]))
    assert error.field_path == "document.blocks[0].kind"
    assert 'is "COPYY", which is not a kind of block Dockblocks knows' in error.message


@pytest.mark.parametrize(
    ("blocks", "top", "path"),
    [
        ([{"kind": "RUN", "params": {"comand": "x"}}], {}, "document.blocks[0].params.comand"),
        ([{"kind": "RUN", "colour": "red"}], {}, "document.blocks[0].colour"),
        ([{"kind": "RUN", "origin": {"text": "RUN x\n", "line": 3}}], {}, "document.blocks[0].origin.line"),
        ([], {"settings": {}}, "settings"),
    ],
)
def test_an_unknown_field_is_refused(blocks: list[Any], top: dict[str, Any], path: str) -> None:
    error = _error(_content(blocks, **top))
    assert error.field_path == path
    assert f"{path} is not a field Dockblocks knows here" in error.message


@pytest.mark.parametrize(
    ("blocks", "path", "name"),
    [
        ([{"params": {}}], "document.blocks[0]", "kind"),
        ([{"kind": "RUN", "origin": {"escape": "\\"}}], "document.blocks[0].origin", "text"),
    ],
)
def test_a_missing_field_is_named(blocks: list[Any], path: str, name: str) -> None:
    error = _error(_content(blocks))
    assert error.field_path == path
    assert f'{path} has no "{name}" field' in error.message


def test_a_missing_document_is_named() -> None:
    assert 'has no "document" field' in _error(b'{"format": "dockblocks", "version": 1}').message


def test_blocks_given_as_text_are_refused() -> None:
    content = json.dumps({"format": "dockblocks", "version": 1, "document": {"blocks": "FROM a"}}).encode()
    assert "document.blocks must be a list of blocks, but it is a text" in _error(content).message


def test_block_ids_must_be_unique_including_nested_triggers() -> None:
    trigger = {"id": "b1", "kind": "RUN"}
    error = _error(
        _content([{"id": "b1", "kind": "FROM"}, {"kind": "ONBUILD", "params": {"trigger": trigger}}])
    )
    assert error.field_path == "document.blocks[1].params.trigger.id"
    assert 'is "b1", but another block already has that id' in error.message
    assert "is empty" in _error(_content([{"id": "", "kind": "FROM"}])).message


def test_a_copy_inside_an_origin_may_repeat_a_live_id() -> None:
    live = {"id": "t", "kind": "RUN", "params": {"command": "new"}}
    old = {"id": "t", "kind": "RUN", "params": {"command": "old"}}
    origin = {"text": "ONBUILD RUN old\n", "params": {"trigger": old}}
    project = loads_project(
        _content([{"kind": "ONBUILD", "params": {"trigger": live}, "origin": origin}]), HERE
    )
    assert project.document.blocks[0].params["trigger"].params["command"] == "new"


def test_missing_parameters_take_their_defaults() -> None:
    project = loads_project(_content([{"kind": "RUN"}, {"kind": "SHELL", "params": {"command": ""}}]), HERE)
    run, shell = project.document.blocks
    assert run.params == new_block(Kind.RUN).params
    assert shell.params == new_block(Kind.SHELL).params
    assert run.origin is None


def test_a_choice_outside_its_choices_is_kept_as_import_keeps_it() -> None:
    project = loads_project(_content([{"kind": "HEALTHCHECK", "params": {"mode": "CONNECT"}}]), HERE)
    assert project.document.blocks[0].params["mode"] == "CONNECT"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\udc00", "a\\udc7fb"])
def test_a_broken_character_is_refused(escape: str) -> None:
    content = _content([{"kind": "RUN", "params": {"command": "PLACE"}}]).replace(b"PLACE", escape.encode())
    error = _error(content)
    assert error.field_path == "document.blocks[0].params.command"
    assert "broken character" in error.message


def test_an_original_text_that_does_not_match_its_parameters_is_not_trusted() -> None:
    # The block would show "echo hello" in the form but build "rm -rf /": refused, not rendered.
    block = {"kind": "RUN", "params": {"command": "echo hello"}, "origin": {"text": "RUN rm -rf /\n"}}
    error = _error(_content([{"kind": "FROM", "params": {"image": "a"}}, block]))
    assert error.field_path == "document.blocks[1].origin.text"
    assert "Dockblocks does not trust it" in error.message


def test_an_original_text_is_checked_under_its_escape_character() -> None:
    escape = {
        "kind": "directive",
        "params": {"name": "escape", "value": "`"},
        "origin": {"text": "# escape=`\n"},
    }
    run = {
        "kind": "RUN",
        "params": {"command": "echo a \n b"},
        "origin": {"text": "RUN echo a `\n b\n", "escape": "`"},
    }
    project = loads_project(_content([escape, {"kind": "FROM", "params": {"image": "a"}}, run]), HERE)
    assert project.document.escape == "`"
    run["origin"]["text"] = "RUN echo a \\\n b\n"
    assert _error(_content([escape, {"kind": "FROM", "params": {"image": "a"}}, run])).field_path.endswith(
        "text"
    )


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ({"text": "RUN x\n", "escape": "/"}, "must be a backslash"),
        ({"text": "RUN x\n", "open_end": "no"}, "open_end must be true or false"),
        ({"text": 5}, "origin.text must be a text"),
        ("RUN x", "must be an object with the block's original text, or null"),
    ],
)
def test_an_origin_of_the_wrong_shape_is_refused(origin: Any, expected: str) -> None:
    assert expected in _error(_content([{"kind": "RUN", "origin": origin}])).message


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ({"context": 5}, "context must be a text"),
        ({"context": "a\u0000b"}, "context must be the path of the build-context folder"),
        ({"context": ""}, "context must be the path of the build-context folder"),
        ({"run": []}, "run must be an object, but it is an empty list"),
        ({"name": None}, "name must be a text, but it is null"),
        ({"document": {"newline": "\r"}}, 'document.newline must be "\\n"'),
        ({"document": {"blocks": [], "title": "x"}}, "document.title is not a field"),
    ],
)
def test_top_level_fields_of_the_wrong_shape_are_refused(top: dict[str, Any], expected: str) -> None:
    assert expected in _error(_content([], **top)).message


def test_the_untrusted_text_is_found_inside_a_run_of_unchanged_blocks() -> None:
    blocks: list[Any] = [
        {"kind": "FROM", "params": {"image": "a"}, "origin": {"text": "FROM a\n"}},
        {"kind": "comment", "params": {"text": "fine"}, "origin": {"text": "# fine\n"}},
        {"kind": "USER", "params": {"user": "app"}, "origin": {"text": "USER root\n"}},
        {"kind": "blank", "params": {"count": 1}, "origin": {"text": "\n"}},
    ]
    error = _error(_content(blocks))
    assert error.field_path == "document.blocks[2].origin.text"
    assert _value_at(_content(blocks), error.line, error.column) == "USER root\n"
