"""The instances panel on the real engine: its actions change the instances, and the list shows exactly that.

The list also catches up with what happened while the engine was out of reach, once it is back.

Three labelled busybox instances: ``echo hi`` run in one through the exec box prints "hi"; then one is
stopped, one paused and one stopped and removed through the panel's actions, and the model shows exactly
that, kept live by the events feed. "Launch more like this" and "remove all stopped" are checked too.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported: no real window

import asyncio
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docker
import pytest
from engine_harness import PrivateEngine
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QPlainTextEdit
from socket_relay import SocketProxy
from waiting import stop_panel

from desktop.engine.instances import Action, say, say_count
from desktop.engine.labels import dockblocks_labels
from desktop.engine.problems import say as say_problem
from ui.asyncqt import AsyncRunner
from ui.widgets.instances_panel import InstancesPanel

pytestmark = pytest.mark.engine
SCRIPT = "trap 'exit 0' TERM; echo hello from $HOSTNAME; while :; do sleep 0.2; done"


@pytest.fixture
def panel(
    engine: PrivateEngine, engine_labels: dict[str, str], qtbot: Any, qasync_loop: Any
) -> Iterator[InstancesPanel]:
    runner = AsyncRunner()
    labels = [f"{key}={value}" for key, value in engine_labels.items()]
    made = InstancesPanel(
        runner, lambda: docker.APIClient(base_url=engine.base_url, version="auto"), extra_labels=labels
    )
    qtbot.addWidget(made)
    yield made
    stop_panel(made, qasync_loop)


def start_instances(engine: PrivateEngine, labels: dict[str, str], count: int) -> list[str]:
    made = []
    for _ in range(count):
        created = engine.api.create_container(
            engine.base_image, ["sh", "-c", SCRIPT], labels=dockblocks_labels(labels)
        )
        engine.api.start(created["Id"])
        made.append(str(created["Id"]))
    return made


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the panel did not show the expected instances in time")
        await asyncio.sleep(0.05)


def select(panel: InstancesPanel, container_id: str) -> None:
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    panel.tree.selectionModel().select(panel.model.index_of(container_id), flags)


def answer(question: Any, button_text: str) -> None:
    """Clicks the button of an open question, as the user would."""
    next(b for b in question.buttons() if b.text() == button_text).click()


def states(panel: InstancesPanel) -> dict[str, str]:
    return {container_id: instance.state for container_id, instance in panel.model.instances.items()}


def test_actions_through_the_panel_show_exactly_what_happened(
    engine: PrivateEngine, engine_labels: dict[str, str], panel: InstancesPanel, qasync_loop: Any
) -> None:
    stopped, paused, removed = start_instances(engine, engine_labels, 3)

    async def scenario() -> None:
        panel.start()
        await until(lambda: states(panel) == dict.fromkeys((stopped, paused, removed), "running"))
        assert panel.model.rowCount() == 1  # one image: one group

        select(panel, removed)  # its output is followed, and a command runs in it
        await until(lambda: "hello from" in panel.logs.output.toPlainText())
        panel.logs.search.setText("hello from")
        assert panel.logs.find_next()
        panel.exec_box.command.setText("echo hi")
        panel.exec_box.run_command()
        await until(lambda: panel.exec_box.output.toPlainText() == "hi")
        assert panel.exec_box.output.lineWrapMode() == QPlainTextEdit.LineWrapMode.NoWrap
        assert panel.exec_box.cli.text().endswith("sh -c 'echo hi'")

        select(panel, stopped)
        panel.buttons[Action.STOP].click()
        name = panel.model.instances[stopped].name
        assert panel.cli.text().endswith(f"docker stop {name}")
        select(panel, paused)  # while the stop still runs: both are done
        panel.buttons[Action.PAUSE].click()
        await until(lambda: states(panel).get(stopped) == "exited" and states(panel).get(paused) == "paused")
        select(panel, removed)
        panel.buttons[Action.STOP].click()
        await until(lambda: states(panel).get(removed) == "exited")
        removed_name = panel.model.instances[removed].name
        panel.buttons[Action.REMOVE].click()
        assert panel.cli.text().endswith(f"docker rm {removed_name}")
        await until(lambda: removed not in states(panel))

    qasync_loop.run_until_complete(scenario())
    assert states(panel) == {stopped: "exited", paused: "paused"}
    assert panel.model.instances[stopped].exit_code == 0
    actual = {
        c["Id"]: c["State"]
        for c in engine.api.containers(all=True, filters={"label": list(panel.extra_labels)})
    }
    assert actual == states(panel)
    engine.api.unpause(paused)


def test_launch_more_like_this_and_remove_all_stopped(
    engine: PrivateEngine, engine_labels: dict[str, str], panel: InstancesPanel, qasync_loop: Any
) -> None:
    (model,) = start_instances(engine, engine_labels, 1)

    async def scenario() -> None:
        panel.start()
        await until(lambda: states(panel) == {model: "running"})
        select(panel, model)
        panel.launch_count.setValue(2)
        panel.launch_button.click()
        assert panel.cli.text().startswith("CLI: docker run -d")
        await until(lambda: list(states(panel).values()) == ["running"] * 3)
        copies = [c for c in states(panel) if c != model]
        assert all(engine.api.inspect_container(c)["Config"]["Cmd"] == ["sh", "-c", SCRIPT] for c in copies)
        panel.tree.selectionModel().clearSelection()
        panel.act(Action.KILL, list(panel.model.instances.values()))
        await until(lambda: list(states(panel).values()) == ["exited"] * 3)
        # Removing two at once asks first, naming both; keeping them removes nothing.
        two = [panel.model.instances[c] for c in copies]
        panel.act(Action.REMOVE, two)
        question = panel.question
        assert question is not None and "Remove 2 instances" in question.text()
        assert all(instance.name in question.text() for instance in two)
        answer(question, "Keep them")
        await asyncio.sleep(0.5)
        assert len(states(panel)) == 3 and panel.question is None
        panel.remove_all_stopped()
        assert "docker container prune" in panel.cli.text()
        assert panel.question is not None and "all 3 stopped instances" in panel.question.text()
        answer(panel.question, "Remove")
        await until(lambda: not states(panel))

    qasync_loop.run_until_complete(scenario())
    assert engine.api.containers(all=True, filters={"label": list(panel.extra_labels)}) == []


def test_the_list_catches_up_after_the_engine_was_away(
    engine: PrivateEngine, engine_labels: dict[str, str], qtbot: Any, qasync_loop: Any, tmp_path: Path
) -> None:
    proxy = SocketProxy(tmp_path / "engine.sock", engine.base_url.removeprefix("unix://"))
    labels = [f"{key}={value}" for key, value in engine_labels.items()]
    panel = InstancesPanel(
        AsyncRunner(),
        lambda: docker.APIClient(base_url=f"unix://{proxy.path}", version="1.41", timeout=10),
        extra_labels=labels,
    )
    qtbot.addWidget(panel)
    killed, removed = start_instances(engine, engine_labels, 2)

    async def scenario() -> None:
        await proxy.start()
        panel.start()
        await until(lambda: states(panel) == {killed: "running", removed: "running"})
        await proxy.stop()  # the engine is out of reach
        await asyncio.sleep(0.5)
        engine.api.kill(killed)
        engine.api.wait(killed, timeout=30)
        engine.api.remove_container(removed, force=True)
        (born,) = start_instances(engine, engine_labels, 1)
        await asyncio.sleep(0.5)
        assert states(panel) == {killed: "running", removed: "running"}  # nothing heard meanwhile
        await proxy.start()  # the engine is back: the feed reconciles, the list is read again
        await until(lambda: states(panel) == {killed: "exited", born: "running"})
        assert panel.model.instances[killed].exit_code == 137

    try:
        qasync_loop.run_until_complete(scenario())
    finally:
        # The relay goes first, while the loop runs: a connection it accepted once the loop had stopped
        # (the panel's last request, say) was handled by Qt outside the loop and failed there.
        if proxy.path.exists():
            qasync_loop.run_until_complete(proxy.stop())
        stop_panel(panel, qasync_loop)


def test_one_instance_is_said_in_the_singular(
    engine: PrivateEngine, engine_labels: dict[str, str], panel: InstancesPanel, qasync_loop: Any
) -> None:
    (one,) = start_instances(engine, engine_labels, 1)
    done: list[str] = []
    panel.actionDone.connect(done.append)

    async def scenario() -> None:
        panel.start()
        await until(lambda: states(panel) == {one: "running"})
        select(panel, one)
        panel.buttons[Action.STOP].click()
        assert panel.status.text() == say_count("status.doing", 1, action=say("action.stop"))
        assert panel.status.text() == "Stop: 1 instance…"
        await until(lambda: states(panel) == {one: "exited"})
        assert (
            done == [say_count("status.done", 1, action=say("action.stop"))] == ["Done: Stop on 1 instance."]
        )
        panel.remove_all_stopped()
        name = panel.model.instances[one].name
        assert panel.question is not None and panel.question.text() == say_count(
            "confirm.remove_stopped", 1, names=name
        )
        assert panel.question.text().startswith(f"Remove the stopped instance {name} for good?")
        answer(panel.question, "Remove")
        await until(lambda: not states(panel))

    qasync_loop.run_until_complete(scenario())


def test_a_refused_listing_says_why_not_that_no_engine_is_connected(
    engine: PrivateEngine, engine_labels: dict[str, str], qtbot: Any, qasync_loop: Any
) -> None:
    labels = [f"{key}={value}" for key, value in engine_labels.items()]
    panel = InstancesPanel(  # a connected engine that refuses the API version asked for
        AsyncRunner(), lambda: docker.APIClient(base_url=engine.base_url, version="9.99"), extra_labels=labels
    )
    qtbot.addWidget(panel)
    try:
        qasync_loop.run_until_complete(panel.refresh())
    finally:
        stop_panel(panel, qasync_loop)
    text = panel.status.text()
    assert text != say("panel.no_engine")
    assert text.startswith(say("panel.list_failed", reason="")) and "9.99" in text, text


# docker-py's unix socket connection leaks its socket when connect() fails (the engine is gone): not ours.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_action_when_the_engine_stopped_says_so_plainly(
    second_engine: PrivateEngine, qtbot: Any, qasync_loop: Any
) -> None:
    labels = {**second_engine.labels, "org.dockblocks.test.case": "engine-stops"}
    panel = InstancesPanel(
        AsyncRunner(),
        lambda: docker.APIClient(base_url=second_engine.base_url, version="1.41", timeout=10),
        extra_labels=[f"{key}={value}" for key, value in labels.items()],
    )
    qtbot.addWidget(panel)
    web = start_instances(second_engine, labels, 2)
    done: list[str] = []
    panel.actionDone.connect(done.append)

    async def scenario() -> None:
        panel.start()
        await until(lambda: states(panel) == dict.fromkeys(web, "running"))
        second_engine.process.terminate()  # dockerd shuts down
        await asyncio.get_running_loop().run_in_executor(None, second_engine.process.wait, 60)
        panel.act(Action.STOP, list(panel.model.instances.values()))
        await until(lambda: done)
        await asyncio.sleep(0.5)  # the listing that follows finds no engine: the reason stays shown

    try:
        qasync_loop.run_until_complete(scenario())
    finally:
        stop_panel(panel, qasync_loop)
        gc.collect()  # those leaked sockets are reported here, not in a later test
    names = ", ".join(sorted(panel.model.instances[c].name for c in web))
    gone = say("engine.gone", hint=say_problem("problem.not_started.hint"))
    assert sorted(done[0].split(": ", 1)[0].split(", ")) == names.split(", ")  # both named, the reason once
    assert done[0].endswith(f": {gone}") and done[0].count(gone) == 1
    assert panel.status.text() == done[0]
    assert "Connection aborted" not in done[0] and "Error" not in done[0]
