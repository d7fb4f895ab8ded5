"""Field validation: what is wrong in a block's fields, said in plain words with what to do about it.

Each :class:`FieldIssue` names the block and the field (a parameter name, or "" for the whole block) so
the form can mark it. An error means Docker would refuse the Dockerfile or surely misread it; a warning
means it works but probably not as meant. Messages come from ``resources/i18n/validation.<locale>.json``
and name fields by their labels from the block catalog.

Checks between documents and build context (``COPY --from`` naming a missing stage, best practices) are
the lint module's job; this one checks what each field says, plus the document's overall shape.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from desktop.blocks.catalog import param_label
from desktop.blocks.kinds import INSTRUCTION_KINDS, Kind, ParamType, params_of
from desktop.blocks.model import Block, Document
from desktop.blocks.validate_kinds import KIND_CHECKS
from desktop.blocks.values import quote_word as quote_word
from desktop.blocks.values import unquote_word as unquote_word
from desktop.i18n import format_text, load_texts

Severity = Literal["error", "warning"]
TOPIC = "validation"

# Options BuildKit knows that the form does not show as fields (kept in extra_flags when used).
_MORE_KNOWN_FLAGS: dict[Kind, frozenset[str]] = {
    Kind.RUN: frozenset({"--device"}),
    Kind.ADD: frozenset({"--exclude", "--unpack"}),
}
_NOT_A_TRIGGER = (Kind.FROM, Kind.MAINTAINER, Kind.ONBUILD)


@dataclass(frozen=True)
class FieldIssue:
    """One problem found in a block.

    Attributes:
        block_id: the block's id ("" for a problem of the whole document, like a missing FROM).
        field: the parameter's name, or "" when it concerns the whole block.
        severity: "error" (Docker refuses it or surely misreads it) or "warning" (works, likely not as meant).
        message: one sentence naming the field by its label, saying what is wrong and what to do.
    """

    block_id: str
    field: str
    severity: Severity
    message: str


class Checker:
    """Collects the issues of one block; the per-kind checks in :mod:`validate_kinds` call it."""

    def __init__(
        self,
        block: Block,
        escape: str,
        locale: str | None,
        stage_names: frozenset[str] = frozenset(),
        texts: dict[str, Any] | None = None,
    ) -> None:
        self.block = block
        self.stage_names = stage_names
        self.escape = escape
        self.locale = locale
        # A whole document's checks pass the texts they loaded once, rather than one lookup per block.
        self.texts: dict[str, Any] = texts if texts is not None else load_texts(TOPIC, locale)
        self.issues: list[FieldIssue] = []

    @property
    def p(self) -> dict[str, Any]:
        """The block's parameters."""
        return self.block.params

    def label(self, field: str) -> str:
        """The form label of a field ("" for the whole block)."""
        return param_label(self.block.kind, field, self.locale) if field else ""

    def example(self, field: str) -> str:
        """An example value for a field from the messages file ("" when there is none)."""
        return str(self.texts.get("examples", {}).get(f"{self.block.kind.name}.{field}", ""))

    def say(self, message: str, field: str = "", /, **values: Any) -> str:
        """A message filled in with the field's label, the escape character and ``values``."""
        return format_text(self.texts[message], label=self.label(field), escape=self.escape, **values)

    def error(self, field: str, message: str, /, **values: Any) -> None:
        """Report an error on a field; ``message`` is a key of validation.<locale>.json."""
        self.issues.append(FieldIssue(self.block.id, field, "error", self.say(message, field, **values)))

    def warning(self, field: str, message: str, /, **values: Any) -> None:
        """Report a warning on a field."""
        self.issues.append(FieldIssue(self.block.id, field, "warning", self.say(message, field, **values)))

    def has_issue(self, field: str) -> bool:
        """Whether a field already has an issue (so a second check need not pile on)."""
        return any(issue.field == field for issue in self.issues)


def validate_block(
    block: Block,
    escape: str = "\\",
    locale: str | None = None,
    stage_names: Collection[str] = (),
) -> list[FieldIssue]:
    """Every problem in one block's fields.

    Args:
        block: the block; an ONBUILD's trigger is checked too, its issues reported on the ONBUILD's
            ``trigger`` field.
        escape: the document's escape character (``Document.escape``).
        locale: the language of the messages; the user's by default.
        stage_names: names of the stages above the block, lower-cased; ``FROM Build`` is fine when a
            stage is called build (BuildKit compares stage names without case), though not as an image.
    """
    return _check_block(block, escape, locale, frozenset(stage_names), None)


