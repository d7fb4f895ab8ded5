"""Blocks to JSON data and back, every field checked against the kinds' parameter declarations.

Reading is strict: an unknown field, kind or parameter, or a value of the wrong shape, is an error that names
the field. A parameter a file leaves out takes its default, so a hand-written file may be short.
"""

from __future__ import annotations

import re
from typing import Any

from desktop.blocks.kinds import Kind, ParamSpec, ParamType, params_of
from desktop.blocks.model import Block, Origin, Params, ParamValue, copy_params, new_block
from desktop.project.errors import FieldProblem
from desktop.project.jsontext import MAX_FILE_BYTES, JsonPath, format_path
from desktop.project.texts import say, shown

MAX_BLOCKS = 100_000
"""Most blocks in one file, ONBUILD triggers and remembered originals included."""

MAX_INT = MAX_FILE_BYTES
"""Largest whole number a parameter may hold (a run of blank lines cannot be longer than a file)."""

ESCAPES = ("\\", "`")

# Surrogates other than U+DC80..U+DCFF never come from reading a file (Python's surrogateescape only makes
# those): anything else could not be written back as bytes.
_BROKEN_CHARACTER = re.compile("[\ud800-\udc7f\udd00-\udfff]")
_BLOCK_FIELDS = ("id", "kind", "params", "origin")
_ORIGIN_FIELDS = ("text", "params", "escape", "open_end")
_ITEM_SHAPES = {ParamType.PAIRS: (2,), ParamType.ARGS: (1, 2), ParamType.HEREDOCS: (3,)}
_SPECS = {kind: {spec.name: spec for spec in params_of(kind)} for kind in Kind}
_NAMES = {kind: tuple(_SPECS[kind]) for kind in Kind}


def problem(path: JsonPath, key: str, **values: Any) -> FieldProblem:
    """A FieldProblem whose message is the text ``key``, with ``{field}`` naming the place."""
    field = format_path(path)
    return FieldProblem(say(key, field=field, **values), path, field)


def wrong_type(path: JsonPath, expected: str, value: object) -> FieldProblem:
    """ "``field`` must be <expected>, but it is <what value is>"."""
    return problem(path, "field.type", expected=say(f"expected.{expected}"), actual=describe(value))


def describe(value: object) -> str:
    """What a JSON value is, in words ("a number", "a list")."""
    if value is None:
        name = "null"
    elif isinstance(value, bool):
        name = "bool"
    elif isinstance(value, int | float):
        name = "number"
    elif isinstance(value, str):
        name = "text"
    elif isinstance(value, list):
        name = {0: "list_empty", 1: "list_one"}.get(len(value), "list")
    else:
        name = "object"
    return say(f"actual.{name}", count=len(value) if isinstance(value, list) else 0)


def text_at(value: object, path: JsonPath, expected: str = "text") -> str:
    """``value`` if it is a text that can be written back to a file; else a FieldProblem."""
    if not isinstance(value, str):
        raise wrong_type(path, expected, value)
    if _BROKEN_CHARACTER.search(value):
        raise problem(path, "field.broken_character")
    return value


def object_at(value: object, path: JsonPath, allowed: tuple[str, ...], expected: str) -> dict[str, Any]:
    """``value`` if it is an object with no field outside ``allowed``; else a FieldProblem."""
    if not isinstance(value, dict):
        raise wrong_type(path, expected, value)
    for key in value:
        if key not in allowed:
            raise problem((*path, key), "field.unknown", known=", ".join(allowed))
    return value


def block_to_data(block: Block) -> dict[str, Any]:
    """A block as JSON data. The original text's parameters are left out while they equal the block's."""
    origin: dict[str, Any] | None = None
    if block.origin is not None:
        origin = {"text": block.origin.text}
        if block.origin.params != block.params:
            origin["params"] = params_to_data(block.origin.params)
        origin["escape"] = block.origin.escape
        origin["open_end"] = block.origin.open_end
    params = params_to_data(block.params)
    return {"id": block.id, "kind": block.kind.value, "params": params, "origin": origin}


def params_to_data(params: Params) -> dict[str, Any]:
    """Parameters as JSON data: a nested block (ONBUILD's trigger) becomes an object."""
    return {name: block_to_data(v) if isinstance(v, Block) else v for name, v in params.items()}


