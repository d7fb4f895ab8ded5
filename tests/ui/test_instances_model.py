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


class ListingClient:
    """Answers the one listing call the panel makes, as the engine would."""

    def __init__(self, summaries: list[dict[str, Any]]) -> None:
        self.summaries = summaries
        self.filters: list[dict[str, list[str]]] = []

    def containers(self, all: bool, filters: dict[str, list[str]]) -> list[dict[str, Any]]:
        self.filters.append(filters)
        return self.summaries

    def close(self) -> None:
        pass


def test_the_panel_lists_opens_a_port_in_the_browser_and_fits_its_buttons_to_the_selection(
    qtbot: Any, qasync_loop: Any, artifacts_dir: Any
) -> None:
    from PySide6.QtCore import QUrl

    from desktop.engine.instances import Action
    from ui.asyncqt import AsyncRunner
    from ui.widgets.instances_panel import InstancesPanel

    ports = [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}]
    summaries = [
        {
            "Id": "a",
            "Names": ["/web-1"],
            "Image": "web:1",
            "State": "running",
            "Status": "Up 2 minutes",
            "Ports": ports,
        },
        {
            "Id": "b",
            "Names": ["/web-2"],
            "Image": "web:1",
            "State": "exited",
            "Status": "Exited (3) 1 minute ago",
        },
        {
            "Id": "c",
            "Names": ["/db"],
            "Image": "postgres:16",
            "State": "paused",
            "Status": "Up 1 hour (Paused)",
        },
    ]
    client = ListingClient(summaries)
    opened: list[QUrl] = []
    panel = InstancesPanel(AsyncRunner(), lambda: client, open_url=opened.append)
    qtbot.addWidget(panel)
    followed: list[str] = []  # the output itself is followed on the real engine (tests/engine)
    panel.logs.show_instance = lambda instance: followed.append(instance.name if instance else "")  # type: ignore[method-assign]
    qasync_loop.run_until_complete(panel.refresh())
    assert client.filters == [{"label": ["org.dockblocks.created-by=dockblocks"]}]
    assert set(panel.model.instances) == {"a", "b", "c"}
    assert panel.remove_stopped_button.isEnabled()
    assert not any(button.isEnabled() for button in panel.buttons.values())  # nothing selected

    panel.tree.clicked.emit(panel.model.index_of("a", PORTS))
    assert [url.toString() for url in opened] == ["http://localhost:8080/"]
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    panel.tree.selectionModel().select(panel.model.index_of("b"), flags)
    enabled = {action for action, button in panel.buttons.items() if button.isEnabled()}
    assert enabled == {Action.START, Action.RESTART, Action.REMOVE}
    panel.tree.selectionModel().select(panel.model.index_of("c"), flags)
    enabled = {action for action, button in panel.buttons.items() if button.isEnabled()}
    assert enabled == {Action.STOP, Action.RESTART, Action.UNPAUSE, Action.KILL}
    panel.exec_box.command.setText("ls")
    panel.exec_box.run_command()  # a paused instance: said plainly, nothing is sent
    assert (
        panel.exec_box.output.toPlainText()
        == "The instance is not running; start it first, then run the command again."
    )
    assert followed[-2:] == ["web-2", "db"]
    panel.resize(1000, 640)
    panel.show()
    qtbot.waitExposed(panel)
    panel.grab().save(str(artifacts_dir / "instances_panel.png"))
    # A name the engine makes up is read in full (Qt's 100 pixels showed "busy_…" for busy_raman).
    needed = panel.tree.fontMetrics().horizontalAdvance("practical_sutherland") + panel.tree.indentation()
    assert panel.tree.header().sectionSize(NAME) >= needed
    panel.stop()
