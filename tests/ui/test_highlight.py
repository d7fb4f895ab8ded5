"""The Dockerfile highlighter: what each piece of a line is coloured as, across continuations and heredocs,
after edits far from the lines whose colours change, in light and dark palettes, and how fast it is."""

from __future__ import annotations

import time

import pytest
from pygments.styles import get_style_by_name
from pygments.token import Token
from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

from ui.highlight import DARK_STYLE, LIGHT_STYLE, MIN_CONTRAST, DockerfileHighlighter, contrast, token_ranges

SAMPLE = """\
# A comment
FROM python:3.12-slim AS build
COPY --from=build --chown=app /src /app
ENV GREETING="hello" \\
    NAME=world
RUN apt-get update && \\
    # a comment inside the command
    copy-files --all
RUN <<EOF
FROM inside the heredoc
echo 'done'
EOF
CMD ["python", "app.py"]
"""


def light_palette() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    return palette


def dark_palette() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    return palette


@pytest.fixture
def highlighted(qtbot):
    def make(text: str, palette: QPalette | None = None) -> tuple[QTextDocument, DockerfileHighlighter]:
        document = QTextDocument()
        # As in the preview's QPlainTextEdit: without a layout a document reports no changes at all.
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        highlighter = DockerfileHighlighter(document)
        highlighter.set_palette(palette or light_palette())
        document.setPlainText(text)
        highlighter.rehighlight()
        return document, highlighter

    return make


def format_at(document: QTextDocument, line: int, piece: str) -> QTextCharFormat:
    """The format Qt lays out for the first character of ``piece`` on a 1-based line (empty when none)."""
    block = document.findBlockByNumber(line - 1)
    found = block.text().index(piece)
    column = len(block.text()[:found].encode("utf-16-le")) // 2  # Qt counts UTF-16 units
    for entry in block.layout().formats():
        if entry.start <= column < entry.start + entry.length:
            return QTextCharFormat(entry.format)  # a copy: the range and its format go away
    return QTextCharFormat()


def colour(fmt: QTextCharFormat) -> str | None:
    return (
        fmt.foreground().color().name() if fmt.hasProperty(QTextCharFormat.Property.ForegroundBrush) else None
    )


def style_colour(ttype) -> str:
    return "#" + get_style_by_name(LIGHT_STYLE).style_for_token(ttype)["color"].lower()


def test_keywords_strings_comments_and_flags_are_coloured(highlighted):
    document, _ = highlighted(SAMPLE)
    keyword = format_at(document, 2, "FROM")
    assert colour(keyword) == style_colour(Token.Keyword)
    assert keyword.fontWeight() == QFont.Weight.Bold
    assert colour(format_at(document, 2, "AS")) == colour(keyword)
    assert colour(format_at(document, 2, "python:3.12")) == style_colour(Token.Literal.String)
    comment = format_at(document, 1, "# A comment")
    assert comment.fontItalic()
    assert colour(comment) == style_colour(Token.Comment)
    assert colour(format_at(document, 3, "--from")) == style_colour(Token.Name.Attribute)
    assert colour(format_at(document, 3, "--chown")) == style_colour(Token.Name.Attribute)
    assert colour(format_at(document, 3, "=build")) == style_colour(Token.Literal.String)
    assert colour(format_at(document, 3, "/src")) is None  # plain text keeps the editor's colour
    assert colour(format_at(document, 4, '"hello"')) == style_colour(Token.Literal.String)
    assert colour(format_at(document, 13, '"python"')) == style_colour(Token.Literal.String)


def test_an_unfinished_instruction_is_still_a_keyword_and_an_unknown_one_is_not(highlighted):
    document, _ = highlighted("FROM alpine\nEXPOSE\nonbuild RUN make\nFROMM alpine\n")
    keyword = style_colour(Token.Keyword)
    assert colour(format_at(document, 2, "EXPOSE")) == keyword
    assert colour(format_at(document, 3, "onbuild")) == keyword
    assert colour(format_at(document, 3, "RUN")) == keyword
    assert colour(format_at(document, 4, "FROMM")) != keyword


def test_continuation_lines_are_read_with_their_instruction(highlighted):
    document, _ = highlighted(SAMPLE)
    assert colour(format_at(document, 5, "NAME")) == style_colour(Token.Name.Variable)
    assert colour(format_at(document, 6, "&&")) == style_colour(Token.Operator)
    # Docker drops comment lines inside a continued command: they read as comments.
    assert format_at(document, 7, "#").fontItalic()
    # "copy" starting a continuation line is part of the shell command, not a COPY instruction.
    assert colour(format_at(document, 8, "copy")) is None


def test_heredoc_body_is_not_read_as_instructions(highlighted):
    document, _ = highlighted(SAMPLE)
    delimiter = style_colour(Token.Literal.String.Delimiter)
    assert colour(format_at(document, 9, "<<EOF")) == delimiter
    assert colour(format_at(document, 10, "FROM")) != style_colour(Token.Keyword)
    assert colour(format_at(document, 11, "echo")) == style_colour(Token.Name.Builtin)  # a shell script
    assert colour(format_at(document, 12, "EOF")) == delimiter
    assert colour(format_at(document, 13, "CMD")) == style_colour(Token.Keyword)  # after the terminator


