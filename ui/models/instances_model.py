"""The instances of the engine as a tree: one row per image, its instances under it.

A swarm service is a row of its own (name, image, replicas running/desired; :meth:`set_services`) with its
tasks' containers under it, named by their slot (``web.1``, ``web.2``), instead of under their image. A
service scaled to 0 keeps its row while it exists.

:class:`InstancesModel` is updated in place (:meth:`InstancesModel.set_instances`): rows of instances that
are still there keep their place, so a selection survives every refresh; only the uptime column changes
once a second (:meth:`InstancesModel.tick`), from the moment each instance started (given by the state
timeline), never by asking the engine.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from desktop.engine.instances import Instance, duration_text, say, say_count, uptime_text
from desktop.engine.services import Service, task_short_name
from desktop.engine.services import say as say_service
from desktop.engine.services import say_count as say_services_count

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The container id of an instance row ("" on an image row)."""
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The state of an instance row ("" on an image row)."""
URL_ROLE = Qt.ItemDataRole.UserRole + 3
"""On the ports cell: the address of the first published port ("" when none)."""
SERVICE_ROLE = Qt.ItemDataRole.UserRole + 4
"""On a service row: the service's name ("" on other rows)."""

COLUMNS = ("name", "image", "state", "uptime", "exit", "ports")
NAME, IMAGE, STATE, UPTIME, EXIT, PORTS = range(len(COLUMNS))

STATE_COLOURS: dict[str, str] = {
    "created": "#1e88e5",
    "running": "#2e7d32",
    "paused": "#f9a825",
    "restarting": "#8e24aa",
    "removing": "#757575",
    "exited": "#757575",
    "dead": "#c62828",
}
"""One colour per state, the same as the timeline chart's bands: blue created, green running, amber paused,
grey exited, red dead."""


LINK_COLOUR = "#1565c0"


def state_colour(state: str) -> QColor:
    return QColor(STATE_COLOURS.get(state, "#757575"))


