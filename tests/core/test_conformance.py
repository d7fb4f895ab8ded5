"""Import and render agree with BuildKit's parser, byte for byte and meaning for meaning."""

from __future__ import annotations

from pathlib import Path

import pytest
from oracle import CORPUS_SKIP_REASON, corpus_files, oracle_rows, our_rows

from desktop.dockerfile import DockerfileSyntaxError, import_bytes, render_text
from desktop.dockerfile.lexing import ENCODING, ERRORS

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "dockerfiles").glob("*.Dockerfile"))
POSITIVE = corpus_files("buildkit-parser-testfiles")
NEGATIVE = corpus_files("buildkit-parser-testfiles-negative")
SAMPLES = POSITIVE + FIXTURES


def _id(path: Path) -> str:
    return path.parent.name if path.name == "Dockerfile" else path.stem


def _text(path: Path) -> str:
    return path.read_bytes().decode(ENCODING, ERRORS)


def _render_bytes(path: Path, *, forget_origins: bool) -> tuple[bytes, object]:
    doc = import_bytes(path.read_bytes())
    if forget_origins:
        for block in doc.blocks:
            block.origin = None  # as if every block had been edited: canonical rendering throughout
    return render_text(doc).encode(ENCODING, ERRORS), doc


def test_corpus_is_present_or_skipped_with_reason() -> None:
    if not POSITIVE:
        pytest.skip(CORPUS_SKIP_REASON)
    assert len(POSITIVE) >= 30
    assert len(NEGATIVE) >= 4


@pytest.mark.parametrize("path", SAMPLES, ids=_id)
def test_untouched_document_renders_back_byte_for_byte(path: Path) -> None:
    rendered, _doc = _render_bytes(path, forget_origins=False)
    assert rendered == path.read_bytes()


@pytest.mark.parametrize("path", SAMPLES, ids=_id)
def test_block_parameters_mean_what_buildkit_reads(path: Path) -> None:
    doc = import_bytes(path.read_bytes())
    assert our_rows(doc) == oracle_rows(_text(path))


@pytest.mark.parametrize("path", SAMPLES, ids=_id)
def test_canonical_rendering_keeps_the_meaning(path: Path) -> None:
    rendered, doc = _render_bytes(path, forget_origins=True)
    text = rendered.decode(ENCODING, ERRORS)
    assert oracle_rows(text) == oracle_rows(_text(path))
    assert our_rows(doc) == oracle_rows(text)
    # and the canonical text is stable: importing it and rendering again changes nothing
    again, _ = _render_bytes_from_text(text)
    assert again == text


def _render_bytes_from_text(text: str) -> tuple[str, object]:
    from desktop.dockerfile import import_text

    doc = import_text(text)
    for block in doc.blocks:
        block.origin = None
    return render_text(doc), doc


@pytest.mark.parametrize("path", NEGATIVE, ids=_id)
def test_files_buildkit_rejects_are_rejected_with_a_clear_message(path: Path) -> None:
    with pytest.raises(DockerfileSyntaxError) as caught:
        import_bytes(path.read_bytes())
    error = caught.value
    assert error.line >= 1
    assert str(error).startswith(f"Line {error.line}, column {error.column}: ")
    assert error.message.endswith(".")
    assert len(error.message.split()) >= 6  # a sentence, not a code