class BlockReader:
    """Reads blocks from JSON data, checking ids are unique and the block count stays under the limit."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.count = 0

    def block(self, data: object, path: JsonPath, *, live: bool = True) -> Block:
        """One block; ``live`` is False inside an origin, whose copies may repeat the ids of live blocks.

        The block gets a new id for this session; the id in the file only has to be unique within it.
        """
        self.count += 1
        if self.count > MAX_BLOCKS:
            raise problem(path, "field.too_many_blocks", limit=MAX_BLOCKS)
        fields = object_at(data, path, _BLOCK_FIELDS, "block")
        if "kind" not in fields:
            raise problem(path, "field.missing", name="kind")
        word = text_at(fields["kind"], (*path, "kind"))
        try:
            kind = Kind(word)
        except ValueError:
            raise problem((*path, "kind"), "field.unknown_kind", value=shown(word)) from None
        if "id" in fields:
            self._claim_id(fields["id"], (*path, "id"), live)
        params = self.params(kind, fields.get("params", {}), (*path, "params"), live=live)
        origin = self.origin(kind, fields.get("origin"), params, (*path, "origin"))
        return Block(kind, params, origin)

    def params(self, kind: Kind, data: object, path: JsonPath, *, live: bool) -> Params:
        """A kind's parameters: the defaults, overridden by the checked values in ``data``."""
        specs = _SPECS[kind]
        fields = object_at(data, path, _NAMES[kind], "params")
        values = new_block(kind).params
        for name, value in fields.items():
            values[name] = self.value(specs[name], value, (*path, name), live=live)
        return values

    def value(self, spec: ParamSpec, value: object, path: JsonPath, *, live: bool) -> ParamValue:
        """One parameter value, checked against its declared shape."""
        kind = spec.type
        if kind in (ParamType.TEXT, ParamType.MULTILINE, ParamType.CHOICE):
            # A CHOICE outside its choices is kept: import keeps what the file says, validation reports it.
            return text_at(value, path)
        if kind is ParamType.BOOL:
            if not isinstance(value, bool):
                raise wrong_type(path, "bool", value)
            return value
        if kind is ParamType.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                raise wrong_type(path, "int", value)
            if not 0 <= value <= MAX_INT:
                raise problem(path, "field.int_range", limit=MAX_INT, value=shown(value))
            return value
        if kind is ParamType.BLOCK:
            return None if value is None else self.block(value, path, live=live)
        if not isinstance(value, list):
            raise wrong_type(path, kind.value, value)
        if kind is ParamType.LIST:
            return [text_at(item, (*path, index)) for index, item in enumerate(value)]
        return [self._item(kind, item, (*path, index)) for index, item in enumerate(value)]

    def origin(self, kind: Kind, data: object, params: Params, path: JsonPath) -> Origin | None:
        """The original text a block was imported from, or None for a block made in Dockblocks."""
        if data is None:
            return None
        fields = object_at(data, path, _ORIGIN_FIELDS, "origin")
        if "text" not in fields:
            raise problem(path, "field.missing", name="text")
        text = text_at(fields["text"], (*path, "text"))
        if "params" in fields:
            original = self.params(kind, fields["params"], (*path, "params"), live=False)
        else:
            original = copy_params(params)
        escape = fields.get("escape", "\\")
        if escape not in ESCAPES:
            raise problem((*path, "escape"), "field.escape")
        open_end = fields.get("open_end", False)
        if not isinstance(open_end, bool):
            raise wrong_type((*path, "open_end"), "bool", open_end)
        return Origin(text, original, escape, open_end)

    def _item(self, kind: ParamType, item: object, path: JsonPath) -> list[str]:
        expected = f"{kind.value}_item"
        if not isinstance(item, list) or len(item) not in _ITEM_SHAPES[kind]:
            raise wrong_type(path, expected, item)
        return [text_at(part, (*path, index)) for index, part in enumerate(item)]

    def _claim_id(self, value: object, path: JsonPath, live: bool) -> None:
        block_id = text_at(value, path)
        if not block_id:
            raise problem(path, "field.empty_id")
        if live:
            if block_id in self.ids:
                raise problem(path, "field.duplicate_id", value=shown(block_id))
            self.ids.add(block_id)
