"""Project files keep everything: imported text byte for byte, edited blocks, every kind, paths, settings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from oracle import CORPUS_SKIP_REASON, corpus_files

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document, new_block
from desktop.dockerfile import import_bytes, import_text, render_text
from desktop.dockerfile.lexing import ENCODING, ERRORS
from desktop.project import (
    FORMAT_VERSION,
    Project,
    context_to_text,
    dumps_project,
    load_project,
    loads_project,
    save_project,
)

CORPUS = corpus_files("buildkit-parser-testfiles")
FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "dockerfiles").glob("*.Dockerfile"))
SAMPLES = CORPUS + FIXTURES


def _id(path: Path) -> str:
    return path.parent.name if path.name == "Dockerfile" else path.stem


def _through_file(project: Project, folder: Path) -> Project:
    path = folder / "app.dockblocks"
    save_project(project, path)
    return load_project(path)


def _rendered_bytes(doc: Document) -> bytes:
    return render_text(doc).encode(ENCODING, ERRORS)


def _same_blocks(left: list[Block], right: list[Block]) -> None:
    assert [(b.kind, b.params) for b in left] == [(b.kind, b.params) for b in right]
    assert [b.origin for b in left] == [b.origin for b in right]


def test_corpus_is_present_or_skipped_with_reason() -> None:
    if not CORPUS:
        pytest.skip(CORPUS_SKIP_REASON)
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", SAMPLES, ids=_id)
def test_imported_dockerfile_renders_back_byte_for_byte_after_save_and_load(
    path: Path, tmp_path: Path
) -> None:
    original = path.read_bytes()
    loaded = _through_file(Project(import_bytes(original)), tmp_path)
    assert _rendered_bytes(loaded.document) == original


@pytest.mark.parametrize("path", SAMPLES, ids=_id)
def test_edited_document_renders_the_same_after_save_and_load(path: Path, tmp_path: Path) -> None:
    doc = import_bytes(path.read_bytes())
    instructions = [b for b in doc.blocks if b.kind.is_instruction]
    first = instructions[0]
    # Edit one imported block, duplicate another, add new ones: a mix of pristine, edited and new blocks.
    if first.kind is Kind.FROM:
        first.params["tag"] = "edited"
    else:
        first.params["extra_flags"] = [*first.params["extra_flags"], "--edited=yes"]
    doc.blocks.insert(1, instructions[-1].clone())
    doc.blocks.append(new_block(Kind.COMMENT, text="added after import"))
    doc.blocks.append(new_block(Kind.RUN, command="echo added"))
    expected = _rendered_bytes(doc)
    loaded = _through_file(Project(doc), tmp_path)
    assert _rendered_bytes(loaded.document) == expected
    _same_blocks(loaded.document.blocks, doc.blocks)


@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_every_kind_with_default_parameters_round_trips(kind: Kind, tmp_path: Path) -> None:
    doc = Document([new_block(Kind.FROM, image="alpine"), new_block(kind)])
    loaded = _through_file(Project(doc), tmp_path)
    _same_blocks(loaded.document.blocks, doc.blocks)


def test_onbuild_trigger_is_a_nested_block_that_round_trips(tmp_path: Path) -> None:
    trigger = new_block(Kind.COPY, sources=["<<EOF"], dest="/x", heredocs=[["EOF", "hi\n", "EOF\n"]])
    doc = Document([new_block(Kind.FROM, image="a"), new_block(Kind.ONBUILD, trigger=trigger)])
    data = json.loads(dumps_project(Project(doc), tmp_path))
    nested = data["document"]["blocks"][1]["params"]["trigger"]
    assert nested["kind"] == "COPY"
    assert nested["params"]["heredocs"] == [["EOF", "hi\n", "EOF\n"]]
    loaded = loads_project(dumps_project(Project(doc), tmp_path), tmp_path)
    assert isinstance(loaded.document.blocks[1].params["trigger"], Block)
    _same_blocks(loaded.document.blocks, doc.blocks)
    assert render_text(loaded.document) == render_text(doc)


def test_imported_onbuild_keeps_its_text_and_nested_original(tmp_path: Path) -> None:
    text = "FROM a\nONBUILD RUN echo hi \\\n  there\nONBUILD ONBUILD COPY <<EOF /x\nhello\nEOF\n"
    loaded = _through_file(Project(import_text(text)), tmp_path)
    assert render_text(loaded.document) == text
    assert all(b.is_pristine("\\") for b in loaded.document.blocks)


def test_bytes_that_are_not_utf8_survive_as_escapes_in_an_ascii_file(tmp_path: Path) -> None:
    original = b"FROM alpine\nRUN echo caf\xe9 \xff\xfe\nLABEL x=\xc3\xa9t\xc3\xa9\n"
    doc = import_bytes(original)
    content = dumps_project(Project(doc), tmp_path)
    assert content.isascii()
    assert b"\\udce9" in content and b"\\udcff" in content
    loaded = loads_project(content, tmp_path)
    assert _rendered_bytes(loaded.document) == original
    # Edited, the block renders canonically from parameters that still hold the undecodable bytes.
    doc.blocks[1].params["command"] += " edited"
    loaded = loads_project(dumps_project(Project(doc), tmp_path), tmp_path)
    assert b"echo caf\xe9 \xff\xfe edited" in _rendered_bytes(loaded.document)


def test_json_escapes_carry_lone_surrogates_losslessly() -> None:
    held = b"\x80\xff\xed\xa0\x80".decode(ENCODING, ERRORS)
    written = json.dumps(held, ensure_ascii=True)
    assert written.isascii()
    assert json.loads(written) == held
    assert json.loads(written).encode(ENCODING, ERRORS) == b"\x80\xff\xed\xa0\x80"


def test_unchanged_block_stores_its_parameters_once(tmp_path: Path) -> None:
    doc = import_text("FROM alpine\nRUN echo one\n")
    doc.blocks[1].params["command"] = "echo two"
    data = json.loads(dumps_project(Project(doc), tmp_path))
    pristine, edited = data["document"]["blocks"]
    assert pristine["origin"] == {"text": "FROM alpine\n", "escape": "\\", "open_end": False}
    assert edited["origin"]["params"]["command"] == "echo one"
    assert edited["params"]["command"] == "echo two"


def test_top_level_fields_and_settings_round_trip(tmp_path: Path) -> None:
    doc = import_text("FROM alpine\r\nRUN true\r\n")
    doc.blocks.append(new_block(Kind.CMD, args=["sh"]))
    project = Project(doc, tmp_path / "ctx", {"ports": [["8080", "80"]], "reserved": None}, "My app")
    data = json.loads(dumps_project(project, tmp_path))
    assert list(data) == ["format", "version", "saved_with", "name", "context", "run", "document"]
    assert (data["format"], data["version"], data["context"]) == ("dockblocks", FORMAT_VERSION, "ctx")
    assert data["saved_with"]
    loaded = loads_project(json.dumps(data).encode(), tmp_path)
    assert loaded.name == "My app"
    assert loaded.run_settings == project.run_settings
    assert loaded.context_dir == tmp_path / "ctx"
    assert loaded.document.newline == "\r\n"
    assert loaded.saved_with == data["saved_with"]
    assert render_text(loaded.document) == 'FROM alpine\r\nRUN true\r\nCMD ["sh"]\r\n'


def test_an_empty_project_has_an_explicit_empty_run_object(tmp_path: Path) -> None:
    data = json.loads(dumps_project(Project(), tmp_path))
    assert data["run"] == {}
    assert data["context"] is None
    assert loads_project(dumps_project(Project(), tmp_path), tmp_path) == Project(
        saved_with=data["saved_with"]
    )


def test_loaded_blocks_get_ids_no_new_block_can_take(tmp_path: Path) -> None:
    doc = Document([new_block(Kind.FROM, image="a"), new_block(Kind.ONBUILD, trigger=new_block(Kind.RUN))])
    loaded = loads_project(dumps_project(Project(doc), tmp_path), tmp_path)
    blocks = [*loaded.document.blocks, loaded.document.blocks[1].params["trigger"]]
    ids = {b.id for b in blocks}
    assert len(ids) == 3
    assert new_block(Kind.RUN).id not in ids


@pytest.mark.parametrize(
    ("relative", "written"),
    [
        (".", "."),
        ("src", "src"),
        ("src/app", "src/app"),
        ("..", ".."),
        ("../sibling", "../sibling"),
        ("../..", "../.."),
    ],
)
def test_a_nearby_context_folder_is_stored_relative(relative: str, written: str, tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "project"
    context = Path(os.path.normpath(folder / relative))
    assert context_to_text(context, folder) == written
    data = json.loads(dumps_project(Project(context_dir=context), folder))
    assert data["context"] == written
    assert loads_project(json.dumps(data).encode(), folder).context_dir == context


def test_a_far_context_folder_is_stored_absolute(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "c" / "project"
    far = tmp_path / "elsewhere"
    assert context_to_text(far, folder) == str(far)
    assert loads_project(dumps_project(Project(context_dir=far), folder), folder).context_dir == far


def test_a_relative_context_follows_the_project_folder_when_it_moves(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "moved"
    old.mkdir()
    save_project(Project(context_dir=old / "app"), old / "p.dockblocks")
    old.rename(new)
    assert load_project(new / "p.dockblocks").context_dir == new / "app"


def test_unedited_blocks_brought_together_keep_their_own_text(tmp_path: Path) -> None:
    # Read together, "# one" and "# two" would be one comment block: each is checked alone and trusted.
    doc = import_text("FROM a\n# one\nRUN x\n# two\n\n\nRUN y\n\n")
    del doc.blocks[2]
    doc.blocks.append(doc.blocks.pop(3))  # the blank lines move to the end, after the other blank line
    expected = render_text(doc)
    assert expected == "FROM a\n# one\n# two\nRUN y\n\n\n\n"
    loaded = _through_file(Project(doc), tmp_path)
    assert render_text(loaded.document) == expected
    assert all(block.origin is not None for block in loaded.document.blocks)


def test_a_block_whose_text_means_something_else_where_it_now_stands_is_saved_without_it(
    tmp_path: Path,
) -> None:
    # "\ufeff" is an (unknown) instruction in the middle of a file, but nothing at its very top, where a
    # byte order mark is dropped: moved there, its text would no longer say what the block says.
    doc = import_text("FROM a\n\ufeffWAT x\n")
    del doc.blocks[0]
    loaded = _through_file(Project(doc), tmp_path)
    assert loaded.document.blocks[0].origin is None
    assert loaded.document.blocks[0].params == doc.blocks[0].params
