"""ssh:// engines without paramiko: the bridge runs ``docker system dial-stdio`` behind ssh, as the docker
CLI does. There is no SSH server here, so the end that ssh would reach is run locally: the real
``docker system dial-stdio`` of the docker CLI against the private engine; and a real ssh to a closed port
shows the plain reason when SSH fails."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator

import engine_harness
import pytest

from desktop.engine import ssh_bridge
from desktop.engine.connection import EngineUnavailable, open_api_client, parse_address, probe_blocking
from desktop.engine.problems import ProblemKind


@pytest.fixture(autouse=True)
def no_bridges_left() -> Iterator[None]:
    yield
    ssh_bridge.close_all()


def test_the_ssh_command_line_of_an_address() -> None:
    assert ssh_bridge.ssh_command("ssh://teacher@school-server:2222") == [
        "ssh",
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=10",
        "-l",
        "teacher",
        "-p",
        "2222",
        "--",
        "school-server",
        "docker",
        "system",
        "dial-stdio",
    ]


@pytest.mark.engine
@pytest.mark.skipif(shutil.which("docker") is None, reason="the docker CLI runs the far end of the bridge")
def test_an_ssh_address_reaches_the_engine_through_the_bridge(engine: engine_harness.PrivateEngine) -> None:
    url = "ssh://teacher@classroom-server"
    # What ssh would run on the server, run here against the private engine (no SSH server on this machine).
    ssh_bridge.bridge_for(url, ["docker", "system", "dial-stdio"], engine.env())
    info = probe_blocking(parse_address(url))
    assert info.url == url and info.version == engine.api.version()["Version"]
    client = open_api_client(info)
    try:
        images = client.images()  # several requests, each through its own dial-stdio
        assert any(engine.base_image in (image.get("RepoTags") or []) for image in images)
        assert client.ping()
    finally:
        client.close()


@pytest.mark.skipif(shutil.which("ssh") is None, reason="needs the ssh program")
def test_a_failing_ssh_connection_says_what_to_check() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"ssh://nobody@127.0.0.1:{port}"
    with pytest.raises(EngineUnavailable) as raised:
        probe_blocking(parse_address(url))
    problem = raised.value.problem
    assert problem.kind is ProblemKind.SSH
    assert problem.message == f"The SSH connection to {url} failed."
    assert f'"ssh nobody@127.0.0.1 -p {port}"' in problem.hint
    assert "Connection refused" in problem.detail  # ssh's own words, for the log
