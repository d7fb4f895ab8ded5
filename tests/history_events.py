"""Engine events and inspect answers, shaped as Engine 20.10 sends them, for the history tests."""

from __future__ import annotations

import datetime
from typing import Any

from desktop.history.timeline import Timeline

T0 = 1_800_000_000.0


def event(action: str, container: str, at: float, **attributes: str) -> dict[str, Any]:
    """A decoded item of ``/events`` as Engine 20.10 sends it."""
    return {
        "status": action,
        "id": container,
        "from": "busybox",
        "Type": "container",
        "Action": action,
        "Actor": {
            "ID": container,
            "Attributes": {"name": f"n-{container}", "image": "busybox", **attributes},
        },
        "scope": "local",
        "time": int(at),
        "timeNano": int(at * 1e9),
    }


def engine_time(at: float) -> str:
    """``at`` as the engine writes times in inspect results (RFC 3339, nanoseconds)."""
    moment = datetime.datetime.fromtimestamp(int(at), datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{round((at % 1) * 1e9):09d}Z"


def inspected(
    container: str, status: str, started: float | None, finished: float | None, **state: Any
) -> dict[str, Any]:
    """A ``GET /containers/{id}/json`` answer with the fields the timeline reads."""
    zero = "0001-01-01T00:00:00Z"
    return {
        "Id": container,
        "Name": f"/n-{container}",
        "Created": engine_time(T0 - 100),
        "Config": {"Image": "busybox"},
        "State": {
            "Status": status,
            "StartedAt": engine_time(started) if started is not None else zero,
            "FinishedAt": engine_time(finished) if finished is not None else zero,
            "ExitCode": state.get("ExitCode", 0),
            "OOMKilled": state.get("OOMKilled", False),
            **({"Health": {"Status": state["health"]}} if "health" in state else {}),
        },
    }


def bands(timeline: Timeline, container: str) -> list[tuple[str, float, float | None, int | None]]:
    return [(i.state.value, i.start, i.end, i.exit_code) for i in timeline.containers[container].intervals]


def marks(timeline: Timeline, container: str) -> list[tuple[str, float, int | None, str]]:
    return [(m.kind.value, m.time, m.code, m.detail) for m in timeline.containers[container].markers]
