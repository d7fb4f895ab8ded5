"""The ``*.dockblocks`` project format: a versioned JSON document, mapped to and from :class:`Project`.

docs/project-format.md describes every field. In short::

    {"format": "dockblocks", "version": 1, "saved_with": "0.1.0", "name": "",
     "context": "..", "run": {}, "document": {"newline": "\\n", "blocks": [...]}}

Files are written as ASCII (``json.dumps`` escapes everything else, lone surrogates from undecodable
Dockerfile bytes included, and ``json.loads`` reads them back unchanged). Reading never runs anything.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import desktop
from desktop.blocks.model import Document
from desktop.paths import PROJECT_SUFFIX
from desktop.project.errors import FieldProblem, ProjectFileError
from desktop.project.jsontext import MAX_FILE_BYTES, JsonPath, locate, parse_json
from desktop.project.origins import untrusted_origins
from desktop.project.schema import (
    BlockReader,
    block_to_data,
    describe,
    object_at,
    problem,
    text_at,
    wrong_type,
)
from desktop.project.texts import say, shown

FORMAT_NAME = "dockblocks"
FORMAT_VERSION = 1
"""The version this code writes, and the newest it reads."""

SUFFIX = PROJECT_SUFFIX
NEWLINES = ("\n", "\r\n")
MAX_UPWARD_STEPS = 2
"""A build context this many folders above the project file, or fewer, is stored as a relative path."""

_TOP_FIELDS = ("format", "version", "saved_with", "name", "context", "run", "document")
_DOCUMENT_FIELDS = ("newline", "blocks")


@dataclass
class Project:
    """What a project file holds.

    Attributes:
        document: the blocks.
        context_dir: the build-context folder (absolute), or None when none was chosen yet.
        run_settings: reserved for how to run the built image (the next format versions); kept as read.
        name: the project's name as the user typed it; "" means "use the file name".
        saved_with: the Dockblocks version that last saved the file ("" for a new project); read only,
            saving writes the running version.
    """

    document: Document = field(default_factory=Document)
    context_dir: Path | None = None
    run_settings: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    saved_with: str = ""


def dumps_project(project: Project, folder: Path) -> bytes:
    """The file content for a project saved in ``folder`` (which relative context paths start from).

    The result is read back before it is returned, so what is saved can always be opened again.

    Raises:
        ProjectFileError: the project holds something a project file cannot (a value of the wrong shape,
            a character that cannot be written), or it is larger than a project file may be.
    """
    data = project_to_data(project, folder)
    try:
        text = json.dumps(data, ensure_ascii=True, allow_nan=False, indent=2) + "\n"
    except (TypeError, ValueError) as error:
        raise ProjectFileError(say("save.invalid", problem=str(error))) from None
    content = text.encode("ascii")
    if len(content) > MAX_FILE_BYTES:
        size = f"{len(content) / 2**20:.1f}"
        raise ProjectFileError(say("save.too_big", size=size, limit=MAX_FILE_BYTES >> 20))
    try:
        loads_project(content, folder)
    except ProjectFileError as error:
        message = say("save.invalid", problem=error.message)
        raise ProjectFileError(message, field_path=error.field_path) from None
    return content


def loads_project(content: bytes, folder: Path) -> Project:
    """A project from a file's content; ``folder`` is where the file is (relative context paths start there).

    Raises:
        ProjectFileError: the content is not a valid project file of a version this code reads.
    """
    data, text = parse_json(content)
    try:
        return project_from_data(data, folder)
    except FieldProblem as error:
        line, column = locate(text, error.path)
        if line == 0:
            raise ProjectFileError(error.message, field_path=error.field_path) from None
        message = say("located", line=line, column=column, message=error.message)
        raise ProjectFileError(message, line, column, error.field_path) from None


def project_to_data(project: Project, folder: Path) -> dict[str, Any]:
    """A project as JSON data, in the order the fields are best read.

    An unchanged block whose original text no longer reads as the block where it now stands (a block moved
    to the top of the file, where a byte order mark vanishes) is written without that text, so that it is
    rendered from its parameters once opened, as opening would refuse the text.
    """
    blocks = [block_to_data(block) for block in project.document.blocks]
    for index in untrusted_origins(project.document):
        blocks[index]["origin"] = None
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "saved_with": desktop.__version__,
        "name": project.name,
        "context": context_to_text(project.context_dir, folder),
        "run": project.run_settings,
        "document": {
            "newline": project.document.newline,
            "blocks": blocks,
        },
    }


def project_from_data(data: object, folder: Path) -> Project:
    """A project from parsed JSON data, checked field by field.

    Raises:
        FieldProblem: a field is missing, unknown or of the wrong shape (with its path).
        ProjectFileError: not a Dockblocks project, or made by a newer version.
    """
    if not isinstance(data, dict):
        raise ProjectFileError(say("load.not_an_object", actual=describe(data)))
    if data.get("format") != FORMAT_NAME:
        raise ProjectFileError(say("load.not_dockblocks"), field_path="format")
    _check_version(data.get("version"))
    object_at(data, (), _TOP_FIELDS, "object")
    if "document" not in data:
        raise problem((), "field.missing", name="document")
    document = _document(data["document"], ("document",))
    context = data.get("context")
    run = data.get("run", {})
    if not isinstance(run, dict):
        raise wrong_type(("run",), "object", run)
    return Project(
        document=document,
        context_dir=None if context is None else context_from_text(_context_text(context), folder),
        run_settings=run,
        name=text_at(data.get("name", ""), ("name",)),
        saved_with=text_at(data.get("saved_with", ""), ("saved_with",)),
    )


def context_to_text(context: Path | None, folder: Path) -> str | None:
    """How the build-context folder is written: relative to ``folder`` when it is near, else absolute.

    "Near" is the project's folder itself, anything inside it, or at most :data:`MAX_UPWARD_STEPS`
    folders up; relative paths use ``/`` on every system, so the project folder can move as a whole.
    """
    if context is None:
        return None
    target = os.path.abspath(context)
    try:
        relative = os.path.relpath(target, os.path.abspath(folder))
    except ValueError:  # another drive on Windows: no relative path exists
        return target
    parts = PurePath(relative).parts
    if parts.count("..") > MAX_UPWARD_STEPS:
        return target
    return PurePath(relative).as_posix()


def context_from_text(text: str, folder: Path) -> Path:
    """The absolute build-context folder for a path as written in the file."""
    # join keeps an absolute text as it is (on Windows, a rooted one keeps the project folder's drive).
    return Path(os.path.normpath(os.path.join(os.path.abspath(folder), text)))


def _check_version(version: object) -> None:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        value = shown(version) if isinstance(version, str | int | float) else describe(version)
        raise problem(("version",), "load.bad_version", value=value, supported=FORMAT_VERSION)
    if version > FORMAT_VERSION:
        message = say("load.newer", version=version, supported=FORMAT_VERSION)
        raise ProjectFileError(message, field_path="version")


def _context_text(value: object) -> str:
    text = text_at(value, ("context",))
    if not text or "\x00" in text:
        raise problem(("context",), "field.context")
    return text


def _document(data: object, path: JsonPath) -> Document:
    fields = object_at(data, path, _DOCUMENT_FIELDS, "object")
    newline = fields.get("newline", "\n")
    if newline not in NEWLINES:
        raise problem((*path, "newline"), "field.newline")
    blocks = fields.get("blocks", [])
    if not isinstance(blocks, list):
        raise wrong_type((*path, "blocks"), "blocks", blocks)
    reader = BlockReader()
    items = [reader.block(item, (*path, "blocks", index)) for index, item in enumerate(blocks)]
    doc = Document(items, newline)
    untrusted = untrusted_origins(doc)
    if untrusted:
        raise problem((*path, "blocks", untrusted[0], "origin", "text"), "field.origin_mismatch")
    return doc
