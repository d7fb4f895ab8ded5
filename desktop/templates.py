"""Starter projects: the templates of ``resources/templates/<id>/``, listed and turned into new projects.

A template is a folder anyone can read (see resources/templates/README.md): ``template.json`` (its id,
title, description and place in the list), a plain ``Dockerfile`` that becomes the blocks, and the files
the Dockerfile copies (the build folder's content). No Qt here: the start page and the tests both use it.

A new project from a template gets a folder of its own, made by :func:`materialize_template` wherever the
caller says (the window uses ``Documents/Dockblocks/<id>``): the template's files are copied there, so
the beginner can open and change them, and that folder is the project's build folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.i18n import format_text, load_texts, locale_candidates
from desktop.json_files import read_json_object
from desktop.paths import resource_path

# The block model, the importer and the project format are imported by the functions that make a project:
# the start page (the window's first picture) only lists the templates.
if TYPE_CHECKING:
    from desktop.blocks.model import Document
    from desktop.project import Project

TEMPLATE_FILE = "template.json"
DOCKERFILE = "Dockerfile"
DEFAULT_DOCKERIGNORE = "dockerignore.txt"
"""The default ``.dockerignore`` text, in ``resources/templates/``."""

# Files of a template folder that describe the template and are not part of the app: never copied.
_METADATA_PREFIX = "template."
_NOT_COPIED = frozenset({DOCKERFILE, "icon.svg"})
# Where programs live when PATH is short (a desktop launcher may start us with a minimal one).
_PROGRAM_FOLDERS = ("/usr/local/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/sbin", "/sbin")
_ELF_MAGIC = b"\x7fELF"
_PT_INTERP = 3  # a program header that names a dynamic loader: the program is not statically linked

_log = logging.getLogger(__name__)


class TemplateError(ValueError):
    """A template that cannot be listed or used, with one sentence saying why.

    Attributes:
        message: the sentence to show.
    """

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class MachineFile:
    """A file a template takes from this computer instead of shipping it (a program, too big to bundle).

    Attributes:
        name: the file's name in the new project's folder.
        program: the program to look for on this computer (a name searched on PATH).
        static: the program must be statically linked (it runs alone in an empty image).
        missing: what to tell the user when no such program is found; ``{folder}`` is the project folder.
    """

    name: str
    program: str
    static: bool
    missing: str


@dataclass(frozen=True)
class TemplateInfo:
    """One template, as the start page lists it.

    Attributes:
        id: the folder name, e.g. ``python-alpine``.
        title: a short title, in the user's language when a translation exists.
        description: two or three sentences for a beginner: what it makes and how to try it.
        order: where it goes in the list (smallest first).
        icon: the icon file in the template folder, or None.
        colour: the icon's colour (``#rrggbb``).
        folder: the template folder.
        machine_files: files taken from this computer when the template is used.
    """

    id: str
    title: str
    description: str
    order: int
    icon: Path | None
    colour: str
    folder: Path
    machine_files: tuple[MachineFile, ...] = ()


def templates_root() -> Path:
    """The folder that holds the bundled templates."""
    return resource_path("templates")


def list_templates(root: Path | None = None, locale: str | None = None) -> list[TemplateInfo]:
    """Every usable template, in the order of their ``order`` field, then by title.

    A template folder whose ``template.json`` is broken is left out (and logged): one packaging slip must
    not empty the start page.

    Args:
        root: the folder of templates; the bundled one by default.
        locale: the user's language; from the environment when None.
    """
    folder = root if root is not None else templates_root()
    found: list[TemplateInfo] = []
    for child in sorted(folder.iterdir()):
        if not (child / TEMPLATE_FILE).is_file():
            continue
        try:
            found.append(read_template(child, locale))
        except TemplateError as error:
            _log.warning("template %s left out: %s", child, error.message)
    return sorted(found, key=lambda t: (t.order, t.title.casefold(), t.id))


def template_info(template_id: str, root: Path | None = None, locale: str | None = None) -> TemplateInfo:
    """One template by its id.

    Raises:
        TemplateError: there is no such template, or its description is broken.
    """
    if "/" in template_id or "\\" in template_id or template_id in ("", ".", ".."):
        raise TemplateError(_say("unknown", id=template_id))
    folder = (root if root is not None else templates_root()) / template_id
    if not (folder / TEMPLATE_FILE).is_file():
        raise TemplateError(_say("unknown", id=template_id))
    return read_template(folder, locale)


def read_template(folder: Path, locale: str | None = None) -> TemplateInfo:
    """The description of the template in ``folder``, laid over by its translation when there is one.

    Raises:
        TemplateError: ``template.json`` is missing, is not valid JSON, or lacks a field.
    """
    data = read_json_object(folder / TEMPLATE_FILE)
    if data is None:
        raise TemplateError(_say("broken_description", folder=str(folder), reason="not a JSON object"))
    translated = _translation(folder, locale)
    try:
        template_id = _text(data, "id")
        if template_id != folder.name:
            raise TemplateError(_say("wrong_id", folder=str(folder), id=template_id))
        icon_name = data.get("icon")
        icon = folder / icon_name if isinstance(icon_name, str) and (folder / icon_name).is_file() else None
        order, colour = data.get("order", 1000), data.get("colour")
        return TemplateInfo(
            id=template_id,
            title=_text(translated if "title" in translated else data, "title"),
            description=_text(translated if "description" in translated else data, "description"),
            order=order if isinstance(order, int) else 1000,
            icon=icon,
            colour=colour if isinstance(colour, str) else "#6b7280",
            folder=folder,
            machine_files=_machine_files(data.get("machine_files", []), translated.get("machine_files", {})),
        )
    except (KeyError, TypeError) as error:
        raise TemplateError(_say("broken_description", folder=str(folder), reason=str(error))) from None


def load_template_document(template_id: str, root: Path | None = None) -> Document:
    """The blocks of a template: its Dockerfile, imported.

    Raises:
        TemplateError: no such template, or its Dockerfile is missing or cannot be imported.
    """
    from desktop.dockerfile import import_bytes

    info = template_info(template_id, root)
    try:
        return import_bytes((info.folder / DOCKERFILE).read_bytes())
    except OSError as error:
        reason = error.strerror or str(error)
        raise TemplateError(_say("no_dockerfile", title=info.title, reason=reason)) from None
    except ValueError as error:  # DockerfileSyntaxError: a broken template, a packaging mistake
        raise TemplateError(_say("broken_dockerfile", title=info.title, reason=str(error))) from None


def materialize_template(
    template_id: str,
    target_dir: Path,
    root: Path | None = None,
    which: Callable[[str], str | None] | None = None,
) -> Project:
    """A new, unsaved project made from a template, with the template's files copied into ``target_dir``.

    The copy is the project's build folder: it belongs to the user, who can change the app's files there.
    The template's own description files and its Dockerfile are not copied (the blocks are the
    Dockerfile); a default ``.dockerignore`` is added when the template brings none. Files the template
    takes from this computer (:class:`MachineFile`) are copied when found; see :func:`missing_machine_files`.

    Args:
        template_id: the template.
        target_dir: a folder that does not exist yet or is empty; it is created.
        root: the folder of templates; the bundled one by default.
        which: finds a program by name (``shutil.which`` by default; tests pass their own).

    Returns:
        The project: the template's blocks, with ``context_dir`` the absolute ``target_dir``.

    Raises:
        TemplateError: the template is broken, or ``target_dir`` exists and is not an empty folder.
        OSError: the folder or a file could not be written.
    """
    from desktop.lint.dockerignore import IGNORE_FILE
    from desktop.project import Project

    info = template_info(template_id, root)
    document = load_template_document(template_id, root)
    target = Path(os.path.abspath(target_dir))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TemplateError(_say("folder_not_empty", folder=str(target)))
    target.mkdir(parents=True, exist_ok=True)
    _copy_app_files(info.folder, target)
    if not (target / IGNORE_FILE).exists():
        (target / IGNORE_FILE).write_text(default_dockerignore(), encoding="utf-8")
    for needed in info.machine_files:
        source = find_program(needed.program, needed.static, which)
        if source is not None:
            shutil.copyfile(source, target / needed.name)
            os.chmod(target / needed.name, 0o755)
    return Project(document=document, context_dir=target)


def missing_machine_files(info: TemplateInfo, folder: Path) -> list[MachineFile]:
    """The files a template takes from this computer that are not in ``folder`` (none could be found)."""
    return [needed for needed in info.machine_files if not (folder / needed.name).is_file()]


def describe_missing(needed: MachineFile, folder: Path) -> str:
    """The sentence that tells the user how to provide a missing file."""
    return format_text(needed.missing, folder=str(folder), name=needed.name, program=needed.program)


def find_program(program: str, static: bool, which: Callable[[str], str | None] | None = None) -> Path | None:
    """A program on this computer, or None; with ``static``, only a statically linked ELF program counts."""
    candidates: list[str] = []
    found = (which or shutil.which)(program)
    if found:
        candidates.append(found)
    if which is None:
        candidates += [os.path.join(folder, program) for folder in _PROGRAM_FOLDERS]
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file() and os.access(path, os.X_OK) and (not static or is_static_elf(path)):
            return path
    return None


def is_static_elf(path: Path) -> bool:
    """Whether a file is an ELF program that needs no dynamic loader (so it runs in an empty image)."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(64)
            if len(header) < 52 or header[:4] != _ELF_MAGIC or header[4] not in (1, 2):
                return False
            order = "<" if header[5] == 1 else ">"
            if header[4] == 2:  # 64-bit: e_phoff at 32, e_phentsize and e_phnum at 54
                phoff = struct.unpack_from(order + "Q", header, 32)[0]
                phentsize, phnum = struct.unpack_from(order + "HH", header, 54)
            else:  # 32-bit: e_phoff at 28, e_phentsize and e_phnum at 42
                phoff = struct.unpack_from(order + "I", header, 28)[0]
                phentsize, phnum = struct.unpack_from(order + "HH", header, 42)
            if phnum == 0 or phentsize < 4:
                return False
            stream.seek(phoff)
            table = stream.read(phentsize * phnum)
    except OSError:
        return False
    if len(table) < phentsize * phnum:
        return False
    kinds = (struct.unpack_from(order + "I", table, i * phentsize)[0] for i in range(phnum))
    return _PT_INTERP not in kinds


