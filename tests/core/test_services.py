"""Swarm services without an engine: who is a manager, task names, the service create line, the checks."""

from __future__ import annotations

import shlex
from pathlib import Path

from desktop.engine.run_spec import PortMapping, RunSpec, VolumeMount
from desktop.engine.services import (
    SwarmRole,
    check_service,
    endpoint_spec,
    is_swarm_manager,
    plain_error,
    remove_cli_command,
    say,
    scale_cli_command,
    service_command_line,
    service_from_inspect,
    swarm_role,
    task_short_name,
)


class Refusal(Exception):
    """The shape of docker-py's APIError the sentence is made from (its ``explanation``)."""

    def __init__(self, explanation: str) -> None:
        super().__init__(explanation)
        self.explanation = explanation


def test_only_an_active_node_with_control_is_a_manager() -> None:
    assert is_swarm_manager({"Swarm": {"LocalNodeState": "active", "ControlAvailable": True}})
    assert not is_swarm_manager(
        {"Swarm": {"LocalNodeState": "active", "ControlAvailable": False}}
    )  # a worker
    assert not is_swarm_manager({"Swarm": {"LocalNodeState": "inactive", "ControlAvailable": True}})
    assert not is_swarm_manager({"Swarm": {"LocalNodeState": "inactive"}})
    assert not is_swarm_manager({})


def test_a_worker_is_told_apart_from_an_engine_outside_any_swarm() -> None:
    worker = swarm_role({"Swarm": {"LocalNodeState": "active", "ControlAvailable": False}})
    assert worker is SwarmRole.WORKER and not worker
    assert worker.reason() == say("option.worker") and "worker" in worker.reason()
    assert "docker swarm init" not in worker.reason()
    outside = swarm_role({"Swarm": {"LocalNodeState": "inactive", "ControlAvailable": False}})
    assert outside is SwarmRole.NONE and not outside and outside.reason() == say("option.not_manager")
    assert swarm_role({}) is SwarmRole.NONE and swarm_role({"Swarm": "?"}) is SwarmRole.NONE
    manager = swarm_role({"Swarm": {"LocalNodeState": "active", "ControlAvailable": True}})
    assert manager is SwarmRole.MANAGER and manager and manager.reason() == ""
    # The engine's refusal on a worker (the words of moby's daemon/cluster errors) is told apart too.
    spec = RunSpec(image="web", as_service=True)
    on_worker = Refusal(
        "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. "
        "Please run this command on a manager node or promote the current node to a manager."
    )
    assert plain_error(on_worker, spec) == say("error.worker")
    outside_swarm = Refusal(
        'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this '
        "node to swarm and try again."
    )
    assert plain_error(outside_swarm, spec) == say("error.not_manager")


def test_a_task_container_is_named_by_its_slot() -> None:
    assert task_short_name("/web.2.x7k2m9q4r8t1v5w3y6z0a2b4c") == "web.2"
    assert task_short_name("my.app.10.x7k2m9q4r8t1v5w3y6z0a2b4c") == "my.app.10"
    assert task_short_name("web-1") == "web-1"
    assert task_short_name("web.2.short") == "web.2.short"


def test_the_service_create_line_carries_every_setting(tmp_path: Path) -> None:
    spec = RunSpec(
        "dockblocks/site:latest",
        name="site",
        ports=(PortMapping(80, 8080), PortMapping(53, None, "udp")),
        env=(("GREETING", "hello world"),),
        volumes=(VolumeMount("./www", "/www", read_only=True), VolumeMount("data", "/data")),
        command="httpd -f -p 80",
        cpus=0.5,
        memory=64 * 1024 * 1024,
        count=3,
        as_service=True,
        base_dir=tmp_path,
    )
    assert shlex.split(service_command_line(spec)) == [
        "docker", "service", "create", "--detach", "--no-resolve-image", "--name", "site", "--replicas", "3",
        "--publish", "published=8080,target=80,mode=host",
        "--publish", "target=53,mode=host,protocol=udp",
        "--env", "GREETING=hello world",
        "--mount", f"type=bind,source={tmp_path / 'www'},target=/www,readonly",
        "--mount", "type=volume,source=data,target=/data",
        "--limit-cpu", "0.5", "--limit-memory", "64m",
        "--label", "org.dockblocks.created-by=dockblocks",
        "--container-label", "org.dockblocks.created-by=dockblocks",
        "dockblocks/site:latest", "httpd", "-f", "-p", "80",
    ]  # fmt: skip
    assert endpoint_spec(spec) == {
        "Ports": [
            {"Protocol": "tcp", "TargetPort": 80, "PublishMode": "host", "PublishedPort": 8080},
            {"Protocol": "udp", "TargetPort": 53, "PublishMode": "host"},
        ]
    }
    assert endpoint_spec(RunSpec("x")) is None


def test_scale_and_remove_lines() -> None:
    assert scale_cli_command("web", 3) == "docker service scale web=3"
    assert remove_cli_command("web") == "docker service rm web"


def test_a_taken_service_name_and_a_port_on_one_address_are_refused() -> None:
    spec = RunSpec("x", name="web", ports=(PortMapping(80, 8080, host_ip="127.0.0.1"),), as_service=True)
    issues = check_service(spec, ["web", "db"])
    assert [(i.field, i.message) for i in issues] == [
        ("name", say("check.name_taken", name="web")),
        ("ports", say("check.host_ip", port="127.0.0.1:8080:80")),
    ]
    assert check_service(RunSpec("x", name="new", as_service=True), ["web"]) == []


def test_the_engine_refusals_become_plain_sentences() -> None:
    spec = RunSpec("x", name="web", as_service=True)
    not_manager = Refusal('This node is not a swarm manager. Use "docker swarm init" to ...')
    assert plain_error(not_manager, spec) == say("error.not_manager")
    assert plain_error(Refusal("rpc error: name conflicts with an existing object"), spec) == say(
        "check.name_taken", name="web"
    )
    assert plain_error(Refusal("something else"), spec) == say("error.failed", reason="something else.")


def test_a_listed_service_reads_its_replicas_and_image_without_the_digest() -> None:
    replicated = service_from_inspect(
        {
            "ID": "abc",
            "Spec": {
                "Name": "web",
                "Labels": {"org.dockblocks.created-by": "dockblocks"},
                "Mode": {"Replicated": {"Replicas": 3}},
                "TaskTemplate": {"ContainerSpec": {"Image": "nginx:1@sha256:0123"}},
            },
        },
        running=2,
    )
    assert (replicated.image, replicated.replicas_text(), replicated.converging, replicated.ours) == (
        "nginx:1", "2/3", True, True
    )  # fmt: skip
    everywhere = service_from_inspect({"ID": "g", "Spec": {"Name": "agent", "Mode": {"Global": {}}}}, 1)
    assert (everywhere.desired, everywhere.replicas_text(), everywhere.converging, everywhere.ours) == (
        None, "1/global", False, False
    )  # fmt: skip
