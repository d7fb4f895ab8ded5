"""docker-py blocks; asyncio must not. Blocking calls and streams run in worker threads.

A call runs in a small shared pool (:func:`run_blocking`). A stream (build output, a pull's progress, logs)
runs in a thread of its own for as long as it lasts, and hands its items to the event loop in batches
through an asyncio queue (:func:`stream_blocking`): the loop wakes once per batch, not once per line.
docker-py's streams cannot be interrupted from outside, so cancelling a stream calls ``close`` (closing
the client that owns the HTTP connection), which makes the blocked read in the thread fail and end.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

POOL_SIZE = 4
"""Worker threads for one-shot calls: the engine answers them in milliseconds; four keep the window's
requests from queueing behind a slow one without making a thread per container."""

GATHER_S = 0.01
"""A fast stream (a build printing as fast as it can) would otherwise wake the loop for every dozen lines:
items arriving within 10 ms (under a frame) travel together, unnoticeable to a reader, and the loop wakes
at most a hundred times a second per stream."""

_pool: concurrent.futures.ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shared_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(POOL_SIZE, thread_name_prefix="engine-call")
        return _pool


async def run_blocking(function: Callable[..., R], *args: object) -> R:
    """``function(*args)`` in the shared worker pool, awaited without blocking the loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_shared_pool(), lambda: function(*args))


async def call_with_client(api_factory: Callable[[], Any], function: Callable[..., R], *args: object) -> R:
    """``function(client, *args)`` in the shared worker pool, with a docker client of its own made by
    ``api_factory`` and closed afterwards, whatever happened (an error making it or calling is raised)."""
    client = api_factory()
    try:
        return await run_blocking(function, client, *args)
    finally:
        client.close()


class _End:
    """Marks the end of a stream in the queue (with the error that ended it, if any)."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


async def stream_blocking(
    open_stream: Callable[[], Iterable[T]],
    close: Callable[[], None],
    max_batch: int = 5000,
    gather_s: float = GATHER_S,
) -> AsyncGenerator[list[T], None]:
    """Items of a blocking stream, read in a thread of its own, in batches of what arrived meanwhile.

    Args:
        open_stream: called in the thread; returns the blocking iterable (a docker-py generator).
        close: called from the loop when the consumer stops early or is cancelled; must make the blocked
            read fail (close the docker client that owns the connection).
        max_batch: the most items handed over at once, so one batch never holds the loop for long.
        gather_s: how long the first item of a batch waits for others to join it.

    Raises:
        Whatever ``open_stream`` or the iteration raised, in the consumer's task.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[list[T] | _End] = asyncio.Queue()
    pending: list[T] = []
    lock = threading.Lock()
    stopping = threading.Event()

    def hand_over() -> None:
        with lock:
            batch = pending[:]
            pending.clear()
        if batch:
            queue.put_nowait(batch)

    def reader() -> None:
        error: BaseException | None = None
        if stopping.is_set():  # the consumer went before this thread started: open nothing
            return
        try:
            for item in open_stream():
                if stopping.is_set():
                    break
                with lock:
                    first = not pending
                    pending.append(item)
                if first:  # one wake-up per batch: later items join the pending batch
                    loop.call_soon_threadsafe(loop.call_later, gather_s, hand_over)
        except BaseException as caught:  # handed to the consumer, which re-raises it
            error = None if stopping.is_set() else caught
        if stopping.is_set():  # nobody listens any more, and the loop may be closed: leave it alone
            return
        try:
            loop.call_soon_threadsafe(hand_over)
            loop.call_soon_threadsafe(queue.put_nowait, _End(error))
        except RuntimeError:
            pass  # the loop is closed: nobody is listening any more

    thread = threading.Thread(target=reader, name="engine-stream", daemon=True)
    thread.start()
    try:
        while True:
            item = await queue.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            for start in range(0, len(item), max_batch):
                yield item[start : start + max_batch]
    finally:
        if thread.is_alive():
            stopping.set()
            close()
