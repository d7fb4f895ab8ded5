"""The run dialog's service option: offered only on a swarm manager, with its own command line and checks."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from run_dialogs import note, open_run_dialog

from desktop.engine.run_spec import say as say_run
from desktop.engine.services import SwarmRole, say
from ui.dialogs.run_dialog import RunDialog


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path) -> RunDialog:
    return open_run_dialog(qtbot, tmp_path)


def test_until_the_engine_answers_the_option_is_disabled_and_says_it_is_checking(dialog: RunDialog) -> None:
    option = dialog.service
    assert not option.check.isEnabled()
    assert option.reason.isVisible() and option.reason.text() == say("option.checking")
    assert dialog.command_text().startswith("docker run ")


def test_an_engine_that_is_no_manager_keeps_the_option_disabled_with_its_reason(dialog: RunDialog) -> None:
    dialog.service.check.setChecked(True)  # a choice remembered from a swarm engine
    dialog.set_swarm(False)
    assert not dialog.service.check.isEnabled()
    assert dialog.service.reason.text() == say("option.not_manager")
    assert not dialog.service.explanation.isVisible()
    spec = dialog.spec()
    assert spec is not None and not spec.as_service
    assert dialog.command_text().startswith("docker run ")


def test_a_worker_of_a_swarm_is_told_to_connect_to_a_manager(dialog: RunDialog) -> None:
    dialog.set_swarm(SwarmRole.WORKER)
    assert not dialog.service.check.isEnabled() and dialog.service.manager() is False
    assert dialog.service.reason.text() == say("option.worker")
    dialog.set_swarm(SwarmRole.NONE)
    assert dialog.service.reason.text() == say("option.not_manager")
    dialog.set_swarm(SwarmRole.MANAGER)
    assert dialog.service.check.isEnabled() and dialog.service.manager() is True
    assert not dialog.service.reason.isVisible()


def test_on_a_manager_the_option_makes_a_service_with_the_count_as_replicas(dialog: RunDialog) -> None:
    dialog.set_swarm(SwarmRole.MANAGER, ("taken",))  # what the window passes: the engine's role
    option = dialog.service
    assert option.check.isEnabled() and not option.reason.isVisible()
    assert option.explanation.isVisible() and "replica" in option.explanation.text()
    assert option.check.text() == say("option.label_one")
    dialog.count.setValue(3)
    assert option.check.text() == say("option.label", count=3)
    assert not option.notes.isVisible()

    option.check.setChecked(True)
    assert option.notes.isVisible()
    assert not dialog.restart.isEnabled()  # the swarm restarts replicas itself
    dialog.name.setText("web")
    spec = dialog.spec()
    assert spec is not None and spec.as_service and spec.count == 3
    assert shlex.split(dialog.command_text()) == [
        "docker", "service", "create", "--detach", "--no-resolve-image", "--name", "web", "--replicas", "3",
        "--publish", "target=80,mode=host",
        "--label", "org.dockblocks.created-by=dockblocks",
        "--container-label", "org.dockblocks.created-by=dockblocks",
        "dockblocks/site:latest",
    ]  # fmt: skip
    assert dialog.run_button.isEnabled()

    dialog.name.setText("taken")
    assert not dialog.run_button.isEnabled()
    assert say("check.name_taken", name="taken") in note(dialog, "name").text()
    dialog.name.setText("web")
    dialog.ports.rows[0].edits[0].setText("8080")  # one host port cannot serve three replicas
    assert not dialog.run_button.isEnabled()
    assert say_run("port.count", port=8080, count=3) in note(dialog, "ports").text()

    option.check.setChecked(False)
    dialog.ports.rows[0].edits[0].setText("")
    assert dialog.restart.isEnabled()
    assert dialog.command_text().startswith("for i in $(seq 1 3); do docker run -d ")
