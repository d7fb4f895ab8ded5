"""Parser directives follow BuildKit: only at the very top, each once; escape changes continuations."""

from __future__ import annotations

import pytest

from desktop.blocks.kinds import Kind
from desktop.dockerfile import DockerfileSyntaxError, import_text, render_text


def test_directives_at_the_top_become_directive_blocks() -> None:
    doc = import_text("# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM a\nRUN x `\n  y\n")
    kinds = [b.kind for b in doc.blocks]
    assert kinds[:3] == [Kind.DIRECTIVE] * 3
    assert [b.params["name"] for b in doc.blocks[:3]] == ["syntax", "check", "escape"]
    assert doc.escape == "`"
    assert doc.blocks[4].params["command"] == "x \n  y"


def test_a_directive_after_a_comment_is_only_a_comment() -> None:
    doc = import_text("# hello\n# escape=`\nFROM a\n")
    assert [b.kind for b in doc.blocks] == [Kind.COMMENT, Kind.FROM]
    assert doc.blocks[0].params["text"] == "hello\nescape=`"
    assert doc.escape == "\\"


def test_a_blank_line_ends_the_directives() -> None:
    doc = import_text("\n# escape=`\nFROM a\n")
    assert doc.blocks[1].kind is Kind.COMMENT


@pytest.mark.parametrize("name", ["syntax", "check", "escape"])
def test_a_repeated_directive_is_refused_with_its_line(name: str) -> None:
    value = "`" if name == "escape" else "x"
    with pytest.raises(DockerfileSyntaxError) as caught:
        import_text(f"# {name}={value}\n# {name.upper()}={value}\nFROM a\n")
    assert caught.value.line == 2
    assert name in caught.value.message


def test_an_invalid_escape_character_is_refused() -> None:
    with pytest.raises(DockerfileSyntaxError) as caught:
        import_text("# escape=q\nFROM a\n")
    assert caught.value.line == 1
    assert caught.value.column == 10
    assert "can only be" in caught.value.message


def test_changing_the_escape_rewrites_edited_continuations_but_keeps_comments() -> None:
    doc = import_text("# escape=\\\nFROM a\n# note\nRUN x \\\n  y\n")
    doc.blocks[0].params["value"] = "`"
    text = render_text(doc)
    assert text == "# escape=`\nFROM a\n# note\nRUN x `\n  y\n"
