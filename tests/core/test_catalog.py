"""The block catalog: every kind and every parameter is explained, grouped, coloured and searchable."""

from __future__ import annotations

import re

import pytest

from desktop.blocks.catalog import (
    KindInfo,
    catalog_entry,
    choice_label,
    kinds_in_group,
    palette_groups,
    param_help,
    param_label,
    search_kinds,
)
from desktop.blocks.kinds import Kind, ParamType, params_of

HEX_COLOUR = re.compile(r"#[0-9a-f]{6}\Z")
DARK_BACKGROUND = "#1e1e1e"


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_complete_entry(kind):
    info = catalog_entry(kind)
    assert isinstance(info, KindInfo)
    assert info.kind is kind
    assert info.title and info.what and info.group_title
    # A few sentences: what it does, when to use it, an example or advice.
    assert len(re.findall(r"[.!?](?:\s|$)", info.explanation)) >= 2, info.explanation
    if kind is not Kind.BLANK:
        assert info.example or "for example" in info.explanation
    assert info.link.startswith("https://docs.docker.com/reference/dockerfile/#")
    assert info.icon.endswith(".svg") and "/" not in info.icon
    assert info.keywords
    assert HEX_COLOUR.match(info.colour)
    assert info.group in {g.id for g in palette_groups()}


@pytest.mark.parametrize("kind", [k for k in Kind if k.is_instruction and k is not Kind.UNKNOWN])
def test_instruction_links_point_at_their_own_section(kind):
    anchor = catalog_entry(kind).link.rsplit("#", 1)[1]
    assert anchor.startswith(kind.value.lower())


@pytest.mark.parametrize("kind", list(Kind))
def test_every_parameter_has_a_label_and_a_help_sentence(kind):
    info = catalog_entry(kind)
    assert [p.name for p in info.params] == [spec.name for spec in params_of(kind)]
    for spec in params_of(kind):
        label, help_text = param_label(kind, spec.name), param_help(kind, spec.name)
        assert label.strip() and len(label) <= 40, (kind, spec.name, label)
        assert help_text.endswith("."), (kind, spec.name, help_text)
        assert len(help_text) > len(label)
        if spec.type is ParamType.CHOICE:
            assert [value for value, _text in info.param(spec.name).choices] == list(spec.choices)


def test_choice_values_have_display_texts():
    assert choice_label(Kind.RUN, "form", "exec") == "A list of words (exec form)"
    assert choice_label(Kind.HEALTHCHECK, "mode", "NONE") == "No health check"
    assert choice_label(Kind.RUN, "network", "unheard-of") == "unheard-of"


def test_parameter_texts_of_a_kind_override_the_common_ones():
    assert param_label(Kind.COPY, "sources") == "What to copy"
    assert param_label(Kind.ADD, "sources") == "What to add"
    assert param_label(Kind.ENV, "pairs") == "Variables"
    assert param_label(Kind.LABEL, "pairs") == "Labels"


def test_unknown_parameter_is_a_key_error():
    with pytest.raises(KeyError):
        param_label(Kind.FROM, "no_such_field")


def test_maintainer_is_deprecated_in_favour_of_a_label():
    info = catalog_entry(Kind.MAINTAINER)
    assert "org.opencontainers.image.authors" in info.deprecation
    assert "LABEL" in info.deprecation
    assert not info.in_palette
    assert all(not catalog_entry(k).deprecation for k in Kind if k is not Kind.MAINTAINER)


@pytest.mark.parametrize(
    ("group", "kinds"),
    [
        ("start", {Kind.FROM}),
        ("files", {Kind.COPY, Kind.ADD}),
        ("commands", {Kind.RUN, Kind.SHELL}),
        (
            "configure",
            {
                Kind.CMD,
                Kind.ENTRYPOINT,
                Kind.ENV,
                Kind.ARG,
                Kind.WORKDIR,
                Kind.USER,
                Kind.EXPOSE,
                Kind.VOLUME,
                Kind.STOPSIGNAL,
                Kind.HEALTHCHECK,
                Kind.DIRECTIVE,
                Kind.UNKNOWN,
            },
        ),
        ("describe", {Kind.LABEL, Kind.MAINTAINER, Kind.COMMENT, Kind.BLANK}),
        ("stages", {Kind.ONBUILD}),
    ],
)
def test_palette_groups(group, kinds):
    assert {k for k in Kind if catalog_entry(k).group == group} == kinds
    assert set(kinds_in_group(group)) == {k for k in kinds if catalog_entry(k).in_palette}


def test_groups_are_ordered_and_coloured_distinctly():
    groups = palette_groups()
    assert [g.id for g in groups] == ["start", "files", "commands", "configure", "describe", "stages"]
    assert len({g.colour for g in groups}) == len(groups)
    for group in groups:
        # Visible as a block colour in a light theme and in a dark one.
        assert _contrast(group.colour, "#ffffff") >= 3, group
        assert _contrast(group.colour, DARK_BACKGROUND) >= 3, group
        assert all(
            catalog_entry(k).colour == group.colour for k in Kind if catalog_entry(k).group == group.id
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("install", Kind.RUN),
        ("INSTALL", Kind.RUN),
        ("inst", Kind.RUN),
        ("package", Kind.RUN),
        ("apt-get", Kind.RUN),
        ("copy", Kind.COPY),
        ("file", Kind.COPY),
        ("folder", Kind.COPY),
        ("port", Kind.EXPOSE),
        ("base image", Kind.FROM),
        ("environment variable", Kind.ENV),
        ("health", Kind.HEALTHCHECK),
        ("cd", Kind.WORKDIR),
        ("comment", Kind.COMMENT),
        ("syntax", Kind.DIRECTIVE),
    ],
)
def test_search_finds_a_kind_by_what_it_does(query, expected):
    assert expected in search_kinds(query)


@pytest.mark.parametrize(("query", "first"), [("install", Kind.RUN), ("copy", Kind.COPY), ("run", Kind.RUN)])
def test_search_ranks_the_best_match_first(query, first):
    assert search_kinds(query)[0] is first


def test_search_finds_run_for_download_and_command():
    assert Kind.RUN in search_kinds("download")
    assert Kind.RUN in search_kinds("command")
    assert Kind.ADD in search_kinds("download")


def test_search_requires_every_word_to_match():
    assert search_kinds("copy port") == []
    assert search_kinds("zzzz") == []


def test_empty_search_lists_the_palette():
    listed = search_kinds("  ")
    assert listed == [k for k in Kind if catalog_entry(k).in_palette]
    assert Kind.UNKNOWN not in listed and Kind.MAINTAINER not in listed


def test_kinds_left_out_of_the_palette_are_found_only_by_name():
    assert search_kinds("maintainer") == [Kind.MAINTAINER]
    assert Kind.MAINTAINER not in search_kinds("author")
    assert Kind.LABEL in search_kinds("author")


def test_unknown_locale_gives_the_english_catalog():
    assert catalog_entry(Kind.FROM, "xx") == catalog_entry(Kind.FROM, "en")
    assert catalog_entry(Kind.FROM, "en").title == "Start from an image"


def test_catalog_file_has_no_stale_entries():
    from desktop.i18n import load_texts

    texts = load_texts("blocks", "en")
    assert set(texts["kinds"]) == {kind.value for kind in Kind}
    for kind in Kind:
        declared = {spec.name for spec in params_of(kind)}
        assert set(texts["kinds"][kind.value].get("params", {})) <= declared, kind
    all_params = {spec.name for kind in Kind for spec in params_of(kind)}
    assert set(texts["common_params"]) <= all_params
