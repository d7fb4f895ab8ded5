"""The swarm services in the instances panel: their rows kept live, and scaling or removing one.

:class:`ServicesBar` sits in the :class:`ui.widgets.instances_panel.InstancesPanel` under its buttons. It
lists the services (two calls: the services and their running tasks) each time the panel lists its
instances and whenever the engine's events stream reports a service event (one stream for all services,
no thread per service); while a service is still starting or stopping replicas it lists them again every
:data:`CONVERGE_MS`, until the numbers match. On an engine that is no swarm manager it hides itself.

Selecting a service's row (or one of its replicas) offers "Scale to [N]" and "Remove service"; the same
are in the row's context menu. Each shows its ``docker service …`` command in the panel's CLI line, and
removing asks first.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QMessageBox, QPushButton, QSpinBox, QWidget

from desktop.engine.services import (
    MAX_REPLICAS,
    Service,
    remove_cli_command,
    say,
    say_count,
    scale_cli_command,
)
from ui.asyncqt import wait_for_signal

if TYPE_CHECKING:
    from ui.widgets.instances_panel import InstancesPanel

_log = logging.getLogger(__name__)
CONVERGE_MS = 2000
"""While a service has fewer or more replicas than asked, its numbers are read again this often."""
RETRY_MS = 150
"""A listing asked for while one runs comes this long after."""
EVENTS_TASK, LIST_TASK = "instances.services.events", "instances.services.list"


class ServicesBar(QWidget):
    """The selected service's actions, and the services' rows of the panel's model kept live.

    Signals:
        listed(): the services were read again and shown.
    """

    listed = Signal()

    def __init__(self, panel: InstancesPanel) -> None:
        super().__init__(panel)
        self.setObjectName("ServicesBar")
        self.panel = panel
        self.manager = False
        self.question: QMessageBox | None = None  # the removal question while it is open (tests answer it)
        self._actions_started = 0
        self._converge_timer = QTimer(self, singleShot=True, interval=CONVERGE_MS)
        self._converge_timer.timeout.connect(self.list_again)
        self.title = QLabel(say("bar.label"), self)
        self.replicas = QSpinBox(self)
        self.replicas.setObjectName("ServiceReplicas")
        self.replicas.setRange(0, MAX_REPLICAS)
        self.replicas.setPrefix(f"{say('bar.scale_to')} ")
        self.replicas.setAccessibleName(say("bar.scale_to"))
        self.replicas.setToolTip(say("bar.scale_tip"))
        self.scale_button = QPushButton(say("bar.scale"), self)
        self.scale_button.setObjectName("ServiceScale")
        self.scale_button.setToolTip(say("bar.scale_tip"))
        self.scale_button.clicked.connect(lambda: self.scale(self.replicas.value()))
        self.remove_button = QPushButton(say("bar.remove"), self)
        self.remove_button.setObjectName("ServiceRemove")
        self.remove_button.setToolTip(say("bar.remove_tip"))
        self.remove_button.clicked.connect(lambda: self.remove())
        self.replicas.lineEdit().returnPressed.connect(self.scale_button.click)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.replicas, self.scale_button, self.remove_button):
            row.addWidget(widget)
        row.addStretch(1)
        panel.refreshed.connect(self.list_again)
        panel.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        panel.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.tree.customContextMenuRequested.connect(self._context_menu)
        self.hide()
        self._selection_changed()

    # --- following the engine ---------------------------------------------------------------------------

    def restart(self) -> None:
        """Follows the service events of the engine in use (again: the panel started following it anew)."""
        from desktop.engine.services import follow_service_events

        self.panel.runner.start(EVENTS_TASK, follow_service_events(self.panel.api_factory, self.list_again))

    def stop(self) -> None:
        """Stops reading the services again (the panel stops following the engine)."""
        self._converge_timer.stop()

    def list_again(self) -> None:
        """Reads the services again, unless a listing runs now (then once more just after)."""
        if self.panel.runner.is_running(LIST_TASK):
            self._converge_timer.start(RETRY_MS)
            return
        self.panel.runner.start(LIST_TASK, self.refresh())

    async def refresh(self) -> None:
        """Lists the services in scope (in a worker thread) and shows them in the panel's model."""
        from desktop.engine.services import list_services
        from desktop.engine.threads import call_with_client

        every = self.panel.every.isChecked()
        try:
            services = await call_with_client(
                self.panel.api_factory, list_services, every, self.panel.extra_labels
            )
        except Exception as error:  # the engine is away: the panel says so, and lists again when back
            _log.info("services: could not list: %s", error)
            return
        self.manager = services is not None
        self.setVisible(self.manager or bool(self.panel.model.services))
        self.panel.model.set_services(services or [])
        if any(service.converging for service in services or []):
            self._converge_timer.start(CONVERGE_MS)
        self._selection_changed()
        self.listed.emit()

    # --- selection --------------------------------------------------------------------------------------

    def selected(self) -> Service | None:
        """The service whose row is selected, or whose replicas alone are selected."""
        model = self.panel.model
        names: set[str] = set()
        for index in self.panel.tree.selectionModel().selectedRows():
            service = model.service_at(index)
            instance = model.instance_at(index)
            if service is not None:
                names.add(service.name)
            elif instance is not None:
                names.add(instance.service)
        name = names.pop() if len(names) == 1 else ""
        return model.services.get(name) if name else None

    def _selection_changed(self, *_: object) -> None:
        service = self.selected()
        scalable = service is not None and service.desired is not None  # a global one runs one per machine
        for widget in (self.replicas, self.scale_button):
            widget.setEnabled(scalable)
            widget.setToolTip(
                say("bar.scale_global", name=service.name)
                if service is not None and not scalable
                else say("bar.scale_tip")
            )
        self.remove_button.setEnabled(service is not None)
        self.title.setText(say("bar.label") if service is None else f"{say('bar.label')} {service.name}")
        self.setToolTip("" if service is not None else say("bar.none"))
        if service is not None and service.desired is not None and not self.replicas.hasFocus():
            self.replicas.setValue(service.desired)

    def _context_menu(self, position: QPoint) -> None:
        index = self.panel.tree.indexAt(position)
        model = self.panel.model
        service = model.service_at(index)
        instance = model.instance_at(index) if service is None else None
        if service is None and instance is not None:
            service = model.services.get(instance.service)
        if service is not None:  # never exec(): no nested event loop
            self.service_menu(service).popup(self.panel.tree.viewport().mapToGlobal(position))

    def service_menu(self, service: Service) -> QMenu:
        """The context menu of a service's row: one replica more or less, any number, remove."""
        menu = QMenu(self)
        menu.setObjectName("ServiceMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if service.desired is not None:  # a global service has no number to scale to
            for count in sorted({service.desired + 1, max(service.desired - 1, 0)} - {service.desired}):
                action = menu.addAction(say_count("menu.scale", count))
                action.triggered.connect(lambda _=False, n=count, s=service: self.scale(n, s))
            other = menu.addAction(say("menu.scale_other"))
            other.triggered.connect(self._focus_replicas)
            menu.addSeparator()
        removing = menu.addAction(say("menu.remove", name=service.name))
        removing.triggered.connect(lambda _=False, s=service: self.remove(s))
        return menu

    def _focus_replicas(self) -> None:
        self.replicas.setFocus()
        self.replicas.selectAll()

    # --- actions ----------------------------------------------------------------------------------------

    def scale(self, replicas: int, service: Service | None = None) -> None:
        """Asks the swarm to keep ``replicas`` copies of the selected service (or ``service``)."""
        chosen = service or self.selected()
        if chosen is None:
            return
        if chosen.desired is None:  # global: the engine would refuse a number of replicas
            self.panel.status.setText(say("bar.scale_global", name=chosen.name))
            return
        self.panel.cli.setText(f"{say_cli_label()} {scale_cli_command(chosen.name, replicas)}")
        self.panel.status.setText(say_count("scale.asking", replicas, name=chosen.name))
        self.panel.runner.start(self._action_name(), self._scale(chosen, replicas))

    async def _scale(self, service: Service, replicas: int) -> None:
        from desktop.engine.services import scale_service
        from desktop.engine.threads import call_with_client

        try:
            await call_with_client(self.panel.api_factory, scale_service, service.id, replicas)
        except Exception as error:  # the engine refused (said in its words), or it is away
            reason = self.panel.explain(error)
            self._finish(say("scale.failed", name=service.name, reason=reason), failed=True)
            return
        self._finish(say_count("scale.done", replicas, name=service.name))

    def remove(self, service: Service | None = None) -> None:
        """Asks first, then removes the selected service (or ``service``) and so all its replicas."""
        chosen = service or self.selected()
        if chosen is None:
            return
        self.panel.cli.setText(f"{say_cli_label()} {remove_cli_command(chosen.name)}")
        self.panel.runner.start(self._action_name(), self._remove(chosen))

    async def _remove(self, service: Service) -> bool:
        from desktop.engine.services import remove_service
        from desktop.engine.threads import call_with_client

        box = QMessageBox(self)
        box.setObjectName("ServiceRemoveQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(say("remove.title"))
        box.setText(remove_question(service))
        box.setInformativeText(say("remove.detail"))
        confirm = box.addButton(say("remove.confirm"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.question = box
        box.open()
        await wait_for_signal(box.finished)
        chosen = box.clickedButton() is confirm
        self.question = None
        box.deleteLater()
        if not chosen:
            return False
        try:
            await call_with_client(self.panel.api_factory, remove_service, service.id)
        except Exception as error:  # the engine refused (said in its words), or it is away
            reason = self.panel.explain(error)
            self._finish(say("remove.failed", name=service.name, reason=reason), failed=True)
            return False
        self._finish(say("remove.done", name=service.name))
        return True

    def _action_name(self) -> str:
        self._actions_started += 1
        return f"instances.services.action.{self._actions_started}"

    def _finish(self, sentence: str, failed: bool = False) -> None:
        self.panel.status.setText(sentence)
        self.panel.failure_shown = failed
        self.panel.actionDone.emit(sentence)
        self.list_again()
        self._converge_timer.start(CONVERGE_MS)


def remove_question(service: Service) -> str:
    """Asks whether to remove ``service`` and its replicas: the number the service asks for, not the
    containers listed under it (stopped tasks and old ones are listed too)."""
    if service.desired is None:
        return say("remove.ask_global", name=service.name)
    if service.desired == 0:
        return say("remove.ask_none", name=service.name)
    return say_count("remove.ask", service.desired, name=service.name)


def say_cli_label() -> str:
    """The panel's "In a terminal:" words before a command."""
    from desktop.engine.instances import say as say_instances

    return say_instances("cli.label")
