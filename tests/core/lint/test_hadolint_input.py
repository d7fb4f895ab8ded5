"""The text hadolint reads: an empty line after each heredoc (hadolint#960), lines mapped back to ours."""

from __future__ import annotations

import pytest

from desktop.dockerfile import import_text, render
from desktop.lint.hadolint_input import hadolint_input


def _prepare(text: str):
    doc = import_text(text)
    return hadolint_input(doc, render(doc))


def test_text_without_heredocs_is_unchanged():
    text = "FROM alpine:3.20\nRUN echo a \\\n  && echo b\n# note\nRUN echo c"
    prepared = _prepare(text)
    assert prepared.text == text
    assert prepared.origin_lines == (1, 2, 3, 4, 5)


def test_an_empty_line_follows_each_heredoc_that_has_something_after_it():
    text = (
        "FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF\n"
        "COPY <<A <<B /dir/\na\nA\nb\nB\nUSER app\nRUN <<EOF\nx\nEOF\n"
    )
    prepared = _prepare(text)
    assert prepared.text == (
        "FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF\n\n"
        "COPY <<A <<B /dir/\na\nA\nb\nB\n\nUSER app\nRUN <<EOF\nx\nEOF\n"
    )
    assert prepared.origin_lines == (1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 9, 10, 11, 12, 13)
    # hadolint's line 12 (USER) is our line 10; its inserted line 5 belongs to the heredoc block above it.
    assert prepared.rendered_line(12) == 10
    assert prepared.rendered_line(5) == 4


def test_crlf_files_get_a_crlf_empty_line():
    prepared = _prepare("FROM alpine:3.20\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nUSER app\r\n")
    assert prepared.text == "FROM alpine:3.20\r\nRUN <<EOF\r\necho hi\r\nEOF\r\n\r\nUSER app\r\n"


@pytest.mark.parametrize("line", [0, -3, 1, 99])
def test_lines_out_of_range_clamp(line):
    prepared = _prepare("FROM alpine:3.20\nUSER app\n")
    assert prepared.rendered_line(line) == (2 if line > 2 else 1)


def test_blocks_left_out_become_comments_and_a_from_keeps_its_stage():
    text = (
        "FROM alpine:3.20 AS build\nCOPPY a /b\nRUN <<EOF\necho\nEOF\n"
        "FROM alpine:3.20\nCOPY --from=build /b /b\n"
    )
    doc = import_text(text)
    broken = [doc.blocks[0].id, doc.blocks[1].id, doc.blocks[2].id]
    prepared = hadolint_input(doc, render(doc), broken)
    assert prepared.text == ("FROM scratch AS build\n#\n#\n#\n#\nFROM alpine:3.20\nCOPY --from=build /b /b\n")
    assert prepared.origin_lines == (1, 2, 3, 4, 5, 6, 7)  # line numbers stay
    assert hadolint_input(doc, render(doc), [doc.blocks[1].id]).text.splitlines()[1] == "#"
