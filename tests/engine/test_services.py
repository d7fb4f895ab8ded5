"""Swarm services on a real one-machine swarm (a private engine of their own, see tests/swarm_engine.py).

A service made from a run spec runs its replica with the command, variables, limits, volume and published
port of the spec (its page is fetched through the port); the ``docker service create`` line the app shows,
run through the real docker CLI, makes the same service; listing, scaling and removing work; the shared
engine, which is no swarm manager, is told apart.
"""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from engine_harness import PrivateEngine
from swarm_engine import swarm_engine_fixture

from desktop.engine.labels import dockblocks_labels
from desktop.engine.run_spec import PortMapping, RunSpec, VolumeMount
from desktop.engine.services import (
    SwarmRole,
    create_service,
    list_services,
    read_swarm_manager,
    remove_service,
    scale_service,
    service_command_line,
    task_short_name,
)

pytestmark = pytest.mark.engine
SERVE = "mkdir -p /www && echo $GREETING > /www/index.html && exec httpd -f -p 8080 -h /www"


@pytest.fixture(scope="module")
def swarm(engine: PrivateEngine) -> Iterator[PrivateEngine]:
    del engine  # started first: it checks that engines can run here, and skips with the reason if not
    yield from swarm_engine_fixture()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return value


def running_tasks(swarm: PrivateEngine, service: str) -> list[str]:
    """The short names of the service's running task containers (``web.1``…)."""
    found = swarm.api.containers(filters={"label": f"com.docker.swarm.service.name={service}"})
    return sorted(task_short_name(c["Names"][0]) for c in found if c["State"] == "running")


def test_the_shared_engine_is_no_manager_and_lists_no_services(engine: PrivateEngine) -> None:
    assert read_swarm_manager(engine.api) is SwarmRole.NONE and not read_swarm_manager(engine.api)
    assert list_services(engine.api, every_service=True) is None


