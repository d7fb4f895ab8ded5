"""Keeping the instances' state history across restarts: a SQLite file in the user's data folder.

The timeline hands over what changed as rows (:meth:`Timeline.take_changes`); :meth:`HistoryStore.write`
writes one batch in one transaction. Writes are meant to run off the event loop (:func:`save` runs them in
the engine worker pool), so the connection may be used from any thread, one at a time (a lock).
The store keeps the same bound as the timeline: what the timeline dropped is deleted here too.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from pathlib import Path

from desktop.engine.threads import run_blocking
from desktop.history.timeline import (
    MAX_INTERVALS,
    MAX_MARKERS,
    Changes,
    ContainerRow,
    IntervalRow,
    MarkerRow,
    Timeline,
)
from desktop.paths import user_data_dir

_log = logging.getLogger(__name__)

FILE_NAME = "history.sqlite3"

TURN_TIMEOUT = 30.0
"""Seconds a write waits for the writes taken before it."""

MAX_UNWRITTEN = 1000
"""Batches kept while the file cannot be written (a full disk): about half an hour of them; older ones go."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY, name TEXT NOT NULL, image TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS intervals (
    key INTEGER PRIMARY KEY, container TEXT NOT NULL, state TEXT NOT NULL,
    start REAL NOT NULL, "end" REAL, exit_code INTEGER, health TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS markers (
    key INTEGER PRIMARY KEY, container TEXT NOT NULL, kind TEXT NOT NULL,
    time REAL NOT NULL, code INTEGER, detail TEXT NOT NULL
);
"""


def default_path() -> Path:
    """Where the history is kept: ``history.sqlite3`` in the user's data folder."""
    return user_data_dir() / FILE_NAME


