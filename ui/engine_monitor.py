"""The window's view of the Docker engine: :class:`EngineMonitor`, the main window's ``window.engine``.

It runs a :class:`desktop.engine.watcher.EngineWatcher` through the window's :class:`ui.asyncqt.AsyncRunner`
(task ``engine.watch``), so the engine is found when the app starts, noticed when it stops, and connected
again by itself when it comes back. Build and Run read ``info`` / ``problem`` and make their own clients
with :meth:`EngineMonitor.new_api_client`.

The user's choice (automatic, a Docker context, or a typed address) is kept in QSettings under
``engine/choice``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal

from desktop.engine import contexts
from desktop.engine.connection import (
    EngineAddress,
    EngineInfo,
    EngineProblem,
    EngineUnavailable,
    Source,
    TlsFiles,
    open_api_client,
)
from desktop.engine.problems import ProblemKind, make_problem
from ui.asyncqt import AsyncRunner

if TYPE_CHECKING:  # the watcher needs asyncio, imported after the window's first picture
    from desktop.engine.watcher import EngineWatcher

_log = logging.getLogger(__name__)
CHOICE_KEY = "engine/choice"
WATCH_TASK = "engine.watch"
RETRY_INTERVAL = 2.0  # as desktop.engine.watcher's (not imported here: it needs asyncio)
CHECK_INTERVAL = 3.0
ENGINE_ATTRIBUTE = "engine"  # window.engine


class EngineMonitor(QObject):
    """Whether an engine answers, which one, and why not; reconnects by itself.

    Attributes:
        info: the engine in use (:class:`desktop.engine.connection.EngineInfo`), or None.
        problem: why no engine can be used (:class:`desktop.engine.connection.EngineProblem`), or None
            when one is in use or the first search has not ended yet.
        choice: the address the user chose, or None for automatic.

    Signals:
        stateChanged(): ``info`` or ``problem`` changed (connected, lost, found again, another reason).
    """

    stateChanged = Signal()

    def __init__(
        self,
        runner: AsyncRunner,
        settings: QSettings | None = None,
        parent: QObject | None = None,
        candidates: Callable[[], Sequence[EngineAddress]] | None = None,
        retry_interval: float = RETRY_INTERVAL,
        check_interval: float = CHECK_INTERVAL,
    ) -> None:
        """``candidates`` replaces the automatic search (tests point it at their own engines)."""
        super().__init__(parent)
        self.setObjectName("EngineMonitor")
        self.runner = runner
        self.settings = settings
        self._automatic = candidates if candidates is not None else contexts.candidates
        self.choice: EngineAddress | None = self._load_choice()
        self._intervals = (retry_interval, check_interval)
        self._made_watcher: EngineWatcher | None = None

    # --- state ------------------------------------------------------------------------------------------

    @property
    def info(self) -> EngineInfo | None:
        return self._made_watcher.info if self._made_watcher is not None else None

    @property
    def problem(self) -> EngineProblem | None:
        return self._made_watcher.problem if self._made_watcher is not None else None

    @property
    def watcher(self) -> EngineWatcher:
        """The core watcher behind the monitor (made on first use)."""
        return self._watcher

    @property
    def _watcher(self) -> EngineWatcher:
        if self._made_watcher is None:
            from desktop.engine.watcher import EngineWatcher

            self._made_watcher = EngineWatcher(self._candidates, self._changed, *self._intervals)
        return self._made_watcher

    def is_connected(self) -> bool:
        return self.info is not None

    def address(self) -> str:
        """The address of the engine in use, or of the last one tried ("" before any): what errors of a
        lost engine are explained against (one on another computer is not started here)."""
        if self.info is not None:
            return self.info.url
        return self.problem.address if self.problem is not None else ""

    def current_problem(self) -> EngineProblem:
        """Why Build and Run are unavailable now (a "not connected yet" problem before the first search)."""
        return self.problem or make_problem(ProblemKind.NO_ENGINE_YET)

    # --- using the engine -------------------------------------------------------------------------------

    def new_api_client(self, timeout: int | None = None) -> Any:
        """A fresh ``docker.APIClient`` for the engine in use, for one stream or call; the caller closes it.

        Raises:
            EngineUnavailable: no engine is in use; the problem says why and what to do.
        """
        info = self.info
        if info is None:
            raise EngineUnavailable(self.current_problem())
        return open_api_client(info) if timeout is None else open_api_client(info, timeout=timeout)

    async def ensure_connected(self) -> EngineInfo:
        """The engine in use, checked now (connecting if none was): call it before Build or Run.

        Raises:
            EngineUnavailable: none answers; the problem says why and what to do.
        """
        return await self._watcher.check()

    def report_lost(self) -> None:
        """A stream lost its connection: check the engine at once rather than at the next ping."""
        self._watcher.wake()

    # --- watching -----------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start watching (needs the running qasync loop); starting twice keeps the first watch."""
        self.runner.start(WATCH_TASK, self._watcher.run(), replace=False)

    def stop(self) -> None:
        self.runner.cancel(WATCH_TASK)

    def is_watching(self) -> bool:
        return self.runner.is_running(WATCH_TASK)

    def reconnect(self) -> None:
        """Look for the engine again now (the Engine menu's Reconnect Now)."""
        self._watcher.wake(forget=True)
        self.stateChanged.emit()  # "looking for the engine" until the search ends

    def choose(self, address: EngineAddress | None) -> None:
        """Use this address from now on (None: find the engine automatically); remembered in the settings."""
        self.choice = address
        self._save_choice()
        self._watcher.wake(forget=True)
        self.stateChanged.emit()  # "looking for the engine" until the search ends

    def _candidates(self) -> Sequence[EngineAddress]:
        if self.choice is None:
            return self._automatic()
        if self.choice.source is Source.CONTEXT:  # the context's address may have been edited since
            current = contexts.context_address(self.choice.name)
            return [current if current is not None else self.choice]
        return [self.choice]

    def _changed(self, info: EngineInfo | None, problem: EngineProblem | None) -> None:
        if info is not None:
            _log.info("engine: %s %s at %s", info.product, info.version, info.url)
        elif problem is not None:
            _log.info("engine unavailable: %s (%s)", problem.message, problem.detail)
        self.stateChanged.emit()

    # --- the remembered choice ------------------------------------------------------------------------

    def _load_choice(self) -> EngineAddress | None:
        if self.settings is None:
            return None
        raw = self.settings.value(CHOICE_KEY, "")
        if not isinstance(raw, str) or not raw:
            return None
        try:
            data = json.loads(raw)
            tls = data.get("tls")
            return EngineAddress(
                url=str(data["url"]),
                source=Source(data.get("source", Source.TYPED.value)),
                name=str(data.get("name", "")),
                tls=TlsFiles(**tls) if isinstance(tls, dict) else None,
            )
        except (ValueError, KeyError, TypeError):
            _log.warning("the remembered engine choice could not be read: %r", raw)
            return None

    def _save_choice(self) -> None:
        if self.settings is None:
            return
        if self.choice is None:
            self.settings.remove(CHOICE_KEY)
            return
        data = dataclasses.asdict(self.choice)
        data["source"] = self.choice.source.value
        self.settings.setValue(CHOICE_KEY, json.dumps(data))


def install_engine_monitor(window: QObject, settings: QSettings | None = None) -> EngineMonitor:
    """Attach a monitor to the window as ``window.engine`` (with the window's runner); not started yet."""
    existing = getattr(window, ENGINE_ATTRIBUTE, None)
    if isinstance(existing, EngineMonitor):
        return existing
    monitor = EngineMonitor(AsyncRunner.of(window), settings, window)
    setattr(window, ENGINE_ATTRIBUTE, monitor)
    return monitor