def test_a_service_runs_as_specified_and_the_cli_line_makes_the_same(swarm: PrivateEngine) -> None:
    assert read_swarm_manager(swarm.api) is SwarmRole.MANAGER
    spec = RunSpec(
        image=swarm.base_image,
        name="page",
        ports=(PortMapping(8080, free_port()),),
        env=(("GREETING", "hello from a replica"),),
        volumes=(VolumeMount("pagedata", "/data", read_only=True),),
        command=f"sh -c '{SERVE}'",
        cpus=0.5,
        memory=64 * 1024 * 1024,
        as_service=True,
    )
    service_id = create_service(swarm.api, spec, dockblocks_labels(swarm.labels))
    wait_for(lambda: running_tasks(swarm, "page") == ["page.1"])
    port = spec.ports[0].host_port
    page = wait_for(lambda: _fetch(f"http://127.0.0.1:{port}/"))
    assert page == "hello from a replica\n"
    # the task's state follows its container's a moment later
    (shown,) = wait_for(
        lambda: [
            s for s in list_services(swarm.api, False, ["org.dockblocks.test=1"]) or [] if s.running == 1
        ]
    )
    assert (shown.id, shown.image, shown.replicas_text(), shown.ours) == (
        service_id,
        swarm.base_image,
        "1/1",
        True,
    )

    docker_cli = shutil.which("docker")
    if docker_cli is None:
        pytest.skip("no docker CLI to compare the command line with")
    twin = replace(spec, name="page-cli", ports=(PortMapping(8080, free_port()),))
    line = service_command_line(twin, label=True)
    assert line.startswith("docker service create --detach --no-resolve-image --name page-cli --replicas 1 ")
    words = shlex.split(line)
    at = words.index("--label")  # the test's own label too, as on what the app made
    words[at:at] = ["--label", "org.dockblocks.test=1", "--container-label", "org.dockblocks.test=1"]
    made = subprocess.run(words, env=swarm.env(), capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    ours, theirs = (swarm.api.inspect_service(name)["Spec"] for name in ("page", "page-cli"))
    assert _essence(ours, port) == _essence(theirs, twin.ports[0].host_port)
    for name in ("page", "page-cli"):
        remove_service(swarm.api, name)
    wait_for(lambda: not running_tasks(swarm, "page") and not running_tasks(swarm, "page-cli"))


def test_scale_up_and_down_then_remove(swarm: PrivateEngine) -> None:
    spec = RunSpec(swarm.base_image, name="web", command="sleep 600", as_service=True)
    service_id = create_service(swarm.api, spec, dockblocks_labels(swarm.labels))
    wait_for(lambda: running_tasks(swarm, "web") == ["web.1"])
    (first,) = swarm.api.containers(filters={"label": "com.docker.swarm.service.name=web"})
    scale_service(swarm.api, service_id, 3)
    wait_for(lambda: running_tasks(swarm, "web") == ["web.1", "web.2", "web.3"])
    assert swarm.api.inspect_container(first["Id"])["State"]["Running"]  # kept, not replaced by an update
    # the task's state follows its container's a moment later
    shown = wait_for(lambda: [s for s in list_services(swarm.api, False) or [] if s.replicas_text() == "3/3"])
    assert [s.name for s in shown] == ["web"] and not shown[0].converging
    assert swarm.api.inspect_service(service_id)["Spec"]["TaskTemplate"]["ContainerSpec"]["Args"] == [
        "sleep", "600"
    ]  # fmt: skip
    scale_service(swarm.api, service_id, 0)
    wait_for(lambda: not running_tasks(swarm, "web"))
    remove_service(swarm.api, service_id)
    assert [s for s in list_services(swarm.api, True) or [] if s.name == "web"] == []


def _fetch(url: str) -> str:
    try:
        return str(urllib.request.urlopen(url, timeout=3).read().decode())
    except OSError:
        return ""


def _essence(spec: dict[str, Any], published: int | None) -> dict[str, Any]:
    """What the user chose of a service spec (the CLI adds its defaults: restart policy, grace period…)."""
    template = spec["TaskTemplate"]
    container = template["ContainerSpec"]
    mounts = container.get("Mounts", [])
    ports = [
        {**p, "PublishedPort": "the chosen port"} if p.get("PublishedPort") == published else p
        for p in spec.get("EndpointSpec", {}).get("Ports", [])
    ]
    return {
        "image": container["Image"],
        "args": container.get("Args"),
        "command": container.get("Command"),
        "env": container.get("Env"),
        "container labels": container.get("Labels"),
        "mounts": [{k: m.get(k) for k in ("Type", "Source", "Target", "ReadOnly")} for m in mounts],
        "limits": template.get("Resources", {}).get("Limits"),
        "mode": spec["Mode"],
        "ports": ports,
        "labels": spec.get("Labels"),
    }


def test_the_cli_creates_a_service_on_a_manager_and_says_why_not_elsewhere(
    swarm: PrivateEngine,
    engine: PrivateEngine,
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.cli import EXIT_OK, EXIT_UNREADABLE, main
    from desktop.dockerfile import import_text
    from desktop.engine.services import say
    from desktop.project import Project, save_project

    project = tmp_path / "site.dockblocks"
    save_project(Project(document=import_text("FROM busybox\n"), context_dir=tmp_path, name="site"), project)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    arguments = ["run", str(project), "--service", "--count", "2", "--name", "cli-web",
                 "--image", swarm.base_image, "--command", "sleep 600"]  # fmt: skip

    monkeypatch.setenv("DOCKER_HOST", engine.base_url)  # the shared engine: no swarm
    assert main(arguments) == EXIT_UNREADABLE
    assert capsys.readouterr().err == f"dockblocks: {say('cli.not_manager')}\n"

    monkeypatch.setenv("DOCKER_HOST", swarm.base_url)
    try:
        assert main(arguments) == EXIT_OK
        out = capsys.readouterr()
        assert out.out == "cli-web\n"
        assert "docker service create" in out.err and say("cli.created", name="cli-web", count=2) in out.err
        services = {s.name: s for s in list_services(swarm.api, False) or []}
        assert services["cli-web"].desired == 2
        assert main(arguments) == 2  # the name is taken now: said before anything is sent
        assert say("check.name_taken", name="cli-web") in capsys.readouterr().err
    finally:
        for service in list_services(swarm.api, True) or []:
            if service.name == "cli-web":
                remove_service(swarm.api, service.id)
