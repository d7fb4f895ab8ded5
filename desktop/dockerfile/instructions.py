"""Reading one instruction's flags and arguments into a block's typed parameters."""

from __future__ import annotations

import re
from collections.abc import Callable

from desktop.blocks.kinds import COMMAND_KINDS, Kind, ParamType, kind_from_keyword, params_of
from desktop.blocks.model import Block, Params, new_block
from desktop.dockerfile.errors import DockerfileSyntaxError
from desktop.dockerfile.lexing import (
    WHITESPACE_RUN,
    NotStringArray,
    is_space,
    parse_json_array,
    parse_words,
    split_command,
    split_whitespace,
)

_REFERENCE = re.compile(r"^(?P<name>[^@]+?)(?::(?P<tag>[^:/@]+))?(?:@(?P<digest>[^@]+))?\Z", re.DOTALL)


class Breaks:
    """Where physical lines joined into the logical line, so a multi-line command keeps its shape.

    A command's parameter holds a line break wherever the source had a line continuation.
    """

    def __init__(self, offsets: list[int]) -> None:
        self.offsets = offsets

    def apply(self, text: str, start: int) -> str:
        """``text`` (found at ``start`` in the logical line) with a line break at every join inside it."""
        inside = [o - start for o in self.offsets if start < o < start + len(text)]
        if not inside:
            return text
        pieces, last = [], 0
        for cut in inside:
            pieces.append(text[last:cut])
            last = cut
        pieces.append(text[last:])
        return "\n".join(pieces)


NO_BREAKS = Breaks([])
# A reader fills a block's parameters from: keyword, arguments, their offset, escape, line number, breaks.
_Reader = Callable[[Params, str, str, int, str, int, Breaks], None]


def read_instruction(line: str, escape: str, line_no: int, breaks: Breaks = NO_BREAKS) -> Block:
    """Turn a logical instruction line into a block (heredoc bodies are added by the caller).

    Raises:
        DockerfileSyntaxError: where BuildKit's parser refuses the line.
    """
    keyword, flags, args, offset = split_command(line)
    kind = kind_from_keyword(keyword)
    block = new_block(kind)
    params = block.params
    if flags:
        _assign_flags(kind, params, flags)
    try:
        _READERS.get(kind, _read_unknown)(params, keyword, args, offset, escape, line_no, breaks)
    except NotStringArray:
        raise DockerfileSyntaxError(
            f"{keyword.upper()} uses the JSON list form, but one of its items is not a text in double "
            'quotes; write every item as "text", for example ["python", "app.py"].',
            line_no,
        ) from None
    return block


_FLAG_SPECS = {kind: {spec.flag: spec for spec in params_of(kind) if spec.flag} for kind in Kind}


def _assign_flags(kind: Kind, params: Params, flags: list[str]) -> None:
    if not flags:
        return
    by_flag = _FLAG_SPECS[kind]
    extra: list[str] = []
    for flag in flags:
        name, has_value, value = flag.partition("=")
        spec = by_flag.get(name)
        if spec is None:
            extra.append(flag)
        elif spec.type is ParamType.BOOL and not has_value and not params[spec.name]:
            params[spec.name] = True
        elif spec.type is ParamType.LIST and has_value:
            params[spec.name].append(value)
        elif spec.type in (ParamType.TEXT, ParamType.CHOICE) and value and not params[spec.name]:
            params[spec.name] = value
        else:
            extra.append(flag)  # written in a way the form cannot show (repeated, empty, --link=false)
    params["extra_flags"] = extra


def _read_from(p: Params, _kw: str, args: str, _o: int, _e: str, _n: int, _b: Breaks) -> None:
    words = split_whitespace(args)
    if not words:
        p["image"] = ""
        return
    ref, rest = words[0], words[1:]
    if len(rest) >= 2 and rest[0].lower() == "as":
        p["stage_name"], rest = rest[1], rest[2:]
    p["extra_args"] = rest
    match = _REFERENCE.match(ref)
    if "$" in ref or match is None:
        p["image"] = ref
        return
    p["image"] = match.group("name")
    p["tag"] = match.group("tag") or ""
    p["digest"] = match.group("digest") or ""


