"""Builds through desktop.engine.build on the private real engine: BuildKit, classic, failures, cancel."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import docker
import pytest
from engine_harness import PrivateEngine

from desktop.dockerfile import import_text
from desktop.engine.build import BuildOptions, build
from desktop.engine.build_events import (
    BuildEvent,
    BuildFailed,
    BuildFinished,
    StepLog,
    StepState,
    StepUpdate,
    UploadProgress,
)
from desktop.engine.connection import open_api_client, parse_address, probe_blocking
from desktop.engine.labels import DOCKBLOCKS_LABEL

pytestmark = pytest.mark.engine


def _factory(engine: PrivateEngine):
    return lambda: docker.APIClient(base_url=engine.base_url, version="auto", timeout=60)


def _run(options: BuildOptions, engine: PrivateEngine) -> list[BuildEvent]:
    async def collect() -> list[BuildEvent]:
        events: list[BuildEvent] = []
        async for batch in build(options, _factory(engine)):
            events.extend(batch)
        return events

    return asyncio.run(collect())


def _options(
    engine, labels, tmp_path: Path, text: str, classic: bool = False, tag: str = "app"
) -> BuildOptions:
    doc = import_text(text.replace("BASE", engine.base_image))
    name = f"dockblocks-test/{tag}:{labels['org.dockblocks.test.case']}"
    return BuildOptions(doc, tmp_path, tag=name, classic=classic, labels=labels)


def _final_states(events: list[BuildEvent]) -> dict[str, StepState]:
    """The last state each block reached (several steps may report on one block)."""
    states: dict[str, StepState] = {}
    for event in events:
        if isinstance(event, StepUpdate) and event.block_id is not None:
            states[event.block_id] = event.state
    return states


def _logs_of(events: list[BuildEvent], block_id: str) -> list[str]:
    return [line for e in events if isinstance(e, StepLog) and e.block_id == block_id for line in e.lines]


DOCKERFILE = """\
FROM BASE
# a comment
ENV GREETING=hello
COPY greeting.txt /app/
RUN cat /app/greeting.txt && echo "$GREETING from run"
WORKDIR /app
"""


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_build_maps_every_step_to_its_block(engine, engine_labels, tmp_path, classic):
    (tmp_path / "greeting.txt").write_text("hi from the build folder\n")
    options = _options(engine, engine_labels, tmp_path, DOCKERFILE, classic, tag="steps")
    blocks = {b.kind.value: b.id for b in options.document.blocks}

    events = _run(options, engine)

    finished = [e for e in events if isinstance(e, BuildFinished)]
    assert finished and not [e for e in events if isinstance(e, BuildFailed)], events
    assert finished[0].tags == (options.tag,)
    image = engine.client.images.get(options.tag)
    assert image.id == finished[0].image_id
    assert image.labels[DOCKBLOCKS_LABEL] == "dockblocks"
    assert image.labels["org.dockblocks.test"] == "1"
    states = _final_states(events)
    for kind in ("FROM", "COPY", "RUN", "WORKDIR"):
        assert states[blocks[kind]] in (StepState.DONE, StepState.CACHED), (kind, states)
    assert blocks["comment"] not in states
    assert _logs_of(events, blocks["RUN"])[-2:] == ["hi from the build folder", "hello from run"]
    uploads = [e for e in events if isinstance(e, UploadProgress)]
    assert uploads[-1].sent == uploads[-1].total == len("hi from the build folder\n")
    running = [e for e in events if isinstance(e, StepUpdate) and e.block_id == blocks["RUN"]]
    assert running[-1].started is not None and running[-1].completed is not None
    assert running[-1].completed >= running[-1].started


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_second_build_reports_cached_steps(engine, engine_labels, tmp_path, classic):
    (tmp_path / "greeting.txt").write_text("cache me\n")
    options = _options(engine, engine_labels, tmp_path, DOCKERFILE, classic, tag="cache")
    run_block = next(b.id for b in options.document.blocks if b.kind.value == "RUN")
    _run(options, engine)

    again = _run(options, engine)

    assert [e for e in again if isinstance(e, BuildFinished)]
    assert _final_states(again)[run_block] is StepState.CACHED


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_failing_step_is_pinned_to_its_block(engine, engine_labels, tmp_path, classic):
    text = "FROM BASE\nRUN echo first\nRUN echo about to fail >&2; exit 3\nRUN echo never\n"
    options = _options(engine, engine_labels, tmp_path, text, classic, tag="fails")
    failing = options.document.blocks[2].id
    never = options.document.blocks[3].id

    events = _run(options, engine)

    failed = [e for e in events if isinstance(e, BuildFailed)]
    assert len(failed) == 1 and not [e for e in events if isinstance(e, BuildFinished)]
    assert failed[0].block_id == failing
    assert "exit code: 3" in failed[0].message or "non-zero code: 3" in failed[0].message
    assert _final_states(events)[failing] is StepState.FAILED
    assert "about to fail" in _logs_of(events, failing)
    assert _final_states(events).get(never) in (None, StepState.WAITING)


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_cancel_stops_the_build_promptly_and_the_next_build_works(engine, engine_labels, tmp_path, classic):
    text = "FROM BASE\nRUN echo started; sleep 60\n"
    options = _options(engine, engine_labels, tmp_path, text, classic, tag="cancel")
    sleeper = options.document.blocks[1].id

    async def start_then_cancel() -> tuple[list[BuildEvent], float]:
        seen: list[BuildEvent] = []
        running = asyncio.Event()

        async def consume() -> None:
            async for batch in build(options, _factory(engine)):
                seen.extend(batch)
                if any(isinstance(e, StepLog) and e.block_id == sleeper for e in batch):
                    running.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(running.wait(), 30)
        began = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return seen, time.monotonic() - began

    seen, took = asyncio.run(start_then_cancel())

    assert took < 2.0
    assert not [e for e in seen if isinstance(e, BuildFinished | BuildFailed)]
    after = _run(
        _options(engine, engine_labels, tmp_path, "FROM BASE\nRUN echo again\n", classic, "after"), engine
    )
    assert [e for e in after if isinstance(e, BuildFinished)], after
    if classic:  # the classic builder's step container is stopped and removed by the engine
        deadline = time.monotonic() + 20
        while engine.client.containers.list(all=True, filters={"ancestor": engine.base_image}):
            assert time.monotonic() < deadline, "the cancelled build's container was left behind"
            time.sleep(0.5)


def test_engine_missing_is_a_plain_failure(tmp_path):
    doc = import_text("FROM busybox\n")
    missing = f"unix://{tmp_path / 'no-such.sock'}"

    def no_engine():  # what the window's engine.new_api_client does: probe, then make a client
        return open_api_client(probe_blocking(parse_address(missing)))

    async def collect() -> list[BuildEvent]:
        out: list[BuildEvent] = []
        async for batch in build(BuildOptions(doc, tmp_path), no_engine):
            out.extend(batch)
        return out

    events = asyncio.run(collect())

    assert len(events) == 1 and isinstance(events[0], BuildFailed)
    assert "Docker" in events[0].message and "Traceback" not in events[0].message
    assert events[0].hint


def test_cancel_during_the_upload_of_a_large_folder(engine, engine_labels, tmp_path):
    with open(tmp_path / "big.bin", "wb") as big:  # sparse: costs no disk, reads as 400 MB of zeros
        big.truncate(400 * 1024 * 1024)
    options = _options(engine, engine_labels, tmp_path, "FROM BASE\nCOPY big.bin /\n", tag="upload-cancel")

    async def cancel_after_first_progress() -> tuple[list[BuildEvent], float]:
        seen: list[BuildEvent] = []
        sending = asyncio.Event()

        async def consume() -> None:
            async for batch in build(options, _factory(engine)):
                seen.extend(batch)
                if any(isinstance(e, UploadProgress) and 0 < e.sent < e.total for e in batch):
                    sending.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(sending.wait(), 30)
        began = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return seen, time.monotonic() - began

    seen, took = asyncio.run(cancel_after_first_progress())

    assert took < 1.0
    sent = [e.sent for e in seen if isinstance(e, UploadProgress)]
    assert sent == sorted(sent) and sent[-1] < 400 * 1024 * 1024
    (tmp_path / "big.bin").unlink()
    after = _run(
        _options(engine, engine_labels, tmp_path, "FROM BASE\nRUN echo fine\n", tag="after-upload"), engine
    )
    assert [e for e in after if isinstance(e, BuildFinished)], after
