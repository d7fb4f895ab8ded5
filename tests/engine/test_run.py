"""Running instances on the real private engine: a published port serving a page, port conflicts, names."""

from __future__ import annotations

import asyncio
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import docker
import pytest
from engine_harness import PrivateEngine

from desktop.engine.labels import DOCKBLOCKS_LABEL, DOCKBLOCKS_LABEL_VALUE
from desktop.engine.ports_in_use import read_in_use
from desktop.engine.run import RunError, StartedInstance, run
from desktop.engine.run_spec import PortMapping, RunSpec, Severity, check_spec, say

pytestmark = pytest.mark.engine

HTTPD = "mkdir -p /www && echo 'hello from busybox' > /www/index.html && exec httpd -f -p 8080 -h /www"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, timeout: float = 20.0) -> str:
    """GET ``url``, retrying while the server inside the instance is still starting."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return str(reply.read().decode())
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def api_factory(engine: PrivateEngine) -> Callable[[], Any]:
    return lambda: docker.APIClient(base_url=engine.base_url, version="auto")


def httpd_spec(engine: PrivateEngine, name: str, host_port: int | None, count: int = 1) -> RunSpec:
    return RunSpec(
        image=engine.base_image,
        name=name,
        ports=(PortMapping(8080, host_port),),
        env=(("GREETING", "hello world"),),
        command=f'sh -c "{HTTPD}"',
        count=count,
    )


def test_run_publishes_a_port_and_serves_a_page(
    engine: PrivateEngine, engine_labels: dict[str, str], api_factory: Callable[[], Any]
) -> None:
    port = free_port()
    name = f"web-{engine_labels['org.dockblocks.test.case'][:8]}"
    spec = httpd_spec(engine, name, port)
    assert check_spec(spec, read_in_use(engine.api)) == []

    started = asyncio.run(run(spec, api_factory, engine_labels))

    assert [s.name for s in started] == [name]
    assert started[0].ports == ((port, 8080, "tcp"),)
    assert fetch(f"http://127.0.0.1:{port}/index.html") == "hello from busybox\n"
    details = engine.api.inspect_container(started[0].id)
    assert details["Config"]["Labels"][DOCKBLOCKS_LABEL] == DOCKBLOCKS_LABEL_VALUE
    assert "GREETING=hello world" in details["Config"]["Env"]
    assert f"localhost:{port} -> 8080" in started[0].describe()


def test_several_instances_get_numbered_names_and_ports_the_engine_picks(
    engine: PrivateEngine, engine_labels: dict[str, str], api_factory: Callable[[], Any]
) -> None:
    name = f"many-{engine_labels['org.dockblocks.test.case'][:8]}"
    spec = httpd_spec(engine, name, None, count=3)
    assert check_spec(spec, read_in_use(engine.api)) == []

    started = asyncio.run(run(spec, api_factory, engine_labels))

    assert [s.name for s in started] == [f"{name}-1", f"{name}-2", f"{name}-3"]
    host_ports = [s.ports[0][0] for s in started]
    assert len(set(host_ports)) == 3 and all(p > 0 for p in host_ports)
    assert fetch(f"http://127.0.0.1:{host_ports[2]}/") == "hello from busybox\n"


def test_a_port_published_by_a_running_instance_is_refused_before_and_at_run(
    engine: PrivateEngine, engine_labels: dict[str, str], api_factory: Callable[[], Any]
) -> None:
    port = free_port()
    case = engine_labels["org.dockblocks.test.case"][:8]
    first: list[StartedInstance] = asyncio.run(
        run(httpd_spec(engine, f"a-{case}", port), api_factory, engine_labels)
    )
    second = httpd_spec(engine, f"b-{case}", port)

    issues = check_spec(second, read_in_use(engine.api))

    assert [(i.field, i.severity) for i in issues] == [("ports", Severity.ERROR)]
    assert issues[0].message == say("port.used_by_instance", port=port, owner=first[0].name)

    # Started anyway (another program could take the port between the check and the run):
    with pytest.raises(RunError) as caught:
        asyncio.run(run(second, api_factory, engine_labels))
    assert caught.value.message == say("port.allocated", port=port)
    assert caught.value.started == ()
    assert engine.api.containers(all=True, filters={"name": f"b-{case}"}) == []  # not left behind


def test_a_port_another_program_listens_on_is_refused(engine: PrivateEngine) -> None:
    with socket.socket() as listener:
        listener.bind(("0.0.0.0", 0))
        listener.listen()
        port = listener.getsockname()[1]
        spec = RunSpec(engine.base_image, ports=(PortMapping(80, port),))

        issues = check_spec(spec, read_in_use(engine.api))

    assert [i.message for i in issues] == [say("port.used_on_host", port=port)]


def test_taken_name_and_missing_image_are_refused(
    engine: PrivateEngine, engine_labels: dict[str, str], api_factory: Callable[[], Any]
) -> None:
    name = f"once-{engine_labels['org.dockblocks.test.case'][:8]}"
    spec = RunSpec(engine.base_image, name=name, command="sleep 60")
    asyncio.run(run(spec, api_factory, engine_labels))
    in_use = read_in_use(engine.api)

    assert [i.message for i in check_spec(spec, in_use)] == [say("name.taken", name=name)]
    missing = RunSpec("dockblocks/not-built:latest")  # a project's image: only a build makes it
    assert [(i.severity, i.message) for i in check_spec(missing, in_use)] == [
        (Severity.ERROR, say("image.missing", image="dockblocks/not-built:latest"))
    ]
    elsewhere = RunSpec("example.org/tools/not-here:1")  # another image: Run pulls it first, as docker run
    assert [(i.severity, i.message) for i in check_spec(elsewhere, in_use)] == [
        (Severity.WARNING, say("image.will_pull", image="example.org/tools/not-here:1"))
    ]
    with pytest.raises(RunError) as caught:
        asyncio.run(run(missing, api_factory, engine_labels))
    assert caught.value.message == say("run.no_such_image", image="dockblocks/not-built:latest")
    with pytest.raises(RunError) as again:
        asyncio.run(run(spec, api_factory, engine_labels))
    assert again.value.message == say("run.name_conflict", name=name)
