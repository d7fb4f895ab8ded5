"""The instances model with swarm services: a row per service, its tasks under it named by their slot."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from desktop.engine.instances import Instance, instance_from_summary
from desktop.engine.services import Service, say
from ui.models.instances_model import NAME, InstancesModel

TASK_ID = "x7k2m9q4r8t1v5w3y6z0a2b4c"  # a swarm task id: 25 characters


def task(container_id: str, slot: int, service: str = "web", state: str = "running") -> Instance:
    return instance_from_summary(
        {
            "Id": container_id,
            "Names": [f"/{service}.{slot}.{TASK_ID}"],
            "Image": "site:1",
            "State": state,
            "Status": "Up 2 seconds",
            "Labels": {"com.docker.swarm.service.name": service},
        }
    )


def plain(container_id: str) -> Instance:
    return instance_from_summary(
        {"Id": container_id, "Names": ["/alone"], "Image": "site:1", "State": "running"}
    )


def web(desired: int, running: int) -> Service:
    return Service("id-web", "web", "site:1", desired, running, ours=True)


def children(model: InstancesModel, parent_text_start: str) -> list[str]:
    for row in range(model.rowCount()):
        group = model.index(row, NAME)
        if str(group.data()).startswith(parent_text_start):
            return sorted(str(model.index(r, NAME, group).data()) for r in range(model.rowCount(group)))
    raise AssertionError(f"no row {parent_text_start!r}")


def test_tasks_sit_under_their_service_and_plain_instances_under_their_image(
    qtmodeltester: ModelTester,
) -> None:
    model = InstancesModel()
    model.set_instances([task("a", 1), plain("p"), task("b", 2)])
    qtmodeltester.check(model)
    assert model.rowCount() == 2  # the service (its name only, until the service is listed) and the image
    assert children(model, "web") == ["web.1", "web.2"]
    assert children(model, "site:1") == ["alone"]
    assert model.index_of("a", NAME).data() == "web.1"
    assert f"web.1.{TASK_ID}" in model.index_of("a", NAME).data(
        Qt.ItemDataRole.ToolTipRole
    )  # the tooltip names the container

    model.set_services([web(2, 2)])
    qtmodeltester.check(model)
    group = model.service_index("web")
    assert group.data() == say("group.text", name="web", image="site:1", replicas="2/2")
    assert model.service_at(group) == web(2, 2) and model.instance_at(group) is None
    assert model.service_at(model.index_of("a")) is None
    assert [i.id for i in model.tasks_of("web")] == ["a", "b"]


def test_a_service_scaled_to_zero_keeps_its_row_until_it_is_removed(qtmodeltester: ModelTester) -> None:
    model = InstancesModel()
    model.set_services([web(1, 1)])
    model.set_instances([task("a", 1)])
    model.set_services([web(0, 0)])
    model.set_instances([])
    qtmodeltester.check(model)
    assert model.service_index("web").data() == say("group.text", name="web", image="site:1", replicas="0/0")
    assert model.rowCount(model.service_index("web")) == 0
    model.set_services([])
    assert not model.service_index("web").isValid() and model.rowCount() == 0


def test_a_service_listed_before_its_tasks_shows_them_when_they_come() -> None:
    model = InstancesModel()
    model.set_services([web(3, 0)])
    assert model.service_index("web").data() == say("group.text", name="web", image="site:1", replicas="0/3")
    model.set_instances([task("a", 1), task("b", 2), task("c", 3)])
    model.set_services([web(3, 3)])
    assert children(model, "web") == ["web.1", "web.2", "web.3"]
    assert model.rowCount() == 1
