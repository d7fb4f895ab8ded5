"""A history file that cannot be used: not a database, a folder that cannot be written, rows of a newer
version. The live history goes on in each case and nothing of the user's is deleted."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest
from history_events import T0, bands, event

from desktop.history.store import HistoryStore, open_history, save
from desktop.history.timeline import Timeline


def test_a_file_that_is_not_a_history_is_kept_aside_and_a_new_history_starts(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database, but someone's file " * 100)

    store = open_history(path)

    assert store is not None
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("history.sqlite3.unreadable-")]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    timeline = Timeline()
    timeline.apply_event(event("create", "a", T0))
    asyncio.run(save(store, timeline))
    store.close()
    assert bands(HistoryStore(path).load(), "a") == bands(timeline, "a")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders: permissions cannot fail")
def test_a_folder_that_cannot_be_written_leaves_the_history_in_memory(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert open_history(folder / "history.sqlite3") is None
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_path_under_a_file_leaves_the_history_in_memory(tmp_path: Path) -> None:
    # What root meets instead of a permission error: the folder cannot be made at all.
    (tmp_path / "data").write_text("a file where the data folder should be")
    assert open_history(tmp_path / "data" / "history.sqlite3") is None


def test_rows_of_a_newer_version_are_passed_over_and_their_keys_kept(tmp_path: Path) -> None:
    timeline = Timeline()
    intervals = [
        (1, "a", "running", T0, T0 + 5, None, ""),
        (2, "a", "hibernating", T0 + 5, None, None, ""),  # a state this version does not know
    ]
    markers = [(7, "a", "teleported", T0 + 5, None, "")]

    timeline.load([("a", "web", "site")], intervals, markers)

    assert [interval.state.value for interval in timeline.containers["a"].intervals] == ["running"]
    assert timeline.containers["a"].markers == []
    timeline.apply_event(event("die", "a", T0 + 9, exitCode="0"))
    written = timeline.take_changes()
    assert all(row[0] > 2 for row in written.intervals if row[0] != 1)  # no new row takes key 2
    assert all(row[0] > 7 for row in written.markers)
