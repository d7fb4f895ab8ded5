"""The instances panel with swarm services, on a real one-machine swarm (a private engine of this module's
own, see tests/swarm_engine.py).

A replica is not cloned ("Launch more like this" points to Scale), and a clone made anyway is a plain
instance: it carries none of the swarm's labels, so it is not listed under the service and outlives it. The
removal question counts the replicas the service asks for, not the containers listed under it. A global
service offers no Scale. When the engine stops, Scale says so in a plain sentence with what to do.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported: no real window

import asyncio
import gc
import shlex
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import docker
import pytest
from docker.types import ContainerSpec, ServiceMode, TaskTemplate
from engine_harness import CASE_LABEL, PrivateEngine
from PySide6.QtCore import QItemSelectionModel, QModelIndex
from swarm_engine import swarm_engine_fixture
from waiting import stop_panel

from desktop.engine.instances import SWARM_LABEL_PREFIX, launch_more_like
from desktop.engine.instances import say as say_instances
from desktop.engine.labels import dockblocks_labels
from desktop.engine.problems import say as say_problem
from desktop.engine.run_spec import RunSpec
from desktop.engine.services import create_service, say
from ui.asyncqt import AsyncRunner
from ui.widgets.instances_panel import InstancesPanel

pytestmark = pytest.mark.engine
LOOP = "trap 'exit 0' TERM; while :; do sleep 1; done"  # ends at once when the swarm stops a replica
T = TypeVar("T")


@pytest.fixture(scope="module")
def swarm(engine: PrivateEngine) -> Iterator[PrivateEngine]:
    del engine  # started first: it checks that engines can run here, and skips with the reason if not
    yield from swarm_engine_fixture()


@pytest.fixture
def labels(swarm: PrivateEngine, request: pytest.FixtureRequest) -> dict[str, str]:
    return {**swarm.labels, CASE_LABEL: request.node.name[:60]}


@pytest.fixture
def panel(
    swarm: PrivateEngine, labels: dict[str, str], qtbot: Any, qasync_loop: Any
) -> Iterator[InstancesPanel]:
    made = InstancesPanel(
        AsyncRunner(),
        lambda: docker.APIClient(base_url=swarm.base_url, version="1.41", timeout=30),
        extra_labels=[f"{key}={value}" for key, value in labels.items()],
    )
    qtbot.addWidget(made)
    yield made
    stop_panel(made, qasync_loop)


async def until(condition: Callable[[], T], timeout: float = 60.0) -> T:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the panel did not show the expected rows in time")
        await asyncio.sleep(0.05)
    return value


def select(panel: InstancesPanel, index: QModelIndex) -> None:
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    panel.tree.selectionModel().select(index, flags)


def running_tasks(panel: InstancesPanel, service: str) -> list[str]:
    return [i.id for i in panel.model.tasks_of(service) if i.state == "running"]


def make_service(swarm: PrivateEngine, labels: dict[str, str], name: str, replicas: int) -> str:
    spec = RunSpec(
        image=swarm.base_image,
        name=name,
        count=replicas,
        command=f"sh -c {shlex.quote(LOOP)}",
        as_service=True,
    )
    return create_service(swarm.api, spec, dockblocks_labels(labels))


def test_a_replica_is_scaled_not_cloned_and_a_clone_is_no_replica(
    swarm: PrivateEngine, labels: dict[str, str], panel: InstancesPanel, qasync_loop: Any
) -> None:
    make_service(swarm, labels, "web", 2)
    bar = panel.services

    async def scenario() -> None:
        panel.start()
        replica, _other = await until(
            lambda: running_tasks(panel, "web") if len(running_tasks(panel, "web")) == 2 else []
        )
        await until(lambda: panel.model.services.get("web"))
        select(panel, panel.model.index_of(replica))
        assert not panel.launch_button.isEnabled() and not panel.launch_count.isEnabled()
        assert panel.launch_button.toolTip() == say_instances(
            "action.tip.launch_service", name=panel.model.instances[replica].name, service="web"
        )
        assert bar.scale_button.isEnabled()  # the way to run more of it
        panel.launch_more(1)  # not even when asked
        await asyncio.sleep(0.5)
        assert len(panel.model.instances) == 2

        # A clone made anyway keeps the image, command and the app's labels, not the swarm's.
        (clone,) = launch_more_like(swarm.api, replica, 1)
        clone_labels = swarm.api.inspect_container(clone)["Config"]["Labels"]
        assert not [key for key in clone_labels if key.startswith(SWARM_LABEL_PREFIX)]
        assert dockblocks_labels(labels).items() <= clone_labels.items()
        await until(lambda: clone in panel.model.instances)
        assert panel.model.instances[clone].service == ""
        assert clone not in [i.id for i in panel.model.tasks_of("web")]
        select(panel, panel.model.index_of(clone))
        assert panel.launch_button.isEnabled()
        assert panel.launch_button.toolTip() == say_instances("action.tip.launch")

        menu = bar.service_menu(panel.model.services["web"])  # two replicas: one less, or one more
        assert [a.text() for a in menu.actions()][:2] == [say("menu.scale_one"), say("menu.scale", count=3)]
        menu.deleteLater()

        # Scaled to one, the service still lists the stopped replica: the question counts the one it keeps.
        select(panel, panel.model.service_index("web"))
        bar.replicas.setValue(1)
        bar.scale_button.click()
        assert panel.status.text() == say("scale.asking_one", name="web")
        await until(
            lambda: len(running_tasks(panel, "web")) == 1 and panel.model.services["web"].running == 1
        )
        assert panel.status.text() == say("scale.done_one", name="web")
        bar.remove_button.click()
        question = await until(lambda: bar.question)
        assert question.text() == say("remove.ask_one", name="web")
        next(b for b in question.buttons() if b.text() == say("remove.confirm")).click()
        await until(
            lambda: not panel.model.service_index("web").isValid() and not panel.model.tasks_of("web")
        )
        assert panel.model.instances[clone].state == "running"  # a plain instance: the service took none

    qasync_loop.run_until_complete(scenario())
    swarm.api.remove_container(clone_of(swarm, labels), force=True)


def clone_of(swarm: PrivateEngine, labels: dict[str, str]) -> str:
    (left,) = swarm.api.containers(all=True, filters={"label": [f"{CASE_LABEL}={labels[CASE_LABEL]}"]})
    return str(left["Id"])


def test_a_global_service_offers_no_scale(
    swarm: PrivateEngine, labels: dict[str, str], panel: InstancesPanel, qasync_loop: Any
) -> None:
    container = ContainerSpec(swarm.base_image, args=["sh", "-c", LOOP], labels=dockblocks_labels(labels))
    swarm.api.create_service(
        TaskTemplate(container),
        name="everywhere",
        labels=dockblocks_labels(labels),
        mode=ServiceMode("global"),
    )
    bar = panel.services

    async def scenario() -> None:
        panel.start()
        await until(lambda: running_tasks(panel, "everywhere") and panel.model.services.get("everywhere"))
        service = panel.model.services["everywhere"]
        assert service.desired is None
        select(panel, panel.model.service_index("everywhere"))
        assert bar.selected() == service and bar.remove_button.isEnabled()
        assert not bar.scale_button.isEnabled() and not bar.replicas.isEnabled()
        assert bar.scale_button.toolTip() == say("bar.scale_global", name="everywhere")
        menu = bar.service_menu(service)
        assert [a.text() for a in menu.actions() if a.text()] == [say("menu.remove", name="everywhere")]
        menu.deleteLater()
        bar.scale(3, service)  # asked anyway: said why not, nothing sent
        assert panel.status.text() == say("bar.scale_global", name="everywhere")
        await asyncio.sleep(0.3)
        assert "Global" in swarm.api.inspect_service("everywhere")["Spec"]["Mode"]
        bar.remove_button.click()
        question = await until(lambda: bar.question)
        assert question.text() == say("remove.ask_global", name="everywhere")
        next(b for b in question.buttons() if b.text() == say("remove.confirm")).click()
        await until(lambda: not panel.model.service_index("everywhere").isValid())

    qasync_loop.run_until_complete(scenario())


# docker-py's unix socket connection leaks its socket when connect() fails (the engine is gone): not ours.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_when_the_engine_stops_scale_says_so_plainly(
    swarm: PrivateEngine, labels: dict[str, str], panel: InstancesPanel, qasync_loop: Any
) -> None:
    """Last in this module: it stops the module's engine."""
    make_service(swarm, labels, "stops", 1)
    bar = panel.services
    done: list[str] = []
    panel.actionDone.connect(done.append)

    async def scenario() -> None:
        panel.start()
        await until(lambda: running_tasks(panel, "stops") and panel.model.services.get("stops"))
        select(panel, panel.model.service_index("stops"))
        swarm.process.terminate()
        await asyncio.get_running_loop().run_in_executor(None, swarm.process.wait, 60)
        bar.replicas.setValue(2)
        bar.scale_button.click()
        await until(lambda: done)
        await asyncio.sleep(0.5)  # the listings that follow find no engine: the reason stays shown

    qasync_loop.run_until_complete(scenario())
    gc.collect()  # those leaked sockets are reported here, not in a later test
    gone = say_instances("engine.gone", hint=say_problem("problem.not_started.hint"))
    assert done == [say("scale.failed", name="stops", reason=gone)]
    assert panel.status.text() == done[0]
    assert "Connection aborted" not in done[0] and "Error" not in done[0]
