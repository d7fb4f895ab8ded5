"""The instances model: grouped by image, updated in place (the selection stays), states in colour, uptime."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.modeltest import ModelTester

from desktop.engine.instances import Instance, Port, instance_from_summary
from ui.models.instances_model import (
    EXIT,
    NAME,
    PORTS,
    STATE,
    STATE_COLOURS,
    UPTIME,
    URL_ROLE,
    InstancesModel,
)


def instance(container_id: str, image: str = "web:1", state: str = "running", **changes: Any) -> Instance:
    summary = {
        "Id": container_id,
        "Names": [f"/{container_id}-name"],
        "Image": image,
        "State": state,
        "Status": "Exited (3) 1 second ago" if state == "exited" else "Up 2 seconds",
        "Created": 1700000000,
        "Ports": [],
    }
    summary.update(changes)
    return instance_from_summary(summary)


def test_instances_are_grouped_by_image_and_the_model_is_sound(qtmodeltester: ModelTester) -> None:
    model = InstancesModel()
    model.set_instances([instance("a"), instance("b", "db:2"), instance("c")])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    groups = {model.index(r, NAME).data(): model.rowCount(model.index(r, NAME)) for r in range(2)}
    assert groups == {"db:2  (1)": 1, "web:1  (2)": 2}
    model.set_instances([instance("a", state="exited"), instance("d", "db:2")])
    qtmodeltester.check(model)
    assert set(model.instances) == {"a", "d"}
    assert model.index_of("a", EXIT).data() == "3"
    assert (
        model.index_of("a", STATE).data(Qt.ItemDataRole.ForegroundRole).color().name()
        == STATE_COLOURS["exited"]
    )
    model.set_instances([])
    assert model.rowCount() == 0


def test_an_update_keeps_rows_in_place_so_the_selection_survives() -> None:
    model = InstancesModel()
    model.set_instances([instance("a"), instance("b")])
    selection = QItemSelectionModel(model)
    selection.select(model.index_of("b"), QItemSelectionModel.SelectionFlag.Select)
    model.set_instances([instance("a"), instance("b", state="paused", Status="Up 1 second (Paused)")])
    selected = selection.selectedIndexes()
    assert [model.instance_at(i).state for i in selected] == ["paused"]  # type: ignore[union-attr]


def test_ports_carry_their_address_and_uptime_counts_from_the_start() -> None:
    model = InstancesModel()
    ports = [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}]
    model.set_instances([instance("a", Ports=ports)])
    assert model.index_of("a", PORTS).data() == "8080→80/tcp"
    assert model.index_of("a", PORTS).data(URL_ROLE) == "http://localhost:8080/"
    assert model.instances["a"].ports == (Port(80, "tcp", "0.0.0.0", 8080),)
    model.set_started({"a": 1000.0})
    model.tick(now=1000.0 + 125)
    assert model.index_of("a", UPTIME).data() == "2 min"
