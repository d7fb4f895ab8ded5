"""The block kinds: one per Dockerfile instruction, plus comments, blank lines and parser directives.

Each kind declares its typed parameters. The inspector form, validation, rendering and the project file
all read these declarations, so adding a parameter here is the one place to start.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    """What a block is. Instruction kinds are spelled as the instruction itself."""

    FROM = "FROM"
    RUN = "RUN"
    CMD = "CMD"
    ENTRYPOINT = "ENTRYPOINT"
    LABEL = "LABEL"
    EXPOSE = "EXPOSE"
    ENV = "ENV"
    ADD = "ADD"
    COPY = "COPY"
    VOLUME = "VOLUME"
    USER = "USER"
    WORKDIR = "WORKDIR"
    ARG = "ARG"
    ONBUILD = "ONBUILD"
    STOPSIGNAL = "STOPSIGNAL"
    HEALTHCHECK = "HEALTHCHECK"
    SHELL = "SHELL"
    MAINTAINER = "MAINTAINER"
    COMMENT = "comment"
    BLANK = "blank"
    DIRECTIVE = "directive"
    UNKNOWN = "unknown"

    @property
    def is_instruction(self) -> bool:
        return self not in (Kind.COMMENT, Kind.BLANK, Kind.DIRECTIVE)

    @property
    def fits_before_stages(self) -> bool:
        """Whether a block of this kind may come before the first FROM, as Docker allows: build
        arguments (ARG), comments, blank lines and parser directives (and a FROM, which starts a stage)."""
        return not self.is_instruction or self in (Kind.ARG, Kind.FROM)


class ParamType(enum.Enum):
    """How a parameter's value is shaped (all shapes are JSON-compatible except BLOCK)."""

    TEXT = "text"  # str, one line
    MULTILINE = "multiline"  # str; a line break renders as a line continuation
    BOOL = "bool"  # bool
    INT = "int"  # int
    CHOICE = "choice"  # str, one of ParamSpec.choices (or "" when optional)
    LIST = "list"  # list[str]
    PAIRS = "pairs"  # list[list[str]]: [key, value] pairs, written as the user wrote them
    ARGS = "args"  # list[list[str]]: [name] or [name, default]
    HEREDOCS = "heredocs"  # list[list[str]]: [name, content, terminator line as written]
    BLOCK = "block"  # a nested Block (ONBUILD's trigger) or None


@dataclass(frozen=True)
class ParamSpec:
    """One typed parameter of a block kind.

    Attributes:
        name: key in Block.params.
        type: the value's shape.
        required: an empty value is a validation error.
        choices: allowed values for CHOICE.
        flag: the Dockerfile flag that carries it (``--chown``), if any.
        advanced: hidden behind "more options" in forms.
        repeatable: a LIST flag written once per item (``--mount``, ``--exclude``).
    """

    name: str
    type: ParamType
    required: bool = False
    choices: tuple[str, ...] = ()
    flag: str = ""
    advanced: bool = False
    repeatable: bool = False


def _p(name: str, type_: ParamType, **kw: object) -> ParamSpec:
    return ParamSpec(name, type_, **kw)  # type: ignore[arg-type]


T, ML, B, L, C = ParamType.TEXT, ParamType.MULTILINE, ParamType.BOOL, ParamType.LIST, ParamType.CHOICE
FORMS = ("shell", "exec")
EXTRA = _p("extra_flags", L, advanced=True)

