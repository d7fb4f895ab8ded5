"""Random and mutated Dockerfiles: import never crashes, and agrees with BuildKit on what it accepts."""

from __future__ import annotations

import re
from pathlib import Path

import dockerfile
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from oracle import corpus_files, oracle_rows, our_rows

from desktop.dockerfile import DockerfileSyntaxError, import_text, render_text
from desktop.dockerfile.lexing import ENCODING, ERRORS

# No "# check=" fragment: the oracle's BuildKit predates that directive (added in BuildKit 0.14), and
# reads it as a plain comment. tests/core/test_directives.py covers it against BuildKit's documented rules.
FRAGMENTS = [
    "FROM",
    "from",
    "RUN",
    "CMD",
    "ENTRYPOINT",
    "COPY",
    "ADD",
    "ENV",
    "LABEL",
    "ARG",
    "EXPOSE",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
    "MAINTAINER",
    "NOPE",
    "AS",
    "NONE",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\n",
    "\r\n",
    "\\\n",
    "\\",
    "`\n",
    "`",
    "#",
    "# escape=`\n",
    "# syntax=x\n",
    "'",
    '"',
    "[",
    "]",
    '["a", "b"]',
    '["a", 1]',
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "EOF\n",
    "\tEOF\n",
    "=",
    "$x",
    "${a:-b}",
    "é",
    "\u00a0",
    "--mount=type=cache,target=/x",
    "--from=a",
    "--link",
    '--"x y"',
    "--",
    "alpine:3.20",
    "a=b",
    'a="b c"',
    "/app",
    "echo hi",
    "&&",
]
fragment_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
SEEDS = [p.read_bytes().decode(ENCODING, ERRORS) for p in corpus_files("buildkit-parser-testfiles")] + [
    p.read_bytes().decode(ENCODING, ERRORS)
    for p in sorted((Path(__file__).parents[1] / "fixtures" / "dockerfiles").glob("*.Dockerfile"))
]


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        operation = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if operation == "delete":
            text = text[:start] + text[end:]
        elif operation == "insert":
            text = text[:start] + draw(st.sampled_from(FRAGMENTS)) + text[start:]
        else:
            text = text[:end] + text[start:end] + text[end:]
    return text


_CHECK_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*check[ \t]*=", re.IGNORECASE | re.MULTILINE)


def _check_against_oracle(text: str) -> None:
    # The oracle predates the check directive; files where it matters are covered by test_directives.py.
    assume(len(_CHECK_DIRECTIVE.findall(text)) < 2)
    try:
        expected = oracle_rows(text)
    except dockerfile.GoParseError:
        expected = None
    except UnicodeDecodeError:
        # BuildKit cut a multi-byte character in half (it splits some words byte by byte) and the
        # binding cannot hand the broken text to Python: no reference answer to compare with.
        assume(False)
    try:
        doc = import_text(text)
    except DockerfileSyntaxError as error:
        assert expected is None, f"we refused what BuildKit accepts: {error}"
        assert error.message and error.line >= 0 and error.column >= 1
        return
    assert expected is not None, "we accepted what BuildKit refuses"
    assert render_text(doc) == text
    assert our_rows(doc) == expected


FUZZ = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(fragment_texts)
def test_random_fragments(text: str) -> None:
    _check_against_oracle(text)


@FUZZ
@given(mutated_texts())
def test_mutated_real_dockerfiles(text: str) -> None:
    _check_against_oracle(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        doc = import_text(text)
    except DockerfileSyntaxError as error:
        assert error.message
        return
    assert render_text(doc) == text