class HistoryStore:
    """The SQLite file that holds the history.

    Attributes:
        path: the file.
        read_only: the history is read from the file but nothing is written to it (another Dockblocks
            writes this file: two writers would give the same key to different rows).
    """

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        """Opens (and creates, with its folder) the file at ``path``, by default :func:`default_path`."""
        self.path = path or default_path()
        self.read_only = read_only
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # Batches are written in the order they were taken from the timeline, whichever worker runs them:
        # an older batch written last would put back an interval's old end.
        self._turns = threading.Condition()
        self._next_ticket = 0
        self._turn = 0
        self._unwritten: list[Changes] = []  # batches a failed write kept, written first next time
        # One connection used from worker threads in turn (the lock), never at once.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            with self._lock:
                self._db.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
                self._db.execute("PRAGMA synchronous=NORMAL")  # a crash may lose a batch, never the file
                self._db.executescript(_SCHEMA)
        except BaseException:
            self._db.close()  # not a history: let go of it (Windows cannot move an open file aside)
            raise

    def take_ticket(self) -> int:
        """A place in the order of writes: take it where the changes are taken (in the loop)."""
        with self._turns:
            ticket = self._next_ticket
            self._next_ticket += 1
            return ticket

    def write(self, changes: Changes, ticket: int | None = None) -> None:
        """Writes one batch of changes in one transaction (blocking: call :func:`save` from async code).

        Args:
            changes: what :meth:`Timeline.take_changes` gave.
            ticket: from :meth:`take_ticket` when the batch was taken; the write waits for the batches
                taken before it. None: a ticket is taken now.

        Raises:
            sqlite3.Error: the file could not be written; the batch is kept and written with the next one.
        """
        if ticket is None:
            ticket = self.take_ticket()
        with self._turns:
            if not self._turns.wait_for(lambda: self._turn >= ticket, timeout=TURN_TIMEOUT):
                self._turn = ticket  # an earlier write never came: do not wait for it for ever
        batches = [*self._unwritten, changes]
        try:
            with self._lock:
                self._write_batches([batch for batch in batches if batch])
            self._unwritten = []
        except BaseException:
            self._unwritten = batches[-MAX_UNWRITTEN:]
            raise
        finally:
            with self._turns:
                self._turn = max(self._turn, ticket + 1)
                self._turns.notify_all()

    def _write_batches(self, batches: list[Changes]) -> None:
        if not batches or self.read_only:
            return
        db = self._db
        db.execute("BEGIN")
        try:
            for changes in batches:
                db.executemany("INSERT OR REPLACE INTO containers VALUES (?, ?, ?)", changes.containers)
                db.executemany(
                    "INSERT OR REPLACE INTO intervals VALUES (?, ?, ?, ?, ?, ?, ?)", changes.intervals
                )
                db.executemany("INSERT OR REPLACE INTO markers VALUES (?, ?, ?, ?, ?, ?)", changes.markers)
                if changes.oldest_interval_kept:
                    db.execute(
                        "DELETE FROM intervals WHERE key < ? AND (\"end\" IS NOT NULL OR state = 'removed')",
                        (changes.oldest_interval_kept,),
                    )
                    db.execute(
                        "DELETE FROM containers WHERE id NOT IN (SELECT DISTINCT container FROM intervals)"
                    )
                    db.execute("DELETE FROM markers WHERE container NOT IN (SELECT id FROM containers)")
                if changes.oldest_marker_kept:
                    db.execute("DELETE FROM markers WHERE key < ?", (changes.oldest_marker_kept,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def load(self, max_intervals: int = MAX_INTERVALS, max_markers: int = MAX_MARKERS) -> Timeline:
        """A timeline holding what the file keeps (blocking; at start, before the events are followed)."""
        timeline = Timeline(max_intervals, max_markers)
        timeline.load(*self.read_rows())
        return timeline

    def read_rows(self) -> tuple[list[ContainerRow], list[IntervalRow], list[MarkerRow]]:
        """What the file keeps, as rows for :meth:`Timeline.load` (blocking: read in a worker thread, then
        loaded into the timeline the views already show, in the loop)."""
        with self._lock:
            containers = self._db.execute("SELECT id, name, image FROM containers").fetchall()
            intervals = self._db.execute(
                # In order of time: a run found late (its start event came after its exit) has a newer key.
                'SELECT key, container, state, start, "end", exit_code, health FROM intervals '
                "ORDER BY start, key"
            ).fetchall()
            markers = self._db.execute(
                "SELECT key, container, kind, time, code, detail FROM markers ORDER BY key"
            ).fetchall()
        return containers, intervals, markers

    def counts(self) -> tuple[int, int, int]:
        """How many containers, intervals and markers the file holds."""
        with self._lock:
            return tuple(
                self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("containers", "intervals", "markers")
            )

    def close(self) -> None:
        """Closes the file once every batch already taken is written (blocking: a worker may still hold one).

        A write started by a saver that was cancelled as the application closed holds changes nobody else
        has: closing under it would lose them.
        """
        with self._turns:
            self._turns.wait_for(lambda: self._turn >= self._next_ticket, timeout=TURN_TIMEOUT)
        with self._lock:
            self._db.close()


def open_history(path: Path, read_only: bool = False) -> HistoryStore | None:
    """The history file at ``path``, or None when it cannot be had: the history is then kept in memory only.

    ``read_only``: read the saved history, write nothing (another Dockblocks writes the file). Such a file
    that cannot be used is left as it is.

    A file that is not a SQLite database (a crash while it was made, another program's file) is kept beside
    it under another name, never deleted, and a new history starts. A folder that cannot be written to (a
    read-only or full disk, no permission) gives None. Either way it is logged; the live history goes on.
    """
    try:
        return HistoryStore(path, read_only)
    except sqlite3.DatabaseError as error:
        # Cannot open or write, or another Dockblocks writes it: nothing is moved aside.
        if read_only or isinstance(error, sqlite3.OperationalError):
            _log.warning("history: %s cannot be used (%s); keeping it in memory only", path, error)
            return None
        kept = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        _log.warning("history: %s is not a history (%s); kept as %s, a new one starts", path, error, kept)
        try:
            path.rename(kept)
            return HistoryStore(path)
        except (OSError, sqlite3.Error) as again:
            _log.warning("history: a new history file could not be made either (%s); memory only", again)
            return None
    except OSError as error:
        _log.warning("history: %s cannot be used (%s); keeping it in memory only", path, error)
        return None


async def save(store: HistoryStore, timeline: Timeline) -> None:
    """Writes what changed in ``timeline`` since the last save, in a worker thread (the loop never waits)."""
    changes = timeline.take_changes()
    if changes:
        ticket = store.take_ticket()
        # Shielded: a cancelled caller must not cancel a write that holds its place in the order.
        await asyncio.shield(run_blocking(store.write, changes, ticket))
