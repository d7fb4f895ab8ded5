"""The window's one follower of the engine's instances, which the instances panel and the charts observe.

:class:`MonitorFeed` runs one :class:`desktop.engine.monitor.Monitor` (one events stream with its inspect
reconcile, the saved history, the bounded sampler) as a task of the window's runner, and turns its news
into Qt signals. :func:`install_monitor` makes it for the main window (``window.monitor``): it starts as
soon as the engine connects, resumes at once when the engine comes back, and starts afresh for another
engine. Each engine address has its own saved history (one instance of one engine is not an instance of
another).

The scope (the app's own instances, or every container of the engine) is the instances panel's choice; the
saved history holds the app's own only: with every container, the history is kept in memory, so the file
never learns of containers that are not the app's (and never records them as removed when the scope
narrows again).
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import logging
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLockFile, QObject, Signal

from ui.asyncqt import AsyncRunner

if TYPE_CHECKING:
    from desktop.engine.monitor import Monitor
    from desktop.history.series import ResourceSeries
    from desktop.history.store import HistoryStore
    from desktop.history.timeline import Timeline

_log = logging.getLogger(__name__)

MONITOR_ATTRIBUTE = "monitor"  # window.monitor
FOLLOWER_TIMEOUT_S = 20
"""Seconds the follower's and the sampler's engine calls may take before they count as failed."""
TASK = "monitor.feed"


def history_path(url: str, folder: Path | None = None) -> Path:
    """The saved history of the engine at ``url``: one SQLite file per engine address in the data folder."""
    from desktop.paths import user_data_dir

    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return (folder or user_data_dir()) / "history" / f"engine-{digest}.sqlite3"


class MonitorFeed(QObject):
    """The shared follower as Qt sees it.

    Signals:
        changed(): the timeline changed (once per batch of events).
        sampled(list): these container ids got a new CPU/memory sample (once per sampling tick).
        restarted(): another history is followed (another engine, or another scope): read everything again.
    """

    changed = Signal()
    sampled = Signal(list)
    restarted = Signal()

    def __init__(
        self,
        runner: AsyncRunner,
        api_factory: Callable[[], Any],
        store_folder: Path | None = None,
        save: bool = True,
        parent: QObject | None = None,
        task_name: str = TASK,
    ) -> None:
        """Follows the engine ``api_factory`` reaches, as task ``task_name`` of ``runner``.

        Args:
            store_folder: where the saved histories are (the user's data folder when None).
            save: keep the history in a file (False: in memory only).
        """
        super().__init__(parent)
        self.setObjectName("MonitorFeed")
        self.runner = runner
        self.api_factory = api_factory
        self.every = False
        self.monitor: Monitor | None = None
        self._store_folder = store_folder
        self._save = save
        self._task_prefix = task_name
        self._task = task_name
        self._generation = 0
        self._url = ""
        self._api_version = ""
        self._sampling = 0
        self._empty: Timeline | None = None
        self._lock_key: str | None = None  # the lock of the followed history file, when this feed writes it
        self._locks: dict[str, QLockFile] = {}  # the history locks this feed holds, by lock file name
        self._lock_users: collections.Counter[str] = collections.Counter()  # followers using each lock
        self._retiring: list[tuple[Monitor, str | None]] = []  # followers replaced, still to close

    # --- what the views read ------------------------------------------------------------------------

    @property
    def timeline(self) -> Timeline:
        """The history followed now (an empty one before the engine connected)."""
        if self.monitor is not None:
            return self.monitor.timeline
        if self._empty is None:
            from desktop.history.timeline import Timeline

            self._empty = Timeline()
        return self._empty

    @property
    def series(self) -> Mapping[str, ResourceSeries]:
        """CPU and memory by container id (empty before the engine connected)."""
        return self.monitor.series if self.monitor is not None else {}

    @property
    def events_streams_opened(self) -> int:
        """How many events streams this feed opened (tests check that one is enough)."""
        return self.monitor.events_streams_opened if self.monitor is not None else 0

    def is_running(self) -> bool:
        return self.runner.is_running(self._task)

    # --- following ----------------------------------------------------------------------------------

    def follow(self, url: str = "", api_version: str = "", after_loss: bool = False) -> None:
        """Follows the engine at ``url`` (speaking ``api_version``): resumes the same history when it is the
        one already followed (a reconnect), else starts another.

        ``after_loss``: the engine was lost and is back. The follower resumes (and reconciles) even if its
        stream looks connected: a remote engine whose host or network went away without closing the
        connection leaves a stream that waits for ever, and the history would stand still.
        """
        self._api_version = api_version
        if self.monitor is not None and url == self._url:
            if after_loss or not (self.is_running() and self.monitor.feed.connected):
                self._run(self.monitor)  # resumes from the last event, at once
            return
        self._url = url
        self._start_new()

    def set_every(self, every: bool) -> None:
        """Follows every container of the engine (True) or the app's own (False), from now on."""
        if every == self.every:
            return
        self.every = every
        if self.monitor is not None:
            self._start_new()

    def want_samples(self, wanted: bool = True) -> None:
        """A view showing CPU and memory opened (True) or closed (False)."""
        self._sampling = max(self._sampling + (1 if wanted else -1), 0)
        if self.monitor is not None:
            self.monitor.want_samples(wanted)

    def stop(self) -> None:
        """Stops following (the history is saved as the task ends)."""
        self.runner.cancel(self._task)

    async def stop_and_wait(self) -> None:
        """Stops following and waits until the history is saved and its file closed."""
        await self.runner.cancel_and_wait(self._task)
        await self._close_retiring()
        if self.monitor is not None:
            await self.monitor.close()
            self.monitor = None  # following again reads the saved history afresh
            self._release_file(self._lock_key)
            self._lock_key = None

    def _start_new(self) -> None:
        from desktop.engine.monitor import Monitor

        store, lock_key = None, None
        if self._save and not self.every:
            store, lock_key = self._open_file(history_path(self._url, self._store_folder))
        monitor = Monitor(
            self.api_factory, store, every_container=self.every, url=self._url, api_version=self._api_version
        )
        monitor.subscribe(*_weak_emitters(self))
        if self._sampling:
            monitor.want_samples(True)
        self._run(monitor, lock_key)
        self.restarted.emit()

    def _open_file(self, path: Path) -> tuple[HistoryStore | None, str | None]:
        """The history file, and the key of its lock when this feed writes it.

        Written by this feed only if no other Dockblocks (another window, another process) writes it: the
        second one reads the saved history and keeps what it sees in memory. A lock this feed holds
        already (a follower of the same file still closing: "every container" turned on and off again) is
        shared, counted. A file that cannot be used leaves the history in memory only.
        """
        from desktop.history.store import open_history

        key = f"{path}.lock"
        if key not in self._locks:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                _log.warning("history: %s cannot be made (%s); keeping it in memory only", path.parent, error)
                return None, None
            lock = QLockFile(key)
            lock.setStaleLockTime(0)  # a lock is stale only when its process is gone (a crash), never by age
            if not lock.tryLock(0):
                _log.info("history: another Dockblocks writes %s; this window only reads it", path)
                return open_history(path, read_only=True), None
            self._locks[key] = lock
        self._lock_users[key] += 1
        store = open_history(path)
        if store is None:
            self._release_file(key)
            return None, None
        return store, key

    def _release_file(self, key: str | None) -> None:
        if key is None or key not in self._locks:
            return
        self._lock_users[key] -= 1
        if self._lock_users[key] <= 0:
            self._locks.pop(key).unlock()
            del self._lock_users[key]

    def _run(self, monitor: Monitor, lock_key: str | None = None) -> None:
        old, old_task = self.monitor, self._task
        if monitor is not old:
            if old is not None:  # closed (and its lock let go) by whichever switch runs first
                self._retiring.append((old, self._lock_key))
            self._lock_key = lock_key
        # Cancelled now, not only from the next task: a switch cancelled before its first step would
        # otherwise leave the follower before it running.
        self.runner.cancel(old_task)
        self._generation += 1
        self._task = f"{self._task_prefix}.{self._generation}"
        self.monitor = monitor
        self.runner.start(self._task, self._replace(old_task, monitor))

    async def _replace(self, old_task: str, new: Monitor) -> None:
        # What ran before has saved its last changes (and closed its file, if it is another history)
        # before this one starts: two runs of one sampler or one file never overlap.
        try:
            await self.runner.cancel_and_wait(old_task)
        finally:  # even when a later switch cancels this one meanwhile: the old files are always closed
            await self._close_retiring()
        await new.run()

    async def _close_retiring(self) -> None:
        while self._retiring:
            old, key = self._retiring.pop(0)
            try:
                await asyncio.shield(old.close())
            finally:
                self._release_file(key)


def _weak_emitters(feed: MonitorFeed) -> tuple[Callable[[], None], Callable[[list[str]], None]]:
    """Callbacks for the core follower that emit ``feed``'s signals without keeping ``feed`` alive: no
    reference cycle through a Qt object, which Python's collector could otherwise free in a worker thread."""
    reference = weakref.ref(feed)

    def changed() -> None:
        alive = reference()
        if alive is not None:
            alive.changed.emit()

    def sampled(containers: list[str]) -> None:
        alive = reference()
        if alive is not None:
            alive.sampled.emit(containers)

    return changed, sampled


def install_monitor(window: QObject) -> MonitorFeed:
    """The window's follower (``window.monitor``), made once; it follows the engine in use (``window.engine``)
    from the moment it connects."""
    existing = getattr(window, MONITOR_ATTRIBUTE, None)
    if isinstance(existing, MonitorFeed):
        return existing
    from ui.engine_monitor import ENGINE_ATTRIBUTE

    engine = getattr(window, ENGINE_ATTRIBUTE)
    # Inspects and one-shot stats answer within a second or two; docker-py's default of 120 s per call kept
    # a window closed on an unreachable remote engine waiting for its worker threads for minutes. (The
    # events stream itself waits without a timeout: docker-py opens it so.)
    feed = MonitorFeed(
        AsyncRunner.of(window), lambda: engine.new_api_client(FOLLOWER_TIMEOUT_S), parent=window
    )
    setattr(window, MONITOR_ATTRIBUTE, feed)

    lost = False

    def engine_changed() -> None:
        nonlocal lost
        info = engine.info
        if info is None:  # lost: the feed retries and reconciles by itself until it is back
            lost = lost or feed.monitor is not None
            return
        feed.follow(info.url, info.api_version, after_loss=lost)
        lost = False

    engine.stateChanged.connect(engine_changed)
    engine_changed()
    return feed
