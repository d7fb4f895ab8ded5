"""User-facing texts: JSON files in ``resources/i18n/``, one per topic and language, English as the fallback.

A topic ``blocks`` lives in ``blocks.en.json``; a translation ``blocks.de.json`` (or ``blocks.de_AT.json``)
only needs the keys it translates: it is laid over the English file key by key, so anything missing, and
anything that is not a text at all (colours, links), comes from English.

Templates use :meth:`str.format` placeholders by name (``"Copy {sources} into {dest}"``); fill them with
:func:`format_text`, which never fails on a translation that misspells a placeholder.
"""

from __future__ import annotations

import copy
import functools
import os
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from desktop.json_files import read_json_object
from desktop.paths import resource_path, resources_root

FALLBACK_LOCALE = "en"
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def locale_candidates(locale: str | None = None, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The locales to try, best first, always ending with English.

    Args:
        locale: a locale such as ``"de_AT.UTF-8"``; when None, read from the environment as gettext does
            (``LANGUAGE`` may list several, separated by colons; then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).
        environ: the environment to read; ``os.environ`` by default.

    Returns:
        For ``"de_AT.UTF-8"``: ``("de_AT", "de", "en")``. ``C`` and ``POSIX`` mean English.
    """
    if locale is not None:
        wanted = [locale]
    else:
        env = os.environ if environ is None else environ
        wanted = []
        for variable in _LOCALE_VARIABLES:
            value = env.get(variable, "")
            if value:
                wanted = value.split(":") if variable == "LANGUAGE" else [value]
                break
    out: list[str] = []
    for raw in wanted:
        # "de_AT.UTF-8@euro" -> "de_AT"; the encoding and modifier do not change the texts.
        name = raw.split(".", 1)[0].split("@", 1)[0].replace("-", "_").strip()
        if not name or name in ("C", "POSIX"):
            continue
        for candidate in (name, name.split("_", 1)[0]):
            if candidate not in out:
                out.append(candidate)
    if FALLBACK_LOCALE not in out:
        out.append(FALLBACK_LOCALE)
    return tuple(out)


def load_texts(name: str, locale: str | None = None, *, root: Path | None = None) -> dict[str, Any]:
    """The texts of one topic in the user's language, English filling every gap.

    The result is cached and shared between callers: read it, never change it.

    Args:
        name: the topic, e.g. ``"blocks"`` for ``blocks.<locale>.json``.
        locale: the language, e.g. ``"fr"`` or ``"pt_BR.UTF-8"``; from the environment when None.
        root: the folder holding the JSON files; ``resources/i18n`` by default (tests pass their own).

    Returns:
        The English texts with the best available translation laid over them.

    Raises:
        FileNotFoundError: there is no English file for the topic (a packaging mistake, not a user's).
    """
    # Called for every block validated or summarised: everything here is a cache hit after the first call.
    # The environment is read each time (four lookups, so a changed LANG is followed) but the locales it
    # names are worked out once per value, and the folder is found once per resources root (no stat).
    folder = root if root is not None else _bundled_folder(resources_root())
    if locale is None:
        candidates = _candidates_from_environment(tuple(os.environ.get(v, "") for v in _LOCALE_VARIABLES))
    else:
        candidates = _candidates_of(locale)
    return _load(name, candidates, folder)


def clear_cache() -> None:
    """Forget every loaded file (tests that write translation files call this)."""
    _load.cache_clear()
    _read.cache_clear()
    _bundled_folder.cache_clear()


@functools.cache
def _bundled_folder(root: Path) -> Path:
    """``resources/i18n`` of a resources root (keyed by the root, so tests that move it are followed)."""
    del root  # the key only: resource_path checks the folder under the current root once
    return resource_path("i18n")


@functools.cache
def _candidates_of(locale: str) -> tuple[str, ...]:
    return locale_candidates(locale)


@functools.cache
def _candidates_from_environment(values: tuple[str, ...]) -> tuple[str, ...]:
    return locale_candidates(None, environ=dict(zip(_LOCALE_VARIABLES, values, strict=True)))


@functools.cache
def _load(name: str, candidates: tuple[str, ...], folder: Path) -> dict[str, Any]:
    english = _read(folder / f"{name}.{FALLBACK_LOCALE}.json")
    if english is None:
        raise FileNotFoundError(f"Dockblocks texts not found: {folder / f'{name}.{FALLBACK_LOCALE}.json'}")
    result = copy.deepcopy(english)
    for candidate in candidates:
        if candidate == FALLBACK_LOCALE:
            break
        translated = _read(folder / f"{name}.{candidate}.json")
        if translated is not None:
            _overlay(result, translated)
            break
    return result


@functools.cache
def _read(path: Path) -> dict[str, Any] | None:
    # A missing or broken translation must not stop the program: English is used instead.
    return read_json_object(path)


def _overlay(base: dict[str, Any], override: Mapping[str, Any]) -> None:
    for key, value in override.items():
        current = base.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            _overlay(current, value)
        elif key not in base or isinstance(value, type(current)):
            # A translation may replace a text only with a text, a list with a list: else English stays.
            base[key] = copy.deepcopy(value)


class _KeepMissing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FORMATTER = string.Formatter()


def format_text(template: str, /, **values: Any) -> str:
    """Fill a template's ``{name}`` placeholders; an unknown or malformed placeholder stays as written.

    Args:
        template: a text from a JSON file.
        **values: the placeholder values.

    Returns:
        The filled text. A translation with a typo shows a visible ``{typo}`` rather than crashing.
    """
    try:
        return _FORMATTER.vformat(template, (), _KeepMissing(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def format_count(texts: Mapping[str, Any], key: str, count: int, /, **values: Any) -> str:
    """The text ``key`` of ``texts`` about ``count`` things, filled: its ``key_one`` form for exactly one,
    when the texts have one ("1 replica", not "1 replicas"); ``{count}`` is filled too."""
    chosen = f"{key}_one" if count == 1 and f"{key}_one" in texts else key
    return format_text(str(texts.get(chosen, chosen)), count=count, **values)
