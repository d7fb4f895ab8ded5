"""Waiting inside a test's coroutine for what the window does on its own time (engine answers, streams)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def until(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Polls ``check`` every 50 ms until it returns something true, returned; fails after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (value := check()):
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)
    return value


def run_in(loop: Any, coroutine: Coroutine[Any, Any, Any], seconds: float) -> Any:
    """Runs a test's coroutine on the qasync loop; fails it after ``seconds`` instead of hanging the suite."""
    return loop.run_until_complete(asyncio.wait_for(coroutine, seconds))


def stop_panel(panel: Any, loop: Any, seconds: float = 30.0) -> None:
    """Stops an instances panel and waits on ``loop`` until its tasks have ended, their clients closed.

    A fixed pause was too short on a busy machine: a follower still closing was then stepped by Qt after
    the loop stopped, failed there, and left its engine connection open (a ResourceWarning later).
    """
    runner = panel.runner
    tasks = [task for name in runner.running_names() if (task := runner.task(name)) is not None]
    panel.stop()
    if tasks:
        loop.run_until_complete(asyncio.wait(tasks, timeout=seconds))
