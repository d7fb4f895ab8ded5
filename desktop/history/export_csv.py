"""The history as CSV: one file for the states and moments of every instance, one for CPU and memory.

Spreadsheets read these directly; times are written as epoch seconds (exact) and as UTC ISO text (readable).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Mapping
from pathlib import Path

from desktop.history.series import ResourceSeries
from desktop.history.timeline import Timeline

TIMELINE_HEADER = (
    "container",
    "name",
    "image",
    "kind",
    "state_or_event",
    "start",
    "end",
    "start_utc",
    "exit_code",
    "detail",
)
SERIES_HEADER = ("container", "name", "time", "time_utc", "cpu_percent", "memory_bytes")


def _utc(moment: float | None) -> str:
    if moment is None:
        return ""
    return datetime.datetime.fromtimestamp(moment, datetime.UTC).isoformat(timespec="milliseconds")


def timeline_rows(timeline: Timeline) -> list[tuple[object, ...]]:
    """Every interval ("state") and marker ("event") of every instance, by instance then time."""
    rows: list[tuple[object, ...]] = []
    for history in timeline.containers.values():
        items: list[tuple[float, tuple[object, ...]]] = []
        for interval in history.intervals:
            code = "" if interval.exit_code is None else interval.exit_code
            items.append(
                (
                    interval.start,
                    (
                        history.id,
                        history.name,
                        history.image,
                        "state",
                        interval.state.value,
                        interval.start,
                        "" if interval.end is None else interval.end,
                        _utc(interval.start),
                        code,
                        interval.health,
                    ),
                )
            )
        for marker in history.markers:
            code = "" if marker.code is None else marker.code
            items.append(
                (
                    marker.time,
                    (
                        history.id,
                        history.name,
                        history.image,
                        "event",
                        marker.kind.value,
                        marker.time,
                        "",
                        _utc(marker.time),
                        code,
                        marker.detail,
                    ),
                )
            )
        rows.extend(row for _, row in sorted(items, key=lambda item: item[0]))
    return rows


def series_rows(series: Mapping[str, ResourceSeries], names: Mapping[str, str]) -> list[tuple[object, ...]]:
    """Every CPU/memory sample of every instance (minute means where the one-second samples are gone)."""
    rows: list[tuple[object, ...]] = []
    for container, one in series.items():
        for time, cpu, memory in one.rows():
            rows.append((container, names.get(container, ""), time, _utc(time), round(cpu, 3), int(memory)))
    return rows


def write_csv(path: Path, header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> int:
    """Writes ``header`` then ``rows`` to ``path`` (UTF-8, Excel-friendly newlines); returns the row count."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def export_history(
    folder_or_file: Path, timeline: Timeline, series: Mapping[str, ResourceSeries]
) -> tuple[Path, Path]:
    """Writes ``<stem>-states.csv`` and ``<stem>-resources.csv`` beside the chosen file name.

    Returns:
        The two paths written.
    """
    stem = folder_or_file.with_suffix("")
    states = stem.with_name(stem.name + "-states.csv")
    resources = stem.with_name(stem.name + "-resources.csv")
    names = {c.id: c.name for c in timeline.containers.values()}
    write_csv(states, TIMELINE_HEADER, timeline_rows(timeline))
    write_csv(resources, SERIES_HEADER, series_rows(series, names))
    return states, resources