class InstancesModel(QStandardItemModel):
    """Instances grouped by image (read-only); each instance row carries its id in :data:`ID_ROLE`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("InstancesModel")
        self.setHorizontalHeaderLabels([say(f"column.{name}") for name in COLUMNS])
        self.instances: dict[str, Instance] = {}
        self._rows: dict[str, QPersistentModelIndex] = {}
        self._groups: dict[str, QStandardItem] = {}
        self.services: dict[str, Service] = {}
        self._service_groups: dict[str, QStandardItem] = {}
        self._started: dict[str, float] = {}

    # --- reading ----------------------------------------------------------------------------------------

    def instance_at(self, index: QModelIndex | QPersistentModelIndex) -> Instance | None:
        """The instance of a row (any column), or None for an image row."""
        container_id = index.siblingAtColumn(NAME).data(ID_ROLE) if index.isValid() else None
        return self.instances.get(container_id) if container_id else None

    def index_of(self, container_id: str, column: int = NAME) -> QModelIndex:
        """The index of an instance's row (invalid when it is not shown)."""
        row = self._rows.get(container_id)
        if row is None or not row.isValid():
            return QModelIndex()
        return self.index(row.row(), column, row.parent())

    def images(self) -> list[str]:
        return list(self._groups)

    def service_at(self, index: QModelIndex | QPersistentModelIndex) -> Service | None:
        """The service of a service row (any column), or None."""
        name = index.siblingAtColumn(NAME).data(SERVICE_ROLE) if index.isValid() else None
        return self.services.get(name) if name else None

    def service_index(self, name: str) -> QModelIndex:
        """The index of a service's row (invalid when it is not shown)."""
        group = self._service_groups.get(name)
        return group.index() if group is not None else QModelIndex()

    def tasks_of(self, service: str) -> list[Instance]:
        """The instances shown under a service's row (its tasks' containers), by name."""
        return sorted((i for i in self.instances.values() if i.service == service), key=lambda i: i.name)

    # --- updating ---------------------------------------------------------------------------------------

    def set_instances(self, instances: Sequence[Instance]) -> None:
        """Show exactly ``instances``: new rows are added, gone ones removed, the others updated in place."""
        wanted = {instance.id: instance for instance in instances}
        for container_id in [c for c in self.instances if c not in wanted or self._moved(wanted[c])]:
            self._remove_row(container_id)
        for instance in sorted(instances, key=lambda i: (i.image, i.name)):
            if instance.id in self._rows:
                self._update_row(instance)
            else:
                self._add_row(instance)
            self.instances[instance.id] = instance
        for image in [image for image, group in self._groups.items() if group.rowCount() == 0]:
            self.removeRow(self._groups.pop(image).row())
        for image, group in self._groups.items():
            group.setToolTip(say_count("group.tip", group.rowCount(), image=image))
            group.setText(f"{image}  ({group.rowCount()})")
        self._tidy_service_groups()

    def set_services(self, services: Sequence[Service]) -> None:
        """Show these services: each keeps a row (even with no task left) while it exists."""
        self.services = {service.name: service for service in services}
        for service in services:
            self._service_group(service.name)
        self._tidy_service_groups()

    def set_started(self, started: Mapping[str, float]) -> None:
        """When each running instance started (epoch seconds), for the uptime column."""
        self._started = dict(started)
        self.tick()

    def tick(self, now: float | None = None) -> None:
        """Brings the uptime column up to date (once a second)."""
        now = time.time() if now is None else now
        for container_id, instance in self.instances.items():
            item = self._item(container_id, UPTIME)
            if item is not None:
                text = self._uptime(instance, now)
                if item.text() != text:
                    item.setText(text)

    # --- rows -------------------------------------------------------------------------------------------

    def _moved(self, instance: Instance) -> bool:
        old = self.instances.get(instance.id)
        return old is not None and (old.image, old.service) != (instance.image, instance.service)

    def _service_group(self, name: str) -> QStandardItem:
        group = self._service_groups.get(name)
        if group is None:
            group = QStandardItem(name)
            group.setEditable(False)
            group.setData("", ID_ROLE)
            group.setData(name, SERVICE_ROLE)
            rest = [QStandardItem() for _ in COLUMNS[1:]]
            for item in rest:
                item.setEditable(False)
            self.appendRow([group, *rest])
            self._service_groups[name] = group
        return group

    def _tidy_service_groups(self) -> None:
        """Drops the rows of services gone with their tasks; writes each row's name, image and replicas."""
        for name in [
            n for n, g in self._service_groups.items() if g.rowCount() == 0 and n not in self.services
        ]:
            self.removeRow(self._service_groups.pop(name).row())
        for name, group in self._service_groups.items():
            service = self.services.get(name)
            if service is None:  # its tasks are listed before the service itself: the name is all we know
                text, tip = name, ""
            else:
                text = say_service(
                    "group.text", name=name, image=service.image, replicas=service.replicas_text()
                )
                values = {"name": name, "image": service.image, "running": service.running}
                if service.desired is None:
                    tip = say_service("group.tip_global", **values)
                else:
                    tip = say_services_count("group.tip", service.desired, desired=service.desired, **values)
            if group.text() != text:
                group.setText(text)
                group.setToolTip(tip)

    def _group(self, image: str) -> QStandardItem:
        group = self._groups.get(image)
        if group is None:
            group = QStandardItem(image)
            group.setEditable(False)
            group.setData("", ID_ROLE)
            rest = [QStandardItem() for _ in COLUMNS[1:]]
            for item in rest:
                item.setEditable(False)
            self.appendRow([group, *rest])
            self._groups[image] = group
        return group

    def _add_row(self, instance: Instance) -> None:
        items = [QStandardItem() for _ in COLUMNS]
        for item in items:
            item.setEditable(False)
        items[NAME].setData(instance.id, ID_ROLE)
        group = self._service_group(instance.service) if instance.service else self._group(instance.image)
        group.appendRow(items)
        self._rows[instance.id] = QPersistentModelIndex(items[NAME].index())
        self._update_row(instance)

    def _update_row(self, instance: Instance) -> None:
        values = {
            NAME: task_short_name(instance.name) if instance.service else instance.name,
            IMAGE: instance.image,
            STATE: say(f"state.{instance.state}") if instance.state else "",
            UPTIME: self._uptime(instance, time.time()),
            EXIT: "" if instance.exit_code is None else str(instance.exit_code),
            PORTS: ", ".join(port.text() for port in instance.ports),
        }
        for column, text in values.items():
            item = self._item(instance.id, column)
            if item is not None and item.text() != text:
                item.setText(text)
        name = self._item(instance.id, NAME)
        if name is not None and instance.service and not name.toolTip():
            short = task_short_name(instance.name)
            name.setToolTip(
                say_service("task.tip", short=short, service=instance.service, name=instance.name)
            )
        state = self._item(instance.id, STATE)
        if state is not None and state.data(STATE_ROLE) != instance.state:
            state.setData(instance.state, STATE_ROLE)
            state.setForeground(QBrush(state_colour(instance.state)))
            state.setData(state_colour(instance.state), Qt.ItemDataRole.DecorationRole)
        ports = self._item(instance.id, PORTS)
        if ports is not None:
            url = instance.ports[0].url() if instance.ports else ""
            if ports.data(URL_ROLE) != url:
                ports.setData(url, URL_ROLE)
                ports.setToolTip(say("port.tip", url=url) if url else "")
                font = ports.font()
                font.setUnderline(bool(url))  # looks like a link: a click opens it
                ports.setFont(font)
                ports.setForeground(QBrush(QColor(LINK_COLOUR)) if url else QBrush())

    def _remove_row(self, container_id: str) -> None:
        row = self._rows.pop(container_id, None)
        self.instances.pop(container_id, None)
        if row is not None and row.isValid():
            self.removeRow(row.row(), row.parent())

    def _item(self, container_id: str, column: int) -> QStandardItem | None:
        index = self.index_of(container_id, column)
        return self.itemFromIndex(index) if index.isValid() else None

    def _uptime(self, instance: Instance, now: float) -> str:
        started = self._started.get(instance.id)
        if instance.state in ("running", "paused") and started is not None:
            return duration_text(now - started)
        return uptime_text(instance)
