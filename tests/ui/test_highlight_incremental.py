"""The highlighter re-reads only the lines around an edit: the result must be what reading all gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ui.highlight import Lexed, token_ranges, update_ranges

# Lines that change how the lines below them read: continuations (backslash, and backtick under the
# escape directive), heredocs with and without tab stripping, their terminators, comments inside
# continued instructions, blank lines.
LINES = [
    "# escape=`",
    "# syntax=docker/dockerfile:1",
    "FROM alpine AS build",
    "RUN apk add curl \\",
    "RUN echo a `",
    "    && echo b",
    "# a comment",
    "",
    "RUN <<EOF",
    "RUN <<-EOF",
    "COPY <<A <<B /dest/",
    "echo inside",
    "EOF",
    "\tEOF",
    "A",
    "B",
    "ENV a=b \\",
    "    c=d",
    "COPY --from=build /a /b",
    'CMD ["python", "app.py"]',
]

texts = st.lists(st.sampled_from(LINES), max_size=30)


@settings(max_examples=400, deadline=None)
@given(texts, st.data())
def test_an_update_reads_like_reading_everything(old_lines: list[str], data: st.DataObject) -> None:
    old_lines = old_lines or [""]
    first = data.draw(st.integers(0, len(old_lines)))
    last = data.draw(st.integers(first, len(old_lines)))
    inserted = data.draw(st.lists(st.sampled_from(LINES), max_size=5))
    new_lines = old_lines[:first] + inserted + old_lines[last:]
    hinted = bool(new_lines)  # the lines kept above and below the edit, as the preview knows them
    new_lines = new_lines or [""]

    updated, (start, end) = update_ranges(Lexed.of(old_lines), new_lines)
    if hinted:
        with_hints = update_ranges(Lexed.of(old_lines), new_lines, first, len(old_lines) - last)
        assert with_hints == (updated, (start, end))

    fresh = Lexed.of(new_lines)
    assert updated.ranges == fresh.ranges
    assert updated.starts == fresh.starts
    assert updated.escape == fresh.escape
    assert 0 <= start <= end <= len(new_lines)
    # Outside the window the ranges are the old ones, shifted by the lines the edit added or removed.
    old = Lexed.of(old_lines)
    shift = len(new_lines) - len(old_lines)
    assert updated.ranges[:start] == old.ranges[:start]
    assert updated.ranges[end:] == old.ranges[end - shift :]


def test_an_edit_in_a_long_file_reads_only_its_own_piece() -> None:
    shapes = ("RUN echo {n} \\", "    && echo {n} \\", "    && echo {n}")  # 100 three-line RUNs
    lines = [shapes[n % 3].format(n=n) for n in range(300)]
    old = Lexed.of(lines)
    edited = list(lines)
    edited[151] = "    && echo changed \\"
    updated, (start, end) = update_ranges(old, edited)
    assert updated.ranges == token_ranges("\n".join(edited))
    assert (start, end) == (150, 153)  # the instruction's three lines, nothing else
