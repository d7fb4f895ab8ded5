"""What each block kind tells a beginner: title, palette group, colour, icon, explanation, help per field.

The texts live in ``resources/i18n/blocks.<locale>.json`` (see :mod:`desktop.i18n`). Palette groups:

- ``start``: FROM.  ``files``: COPY, ADD.  ``commands``: RUN, SHELL.
- ``configure``: CMD, ENTRYPOINT, ENV, ARG, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, and the
  parser directive (it configures how Docker reads the file) and unknown instructions (never in the palette).
- ``describe``: LABEL, MAINTAINER, comments and blank lines (they change nothing in the image).
- ``stages``: ONBUILD, the one instruction about other builds: it runs in images built on this one.

A kind's colour is its group's colour; every colour keeps a contrast of at least 3:1 against both white
and a dark background, so a block is visible in a light and in a dark theme.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from desktop.blocks.kinds import Kind, params_of
from desktop.i18n import load_texts

TOPIC = "blocks"


@dataclass(frozen=True)
class ParamInfo:
    """What the form shows for one parameter.

    Attributes:
        name: the parameter's key in ``Block.params``.
        label: a short field label.
        help: one sentence saying what to write, with an example.
        choices: for CHOICE parameters, (value, label) pairs in the declared order.
    """

    name: str
    label: str
    help: str
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class GroupInfo:
    """One palette group."""

    id: str
    title: str
    colour: str
    order: int


@dataclass(frozen=True)
class KindInfo:
    """Everything the palette, the block face and the help panel show about one kind.

    Attributes:
        kind: the kind.
        title: display title, e.g. "Start from an image".
        group: palette group id (see the module docstring).
        group_title: the group's display title.
        colour: the group's colour as ``#rrggbb``.
        icon: icon file name (the icons live in ``resources/icons/``).
        link: the official Dockerfile reference for it.
        what: one sentence saying what it does.
        keywords: search words.
        explanation: a few sentences for a beginner: what, when, how.
        example: a one-line example instruction ("" when there is none).
        deprecation: why and how to replace it, or "" when it is not deprecated.
        in_palette: offered in the palette (False for unknown instructions and deprecated ones).
        params: per-parameter texts, in the declared order.
    """

    kind: Kind
    title: str
    group: str
    group_title: str
    colour: str
    icon: str
    link: str
    what: str
    keywords: tuple[str, ...]
    explanation: str
    example: str
    deprecation: str
    in_palette: bool
    params: tuple[ParamInfo, ...]

    def param(self, name: str) -> ParamInfo:
        """The texts of one parameter; KeyError if the kind has no such parameter."""
        for info in self.params:
            if info.name == name:
                return info
        raise KeyError(f"{self.kind} has no parameter {name!r}")


def _texts(locale: str | None) -> dict[str, Any]:
    return load_texts(TOPIC, locale)


@functools.cache
def catalog_entry(kind: Kind, locale: str | None = None) -> KindInfo:
    """The catalog entry of a kind, in the given language (the user's by default).

    Raises:
        KeyError: the catalog file lacks the kind (a packaging mistake; the tests check every kind).
    """
    texts = _texts(locale)
    raw = texts["kinds"][kind.value]
    group = texts["groups"][raw["group"]]
    common = texts.get("common_params", {})
    own = raw.get("params", {})
    params = []
    for spec in params_of(kind):
        entry = {**common.get(spec.name, {}), **own.get(spec.name, {})}
        choice_texts = entry.get("choices", {})
        choices = tuple((value, str(choice_texts.get(value, value))) for value in spec.choices)
        params.append(ParamInfo(spec.name, str(entry["label"]), str(entry["help"]), choices))
    return KindInfo(
        kind=kind,
        title=str(raw["title"]),
        group=str(raw["group"]),
        group_title=str(group["title"]),
        colour=str(group["colour"]),
        icon=str(raw["icon"]),
        link=str(raw["link"]),
        what=str(raw["what"]),
        keywords=tuple(str(k) for k in raw.get("keywords", ())),
        explanation=str(raw["explanation"]),
        example=str(raw.get("example", "")),
        deprecation=str(raw.get("deprecation", "")),
        in_palette=bool(raw.get("palette", True)),
        params=tuple(params),
    )


def param_label(kind: Kind, name: str, locale: str | None = None) -> str:
    """The form label of a parameter, e.g. "Image" for FROM's ``image``."""
    return catalog_entry(kind, locale).param(name).label


def param_help(kind: Kind, name: str, locale: str | None = None) -> str:
    """The help sentence of a parameter."""
    return catalog_entry(kind, locale).param(name).help


def choice_label(kind: Kind, name: str, value: str, locale: str | None = None) -> str:
    """The display text of one value of a CHOICE parameter (the value itself when it has none)."""
    return dict(catalog_entry(kind, locale).param(name).choices).get(value, value)


def palette_groups(locale: str | None = None) -> list[GroupInfo]:
    """The palette groups in display order."""
    groups = _texts(locale)["groups"]
    infos = [GroupInfo(key, str(g["title"]), str(g["colour"]), int(g["order"])) for key, g in groups.items()]
    return sorted(infos, key=lambda g: g.order)


def kinds_in_group(group: str, locale: str | None = None) -> list[Kind]:
    """The palette kinds of one group, in ``Kind`` order."""
    return [k for k in Kind if (e := catalog_entry(k, locale)).group == group and e.in_palette]


_WORD = re.compile(r"[\w#+-]+")


def search_kinds(query: str, locale: str | None = None) -> list[Kind]:
    """Kinds matching what a beginner types in the palette's search box, best match first.

    Every word of the query must start a word of the kind's instruction name, title, keywords or
    what-it-does sentence ("inst" finds RUN through "install"). An empty query gives every palette kind.
    Kinds left out of the palette (unknown, deprecated) are found only by their exact instruction name.

    Args:
        query: the typed text, any case.
        locale: the language of the texts to search.
    """
    terms = [t.lower() for t in _WORD.findall(query)]
    if not terms:
        return [k for k in Kind if catalog_entry(k, locale).in_palette]
    scored: list[tuple[int, int, Kind]] = []
    for position, kind in enumerate(Kind):
        info = catalog_entry(kind, locale)
        if not info.in_palette and terms != [kind.value.lower()]:
            continue
        score = _score(kind, info, terms)
        if score > 0:
            scored.append((-score, position, kind))
    return [kind for _score_, _pos, kind in sorted(scored)]


def _score(kind: Kind, info: KindInfo, terms: list[str]) -> int:
    # Heavier fields first: the instruction's own name, then the title, keywords, then the description.
    fields = (
        (8, [kind.value.lower()]),
        (4, _words(info.title)),
        (3, [w for k in info.keywords for w in (k.lower(), *_words(k))]),
        (1, _words(info.what)),
    )
    total = 0
    for term in terms:
        best = 0
        for weight, words in fields:
            if any(word == term for word in words):
                best = max(best, weight * 2)
            elif any(word.startswith(term) for word in words):
                best = max(best, weight)
        if best == 0:
            return 0
        total += best
    return total


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]
