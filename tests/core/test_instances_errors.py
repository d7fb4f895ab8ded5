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
