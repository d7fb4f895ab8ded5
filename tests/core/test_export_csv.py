"""CSV export of the history: the states and moments, and the CPU/memory samples."""

from __future__ import annotations

import csv
from pathlib import Path

from desktop.history.export_csv import SERIES_HEADER, TIMELINE_HEADER, export_history, timeline_rows
from desktop.history.series import ResourceSeries
from desktop.history.timeline import Timeline

T0 = 1_700_000_000.0


def _event(action: str, at: float, **attributes: str) -> dict[str, object]:
    return {
        "Type": "container",
        "Action": action,
        "Actor": {"ID": "c1", "Attributes": {"name": "web", "image": "busybox", **attributes}},
        "timeNano": int(at * 1e9),
    }


def _timeline() -> Timeline:
    timeline = Timeline()
    for event in (_event("create", T0), _event("start", T0 + 1), _event("die", T0 + 5, exitCode="3")):
        timeline.apply_event(event)
    return timeline


def test_timeline_rows_in_time_order_with_exit_code() -> None:
    rows = timeline_rows(_timeline())
    assert [(r[3], r[4]) for r in rows] == [
        ("state", "created"),
        ("state", "running"),
        ("state", "exited"),
        ("event", "exit"),
    ]
    running = rows[1]
    assert running[5] == T0 + 1 and running[6] == T0 + 5
    assert rows[2][8] == 3 and rows[2][6] == ""  # still exited: no end
    assert rows[3][8] == 3
    assert str(rows[0][7]).startswith("2023-11-14T22:13:20")


def test_export_history_writes_both_files(tmp_path: Path) -> None:
    series = {"c1": ResourceSeries()}
    series["c1"].add(T0 + 2, 12.5, 1048576)
    series["c1"].add(T0 + 3, 50.0, 2097152)
    states, resources = export_history(tmp_path / "out.csv", _timeline(), series)
    assert states.name == "out-states.csv" and resources.name == "out-resources.csv"
    with states.open(newline="") as file:
        table = list(csv.reader(file))
    assert tuple(table[0]) == TIMELINE_HEADER and len(table) == 5
    with resources.open(newline="") as file:
        samples = list(csv.reader(file))
    assert tuple(samples[0]) == SERIES_HEADER
    assert samples[1:] == [
        ["c1", "web", str(T0 + 2), samples[1][3], "12.5", "1048576"],
        ["c1", "web", str(T0 + 3), samples[2][3], "50.0", "2097152"],
    ]
