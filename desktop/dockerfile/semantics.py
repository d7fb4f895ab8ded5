"""What an instruction means to BuildKit's parser: keyword, flags, arguments and heredocs.

This is the view the conformance tests compare with the reference parser, computed from a block's
parameters (never from its text), so it proves that the parameters capture the instruction exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Params
from desktop.dockerfile.render import flag_words, paths_need_exec_form


@dataclass(frozen=True)
class Meaning:
    """One instruction as the reference parser reports it."""

    keyword: str
    sub_keyword: str | None
    json: bool
    flags: tuple[str, ...]
    value: tuple[str, ...]
    heredocs: tuple[tuple[str, str], ...]


def meaning_of(block: Block) -> Meaning:
    """The parser's view of an instruction block."""
    p = block.params
    keyword = str(p["keyword"]).upper() if block.kind is Kind.UNKNOWN else block.kind.value
    if block.kind is Kind.ONBUILD:
        trigger = p.get("trigger")
        flags = tuple(flag_words(block))
        if not isinstance(trigger, Block):
            return Meaning(keyword, None, False, flags, (), ())
        inner = meaning_of(trigger)
        # BuildKit's node for ONBUILD ONBUILD X holds one empty value (and none without an X).
        nested = trigger.kind is Kind.ONBUILD
        value = ("",) if nested and trigger.params.get("trigger") else () if nested else inner.value
        return Meaning(keyword, inner.keyword, inner.json, flags, value, inner.heredocs)
    heredocs = tuple((str(name), str(content)) for name, content, _term in p.get("heredocs") or [])
    is_json, value = _value(block.kind, p)
    return Meaning(keyword, None, is_json, tuple(flag_words(block)), value, heredocs)


def _command(p: Params) -> tuple[bool, tuple[str, ...]]:
    if p.get("form") == "exec":
        return True, tuple(p["args"])
    command = str(p.get("command", "")).replace("\n", "")
    return False, ((command,) if command else ())


def _value(kind: Kind, p: Params) -> tuple[bool, tuple[str, ...]]:
    if kind in (Kind.RUN, Kind.CMD, Kind.ENTRYPOINT, Kind.SHELL):
        return _command(p)
    if kind is Kind.HEALTHCHECK:
        is_json, rest = _command(p)
        return is_json, ((str(p["mode"]), *rest) if p.get("mode") else rest)
    if kind in (Kind.COPY, Kind.ADD, Kind.VOLUME):
        items = (
            list(p["paths"]) if kind is Kind.VOLUME else [*p["sources"], *([p["dest"]] if p["dest"] else [])]
        )
        return p.get("form") == "exec" or paths_need_exec_form(items), tuple(items)
    if kind in (Kind.ENV, Kind.LABEL):
        return False, tuple(str(x) for pair in p["pairs"] for x in pair)
    if kind is Kind.ARG:
        return False, tuple("=".join(item) for item in p["args"])
    if kind is Kind.FROM:
        ref = (
            str(p["image"])
            + (f":{p['tag']}" if p.get("tag") else "")
            + (f"@{p['digest']}" if p.get("digest") else "")
        )
        stage = ("AS", str(p["stage_name"])) if p.get("stage_name") else ()
        return False, tuple(([ref] if ref else []) + list(stage) + list(p.get("extra_args") or []))
    if kind is Kind.EXPOSE:
        return False, tuple(p["ports"])
    if kind is Kind.UNKNOWN:
        return False, ("",)
    key = {Kind.USER: "user", Kind.WORKDIR: "path", Kind.STOPSIGNAL: "signal", Kind.MAINTAINER: "name"}[kind]
    return False, ((str(p[key]),) if p[key] else ())
