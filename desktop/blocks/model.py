"""The block model: a document is an ordered list of blocks; a stage is a FROM and the blocks under it.

A block imported from a Dockerfile remembers the exact text it came from (its origin). As long as nobody
changes its parameters, it renders back as that text, byte for byte; once edited, it renders canonically.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from desktop.blocks.kinds import Kind, ParamType, empty_value, params_of

ParamValue = Any  # str | bool | int | list[str] | list[list[str]] | Block | None, as ParamSpec says
Params = dict[str, ParamValue]

_ids = itertools.count(1)
_ESCAPE_FREE = frozenset({Kind.COMMENT, Kind.BLANK, Kind.DIRECTIVE})  # their text has no continuations


def new_block_id() -> str:
    """A document-unique, stable identifier for a new block."""
    return f"b{next(_ids)}"


class Origin(NamedTuple):
    """Where an imported block came from (a named tuple: immutable and quick to make, one per block).

    Attributes:
        text: the exact source lines, line endings included.
        params: a deep copy of the parameters as read from ``text``.
        escape: the escape character in force when ``text`` was read.
        open_end: the text ends inside a line continuation (the file ended after a trailing ``\\``),
            so it cannot be followed by another block as it is.
    """

    text: str
    params: Params
    escape: str = "\\"
    open_end: bool = False


@dataclass(eq=False, slots=True)
class Block:
    """One block: a Dockerfile instruction, a comment, a run of blank lines or a parser directive."""

    kind: Kind
    params: Params
    origin: Origin | None = None
    id: str = field(default_factory=new_block_id)

    def is_pristine(self, escape: str) -> bool:
        """Whether the block still renders as its original text under the given escape character.

        Only instructions depend on the escape character (for their line continuations).
        """
        origin = self.origin
        if origin is None or origin.params != self.params:
            return False
        return origin.escape == escape or self.kind in _ESCAPE_FREE

    def clone(self) -> Block:
        """A deep copy with a new id (and a new id for a nested trigger), for duplicate and paste."""
        params = copy_params(self.params)
        trigger = params.get("trigger")
        if isinstance(trigger, Block):
            params["trigger"] = trigger.clone()
        return Block(self.kind, params, self.origin, new_block_id())

    def __deepcopy__(self, memo: dict[int, object]) -> Block:
        return Block(self.kind, copy_params(self.params), self.origin, self.id)

    def __eq__(self, other: object) -> bool:
        # Equality is by content, so that params containing a nested trigger compare sensibly.
        if not isinstance(other, Block):
            return NotImplemented
        return self.kind == other.kind and self.params == other.params

    __hash__ = None  # type: ignore[assignment]


_DEFAULTS: dict[Kind, Params] = {
    Kind.RUN: {"form": "shell"},
    Kind.CMD: {"form": "exec"},
    Kind.ENTRYPOINT: {"form": "exec"},
    Kind.SHELL: {"form": "exec", "args": ["/bin/sh", "-c"]},
    Kind.HEALTHCHECK: {"mode": "CMD", "form": "shell"},
    Kind.COPY: {"form": "shell"},
    Kind.ADD: {"form": "shell"},
    Kind.VOLUME: {"form": "exec"},
    Kind.BLANK: {"count": 1},
    Kind.DIRECTIVE: {"name": "syntax", "value": "docker/dockerfile:1"},
}


def copy_value(value: ParamValue) -> ParamValue:
    """A deep copy of a parameter value (lists are copied; a nested block keeps its id)."""
    if isinstance(value, list):
        return [copy_value(item) for item in value]
    if isinstance(value, Block):
        return Block(value.kind, copy_params(value.params), value.origin, value.id)
    return value  # str, bool, int and None are immutable


def copy_params(params: Params) -> Params:
    """A deep copy of a block's parameters; much faster than copy.deepcopy on these plain values."""
    out = dict(params)  # str, bool, int and None are immutable: only lists and blocks need copies
    for name, value in out.items():
        if type(value) is list:
            out[name] = [item if type(item) is str else copy_value(item) for item in value] if value else []
        elif type(value) is Block:
            out[name] = copy_value(value)
    return out


def _template(kind: Kind) -> Params:
    values: Params = {spec.name: empty_value(spec) for spec in params_of(kind)}
    values.update(_DEFAULTS.get(kind, {}))
    return values


