"""Following an instance's output on the real engine: lines in order, stdout told from stderr, cancelling."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import docker
import pytest
from engine_harness import PrivateEngine

from desktop.engine.logs import STDERR, STDOUT, LogLine, follow_logs, instance_state
from desktop.engine.run import run
from desktop.engine.run_spec import RunSpec

pytestmark = pytest.mark.engine


@pytest.fixture
def api_factory(engine: PrivateEngine) -> Callable[[], Any]:
    return lambda: docker.APIClient(base_url=engine.base_url, version="auto")


def test_output_follows_live_until_the_instance_stops(
    engine: PrivateEngine, engine_labels: dict[str, str], api_factory: Callable[[], Any]
) -> None:
    # (a last line without a newline may reach a follower after its stream ended: an engine race; the
    # cutting of such a line is tested in tests/core/test_log_lines.py)
    script = "for i in 1 2 3; do echo out $i; echo err $i >&2; sleep 0.2; done; exit 3"
    spec = RunSpec(engine.base_image, command=f'sh -c "{script}"')

    async def scenario() -> tuple[list[LogLine], Any]:
        started = await run(spec, api_factory, engine_labels)
        lines: list[LogLine] = []
        async for batch in follow_logs(started[0].id, api_factory):
            lines.extend(batch)
        return lines, await instance_state(started[0].id, api_factory)

    lines, state = asyncio.run(scenario())

    assert [line for line in lines if line.stream == STDOUT] == [
        LogLine(STDOUT, "out 1"),
        LogLine(STDOUT, "out 2"),
        LogLine(STDOUT, "out 3"),
    ]
    assert [line.text for line in lines if line.stream == STDERR] == ["err 1", "err 2", "err 3"]
    assert not state.running and state.exit_code == 3


def test_leaving_a_follow_early_closes_it_promptly(
    engine: PrivateEngine, engine_labels: dict[str, str], api_factory: Callable[[], Any]
) -> None:
    spec = RunSpec(engine.base_image, command='sh -c "echo ready; exec sleep 300"')

    async def scenario() -> tuple[list[LogLine], float, bool]:
        started = await run(spec, api_factory, engine_labels)
        first: list[LogLine] = []

        async def listen() -> None:
            async for batch in follow_logs(started[0].id, api_factory):
                first.extend(batch)

        task = asyncio.create_task(listen())
        while not first:
            await asyncio.sleep(0.05)
        began = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        took = time.monotonic() - began
        return first, took, (await instance_state(started[0].id, api_factory)).running

    first, took, still_running = asyncio.run(scenario())

    assert first == [LogLine(STDOUT, "ready")]
    assert took < 1.0
    assert still_running  # only the listening stopped, not the instance
