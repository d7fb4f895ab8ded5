"""DB004: references to build stages (``COPY --from``, ``RUN --mount=from=``, ``FROM <stage>``) that miss.

How BuildKit resolves them (dockerfile2llb): stage names compare lower-cased; ``--from`` may name any stage
of the file, above or below, or a stage by its number, or else it is taken as an image; a ``FROM`` only
sees the stages above it; a stage that depends on itself, directly or round a loop, is an error
("circular dependency detected on stage"). A ``--from`` value with ``/``, ``:``, ``.`` or ``@`` in it can
only be an image, so only bare names are checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document, Stage
from desktop.lint.findings import Problem, Severity

CODE = "DB004"
_IMAGE_CHARACTERS = frozenset("/:.@")


def _stages(doc: Document) -> list[Stage]:
    return [stage for stage in doc.stages() if stage.index >= 0]


def _as_name(stage: Stage) -> str:
    head = stage.from_block
    return str(head.params.get("stage_name") or "").lower() if head is not None else ""


def _bare_base(head: Block) -> str | None:
    """The FROM image as a possible stage name: a bare word without tag or digest, lower-cased."""
    p = head.params
    image = str(p.get("image") or "")
    if not image or p.get("tag") or p.get("digest") or "$" in image or _IMAGE_CHARACTERS & set(image):
        return None
    return image.lower()


def stage_parents(doc: Document) -> dict[int, int]:
    """For each stage built FROM an earlier stage, that stage's index (the others are absent)."""
    first_by_name: dict[str, int] = {}
    parents: dict[int, int] = {}
    for stage in _stages(doc):
        head = stage.from_block
        base = _bare_base(head) if head is not None else None
        if base is not None and base in first_by_name:
            parents[stage.index] = first_by_name[base]
        name = _as_name(stage)
        if name and name not in first_by_name:
            first_by_name[name] = stage.index
    return parents


def _mount_sources(spec: str) -> Iterator[str]:
    """The ``from=`` values of one ``--mount`` spec (``type=cache,target=/x,from=builder``)."""
    for part in spec.split(","):
        key, _eq, value = part.partition("=")
        if key.strip().lower() == "from" and value:
            yield value.strip().strip('"')


def stage_references(block: Block) -> list[str]:
    """Every ``--from`` value (COPY) and mount ``from=`` value (RUN) of a block, as written."""
    p = block.params
    extra = [str(flag) for flag in p.get("extra_flags") or []]
    if block.kind is Kind.COPY:
        refs = [str(p["from_stage"])] if p.get("from_stage") else []
        return refs + [flag.partition("=")[2] for flag in extra if flag.lower().startswith("--from=")]
    if block.kind is Kind.RUN:
        specs = list(p.get("mounts") or []) + [
            f.partition("=")[2] for f in extra if f.lower().startswith("--mount=")
        ]
        return [ref for spec in specs for ref in _mount_sources(str(spec))]
    return []


@dataclass(frozen=True)
class _Edge:
    source: int  # stage that uses
    target: int  # stage used
    block: Block
    written: str


def _reaches(graph: dict[int, set[int]], start: int, goal: int) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def stage_problems(doc: Document) -> list[Problem]:
    """DB004 problems of a document, in file order."""
    stages = _stages(doc)
    problems: list[Problem] = []
    first_by_name: dict[str, int] = {}
    for stage in stages:
        name = _as_name(stage)
        head = stage.from_block
        if name and name in first_by_name and head is not None:
            problems.append(
                Problem(CODE, "duplicate", Severity.ERROR, head.id, {"name": _written_name(head)})
            )
        elif name:
            first_by_name[name] = stage.index
    edges: list[_Edge] = []
    for stage in stages:
        head = stage.from_block
        base = _bare_base(head) if head is not None else None
        if head is not None and base is not None and first_by_name.get(base, -1) > stage.index:
            problems.append(
                Problem(CODE, "from_later", Severity.ERROR, head.id, {"name": str(head.params["image"])})
            )
        elif (
            head is not None
            and base is not None
            and base in first_by_name
            and first_by_name[base] < stage.index
        ):
            edges.append(_Edge(stage.index, first_by_name[base], head, base))
        for block in stage.blocks[1:]:
            problems += _check_references(block, stage, len(stages), first_by_name, edges)
    cycles = _cycle_problems(edges)
    # A loop is the real trouble; saying also that the stage comes later would only repeat it.
    looped = {(c.block_id, c.fields["name"]) for c in cycles}
    problems = [
        p for p in problems if not (p.variant == "later" and (p.block_id, p.fields["name"]) in looped)
    ]
    return sorted(problems + cycles, key=lambda p: _position(doc, p))


def _written_name(head: Block) -> str:
    return str(head.params.get("stage_name") or "")


def _check_references(
    block: Block, stage: Stage, count: int, first_by_name: dict[str, int], edges: list[_Edge]
) -> list[Problem]:
    problems: list[Problem] = []
    for written in stage_references(block):
        if not written or "$" in written:
            continue  # decided at build time by a variable
        if written.isdigit():
            target = int(written)
            if target >= count:
                fields = {"index": written, "count": str(count), "last": str(count - 1)}
                problems.append(Problem(CODE, "index", Severity.ERROR, block.id, fields))
                continue
        elif _IMAGE_CHARACTERS & set(written):
            continue  # an image reference (nginx:1.27, ghcr.io/x/y)
        elif written.lower() in first_by_name:
            target = first_by_name[written.lower()]
        else:
            problems.append(Problem(CODE, "unknown", Severity.WARNING, block.id, {"name": written}))
            continue
        if target == stage.index:
            problems.append(Problem(CODE, "self", Severity.ERROR, block.id, {"name": written}))
            continue
        edges.append(_Edge(stage.index, target, block, written))
        if target > stage.index:
            problems.append(Problem(CODE, "later", Severity.WARNING, block.id, {"name": written}))
    return problems


def _cycle_problems(edges: list[_Edge]) -> list[Problem]:
    graph: dict[int, set[int]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    return [
        Problem(CODE, "cycle", Severity.ERROR, edge.block.id, {"name": edge.written})
        for edge in edges
        if edge.block.kind is not Kind.FROM and _reaches(graph, edge.target, edge.source)
    ]


def _position(doc: Document, problem: Problem) -> int:
    return doc.find(problem.block_id) if problem.block_id is not None else -1