def _check_block(
    block: Block, escape: str, locale: str | None, stage_names: frozenset[str], texts: dict[str, Any] | None
) -> list[FieldIssue]:
    check = Checker(block, escape, locale, stage_names, texts)
    _required(check)
    _one_line(check)
    _flags(check)
    kind_check = KIND_CHECKS.get(block.kind)
    if kind_check is not None:
        kind_check(check)
    if block.kind is Kind.UNKNOWN:
        _unknown(check)
    elif block.kind is Kind.ONBUILD:
        _onbuild(check)
    return check.issues


class IssueMemo:
    """Each block's own issues, kept between :func:`validate_document` calls until the block changes.

    Checking a 300-block document takes ~10 ms, too long to do after every key press; with a memo only
    the blocks that changed are checked again. A block's issues depend on its parameters, the document's
    escape character, the stage names above it and the language: all but the parameters are part of the
    memo's key (so a renamed stage or a new escape directive is followed by itself), and a block replaced
    by another object is checked again. Parameters change in place, so whoever changes them calls
    :meth:`forget` (the window's controller does, for every edit, undo and redo).
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Block, str, str | None, frozenset[str], list[FieldIssue]]] = {}

    def forget(self, block_ids: Iterable[str] | None = None) -> None:
        """Check these blocks again next time (every block when None)."""
        if block_ids is None:
            self._entries.clear()
            return
        for block_id in block_ids:
            self._entries.pop(block_id, None)

    def issues(
        self,
        block: Block,
        escape: str,
        locale: str | None,
        stage_names: frozenset[str],
        texts: dict[str, Any] | None = None,
    ) -> list[FieldIssue]:
        """The block's own issues (as :func:`validate_block` finds them), checked only when unknown.

        The list is the memo's: read it, never change it.
        """
        entry = self._entries.get(block.id)
        if (
            entry is not None
            and entry[0] is block
            and entry[1] == escape
            and entry[2] == locale
            and entry[3] == stage_names
        ):
            return entry[4]
        found = _check_block(block, escape, locale, stage_names, texts)
        self._entries[block.id] = (block, escape, locale, stage_names, found)
        return found

    def recheck(self, block: Block) -> tuple[list[FieldIssue], list[FieldIssue]] | None:
        """Check a block again where it was last checked (same escape, stage names above and language).

        For a block whose parameters changed in place when nothing else did (the caller knows: no escape
        directive or stage name changed with it). Returns the issues it had and the ones it has now, or
        None when it was never checked (or was replaced by another object since).
        """
        entry = self._entries.get(block.id)
        if entry is None or entry[0] is not block:
            return None
        _block, escape, locale, stage_names, before = entry
        after = _check_block(block, escape, locale, stage_names, None)
        self._entries[block.id] = (block, escape, locale, stage_names, after)
        return before, after

    def keep_only(self, block_ids: Collection[str]) -> None:
        """Drop what is remembered about blocks no longer in the document."""
        for block_id in [i for i in self._entries if i not in block_ids]:
            del self._entries[block_id]

    def __len__(self) -> int:
        return len(self._entries)


def validate_document(
    doc: Document, locale: str | None = None, memo: IssueMemo | None = None
) -> list[FieldIssue]:
    """Every block's problems, plus those of the document's shape, in file order.

    Document checks: a FROM exists; the first instruction is FROM (only ARG, comments, blank lines and
    directives may come before it); parser directives are at the very top and each is set once; no two
    stages share a name.

    Args:
        doc: the document.
        locale: the language of the messages; the user's by default.
        memo: remembers each block's own issues between calls (see :class:`IssueMemo`); the result is
            the same with or without it.
    """
    texts: dict[str, Any] = load_texts(TOPIC, locale)
    issues: list[FieldIssue] = []
    escape = doc.escape
    stage_names: set[str] = set()
    names_above: frozenset[str] = frozenset()  # a new frozenset only after each named stage
    directives: set[str] = set()
    at_top = True
    first_instruction = True
    for block in doc.blocks:
        if memo is not None:
            issues.extend(memo.issues(block, escape, locale, names_above, texts))
        else:
            issues.extend(_check_block(block, escape, locale, names_above, texts))
        if block.kind is Kind.DIRECTIVE:
            name = str(block.params.get("name", "")).lower()
            if not at_top:
                issues.append(FieldIssue(block.id, "", "warning", format_text(texts["directive_not_at_top"])))
            elif name in directives:
                message = format_text(texts["directive_duplicate"], name=name)
                issues.append(FieldIssue(block.id, "name", "error", message))
            directives.add(name)
            continue
        at_top = False
        if first_instruction and block.kind.is_instruction:
            first_instruction = False
            # An unknown first word is most likely a misspelt FROM: its own message says so.
            if block.kind not in (Kind.FROM, Kind.ARG, Kind.UNKNOWN):
                message = format_text(texts["first_not_from"], kind=_keyword(block))
                issues.append(FieldIssue(block.id, "", "error", message))
        if block.kind is Kind.FROM and block.params.get("stage_name"):
            name = str(block.params["stage_name"])
            if name.lower() in stage_names:
                message = format_text(
                    texts["stage_name_duplicate"],
                    label=param_label(Kind.FROM, "stage_name", locale),
                    value=name,
                )
                issues.append(FieldIssue(block.id, "stage_name", "error", message))
            stage_names.add(name.lower())
            names_above = frozenset(stage_names)
    if memo is not None and len(memo) > 2 * len(doc.blocks) + 64:
        memo.keep_only({block.id for block in doc.blocks})
    if not any(block.kind is Kind.FROM for block in doc.blocks):
        issues.append(FieldIssue("", "", "error", format_text(texts["no_from"])))
    return issues


def _keyword(block: Block) -> str:
    return str(block.params.get("keyword", "")) if block.kind is Kind.UNKNOWN else block.kind.value


def _is_empty(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list) and not value)


def _required(check: Checker) -> None:
    for spec in params_of(check.block.kind):
        value = check.p.get(spec.name)
        if spec.required and _is_empty(value):
            example = check.example(spec.name)
            if example:
                check.error(spec.name, "required", example=example)
            else:
                check.error(spec.name, "required_no_example")
        elif (
            spec.type is ParamType.LIST
            and spec.name not in ("args", "extra_flags")
            and isinstance(value, list)
        ):
            for index, item in enumerate(value, start=1):
                if not str(item).strip():
                    check.error(spec.name, "item_empty", index=index)


def _one_line(check: Checker) -> None:
    for spec in params_of(check.block.kind):
        value = check.p.get(spec.name)
        if spec.type in (ParamType.TEXT, ParamType.CHOICE) and isinstance(value, str) and "\n" in value:
            check.error(spec.name, "one_line")


def _flags(check: Checker) -> None:
    kind = check.block.kind
    specs = {spec.flag: spec for spec in params_of(kind) if spec.flag}
    known = set(specs) | _MORE_KNOWN_FLAGS.get(kind, frozenset())
    keyword = _keyword(check.block)
    for flag in check.p.get("extra_flags") or []:
        name = str(flag).partition("=")[0]
        spec = specs.get(name)
        if name not in known:
            check.error("extra_flags", "unknown_flag", kind=keyword, flag=name)
        elif spec is not None and not spec.repeatable and check.p.get(spec.name):
            check.error("extra_flags", "duplicate_flag", kind=keyword, flag=name)


def _unknown(check: Checker) -> None:
    keyword = str(check.p.get("keyword", "")).strip()
    if not keyword:
        return
    names = [kind.value for kind in INSTRUCTION_KINDS]
    guesses = difflib.get_close_matches(keyword.upper(), names, n=1, cutoff=0.5)
    if guesses:
        check.error("keyword", "unknown_instruction", keyword=keyword, suggestion=guesses[0])
    else:
        check.error("keyword", "unknown_instruction_no_guess", keyword=keyword)


def _onbuild(check: Checker) -> None:
    trigger = check.p.get("trigger")
    if not isinstance(trigger, Block):
        return
    if trigger.kind in _NOT_A_TRIGGER:
        check.error("trigger", "onbuild_trigger_kind", kind=trigger.kind.value)
        return
    for issue in validate_block(trigger, check.escape, check.locale):
        message = check.say("trigger_issue", "trigger", message=issue.message)
        check.issues.append(FieldIssue(check.block.id, "trigger", issue.severity, message))


__all__ = [
    "Checker",
    "FieldIssue",
    "IssueMemo",
    "Severity",
    "quote_word",
    "unquote_word",
    "validate_block",
    "validate_document",
]
