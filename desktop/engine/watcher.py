"""Keeping a connection to an engine: find it, notice when it goes, connect again when it comes back.

:class:`EngineWatcher` runs as one asyncio task for as long as the application. While no engine answers it
tries the candidates again every ``retry_interval`` seconds; while one answers it pings it every
``check_interval`` seconds. Each change (connected, unavailable with a new reason) is reported once through
``on_change``. :meth:`EngineWatcher.wake` makes it look at once (the user chose another engine, or a build
lost its connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from desktop.engine.connection import (
    PROBE_TIMEOUT,
    EngineAddress,
    EngineInfo,
    EngineProblem,
    EngineUnavailable,
    connect_first,
    open_api_client,
    reach_socket,
)
from desktop.engine.problems import ProblemKind, classify, make_problem
from desktop.engine.threads import run_blocking

_log = logging.getLogger(__name__)

RETRY_INTERVAL = 2.0  # seconds between attempts while no engine answers: an engine starting is seen quickly
CHECK_INTERVAL = 3.0  # seconds between pings of a connected engine: a stopped engine is noticed quickly
SSH_CHECK_FACTOR = 5  # each ping over ssh:// opens an SSH connection: ping such an engine less often

ChangeHandler = Callable[[EngineInfo | None, EngineProblem | None], None]


def ping_blocking(info: EngineInfo, timeout: int = PROBE_TIMEOUT) -> None:
    """GET /_ping on a connected engine, with a client of its own (blocking).

    Raises:
        EngineUnavailable: the engine no longer answers; the problem says why.
    """
    try:
        reach_socket(info.url, timeout)
        client = open_api_client(info, timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
    except EngineUnavailable:
        raise
    except Exception as error:  # every failure to answer is a reason to reconnect
        raise EngineUnavailable(classify(error, info.url)) from error


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class EngineWatcher:
    """Finds an engine among candidates and keeps track of whether it still answers.

    Attributes:
        info: the engine that answers, or None.
        problem: why none answers, or None (None before the first attempt ended, too).
    """

    def __init__(
        self,
        candidates: Callable[[], Sequence[EngineAddress]],
        on_change: ChangeHandler,
        retry_interval: float = RETRY_INTERVAL,
        check_interval: float = CHECK_INTERVAL,
    ) -> None:
        """``candidates()`` is asked before each attempt (the user's choice may have changed)."""
        self._candidates = candidates
        self._on_change = on_change
        self.retry_interval = retry_interval
        self.check_interval = check_interval
        self.info: EngineInfo | None = None
        self.problem: EngineProblem | None = None
        self._wake: asyncio.Future[None] | None = None  # set while waiting for the next look
        self._woken = False  # wake() came while looking: look again at once
        self._attempts = 0

    @property
    def attempts(self) -> int:
        """How many times the candidates were tried (tests wait on it)."""
        return self._attempts

    def wake(self, forget: bool = False) -> None:
        """Look again at once instead of at the next interval.

        Args:
            forget: drop the engine in use and search the candidates again (the choice changed).
        """
        if forget:
            self.info = None
            self.problem = None  # "looking" until the search ends
        self._woken = True
        if self._wake is not None and not self._wake.done():
            self._wake.set_result(None)

    async def check(self) -> EngineInfo:
        """Make sure an engine answers now: ping the one in use, else try the candidates once.

        Raises:
            EngineUnavailable: none answers; the problem says why and what to do.
        """
        if self.info is not None:
            try:
                await run_blocking(ping_blocking, self.info)
                return self.info
            except EngineUnavailable as lost:
                _log.info("engine at %s stopped answering: %s", self.info.url, lost.problem.detail)
        return await self._connect()

    async def run(self) -> None:
        """Watch until cancelled."""
        loop = asyncio.get_running_loop()
        while True:
            self._woken = False
            with contextlib.suppress(EngineUnavailable):
                await self.check()
            if self._woken:
                continue
            interval = self.retry_interval
            if self.info is not None:
                factor = SSH_CHECK_FACTOR if self.info.url.startswith("ssh://") else 1
                interval = self.check_interval * factor
            # A plain future and a timer: no coroutine object is left unawaited when the loop closes.
            self._wake = wake = loop.create_future()
            timer = loop.call_later(interval, _settle, wake)
            try:
                await wake
            finally:
                timer.cancel()
                self._wake = None

    async def _connect(self) -> EngineInfo:
        self._attempts += 1
        try:
            chosen = list(self._candidates())
        except Exception as error:  # a broken settings value must not stop the watch
            _log.exception("the engine candidates could not be listed")
            self._set(None, make_problem(ProblemKind.UNKNOWN, "", str(error), reason=type(error).__name__))
            raise EngineUnavailable(self.problem or make_problem(ProblemKind.UNKNOWN)) from error
        try:
            info = await connect_first(chosen)
        except EngineUnavailable as unavailable:
            self._set(None, unavailable.problem)
            raise
        self._set(info, None)
        return info

    def _set(self, info: EngineInfo | None, problem: EngineProblem | None) -> None:
        same_problem = (problem is None and self.problem is None) or (
            problem is not None
            and self.problem is not None
            and (problem.kind, problem.address) == (self.problem.kind, self.problem.address)
        )
        changed = info != self.info or not same_problem or (info is None and problem is None)
        self.info, self.problem = info, problem
        if changed:
            self._on_change(info, problem)
