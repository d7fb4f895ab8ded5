"""The checks of each block kind's fields (the generic ones are in :mod:`desktop.blocks.validate`).

Each check receives a ``Checker`` and reports through ``error``/``warning`` with a message key of
``resources/i18n/validation.en.json``. A value with a build variable is only checked where the variable
cannot change the verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.blocks import values as v
from desktop.blocks.kinds import Kind
from desktop.dockerfile.lexing import parse_words

if TYPE_CHECKING:
    from desktop.blocks.validate import Checker

_NANOSECONDS_PER_MS = 1_000_000
_DURATIONS = ("interval", "timeout", "start_period", "start_interval")
# Fields whose text ends the instruction line, so a trailing escape character would swallow the next line.
_LINE_END_FIELDS = {
    Kind.WORKDIR: "path",
    Kind.USER: "user",
    Kind.STOPSIGNAL: "signal",
    Kind.MAINTAINER: "name",
    Kind.UNKNOWN: "arguments",
}


def _text(check: Checker, field: str) -> str:
    return str(check.p.get(field) or "").strip()


def _check_from(check: Checker) -> None:
    image = _text(check, "image")
    if image and not check.has_issue("image") and image.lower() not in check.stage_names:
        _check_image(check, image)
    tag, digest, platform = _text(check, "tag"), _text(check, "digest"), _text(check, "platform")
    if tag and not v.has_variable(tag) and not v.tag_ok(tag):
        check.error("tag", "tag_invalid", value=tag)
    if digest and not v.has_variable(digest):
        _check_digest(check, "digest", digest)
    if platform and not v.has_variable(platform) and not v.platform_ok(platform):
        check.error("platform", "platform_invalid", value=platform)
    stage = _text(check, "stage_name")
    if stage:
        if not v.stage_name_ok(stage):
            check.error("stage_name", "stage_name_invalid", value=stage)
        elif stage != stage.lower():
            check.warning("stage_name", "stage_name_case", value=stage, suggestion=stage.lower())
        elif stage in v.RESERVED_STAGE_NAMES:
            check.warning("stage_name", "stage_name_reserved", value=stage)
    extra = [str(word) for word in check.p.get("extra_args") or []]
    if extra:
        check.error("extra_args", "extra_args", value=" ".join(extra))


def _check_image(check: Checker, image: str) -> None:
    if v.has_space(image):
        check.error("image", "image_space", value=image)
        return
    if v.has_variable(image):
        return
    ref = v.split_image_ref(image)
    if ref.tag and _text(check, "tag"):
        check.error("image", "image_has_tag", value=ref.tag)
    if ref.digest and _text(check, "digest"):
        check.error("image", "image_has_digest")
    if not v.image_name_ok(ref.name):
        if v.image_name_ok(ref.name.lower()):
            suggestion = image.replace(ref.name, ref.name.lower(), 1)
            check.error("image", "image_uppercase", value=image, suggestion=suggestion)
        else:
            check.error("image", "image_chars", value=image)
    if ref.tag and not v.tag_ok(ref.tag):
        check.error("image", "tag_invalid", value=ref.tag)
    if ref.digest:
        _check_digest(check, "image", ref.digest)


def _check_digest(check: Checker, field: str, digest: str) -> None:
    problem = v.digest_problem(digest)
    if problem is None:
        return
    kind, found, expected = problem
    if kind == "length":
        algorithm = digest.partition(":")[0]
        check.error(field, "digest_length", found=found, expected=expected, algorithm=algorithm)
    else:
        check.error(field, "digest_invalid", value=digest)


def _command_check(empty_is_error: bool) -> Callable[[Checker], None]:
    """Checks the command of RUN/CMD/ENTRYPOINT/SHELL; an empty CMD or ENTRYPOINT is legal (it clears one)."""

    def check_command(check: Checker) -> None:
        if check.p.get("form") == "exec":
            args = [str(a) for a in check.p.get("args") or []]
            if not args:
                if empty_is_error:
                    check.error("args", "exec_empty", example=check.example("args"))
                else:
                    check.warning("args", "exec_clears", example=check.example("args"))
            elif not args[0].strip():
                check.error("args", "exec_program_empty", example=check.texts["examples"]["program"])
            return
        command = str(check.p.get("command") or "")
        if not command.strip() and not check.p.get("heredocs"):
            if empty_is_error:
                check.error("command", "command_empty", example=check.example("command"))
            else:
                check.warning("command", "exec_clears", example=check.example("args"))
            return
        _check_line_ends(check, "command", command)

    return check_command


def _check_line_ends(check: Checker, field: str, text: str) -> None:
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not v.ends_with_escape(line, check.escape):
            continue
        if number < len(lines):
            check.error(field, "line_ends_with_escape", line=number)
        else:
            check.error(field, "ends_with_escape")


def _check_shell(check: Checker) -> None:
    if check.p.get("form") != "exec":
        check.error("form", "shell_needs_exec")
        return
    _command_check(empty_is_error=True)(check)


def _check_healthcheck(check: Checker) -> None:
    mode = _text(check, "mode").upper()
    if mode == "NONE":
        for field in ("command", "args"):
            if check.p.get(field):
                check.error(field, "healthcheck_none_command")
        for field in (*_DURATIONS, "retries"):
            if _text(check, field):
                check.warning(field, "healthcheck_none_option")
        return
    if mode and mode != "CMD":
        check.error("mode", "healthcheck_mode", value=check.p.get("mode"))
    elif mode == "CMD":
        _command_check(empty_is_error=True)(check)
    for field in _DURATIONS:
        _check_duration(check, field)
    retries = _text(check, "retries")
    if retries and not v.has_variable(retries):
        try:
            count = int(retries)
        except ValueError:
            check.error("retries", "retries_invalid", value=retries)
            return
        if count < 0:
            check.error("retries", "retries_negative", value=retries)
        elif count == 0:
            check.warning("retries", "retries_zero")


def _check_duration(check: Checker, field: str) -> None:
    text = _text(check, field)
    if not text or v.has_variable(text):
        return
    nanoseconds = v.parse_duration(text)
    if nanoseconds is None:
        check.error(field, "duration_invalid", value=text)
    elif nanoseconds < 0:
        check.error(field, "duration_negative", value=text)
    elif 0 < nanoseconds < _NANOSECONDS_PER_MS:
        check.error(field, "duration_too_small", value=text)


def _pairs_check(is_env: bool) -> Callable[[Checker], None]:
    def check_pairs(check: Checker) -> None:
        pairs = [list(pair) for pair in check.p.get("pairs") or []]
        legacy = bool(check.p.get("legacy"))
        if legacy and len(pairs) > 1:
            check.error("legacy", "legacy_many", count=len(pairs))
        for index, pair in enumerate(pairs, start=1):
            key = str(pair[0]) if pair else ""
            value = str(pair[1]) if len(pair) > 1 else ""
            if not key.strip():
                check.error("pairs", "pair_key_empty", index=index)
                continue
            if v.open_quote(key, check.escape):
                check.error("pairs", "pair_key_quote", key=key)
                continue
            if len(parse_words(key, check.escape)) != 1:
                check.error("pairs", "pair_key_space", key=key)
                continue
            if is_env and not v.identifier_ok(v.unquote_word(key, check.escape)):
                check.warning("pairs", "env_key_style", key=key)
            if "\n" in value:
                check.error("pairs", "pair_value_line", key=key)
            elif legacy and len(pairs) == 1:
                if not value.strip():
                    check.error("pairs", "legacy_value_empty", key=key)
            else:
                _check_word(check, "pairs", key, f"{key}={value}", value)
            if "\n" not in value:
                _check_line_ends(check, "pairs", value)

    return check_pairs


def _check_word(check: Checker, field: str, key: str, word: str, value: str) -> None:
    """A name=value must be exactly one word to Docker; say how to quote it when it is not."""
    quote = v.open_quote(value, check.escape)
    if quote is not None:
        check.error(field, "pair_value_quote", key=key, quote=quote)
    elif len(parse_words(word, check.escape)) != 1:
        suggestion = v.quote_word(v.unquote_word(value, check.escape), check.escape)
        check.error(field, "pair_value_words", key=key, suggestion=suggestion)


def _check_arg(check: Checker) -> None:
    items = [list(item) for item in check.p.get("args") or []]
    for index, item in enumerate(items, start=1):
        name = str(item[0]) if item else ""
        if not name.strip():
            check.error("args", "arg_name_empty", index=index)
            continue
        if v.open_quote(name, check.escape):
            check.error("args", "pair_key_quote", key=name)
            continue
        if len(parse_words(name, check.escape)) != 1:
            check.error("args", "arg_name_space", key=name)
            continue
        if not v.identifier_ok(name):
            check.warning("args", "arg_name_style", key=name)
        if len(item) > 1:
            if "\n" in str(item[1]):
                check.error("args", "pair_value_line", key=name)
            else:
                _check_word(check, "args", name, f"{name}={item[1]}", str(item[1]))
                _check_line_ends(check, "args", str(item[1]))


_PORT_MESSAGES = {
    "format": "port_format",
    "range": "port_range",
    "order": "port_order",
    "host": "port_host",
    "protocol": "port_protocol",
}


def _check_expose(check: Checker) -> None:
    for item in check.p.get("ports") or []:
        port = str(item).strip()
        problem = v.port_problem(port) if port else None
        if problem is None:
            continue
        if problem.kind == "case":
            check.warning("ports", "port_case", value=port, suggestion=problem.suggestion)
        else:
            check.error("ports", _PORT_MESSAGES[problem.kind], value=port, suggestion=problem.suggestion)


def _check_files(check: Checker) -> None:
    chmod, chown = _text(check, "chmod"), _text(check, "chown")
    if chmod and not v.has_variable(chmod) and not v.chmod_ok(chmod):
        check.error("chmod", "chmod_invalid", value=chmod)
    if chown and not v.owner_ok(chown):
        check.error("chown", "chown_invalid", value=chown)
    checksum = _text(check, "checksum") if check.block.kind is Kind.ADD else ""
    if checksum and not v.has_variable(checksum):
        algorithm = checksum.partition(":")[0]
        if algorithm not in v.DIGEST_LENGTHS or v.digest_problem(checksum) is not None:
            check.error("checksum", "checksum_invalid", value=checksum)
    sources = [str(s) for s in check.p.get("sources") or []]
    dest = str(check.p.get("dest") or "")
    if len(sources) > 1 and dest.strip() and not dest.endswith("/") and not v.has_variable(dest):
        check.error("dest", "dest_folder", suggestion=dest + "/")
    if check.p.get("form") != "exec" and dest:
        _check_line_ends(check, "dest", dest)


def _check_line_end_field(check: Checker) -> None:
    field = _LINE_END_FIELDS[check.block.kind]
    text = str(check.p.get(field) or "")
    if text and "\n" not in text:
        _check_line_ends(check, field, text)


def _check_user(check: Checker) -> None:
    user = _text(check, "user")
    if user and not v.owner_ok(user):
        check.error("user", "user_invalid", value=user)
    _check_line_end_field(check)


def _check_stopsignal(check: Checker) -> None:
    signal = _text(check, "signal")
    if signal and not v.has_variable(signal) and not v.signal_ok(signal):
        check.error("signal", "signal_invalid", value=signal)
    _check_line_end_field(check)


def _check_maintainer(check: Checker) -> None:
    check.warning("", "deprecated", value=_text(check, "name") or "…")
    _check_line_end_field(check)


def _check_directive(check: Checker) -> None:
    name = _text(check, "name").lower()
    value = _text(check, "value")
    if name and name not in ("syntax", "escape", "check"):
        check.error("name", "directive_name", value=check.p.get("name"))
    elif name == "escape" and value and value not in ("\\", "`"):
        check.error("value", "directive_escape", value=value)


def _check_blank(check: Checker) -> None:
    count = check.p.get("count")
    if isinstance(count, int) and count < 1:
        check.warning("count", "blank_count", value=count)


KIND_CHECKS: dict[Kind, Callable[[Checker], None]] = {
    Kind.FROM: _check_from,
    Kind.RUN: _command_check(empty_is_error=True),
    Kind.CMD: _command_check(empty_is_error=False),
    Kind.ENTRYPOINT: _command_check(empty_is_error=False),
    Kind.SHELL: _check_shell,
    Kind.HEALTHCHECK: _check_healthcheck,
    Kind.ENV: _pairs_check(is_env=True),
    Kind.LABEL: _pairs_check(is_env=False),
    Kind.ARG: _check_arg,
    Kind.EXPOSE: _check_expose,
    Kind.COPY: _check_files,
    Kind.ADD: _check_files,
    Kind.USER: _check_user,
    Kind.WORKDIR: _check_line_end_field,
    Kind.STOPSIGNAL: _check_stopsignal,
    Kind.MAINTAINER: _check_maintainer,
    Kind.UNKNOWN: _check_line_end_field,
    Kind.DIRECTIVE: _check_directive,
    Kind.BLANK: _check_blank,
}