def _read_command(p: Params, _kw: str, args: str, offset: int, _e: str, _n: int, breaks: Breaks) -> None:
    if args == "":
        p["form"], p["command"], p["args"] = "shell", "", []
        return
    exec_args = parse_json_array(args)
    if exec_args is not None:
        p["form"], p["args"], p["command"] = "exec", exec_args, ""
    else:
        p["form"], p["command"], p["args"] = "shell", breaks.apply(args, offset), []


def _read_healthcheck(p: Params, kw: str, args: str, offset: int, e: str, n: int, breaks: Breaks) -> None:
    # BuildKit finds the type word byte by byte; a multi-byte space is not a separator there.
    sep = 0
    while sep < len(args) and not (is_space(args[sep]) and ord(args[sep]) < 0x80):
        sep += 1
    nxt = sep
    while nxt < len(args) and is_space(args[nxt]) and ord(args[nxt]) < 0x80:
        nxt += 1
    p["mode"] = args[:sep]
    _read_command(p, kw, args[nxt:], offset + nxt, e, n, breaks)


def _read_paths(key: str) -> _Reader:
    def read(p: Params, _kw: str, args: str, _o: int, _e: str, _n: int, _b: Breaks) -> None:
        exec_args = parse_json_array(args)
        words = exec_args if exec_args is not None else split_whitespace(args)
        p["form"] = "exec" if exec_args is not None else "shell"
        if key == "paths":
            p["paths"] = words
        else:
            p["sources"], p["dest"] = words[:-1], (words[-1] if words else "")

    return read


def _read_pairs(p: Params, kw: str, args: str, _o: int, escape: str, line_no: int, _b: Breaks) -> None:
    words = parse_words(args, escape)
    if not words:
        p["pairs"] = []
        return
    if "=" not in words[0]:
        parts = WHITESPACE_RUN.split(args, maxsplit=1)
        if len(parts) < 2:
            raise DockerfileSyntaxError(
                f"{kw.upper()} {parts[0]} needs a value: write it as {parts[0]}=value.", line_no
            )
        p["pairs"], p["legacy"] = [[parts[0], parts[1]]], True
        return
    pairs = []
    for word in words:
        if "=" not in word:
            raise DockerfileSyntaxError(
                f"{kw.upper()} expects name=value pairs, but {word!r} has no '='; write it as "
                f"{word}=value, and put values with spaces in double quotes.",
                line_no,
            )
        key, _eq, value = word.partition("=")
        pairs.append([key, value])
    p["pairs"] = pairs


def _read_arg(p: Params, _kw: str, args: str, _o: int, escape: str, _n: int, _b: Breaks) -> None:
    p["args"] = [word.split("=", 1) for word in parse_words(args, escape)]


def _read_expose(p: Params, _kw: str, args: str, _o: int, _e: str, _n: int, _b: Breaks) -> None:
    p["ports"] = split_whitespace(args)


def _read_text(key: str) -> _Reader:
    def read(p: Params, _kw: str, args: str, _o: int, _e: str, _n: int, _b: Breaks) -> None:
        p[key] = args

    return read


def _read_onbuild(p: Params, _kw: str, args: str, _o: int, escape: str, line_no: int, _b: Breaks) -> None:
    p["trigger"] = read_instruction(args, escape, line_no) if args else None


def _read_unknown(p: Params, kw: str, args: str, _o: int, _e: str, _n: int, _b: Breaks) -> None:
    p["keyword"], p["arguments"] = kw, args


_READERS = {
    Kind.FROM: _read_from,
    Kind.RUN: _read_command,
    Kind.CMD: _read_command,
    Kind.ENTRYPOINT: _read_command,
    Kind.SHELL: _read_command,
    Kind.HEALTHCHECK: _read_healthcheck,
    Kind.ADD: _read_paths("sources"),
    Kind.COPY: _read_paths("sources"),
    Kind.VOLUME: _read_paths("paths"),
    Kind.EXPOSE: _read_expose,
    Kind.ENV: _read_pairs,
    Kind.LABEL: _read_pairs,
    Kind.ARG: _read_arg,
    Kind.USER: _read_text("user"),
    Kind.WORKDIR: _read_text("path"),
    Kind.STOPSIGNAL: _read_text("signal"),
    Kind.MAINTAINER: _read_text("name"),
    Kind.ONBUILD: _read_onbuild,
}
assert set(_READERS) >= COMMAND_KINDS
