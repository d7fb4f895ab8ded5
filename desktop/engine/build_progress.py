"""The engine's build output, turned into :mod:`desktop.engine.build_events`.

Each builder speaks its own language: BuildKit sends protobuf traces of vertices (see
:mod:`desktop.engine.buildkit_trace`), the classic builder sends text (``Step 2/5 : RUN …``, `` ---> Using
cache``). A translator is fed the decoded JSON lines one at a time and returns the events they mean; it
remembers the image id, the failure and the last lines of each step (for the hints).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from desktop.engine.build_events import BuildEvent, StepLog, StepState, StepUpdate
from desktop.engine.build_steps import StepMapper, parse_classic_step
from desktop.engine.buildkit_trace import TraceDecodeError, Vertex, decode_trace

TRACE_ID = "moby.buildkit.trace"
IMAGE_ID = "moby.image.id"
_CLASSIC_CHATTER = ("---> ", "Removing intermediate container", "Successfully built", "Successfully tagged")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the classic builder colours stderr red
TAIL_LINES = 30
"""Lines kept per step for the failure hints (the end of the output is what explains a failure)."""


@dataclass
class Failure:
    """What went wrong, as far as the engine said."""

    message: str
    step_id: str | None = None
    block_id: str | None = None
    step_name: str = ""
    tail: tuple[str, ...] = ()


@dataclass
class _Step:
    name: str
    block_id: str | None
    state: StepState | None = None
    partial: str = ""
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))


class _Translator:
    def __init__(self, mapper: StepMapper) -> None:
        self.mapper = mapper
        self.image_id: str | None = None
        self.failure: Failure | None = None
        self.steps: dict[str, _Step] = {}
        self.last_step: str | None = None
        self.failed_vertex: str | None = None

    def _error(self, item: dict[str, Any]) -> None:
        detail = item.get("errorDetail")
        message = detail.get("message") if isinstance(detail, dict) else None
        message = str(message or item.get("error") or "The build failed without saying why.")
        step_id = self._failed_step_id()
        step = self.steps.get(step_id) if step_id else None
        if step is not None and step.partial:
            step.tail.append(step.partial)
        self.failure = Failure(
            message.strip(),
            step_id,
            step.block_id if step else None,
            step.name if step else "",
            tuple(step.tail) if step else (),
        )

    def _failed_step_id(self) -> str | None:
        return self.last_step

    def _lines(self, step_id: str, text: str) -> tuple[str, ...]:
        """Whole lines of a step's output; a line cut between two messages waits for its end."""
        step = self.steps[step_id]
        text = step.partial + text.replace("\r\n", "\n")
        *lines, step.partial = text.split("\n")
        # A progress bar redraws its line with "\r": only its last state is worth keeping.
        lines = [line.rsplit("\r", 1)[-1] if "\r" in line else line for line in lines]
        step.tail.extend(lines)
        return tuple(lines)

    def _flush(self, step_id: str) -> list[BuildEvent]:
        step = self.steps[step_id]
        if not step.partial:
            return []
        line, step.partial = step.partial, ""
        step.tail.append(line)
        return [StepLog(step_id, step.block_id, (line,))]

    def merge_logs(self, events: list[BuildEvent]) -> list[BuildEvent]:
        """Joins consecutive logs of one step: a view appends one batch rather than a line at a time."""
        merged: list[BuildEvent] = []
        run: list[str] = []  # the lines of the StepLogs being joined (linear: tuples are not re-added)
        last: StepLog | None = None
        for event in events:
            if isinstance(event, StepLog) and last is not None and last.step_id == event.step_id:
                run.extend(event.lines)
                continue
            if last is not None:
                merged.append(StepLog(last.step_id, last.block_id, tuple(run)))
                last, run = None, []
            if isinstance(event, StepLog):
                last, run = event, list(event.lines)
            else:
                merged.append(event)
        if last is not None:
            merged.append(StepLog(last.step_id, last.block_id, tuple(run)))
        return merged

    def flush_all(self) -> list[BuildEvent]:
        """The lines still waiting for their end, when the build is over."""
        events: list[BuildEvent] = []
        for step_id in self.steps:
            events.extend(self._flush(step_id))
        return events