_TEMPLATES: dict[Kind, Params] = {kind: _template(kind) for kind in Kind}
# Parameters whose template value is a list, which each new block needs a fresh copy of.
_LIST_PARAMS = {kind: [n for n, v in _TEMPLATES[kind].items() if isinstance(v, list)] for kind in Kind}


def new_block(kind: Kind, **params: ParamValue) -> Block:
    """A fresh block of a kind, every parameter at its default, overridden by ``params``."""
    values = dict(_TEMPLATES[kind])
    for name in _LIST_PARAMS[kind]:
        values[name] = list(values[name])
    if params:
        unknown = set(params) - set(values)
        if unknown:
            raise KeyError(f"{kind} has no parameter(s) {', '.join(sorted(unknown))}")
        values.update(params)
    return Block(kind, values)


@dataclass
class Stage:
    """A view of consecutive blocks: the global part before the first FROM, then one per FROM."""

    index: int  # -1 for the global part
    start: int  # index of the first block in Document.blocks
    blocks: list[Block]

    @property
    def from_block(self) -> Block | None:
        return self.blocks[0] if self.index >= 0 and self.blocks else None

    @property
    def name(self) -> str:
        """The ``AS`` name, or the stage's number as BuildKit would call it."""
        head = self.from_block
        if head is None:
            return ""
        return str(head.params.get("stage_name") or self.index)


@dataclass
class Document:
    """A Dockerfile as blocks.

    Attributes:
        blocks: every block in file order.
        newline: the line ending canonical rendering uses ("\\n" or "\\r\\n"), kept from import.
    """

    blocks: list[Block] = field(default_factory=list)
    newline: str = "\n"
    # Where each block was last found (checked before use, so edits of ``blocks`` need not update it).
    _places: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def escape(self) -> str:
        """The escape character: from an ``escape`` directive at the top, else a backslash."""
        for block in self.blocks:
            if block.kind is not Kind.DIRECTIVE:
                break
            if str(block.params.get("name", "")).lower() == "escape" and block.params.get("value") in (
                "`",
                "\\",
            ):
                return str(block.params["value"])
        return "\\"

    def stages(self) -> list[Stage]:
        """The global part (index -1, maybe empty) followed by one stage per FROM block."""
        stages = [Stage(-1, 0, [])]
        for position, block in enumerate(self.blocks):
            if block.kind is Kind.FROM:
                stages.append(Stage(len(stages) - 1, position, []))
            stages[-1].blocks.append(block)
        return stages

    def find(self, block_id: str) -> int:
        """Index of the block with that id; KeyError when absent.

        Where a block was last found is tried first: the window looks up the block being edited a dozen
        times per key press, and each scan of a 300-block document costs ~15 µs.
        """
        blocks = self.blocks
        place = self._places.get(block_id)
        if place is not None and place < len(blocks) and blocks[place].id == block_id:
            return place
        for position, block in enumerate(blocks):
            if block.id == block_id:
                if len(self._places) > 2 * len(blocks) + 64:
                    self._places.clear()  # ids of blocks long gone
                self._places[block_id] = position
                return position
        raise KeyError(block_id)

    def instructions(self) -> Iterator[Block]:
        """Every instruction block, in order."""
        return (b for b in self.blocks if b.kind.is_instruction)

    def stage_names(self) -> list[str]:
        """The names ``--from`` may refer to: every ``AS`` name, lower-cased as BuildKit compares them."""
        return [
            str(b.params["stage_name"]).lower()
            for b in self.blocks
            if b.kind is Kind.FROM and b.params.get("stage_name")
        ]


STAGE_REFERENCE_PARAM = {Kind.COPY: "from_stage", Kind.FROM: "image"}
"""The parameter by which a block of each kind may name an earlier stage (COPY --from=build, FROM build)."""


def referred_stage(block: Block) -> str:
    """The name by which a COPY (``--from``) or a FROM refers to an earlier stage, as written; "" when it
    refers to none. ``FROM build:1`` or ``FROM build@sha256:…`` names an image called build, not a stage."""
    param = STAGE_REFERENCE_PARAM.get(block.kind)
    if param is None:
        return ""
    if block.kind is Kind.FROM and (block.params.get("tag") or block.params.get("digest")):
        return ""
    return str(block.params.get(param) or "")


def param_type_is_list(kind: Kind, name: str) -> bool:
    """Whether the named parameter holds a list (convenience for generic code)."""
    for spec in params_of(kind):
        if spec.name == name:
            return spec.type in (ParamType.LIST, ParamType.PAIRS, ParamType.ARGS, ParamType.HEREDOCS)
    return False
