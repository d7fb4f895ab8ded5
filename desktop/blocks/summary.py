"""The plain-words line on a block's face, and the one-sentence explanation of a concrete block.

Both are computed from the block's parameters with templates from ``resources/i18n/blocks.<locale>.json``
(``summary`` and ``explain``), so they follow every edit and can be translated.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Params
from desktop.blocks.values import split_image_ref
from desktop.dockerfile.render import exec_json, instruction_line
from desktop.i18n import format_text, load_texts
from desktop.image_names import short_image

COMMAND_LIMIT = 60
"""Commands, lists and comments longer than this many characters are cut with an ellipsis."""
IMAGE_LIMIT = 40
"""Image names (which may hold a whole reference with a variable) are cut at this many characters."""
HEAD_LIMIT = 40
"""The instruction quoted at the start of an explanation is cut at this many characters."""


ELLIPSIS = "…"
_BEFORE_ELLIPSIS = " .…"  # dropped where an ellipsis is added: the ellipsis says it already


def with_ellipsis(kept: str, more: str = ELLIPSIS) -> str:
    """What was kept of a text, and an ellipsis; the text's own dots or ellipsis just before it are dropped
    ("Loading...…" would read as two)."""
    return kept.rstrip(_BEFORE_ELLIPSIS) + more


def shorten(text: str, limit: int = COMMAND_LIMIT, more: str = ELLIPSIS) -> str:
    """The first line of ``text``, cut at ``limit`` characters; an ellipsis shows what was left out."""
    lines = text.strip().split("\n")
    first = lines[0].strip()
    cut = len(first) > limit or len(lines) > 1
    if len(first) > limit:
        first = first[: limit - len(more)]
    return with_ellipsis(first, more) if cut else first


def image_note(image: str, locale: str | None = None) -> str:
    """The teaching note of a well-known image ("a tiny Linux, downloaded from Docker Hub"), or "".

    Args:
        image: an image name as written in FROM, with or without ``docker.io/library/`` or a tag.
        locale: the language; the user's by default.
    """
    name = split_image_ref(short_image(image.strip().lower())).name
    return str(load_texts("blocks", locale).get("images", {}).get(name, ""))


def summarize(block: Block, stage_names: Collection[str] = (), locale: str | None = None) -> str:
    """The one-line summary on a block's face, e.g. "Copy app.py, requirements.txt into /app".

    Args:
        block: any block; an empty one gives a prompt like "Start from an image — choose one".
        stage_names: the document's stage names (lower-cased), so FROM build reads "Continue from stage".
        locale: the language; the user's by default.
    """
    texts: dict[str, str] = load_texts("blocks", locale)["summary"]

    def say(key: str, **values: Any) -> str:
        return format_text(texts[key], **values)

    return _SUMMARIES[block.kind](block.params, say, texts, frozenset(n.lower() for n in stage_names))


def explain_line(block: Block, stage_names: Collection[str] = (), locale: str | None = None) -> str:
    """One teaching sentence about this very block, for the "explain" toggle.

    For example "FROM alpine: start from the alpine image, a tiny Linux, downloaded from Docker Hub".
    """
    texts = load_texts("blocks", locale)
    sentences: dict[str, str] = texts["explain"]
    more = str(texts["summary"].get("more", "…"))
    key, values = _explain_key(block, frozenset(n.lower() for n in stage_names), locale)
    sentence = format_text(sentences[key], **values)
    head = _head(block, more) or summarize(block, stage_names, locale)
    return format_text(sentences["format"], head=head, sentence=sentence)


_Say = Callable[..., str]
_Summary = Callable[[Params, _Say, dict[str, str], frozenset[str]], str]


def _join(items: list[str], texts: dict[str, str]) -> str:
    return shorten(texts["list_separator"].join(items), COMMAND_LIMIT, texts["more"])


def _command_text(p: Params, more: str) -> str:
    if p.get("form") == "exec":
        args = [str(a) for a in p.get("args") or []]
        plain = all(a and not any(c.isspace() or c in "\"'" for c in a) for a in args)
        return shorten(" ".join(args) if plain else exec_json(args), COMMAND_LIMIT, more)
    return shorten(str(p.get("command", "")), COMMAND_LIMIT, more)


def _from(p: Params, say: _Say, texts: dict[str, str], stages: frozenset[str]) -> str:
    image = str(p.get("image", "")).strip()
    if not image:
        return say("from_empty")
    image = shorten(image, IMAGE_LIMIT, texts["more"])
    if image.lower() in stages:
        text = say("from_stage", image=image)
    elif image.lower() == "scratch":
        text = say("from_scratch")
    else:
        text = say("from", image=image)
    if p.get("tag"):
        text += say("from_tag", tag=p["tag"])
    if p.get("digest"):
        text += say("from_digest", digest=shorten(str(p["digest"]), 19, texts["more"]))
    if p.get("platform"):
        text += say("from_platform", platform=p["platform"])
    if p.get("stage_name"):
        text += say("from_name", stage=p["stage_name"])
    return text


def _command(name: str) -> _Summary:
    def summary(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
        command = _command_text(p, texts["more"])
        heredocs = p.get("heredocs") or []
        if name == "run" and heredocs and command.lstrip().startswith("<<"):
            # The command only names a heredoc: its first line says more about what runs.
            return say("run_script", command=shorten(str(heredocs[0][1]), COMMAND_LIMIT, texts["more"]))
        return say(name, command=command) if command else say(f"{name}_empty")

    return summary


def _pairs(name: str) -> _Summary:
    def summary(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
        pairs = [f"{pair[0]}={pair[1]}" for pair in p.get("pairs") or [] if len(pair) == 2]
        return say(name, pairs=_join(pairs, texts)) if pairs else say(f"{name}_empty")

    return summary


def _expose(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
    ports = [
        str(port) if "/" in str(port) or "$" in str(port) else f"{port}/tcp" for port in p.get("ports") or []
    ]
    if not ports:
        return say("expose_empty")
    return say("expose_one" if len(ports) == 1 else "expose_many", ports=_join(ports, texts))


def _files(name: str) -> _Summary:
    def summary(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
        sources = [_source(str(s), say) for s in p.get("sources") or []]
        dest = str(p.get("dest", ""))
        if not sources and not dest:
            return say(f"{name}_empty")
        values = {"sources": _join(sources, texts) or "?", "dest": dest or "?"}
        if name == "copy" and p.get("from_stage"):
            return say("copy_from", stage=p["from_stage"], **values)
        if name == "add" and sources and all("://" in s or s.startswith("git@") for s in sources):
            return say("add_download", **values)
        return say(name, **values)

    return summary


def _source(source: str, say: _Say) -> str:
    if source.startswith("<<"):
        # A heredoc: the file is written in the Dockerfile itself, under the marker's name.
        return say("inline_file", name=source[2:].lstrip("-").strip("\"'"))
    return source


def _volume(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
    paths = [str(x) for x in p.get("paths") or []]
    if not paths:
        return say("volume_empty")
    return say("volume_one" if len(paths) == 1 else "volume_many", paths=_join(paths, texts))


def _text(name: str, key: str) -> _Summary:
    def summary(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
        value = shorten(str(p.get(key, "")), COMMAND_LIMIT, texts["more"])
        return say(name, **{key: value}) if value else say(f"{name}_empty")

    return summary


def _arg(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
    items = []
    for item in p.get("args") or []:
        if len(item) > 1:
            items.append(say("arg_default", name=item[0], default=item[1]))
        elif item and item[0]:
            items.append(str(item[0]))
    return say("arg", args=_join(items, texts)) if items else say("arg_empty")


def _onbuild(p: Params, say: _Say, texts: dict[str, str], stages: frozenset[str]) -> str:
    trigger = p.get("trigger")
    if not isinstance(trigger, Block):
        return say("onbuild_empty")
    return say("onbuild", trigger=_SUMMARIES[trigger.kind](trigger.params, say, texts, stages))


def _healthcheck(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
    if str(p.get("mode", "")).upper() == "NONE":
        return say("healthcheck_none")
    command = _command_text(p, texts["more"])
    if not command:
        return say("healthcheck_empty")
    if p.get("interval"):
        return say("healthcheck_every", interval=p["interval"], command=command)
    return say("healthcheck", command=command)


def _comment(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
    text = shorten(str(p.get("text", "")), COMMAND_LIMIT, texts["more"])
    return text if text.strip(" …") else say("comment_empty")


def _blank(p: Params, say: _Say, _texts: dict[str, str], _stages: frozenset[str]) -> str:
    count = int(p.get("count") or 0)
    return say("blank_one") if count <= 1 else say("blank_many", count=count)


def _directive(p: Params, say: _Say, texts: dict[str, str], _stages: frozenset[str]) -> str:
    return say("directive", name=p.get("name", ""), value=shorten(str(p.get("value", "")), 40, texts["more"]))


def _unknown(p: Params, say: _Say, _texts: dict[str, str], _stages: frozenset[str]) -> str:
    keyword = str(p.get("keyword", "")).strip()
    return say("unknown", keyword=keyword) if keyword else say("unknown_empty")


_SUMMARIES: dict[Kind, _Summary] = {
    Kind.FROM: _from,
    Kind.RUN: _command("run"),
    Kind.CMD: _command("cmd"),
    Kind.ENTRYPOINT: _command("entrypoint"),
    Kind.SHELL: _command("shell"),
    Kind.LABEL: _pairs("label"),
    Kind.ENV: _pairs("env"),
    Kind.EXPOSE: _expose,
    Kind.ADD: _files("add"),
    Kind.COPY: _files("copy"),
    Kind.VOLUME: _volume,
    Kind.USER: _text("user", "user"),
    Kind.WORKDIR: _text("workdir", "path"),
    Kind.STOPSIGNAL: _text("stopsignal", "signal"),
    Kind.MAINTAINER: _text("maintainer", "name"),
    Kind.ARG: _arg,
    Kind.ONBUILD: _onbuild,
    Kind.HEALTHCHECK: _healthcheck,
    Kind.COMMENT: _comment,
    Kind.BLANK: _blank,
    Kind.DIRECTIVE: _directive,
    Kind.UNKNOWN: _unknown,
}


def _head(block: Block, more: str) -> str:
    """The block as written, cut short: what the explanation talks about ("" when nothing is written)."""
    p = block.params
    if block.kind is Kind.COMMENT:
        text = "# " + str(p.get("text", "")).split("\n")[0]
    elif block.kind is Kind.BLANK:
        text = ""
    elif block.kind is Kind.DIRECTIVE:
        text = f"# {p.get('name', '')}={p.get('value', '')}"
    else:
        text = instruction_line(block, "\\")
    return shorten(text, HEAD_LIMIT, more) if text.strip(" #") else ""


def _explain_key(block: Block, stages: frozenset[str], locale: str | None) -> tuple[str, dict[str, Any]]:
    p, kind = block.params, block.kind
    if kind is Kind.FROM:
        image = str(p.get("image", "")).strip()
        if not image:
            return "from_empty", {}
        if image.lower() in stages:
            return "from_stage", {"image": image}
        if image.startswith("$"):
            return "from_variable", {"image": image}
        note = image_note(image, locale)
        return ("from", {"image": image, "note": note}) if note else ("from_unknown_image", {"image": image})
    if kind is Kind.COPY and p.get("from_stage"):
        return "copy_from", {"stage": p["from_stage"]}
    if kind is Kind.HEALTHCHECK and str(p.get("mode", "")).upper() == "NONE":
        return "healthcheck_none", {}
    key = {Kind.COMMENT: "comment", Kind.BLANK: "blank", Kind.DIRECTIVE: "directive"}.get(
        kind, kind.value.lower()
    )
    return key, {}
