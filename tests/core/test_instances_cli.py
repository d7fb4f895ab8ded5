"""The instances panel's core: rows read from the engine's listing, and the docker commands of each action."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.engine.instances import (
    Action,
    Port,
    cli_command,
    duration_text,
    exec_cli_command,
    fits,
    instance_from_summary,
    launch_cli_command,
    list_filters,
    perform,
    remove_stopped_cli_command,
    stopped,
    uptime_text,
)
from desktop.engine.labels import DOCKBLOCKS_LABEL


def summary(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Id": "abc123",
        "Names": ["/happy_cat"],
        "Image": "dockblocks/web:latest",
        "State": "running",
        "Status": "Up 3 minutes",
        "Created": 1700000000,
        "Ports": [],
        "Labels": {DOCKBLOCKS_LABEL: "dockblocks"},
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (Action.START, "docker start web-1 web-2"),
        (Action.STOP, "docker stop web-1 web-2"),
        (Action.RESTART, "docker restart web-1 web-2"),
        (Action.PAUSE, "docker pause web-1 web-2"),
        (Action.UNPAUSE, "docker unpause web-1 web-2"),
        (Action.KILL, "docker kill web-1 web-2"),
        (Action.REMOVE, "docker rm web-1 web-2"),
    ],
)
def test_each_action_has_the_docker_command_that_does_the_same(action: Action, expected: str) -> None:
    assert cli_command(action, ["web-1", "web-2"]) == expected


def test_exec_and_prune_commands_are_quoted_as_a_shell_wants_them() -> None:
    assert (
        exec_cli_command("web-1", "echo 'hi there'")
        == "docker exec web-1 sh -c 'echo '\"'\"'hi there'\"'\"''"
    )
    assert (
        remove_stopped_cli_command(False)
        == f"docker container prune --filter label={DOCKBLOCKS_LABEL}=dockblocks"
    )
    assert remove_stopped_cli_command(True) == "docker container prune"
    assert launch_cli_command("busybox:1", 3, "web-1") == (
        "docker run -d busybox:1   (once for each of the 3 new instances like web-1)"
    )
    assert launch_cli_command("busybox:1", 1, "web-1") == (
        "docker run -d busybox:1   (for the new instance like web-1)"
    )


def test_a_summary_becomes_a_row_with_its_name_exit_code_and_ports_once_each() -> None:
    ports = [
        {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
        {"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
        {"PrivatePort": 443, "Type": "tcp"},  # exposed, not published
    ]
    row = instance_from_summary(summary(Ports=ports))
    assert (row.name, row.ours, row.exit_code) == ("happy_cat", True, None)
    assert row.ports == (Port(80, "tcp", "0.0.0.0", 8080),)
    assert row.ports[0].url() == "http://localhost:8080/"
    assert Port(80, "tcp", "127.0.0.1", 8081).url() == "http://127.0.0.1:8081/"
    exited = instance_from_summary(summary(State="exited", Status="Exited (3) 2 seconds ago", Labels=None))
    assert (exited.exit_code, exited.ours) == (3, False)


def test_uptime_comes_from_the_status_of_running_and_paused_instances_only() -> None:
    assert uptime_text(instance_from_summary(summary())) == "3 minutes"
    paused = instance_from_summary(summary(State="paused", Status="Up 5 seconds (Paused)"))
    assert uptime_text(paused) == "5 seconds"
    assert uptime_text(instance_from_summary(summary(State="exited", Status="Exited (0) 1 second ago"))) == ""
    assert [duration_text(s) for s in (5, 125, 3 * 3600 + 600, 3 * 86400)] == [
        "5 s",
        "2 min",
        "3 h 10 min",
        "3 d",
    ]


def test_actions_fit_states_and_stopped_means_not_running() -> None:
    assert fits(Action.PAUSE, "running") and not fits(Action.PAUSE, "paused")
    assert fits(Action.REMOVE, "exited") and not fits(Action.REMOVE, "running")
    rows = [
        instance_from_summary(summary(Id=str(n), State=s))
        for n, s in enumerate(["running", "exited", "created"])
    ]
    assert [r.id for r in stopped(rows)] == ["1", "2"]


def test_the_listing_is_the_apps_own_unless_every_container_is_asked_for() -> None:
    assert list_filters(False) == {"label": [f"{DOCKBLOCKS_LABEL}=dockblocks"]}
    assert list_filters(True) == {}
    assert list_filters(True, ["case=1"]) == {"label": ["case=1"]}


class RefusingClient:
    """Stops the first container, refuses the second as the engine would."""

    def __init__(self) -> None:
        self.stopped: list[str] = []

    def stop(self, container_id: str, timeout: int) -> None:
        if container_id == "b":
            error = RuntimeError("409")
            error.explanation = "container b is not running"  # type: ignore[attr-defined]
            raise error
        self.stopped.append(container_id)


def test_one_refused_instance_does_not_stop_the_others_and_its_reason_is_kept() -> None:
    client = RefusingClient()
    assert perform(client, Action.STOP, ["a", "b", "c"]) == [("b", "container b is not running")]
    assert client.stopped == ["a", "c"]
