"""Why an action on instances failed, in words a beginner can act on (the engine-stopped case itself is
tested on a real engine in tests/engine/test_instances_panel.py and test_services_panel.py)."""

from __future__ import annotations

import docker.errors
import requests

from desktop.engine.instances import engine_explanation, engine_lost, say
from desktop.engine.problems import say as say_problem


def test_an_engine_refusal_keeps_its_own_words() -> None:
    refusal = docker.errors.APIError("409 Client Error", explanation="cannot remove a running container")
    assert not engine_lost(refusal)
    assert engine_explanation(refusal) == "cannot remove a running container"


def test_an_engine_that_went_away_is_said_plainly_with_what_to_do() -> None:
    gone = requests.ConnectionError(
        "('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))",
    )
    gone.__context__ = FileNotFoundError(2, "No such file or directory")
    assert engine_lost(gone)
    assert engine_explanation(gone) == say("engine.gone", hint=say_problem("problem.not_started.hint"))
    cut = docker.errors.DockerException("Error while fetching server API version: Connection aborted")
    cut.__cause__ = requests.ConnectionError("Connection aborted", ConnectionResetError(104, "reset"))
    assert engine_explanation(cut) == say("engine.gone", hint=say_problem("problem.not_started.hint"))
    slow = requests.ReadTimeout("Read timed out. (read timeout=10)")
    assert engine_explanation(slow) == say("engine.no_answer", hint=say_problem("problem.no_answer.hint"))


def test_other_errors_keep_their_text() -> None:
    assert not engine_lost(ValueError("bad port"))
    assert engine_explanation(ValueError("bad port")) == "bad port"


def _refused_by_a_closed_port() -> tuple[BaseException, str]:
    """A real refusal: docker-py asking a TCP port on this computer where nothing listens."""
    import socket

    with socket.socket() as probe:  # a port just freed: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    client = docker.APIClient(base_url=address, version="1.41", timeout=5)  # a version: no call yet
    try:
        client.containers()
    except Exception as error:
        return error, address
    finally:
        client.close()
    raise AssertionError(f"something answered at {address}")


def test_an_engine_on_another_computer_is_not_to_be_started_here() -> None:
    refused, address = _refused_by_a_closed_port()
    assert engine_lost(refused)
    remote = engine_explanation(refused, address)
    assert remote == say("engine.gone", hint=say_problem("problem.refused.hint"))
    assert "Docker Desktop" not in remote
    # The same refusal of an engine on this computer (or of one whose address is unknown): start it here.
    for local in ("", "unix:///var/run/docker.sock", "npipe:////./pipe/docker_engine"):
        said = engine_explanation(refused, local)
        assert said == say("engine.gone", hint=say_problem("problem.not_started.hint")), local