def test_opening_a_heredoc_recolours_every_line_below(highlighted):
    document, _ = highlighted("FROM a\nRUN x\nWORKDIR /a\nEXPOSE 80\n")
    keyword = style_colour(Token.Keyword)
    assert colour(format_at(document, 4, "EXPOSE")) == keyword
    cursor = QTextCursor(document.findBlockByNumber(1))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertText(" <<END")
    assert colour(format_at(document, 3, "WORKDIR")) != keyword
    assert colour(format_at(document, 4, "EXPOSE")) != keyword
    cursor.insertText("\nEND")  # closed again: what follows is instructions again
    assert colour(format_at(document, 5, "EXPOSE")) == keyword


def test_an_edit_recolours_distant_lines_even_when_the_lines_between_stay(highlighted):
    text = "# escape=\\\nFROM a\nLABEL a=b\nLABEL c=d\nRUN echo `\nFROM b\n"
    document, _ = highlighted(text)
    keyword = style_colour(Token.Keyword)
    assert colour(format_at(document, 6, "FROM")) == keyword
    # With a backtick as escape character, line 5 goes on into line 6: line 6 is no instruction any more.
    # Line 1 keeps its colours, and lines 2-4 theirs, so Qt alone would repaint none of them.
    cursor = QTextCursor(document.findBlockByNumber(0))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.deletePreviousChar()
    cursor.insertText("`")
    assert colour(format_at(document, 6, "FROM")) != keyword
    assert colour(format_at(document, 2, "FROM")) == keyword


def test_positions_count_like_qt_with_characters_outside_the_bmp(highlighted):
    document, _ = highlighted('FROM a\nRUN echo "🐳 whale" && echo "second"\n')
    assert colour(format_at(document, 2, '"second"')) == style_colour(Token.Literal.String)
    assert colour(format_at(document, 2, "&&")) == style_colour(Token.Operator)


@pytest.mark.parametrize("palette_of", [light_palette, dark_palette], ids=["light", "dark"])
def test_every_colour_is_readable_on_the_background(highlighted, palette_of):
    palette = palette_of()
    document, highlighter = highlighted(SAMPLE, palette)
    base = palette.color(QPalette.ColorRole.Base)
    seen = set()
    block = document.firstBlock()
    while block.isValid():
        for entry in block.layout().formats():
            if entry.format.hasProperty(QTextCharFormat.Property.ForegroundBrush):
                seen.add(entry.format.foreground().color().name())
        block = block.next()
    assert len(seen) >= 5  # keywords, strings, comments, flags, operators ...
    assert all(contrast(QColor(name), base) >= MIN_CONTRAST for name in seen), seen
    assert highlighter.dark is (palette_of is dark_palette)


def test_dark_palette_uses_the_dark_style(highlighted):
    document, _ = highlighted(SAMPLE, dark_palette())
    expected = "#" + get_style_by_name(DARK_STYLE).style_for_token(Token.Keyword)["color"].lower()
    assert colour(format_at(document, 2, "FROM")) == expected


def test_token_ranges_has_one_entry_per_line():
    ranges = token_ranges(SAMPLE)
    assert len(ranges) == SAMPLE.count("\n") + 1
    assert ranges[-1] == ()


def big_dockerfile(blocks: int) -> str:
    pieces = [
        "FROM python:3.12-slim AS build{n}",
        "# step {n}",
        "RUN apt-get update && \\\n    apt-get install -y curl git",
        'ENV PATH=/x:$PATH FOO="bar{n}"',
        "COPY --from=build{n} /a /b",
        "WORKDIR /app{n}",
        'CMD ["python", "app{n}.py"]',
        "RUN <<EOF\necho {n}\nEOF",
        "LABEL a=b",
        "EXPOSE 80{n}",
    ]
    return "\n".join(pieces[i % len(pieces)].format(n=i) for i in range(blocks)) + "\n"


def test_highlight_time_for_300_blocks(highlighted):
    document, highlighter = highlighted(big_dockerfile(300))
    timings = []
    for attempt in range(10):
        cursor = QTextCursor(document.findBlockByNumber(150 + attempt))
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        started = time.perf_counter()
        cursor.insertText(" x")  # Qt re-highlights synchronously, inside the edit
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    highlighter.rehighlight()
    full = (time.perf_counter() - started) * 1000
    timings.sort()
    median, worst, reread = timings[len(timings) // 2], timings[-1], highlighter.last_update_ms
    print(
        f"\n300 blocks ({document.blockCount()} lines): an edit re-highlights in {median:.2f} ms"
        f" (median of 10, worst {worst:.2f} ms; re-reading the text {reread:.2f} ms);"
        f" painting every line again takes {full:.2f} ms"
    )
    # Painting only what changed gave the same colours as highlighting the final text from scratch.
    fresh, _ = highlighted(document.toPlainText())
    assert all_formats(document) == all_formats(fresh)


def all_formats(document: QTextDocument) -> list[list[tuple[int, int, str | None, bool]]]:
    out = []
    block = document.firstBlock()
    while block.isValid():
        out.append(
            [(f.start, f.length, colour(f.format), f.format.fontItalic()) for f in block.layout().formats()]
        )
        block = block.next()
    return out
