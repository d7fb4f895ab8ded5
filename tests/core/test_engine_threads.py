"""Worker-thread calls and batched streams (desktop/engine/threads.py), with real threads."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from desktop.engine.threads import call_with_client, run_blocking, stream_blocking


def test_run_blocking_runs_outside_the_loop_thread() -> None:
    async def scenario() -> tuple[str, int]:
        return await run_blocking(lambda: (threading.current_thread().name, 6 * 7))

    name, answer = asyncio.run(scenario())
    assert answer == 42
    assert name.startswith("engine-call")


def test_a_fast_stream_arrives_whole_in_order_and_in_few_batches() -> None:
    async def scenario() -> list[list[int]]:
        return [batch async for batch in stream_blocking(lambda: iter(range(100_000)), lambda: None)]

    batches = asyncio.run(scenario())
    assert [item for batch in batches for item in batch] == list(range(100_000))
    # Without gathering, a producer this fast woke the loop every dozen items (thousands of batches).
    assert len(batches) < 200


def test_max_batch_cuts_large_batches() -> None:
    async def scenario() -> list[list[int]]:
        return [
            batch
            async for batch in stream_blocking(lambda: iter(range(10_000)), lambda: None, max_batch=1000)
        ]

    batches = asyncio.run(scenario())
    assert max(len(batch) for batch in batches) <= 1000
    assert sum(len(batch) for batch in batches) == 10_000


def test_an_error_in_the_stream_reaches_the_consumer() -> None:
    def failing() -> Iterator[int]:
        yield 1
        raise ConnectionError("engine went away")

    async def scenario() -> list[int]:
        seen: list[int] = []
        async for batch in stream_blocking(failing, lambda: None):
            seen.extend(batch)
        return seen

    with pytest.raises(ConnectionError, match="engine went away"):
        asyncio.run(scenario())


def test_leaving_early_closes_a_blocked_stream() -> None:
    released = threading.Event()
    closed: list[bool] = []

    def endless() -> Iterator[int]:
        yield 1
        released.wait(10)  # a read blocked on the engine's socket until the client is closed
        raise OSError("connection closed")

    def close() -> None:
        closed.append(True)
        released.set()

    async def scenario() -> list[int]:
        async for batch in stream_blocking(endless, close):
            return batch
        return []

    assert asyncio.run(scenario()) == [1]
    assert closed == [True]


def test_cancelling_the_consumer_closes_the_stream() -> None:
    released = threading.Event()
    closed: list[bool] = []

    def endless() -> Iterator[int]:
        while not released.is_set():
            yield 0
            released.wait(0.001)

    def close() -> None:
        closed.append(True)
        released.set()

    async def consume() -> None:
        async for _batch in stream_blocking(endless, close):
            pass

    async def scenario() -> None:
        task = asyncio.create_task(consume())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert closed == [True]


class _Client:
    """Stands for a docker client: only whether it was closed matters here."""

    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_call_with_client_closes_its_client_after_an_answer_and_after_an_error() -> None:
    made: list[_Client] = []

    def factory() -> _Client:
        made.append(_Client())
        return made[-1]

    def answer(client: _Client, value: int) -> int:
        assert not client.closed  # open while the call runs
        return value * 2

    def refuse(client: _Client) -> None:
        raise ConnectionError("the engine went away")

    assert asyncio.run(call_with_client(factory, answer, 21)) == 42
    with pytest.raises(ConnectionError):
        asyncio.run(call_with_client(factory, refuse))
    assert [client.closed for client in made] == [True, True]