class BuildKitTranslator(_Translator):
    """Translates ``POST /build?version=2`` output."""

    def feed(self, item: dict[str, Any]) -> list[BuildEvent]:
        """The events of one JSON line of the engine's answer."""
        ident = item.get("id")
        if ident == TRACE_ID:
            try:
                status = decode_trace(item.get("aux") or "")
            except TraceDecodeError:
                return []  # a message we cannot read is not worth failing a build for
            events: list[BuildEvent] = []
            for vertex in status.vertexes:
                events.extend(self._vertex(vertex))
            for log in status.logs:
                if log.vertex not in self.steps:
                    self.steps[log.vertex] = _Step("", None)
                lines = self._lines(log.vertex, log.data.decode("utf-8", "replace"))
                if lines:
                    events.append(StepLog(log.vertex, self.steps[log.vertex].block_id, lines))
            for warning in status.warnings:  # newer engines: the Dockerfile checks' warnings, on their step
                block = self.steps[warning.vertex].block_id if warning.vertex in self.steps else None
                events.append(StepLog(warning.vertex, block, (f"warning: {warning.short}",)))
            return events
        if ident == IMAGE_ID:
            aux = item.get("aux")
            if isinstance(aux, dict) and aux.get("ID"):
                self.image_id = str(aux["ID"])
            return []
        if "errorDetail" in item or "error" in item:
            self._error(item)
            return []
        if isinstance(item.get("stream"), str) and self.last_step is not None:
            # Rare with BuildKit (warnings of the engine itself): shown with the last step.
            lines = self._lines(self.last_step, item["stream"])
            return [StepLog(self.last_step, self.steps[self.last_step].block_id, lines)] if lines else []
        return []

    def _vertex(self, vertex: Vertex) -> list[BuildEvent]:
        step = self.steps.get(vertex.digest)
        if step is None or not step.name:
            block = self.mapper.buildkit_block(vertex.name)
            step = self.steps[vertex.digest] = _Step(vertex.name, block, None, step.partial if step else "")
        if vertex.error:
            state = StepState.FAILED
            self.failed_vertex = vertex.digest
        elif vertex.cached:
            state = StepState.CACHED
        elif vertex.completed is not None:
            state = StepState.DONE
        elif vertex.started is not None:
            state = StepState.RUNNING
            self.last_step = vertex.digest
        else:
            state = StepState.WAITING
        if state is step.state:
            return []
        step.state = state
        events: list[BuildEvent] = []
        if state in (StepState.DONE, StepState.CACHED, StepState.FAILED):
            events.extend(self._flush(vertex.digest))
        events.append(
            StepUpdate(vertex.digest, vertex.name, step.block_id, state, vertex.started, vertex.completed)
        )
        return events

    def _failed_step_id(self) -> str | None:
        return self.failed_vertex or self.last_step


class ClassicTranslator(_Translator):
    """Translates ``POST /build`` (the classic builder) output."""

    def __init__(self, mapper: StepMapper) -> None:
        super().__init__(mapper)
        self._cached = False
        self._started = 0.0
        self._said = False  # whether the running step printed anything yet

    def waiting(self) -> list[BuildEvent]:
        """Every instruction as a waiting step: the classic builder runs them all, one after the other."""
        events: list[BuildEvent] = []
        for index, block in enumerate(self.mapper.instructions, start=1):
            name = f"Step {index}"
            self.steps[str(index)] = _Step(name, block.id, StepState.WAITING)
            events.append(StepUpdate(str(index), name, block.id, StepState.WAITING))
        return events

    def feed(self, item: dict[str, Any], now: float) -> list[BuildEvent]:
        """The events of one JSON line; ``now`` (epoch seconds) times the steps, which the text does not."""
        if "errorDetail" in item or "error" in item:
            closing = self._finish_step(StepState.FAILED, now)
            self._error(item)
            return closing
        aux = item.get("aux")
        if isinstance(aux, dict) and aux.get("ID"):
            self.image_id = str(aux["ID"])
            return []
        text = item.get("stream")
        if not isinstance(text, str):
            return []
        events: list[BuildEvent] = []
        for line in text.splitlines(keepends=True):
            events.extend(self._line(line, now))
        return events

    def _line(self, line: str, now: float) -> list[BuildEvent]:
        step = parse_classic_step(line)
        if step is not None:
            events = self._finish_step(StepState.CACHED if self._cached else StepState.DONE, now)
            index, total, command = step
            step_id = str(index)
            block = self.mapper.classic_block(index)
            name = f"Step {index}/{total} : {command}"
            self.steps[step_id] = _Step(name, block, StepState.RUNNING)
            self.last_step, self._cached, self._said = step_id, False, False
            self._started = now
            events.append(StepUpdate(step_id, name, block, StepState.RUNNING, now))
            return events
        if self.last_step is None:
            return []
        bare = line.strip()
        if bare == "---> Using cache":
            self._cached = True
            return []
        if bare.startswith(_CLASSIC_CHATTER):  # the builder's own bookkeeping, not the step's output
            return []
        plain = _ANSI.sub("", line)
        if (plain != line or not self._said) and not plain.strip():
            return []  # the colour's reset, or the blank line the builder puts after "Step …"
        self._said = True
        lines = self._lines(self.last_step, plain)
        return [StepLog(self.last_step, self.steps[self.last_step].block_id, lines)] if lines else []

    def _finish_step(self, state: StepState, now: float) -> list[BuildEvent]:
        if self.last_step is None:
            return []
        step = self.steps[self.last_step]
        if step.state is not StepState.RUNNING:
            return []
        step.state = state
        events = self._flush(self.last_step)
        events.append(StepUpdate(self.last_step, step.name, step.block_id, state, self._started, now))
        return events

    def finish(self, now: float) -> list[BuildEvent]:
        """Closes the last step when the build succeeded (the text never says it ended)."""
        if self.failure is not None:
            return []
        return self._finish_step(StepState.CACHED if self._cached else StepState.DONE, now)
