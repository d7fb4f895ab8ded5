"""Which block a build step comes from.

BuildKit names a step after the instruction and its place in its stage, ``[stage-0 2/3] RUN echo hi``
(``[2/3] RUN …`` for a single stage; ``[linux/arm64 builder  2/12] …`` with a platform and padding). Only
the instructions that change the file system (FROM, RUN, COPY, ADD, WORKDIR) are counted. The classic
builder counts every instruction of the whole file, ``Step 4/7 : RUN …``. Both are mapped back to the
document's blocks here; steps of the engine's own (``[internal] load metadata …``) belong to no block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document
from desktop.image_names import short_image

# Instructions that make a BuildKit vertex of their own (and so take a number in "[stage i/n]").
_COUNTED = frozenset({Kind.FROM, Kind.RUN, Kind.COPY, Kind.ADD, Kind.WORKDIR})
_STEP_NAME = re.compile(
    r"^\[(?P<inside>[^\]]*?)(?P<index>\d+)/(?P<total>\d+)\]\s*(?P<command>.*)$", re.DOTALL
)
_CLASSIC_STEP = re.compile(r"^Step (?P<index>\d+)/(?P<total>\d+) : (?P<command>.*)$")


@dataclass(frozen=True)
class StepName:
    """The parts of a BuildKit step name."""

    stage: str | None
    index: int
    total: int
    command: str

    @property
    def keyword(self) -> str:
        return self.command.split(maxsplit=1)[0].upper() if self.command.strip() else ""


def parse_step_name(name: str) -> StepName | None:
    """Splits ``[builder 2/5] RUN make`` into its parts; None for an internal step."""
    found = _STEP_NAME.match(name)
    if found is None:
        return None
    words = found["inside"].split()
    # A platform always holds a "/" and comes first; a stage name never does.
    stage = next((w for w in reversed(words) if "/" not in w), None)
    return StepName(stage, int(found["index"]), int(found["total"]), found["command"])


def parse_classic_step(line: str) -> tuple[int, int, str] | None:
    """``Step 4/7 : RUN make`` as (4, 7, "RUN make"); None for any other line."""
    found = _CLASSIC_STEP.match(line.rstrip("\r\n"))
    if found is None:
        return None
    return int(found["index"]), int(found["total"]), found["command"]


class StepMapper:
    """Finds the block of each step of a build of ``document``."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._stages = [s for s in document.stages() if s.index >= 0]
        self._instructions = list(document.instructions())
        self._cache: dict[str, str | None] = {}
        self._stage_names = set(document.stage_names())

    @property
    def instructions(self) -> list[Block]:
        """Every instruction, in order: the classic builder's steps."""
        return self._instructions

    def classic_block(self, index: int) -> str | None:
        """The block of the classic builder's step ``index`` (1-based, counting every instruction)."""
        if 1 <= index <= len(self._instructions):
            return self._instructions[index - 1].id
        return None

    def buildkit_block(self, vertex_name: str) -> str | None:
        """The block a BuildKit vertex comes from, or None for the engine's own steps."""
        if vertex_name in self._cache:
            return self._cache[vertex_name]
        step = parse_step_name(vertex_name)
        # The engine's own steps ("[internal] load metadata for …") belong to no block; a failure in one is
        # pinned to its FROM block by the hints, which read the image from the message.
        block = self._find(step) if step is not None else None
        self._cache[vertex_name] = block
        return block

    def _find(self, step: StepName) -> str | None:
        stage_blocks = self._stage_blocks(step.stage)
        if not stage_blocks:
            return None
        counted = [b for b in stage_blocks if b.kind in _COUNTED and not self._from_a_stage(b)]
        for candidates in (counted, stage_blocks):
            if len(candidates) == step.total and 1 <= step.index <= len(candidates):
                block = candidates[step.index - 1]
                if block.kind.value.upper() == step.keyword or block.kind is Kind.UNKNOWN:
                    return block.id
        # The engine counts differently than we think: the block of that kind nearest the step's place.
        same_kind = [(i, b) for i, b in enumerate(counted) if b.kind.value.upper() == step.keyword]
        if not same_kind:
            return None
        return min(same_kind, key=lambda item: abs(item[0] + 1 - step.index))[1].id

    def _from_a_stage(self, block: Block) -> bool:
        """``FROM builder``: a stage built on an earlier one has no FROM step of its own in BuildKit."""
        if block.kind is not Kind.FROM:
            return False
        image = str(block.params.get("image") or "").lower()
        return bool(image) and not block.params.get("tag") and image in self._stage_names

    def _stage_blocks(self, stage: str | None) -> list[Block]:
        if not self._stages:
            return []
        chosen = self._stages[-1]  # no stage in the name: a single stage, or the target, which is built
        if stage is not None:
            lowered = stage.lower()
            named = [
                s for s in self._stages if str(s.blocks[0].params.get("stage_name") or "").lower() == lowered
            ]
            if named:
                chosen = named[0]
            elif (
                lowered.startswith("stage-")
                and lowered[6:].isdigit()
                and int(lowered[6:]) < len(self._stages)
            ):
                chosen = self._stages[int(lowered[6:])]
        return [b for b in chosen.blocks if b.kind.is_instruction]

    def from_block_for_image(self, reference: str) -> str | None:
        """The first FROM block whose image is ``reference`` (registry and ``library/`` may differ)."""
        wanted = _normalise_image(reference)
        for stage in self._stages:
            block = stage.blocks[0]
            image = str(block.params.get("image") or "")
            tag = str(block.params.get("tag") or "")
            if image and _normalise_image(f"{image}:{tag}" if tag else image) == wanted:
                return block.id
        return None


def _normalise_image(reference: str) -> str:
    """``docker.io/library/debian:latest`` and ``debian`` both become ``debian:latest``."""
    name = short_image(reference.split("@", 1)[0])
    last = name.rsplit("/", 1)[-1]
    if ":" not in last:
        name += ":latest"
    return name.lower()