def default_dockerignore() -> str:
    """A ``.dockerignore`` for beginners: keeps history, secrets, caches and clutter out of the build.

    The patterns and the reason for each are in ``resources/templates/dockerignore.txt``. The Dockerfile
    itself is not left out: Docker reads it anyway, and a beginner who copies it into the image on purpose
    should not be surprised.
    """
    return resource_path("templates", DEFAULT_DOCKERIGNORE).read_text(encoding="utf-8")


def _copy_app_files(source: Path, target: Path) -> None:
    for child in sorted(source.iterdir()):
        name = child.name
        if name in _NOT_COPIED or (name.startswith(_METADATA_PREFIX) and name.endswith(".json")):
            continue
        if name == "__pycache__" or child.is_symlink():
            continue
        _copy(child, target / name)


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        target.mkdir()
        for child in sorted(source.iterdir()):
            if child.name != "__pycache__" and not child.is_symlink():
                _copy(child, target / child.name)
        return
    shutil.copyfile(source, target)
    # Installed resources may be read-only; the user's copy must be theirs to edit.
    os.chmod(target, 0o755 if os.access(source, os.X_OK) else 0o644)


def _machine_files(raw: Any, translated: Any) -> tuple[MachineFile, ...]:
    if not isinstance(raw, list):
        raise TypeError("machine_files must be a list")
    texts = translated if isinstance(translated, Mapping) else {}
    out = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise TypeError("each machine file must be an object")
        name = _text(item, "name")
        translated_text = texts.get(name)
        missing = translated_text if isinstance(translated_text, str) else _text(item, "missing")
        out.append(MachineFile(name, _text(item, "program"), bool(item.get("static", False)), missing))
    return tuple(out)


def _translation(folder: Path, locale: str | None) -> dict[str, Any]:
    for candidate in locale_candidates(locale):
        if candidate == "en":
            break
        data = read_json_object(folder / f"template.{candidate}.json")
        if data is not None:
            return data
    return {}


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{key} must be a text")
    return value


def _say(key: str, /, **values: str) -> str:
    template = load_texts("templates").get(key)
    return format_text(template if isinstance(template, str) else key, **values)
