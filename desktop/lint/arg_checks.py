"""DB003: a build argument (ARG) used where it has no value.

Docker's scoping rules, which trip up beginners:

- An ARG before the first FROM is global: only FROM lines see it. A stage that wants it says ``ARG NAME``
  again (no value needed; it keeps the global default).
- An ARG inside a stage counts from its line down to the end of that stage, and in stages built FROM it.
- The platform arguments (TARGETARCH, BUILDPLATFORM ...) are global too: a stage must declare them to use
  them. The proxy arguments (HTTP_PROXY ...) are available everywhere.

A name that was never declared anywhere may well come from the base image's environment (``$PATH``) or the
shell (``$HOME``, a loop variable), which we cannot see; so inside stages we only report names that *are*
declared as ARGs somewhere, just not in scope where they are used, plus the platform arguments. On a FROM
line nothing but global ARGs and predefined arguments can have a value, so there every other name counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document
from desktop.lint.findings import Problem, Severity
from desktop.lint.stage_checks import stage_parents
from desktop.lint.variables import Reference, references, shell_references

CODE = "DB003"

PROXY_ARGS = frozenset(
    f"{name}_PROXY" if upper else f"{name.lower()}_proxy"
    for name in ("HTTP", "HTTPS", "FTP", "NO", "ALL")
    for upper in (True, False)
)
PLATFORM_ARGS = frozenset(
    f"{side}{part}" for side in ("TARGET", "BUILD") for part in ("PLATFORM", "OS", "ARCH", "VARIANT")
)
# Read by BuildKit itself; nobody expects a value from them inside a stage.
BUILDKIT_ARGS = frozenset(
    {
        "BUILDKIT_CACHE_MOUNT_NS",
        "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
        "BUILDKIT_INLINE_CACHE",
        "BUILDKIT_MULTI_PLATFORM",
        "BUILDKIT_SANDBOX_HOSTNAME",
        "BUILDKIT_SYNTAX",
        "BUILDKIT_DOCKERFILE_CHECK",
        "SOURCE_DATE_EPOCH",
    }
)
_ALWAYS_IN_STAGE = PROXY_ARGS | BUILDKIT_ARGS
_PREDEFINED = PROXY_ARGS | PLATFORM_ARGS | BUILDKIT_ARGS

# Parameters whose text Docker itself expands, per kind (RUN's command is the shell's business).
_DOCKER_EXPANDED = {
    Kind.COPY: ("sources", "dest", "chown", "chmod", "from_stage", "exclude", "extra_flags"),
    Kind.ADD: ("sources", "dest", "chown", "chmod", "checksum", "extra_flags"),
    Kind.RUN: ("mounts", "extra_flags"),
    Kind.WORKDIR: ("path",),
    Kind.USER: ("user",),
    Kind.EXPOSE: ("ports",),
    Kind.VOLUME: ("paths",),
    Kind.STOPSIGNAL: ("signal",),
    Kind.LABEL: ("pairs",),
}


@dataclass(frozen=True)
class _Step:
    """Part of an instruction: the references it makes, then the names it defines."""

    uses: list[Reference]
    args: tuple[str, ...] = ()
    envs: tuple[str, ...] = ()


@dataclass
class _Scope:
    args: set[str] = field(default_factory=set)
    envs: set[str] = field(default_factory=set)

    def copy(self) -> _Scope:
        return _Scope(set(self.args), set(self.envs))


def _texts(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _steps(block: Block, escape: str) -> list[_Step]:
    """What a stage instruction uses and defines, in the order Docker evaluates it."""
    p = block.params
    if block.kind is Kind.ARG:
        # ARG A=1 B=$A: each name is defined before the next default is read.
        return [
            _Step(references(item[1], escape) if len(item) > 1 else [], args=(item[0],)) for item in p["args"]
        ]
    if block.kind is Kind.ENV:
        # ENV A=1 B=$A: every value is read before any of the names is set.
        uses = [ref for pair in p["pairs"] for ref in references(str(pair[1]), escape)]
        return [_Step(uses, envs=tuple(str(pair[0]) for pair in p["pairs"]))]
    uses = [
        ref
        for key in _DOCKER_EXPANDED.get(block.kind, ())
        for text in _texts(p.get(key))
        for ref in references(text, escape)
    ]
    if block.kind is Kind.RUN and p.get("form") != "exec":  # the exec form runs no shell: $X stays $X
        uses += shell_references(str(p.get("command") or ""))
        uses += [ref for _name, content, _end in p.get("heredocs") or [] for ref in shell_references(content)]
    return [_Step(uses)]


def _from_uses(head: Block, escape: str) -> list[Reference]:
    p = head.params
    text = " ".join(str(p.get(key) or "") for key in ("image", "tag", "digest", "platform"))
    return references(text, escape)


def _declared_in(blocks: Iterable[Block]) -> set[str]:
    return {str(item[0]) for block in blocks if block.kind is Kind.ARG for item in block.params["args"]}


def arg_problems(doc: Document) -> list[Problem]:
    """DB003 problems of a document, in file order."""
    escape = doc.escape
    stages = doc.stages()
    global_args = _declared_in(stages[0].blocks)
    stage_args = {stage.index: _declared_in(stage.blocks) for stage in stages[1:]}
    any_stage_arg = set().union(*stage_args.values()) if stage_args else set()
    parents = stage_parents(doc)
    scope_at_end: dict[int, _Scope] = {}
    problems: list[Problem] = []
    for stage in stages[1:]:
        head = stage.from_block
        if head is None:
            continue
        problems += _check_from(head, escape, global_args, any_stage_arg)
        parent = parents.get(stage.index)
        scope = scope_at_end[parent].copy() if parent in scope_at_end else _Scope()
        later = stage_args[stage.index]
        for block in stage.blocks[1:]:
            reported: set[str] = set()
            for step in _steps(block, escape):
                for ref in step.uses:
                    name = ref.name
                    if (
                        name in reported
                        or name in scope.args
                        or name in scope.envs
                        or name in _ALWAYS_IN_STAGE
                    ):
                        continue
                    variant = _stage_variant(name, later, global_args, any_stage_arg)
                    if variant is not None:
                        reported.add(name)
                        problems.append(Problem(CODE, variant, Severity.WARNING, block.id, {"name": name}))
                scope.args.update(step.args)
                scope.envs.update(step.envs)
        scope_at_end[stage.index] = scope
    return problems


def _stage_variant(name: str, later: set[str], global_args: set[str], any_stage_arg: set[str]) -> str | None:
    if name in PLATFORM_ARGS:
        return "platform"
    if name in later:
        return "later"
    if name in global_args:
        return "global"
    if name in any_stage_arg:
        return "other_stage"
    return None  # perhaps the base image's environment or a shell variable: not ours to judge


def _check_from(head: Block, escape: str, global_args: set[str], any_stage_arg: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[str] = set()
    for ref in _from_uses(head, escape):
        if ref.name in reported or ref.name in global_args or ref.name in _PREDEFINED:
            continue
        if ref.name in any_stage_arg:
            variant = "from_stage_arg"
        elif ref.has_default:
            continue  # ${NAME:-x} gives x when nobody sets NAME, which may be just what was meant
        else:
            variant = "from_undeclared"
        reported.add(ref.name)
        problems.append(Problem(CODE, variant, Severity.ERROR, head.id, {"name": ref.name}))
    return problems