KIND_PARAMS: dict[Kind, tuple[ParamSpec, ...]] = {
    Kind.FROM: (
        _p("image", T, required=True),
        _p("tag", T),
        _p("digest", T, advanced=True),
        _p("stage_name", T),
        _p("platform", T, flag="--platform", advanced=True),
        _p("extra_args", L, advanced=True),
        EXTRA,
    ),
    Kind.RUN: (
        _p("form", C, choices=FORMS),
        _p("command", ML),
        _p("args", L),
        _p("mounts", L, flag="--mount", advanced=True, repeatable=True),
        _p("network", C, choices=("default", "none", "host"), flag="--network", advanced=True),
        _p("security", C, choices=("sandbox", "insecure"), flag="--security", advanced=True),
        _p("heredocs", ParamType.HEREDOCS, advanced=True),
        EXTRA,
    ),
    Kind.CMD: (_p("form", C, choices=FORMS), _p("command", ML), _p("args", L), EXTRA),
    Kind.ENTRYPOINT: (_p("form", C, choices=FORMS), _p("command", ML), _p("args", L), EXTRA),
    Kind.LABEL: (_p("pairs", ParamType.PAIRS, required=True), _p("legacy", B, advanced=True), EXTRA),
    Kind.EXPOSE: (_p("ports", L, required=True), EXTRA),
    Kind.ENV: (_p("pairs", ParamType.PAIRS, required=True), _p("legacy", B, advanced=True), EXTRA),
    Kind.ADD: (
        _p("sources", L, required=True),
        _p("dest", T, required=True),
        _p("form", C, choices=FORMS, advanced=True),
        _p("chown", T, flag="--chown", advanced=True),
        _p("chmod", T, flag="--chmod", advanced=True),
        _p("checksum", T, flag="--checksum", advanced=True),
        _p("keep_git_dir", B, flag="--keep-git-dir", advanced=True),
        _p("link", B, flag="--link", advanced=True),
        _p("heredocs", ParamType.HEREDOCS, advanced=True),
        EXTRA,
    ),
    Kind.COPY: (
        _p("sources", L, required=True),
        _p("dest", T, required=True),
        _p("from_stage", T, flag="--from"),
        _p("form", C, choices=FORMS, advanced=True),
        _p("chown", T, flag="--chown", advanced=True),
        _p("chmod", T, flag="--chmod", advanced=True),
        _p("link", B, flag="--link", advanced=True),
        _p("parents", B, flag="--parents", advanced=True),
        _p("exclude", L, flag="--exclude", advanced=True, repeatable=True),
        _p("heredocs", ParamType.HEREDOCS, advanced=True),
        EXTRA,
    ),
    Kind.VOLUME: (_p("paths", L, required=True), _p("form", C, choices=FORMS, advanced=True), EXTRA),
    Kind.USER: (_p("user", T, required=True), EXTRA),
    Kind.WORKDIR: (_p("path", T, required=True), EXTRA),
    Kind.ARG: (_p("args", ParamType.ARGS, required=True), EXTRA),
    Kind.ONBUILD: (_p("trigger", ParamType.BLOCK, required=True), EXTRA),
    Kind.STOPSIGNAL: (_p("signal", T, required=True), EXTRA),
    Kind.HEALTHCHECK: (
        _p("mode", C, choices=("CMD", "NONE"), required=True),
        _p("form", C, choices=FORMS),
        _p("command", ML),
        _p("args", L),
        _p("interval", T, flag="--interval"),
        _p("timeout", T, flag="--timeout"),
        _p("start_period", T, flag="--start-period", advanced=True),
        _p("start_interval", T, flag="--start-interval", advanced=True),
        _p("retries", T, flag="--retries"),
        EXTRA,
    ),
    Kind.SHELL: (_p("form", C, choices=FORMS, advanced=True), _p("command", ML), _p("args", L), EXTRA),
    Kind.MAINTAINER: (_p("name", T, required=True), EXTRA),
    Kind.COMMENT: (_p("text", ML),),
    Kind.BLANK: (_p("count", ParamType.INT),),
    Kind.DIRECTIVE: (
        _p("name", C, choices=("syntax", "escape", "check"), required=True),
        _p("value", T, required=True),
    ),
    Kind.UNKNOWN: (_p("keyword", T, required=True), _p("arguments", T), EXTRA),
}

# Instructions whose shell form may carry heredocs (BuildKit's parser only reads them for these).
HEREDOC_KINDS = frozenset({Kind.RUN, Kind.COPY, Kind.ADD})
# Kinds written as "exec form" JSON or "shell form" text.
COMMAND_KINDS = frozenset({Kind.RUN, Kind.CMD, Kind.ENTRYPOINT, Kind.SHELL, Kind.HEALTHCHECK})
INSTRUCTION_KINDS = tuple(k for k in Kind if k.is_instruction and k is not Kind.UNKNOWN)


def params_of(kind: Kind) -> tuple[ParamSpec, ...]:
    """The parameter declarations of a kind."""
    return KIND_PARAMS[kind]


def spec_of(kind: Kind, name: str) -> ParamSpec:
    """One parameter declaration; KeyError if the kind has no such parameter."""
    for spec in KIND_PARAMS[kind]:
        if spec.name == name:
            return spec
    raise KeyError(f"{kind} has no parameter {name!r}")


def empty_value(spec: ParamSpec) -> object:
    """The value a parameter has before anyone fills it in."""
    empties: dict[ParamType, object] = {
        ParamType.TEXT: "",
        ParamType.MULTILINE: "",
        ParamType.BOOL: False,
        ParamType.INT: 0,
        ParamType.CHOICE: "",
        ParamType.BLOCK: None,
    }
    return empties.get(spec.type, [])


_BY_KEYWORD = {kind.value: kind for kind in INSTRUCTION_KINDS}


def kind_from_keyword(word: str) -> Kind:
    """The kind for an instruction keyword in any letter case; UNKNOWN when it is not one."""
    return _BY_KEYWORD.get(word.upper(), Kind.UNKNOWN)
