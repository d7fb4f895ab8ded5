"""The history's SQLite store: written in batches, reloaded after a restart, bounded like the timeline."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from history_events import T0, bands, event, marks

from desktop.history.store import FILE_NAME, HistoryStore, default_path, save
from desktop.history.timeline import Changes, Timeline


def test_a_restart_reloads_the_same_history(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    timeline = Timeline()
    for item in [
        event("create", "a", T0),
        event("start", "a", T0 + 1),
        event("oom", "a", T0 + 4),
        event("die", "a", T0 + 4.5, exitCode="137"),
        event("create", "b", T0 + 2),
        event("start", "b", T0 + 3),
    ]:
        timeline.apply_event(item)
    asyncio.run(save(store, timeline))
    # A later batch changes an interval already written (b's running band ends) and adds new ones.
    timeline.apply_event(event("pause", "b", T0 + 9))
    store.write(timeline.take_changes())
    store.close()

    reloaded = HistoryStore(tmp_path / "history.sqlite3").load()
    for container in ("a", "b"):
        assert bands(reloaded, container) == bands(timeline, container)
        assert marks(reloaded, container) == marks(timeline, container)
    assert reloaded.containers["b"].name == "n-b"
    # The reloaded timeline goes on where it stopped: new keys, and replays of old events change nothing.
    assert not reloaded.apply_event(event("die", "a", T0 + 4.5, exitCode="137"))
    assert reloaded.apply_event(event("unpause", "b", T0 + 12))
    keys = [i.key for h in reloaded.containers.values() for i in h.intervals]
    assert len(keys) == len(set(keys))
    assert not reloaded.take_changes().markers


def test_the_store_stays_within_the_bound(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    timeline = Timeline(max_intervals=200, max_markers=100)
    timeline.apply_event(event("create", "long", T0))
    timeline.apply_event(event("start", "long", T0 + 0.5))
    for n in range(1000):
        at = T0 + 1 + n * 10
        timeline.apply_event(event("start", f"s{n}", at))
        timeline.apply_event(event("die", f"s{n}", at + 1, exitCode="1"))
        timeline.apply_event(event("destroy", f"s{n}", at + 2))
        if n % 37 == 0:  # batches of changes, as the feed writes them every few seconds
            store.write(timeline.take_changes())
    store.write(timeline.take_changes())
    containers, intervals, markers = store.counts()
    assert intervals <= 220
    assert markers <= 110
    assert containers == len(timeline.containers)
    reloaded = store.load(max_intervals=200, max_markers=100)
    assert reloaded.interval_count == timeline.interval_count
    assert bands(reloaded, "long") == bands(timeline, "long")
    assert bands(reloaded, "s999") == bands(timeline, "s999")


def test_the_default_file_is_in_the_users_data_folder() -> None:
    assert default_path().name == FILE_NAME
    assert default_path().parent.name.lower() == "dockblocks"


def test_batches_are_written_in_the_order_they_were_taken_whichever_thread_runs_first(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    timeline = Timeline()
    timeline.apply_event(event("start", "a", T0))
    first, first_ticket = timeline.take_changes(), store.take_ticket()
    timeline.apply_event(event("die", "a", T0 + 5, exitCode="0"))  # ends the running band of `first`
    second, second_ticket = timeline.take_changes(), store.take_ticket()

    later = threading.Thread(target=store.write, args=(second, second_ticket))
    later.start()  # waits for the first batch's turn
    time.sleep(0.2)
    store.write(first, first_ticket)
    later.join(10)
    assert not later.is_alive()
    assert (
        bands(store.load(), "a")
        == bands(timeline, "a")
        == [
            ("running", T0, T0 + 5, None),
            ("exited", T0 + 5, None, 0),
        ]
    )


def test_a_batch_that_could_not_be_written_is_written_with_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    timeline = Timeline()
    timeline.apply_event(event("start", "a", T0))
    real_write = store._write_batches

    def full_disk(batches: list[Changes]) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_write_batches", full_disk)
    with pytest.raises(sqlite3.OperationalError):
        store.write(timeline.take_changes())
    monkeypatch.setattr(store, "_write_batches", real_write)
    timeline.apply_event(event("start", "b", T0 + 1))
    store.write(timeline.take_changes())
    assert set(store.load().containers) == {"a", "b"}
