"""Run in the main window: the Run menu's action, the run dialog, and the Output dock with the instances.

Run (Ctrl+Shift+R) checks the engine (when none answers, the runner shows why and what to do), opens the
run dialog with the project's image and the ports its EXPOSE blocks name, checks what the engine already
uses while the user types, starts the instances, and shows each one's live output in the Output dock.
On an engine that manages a swarm (asked again each time the dialog opens, so a ``docker swarm init`` or a
reconnect to another engine is seen), the dialog also offers to create a service with N replicas instead.
The settings of the last Run are offered again next time.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QMenu, QMessageBox

from desktop.blocks.kinds import Kind
from desktop.engine.labels import PROJECT_LABEL, project_image_tag
from desktop.engine.run_spec import PortMapping, RunSpec, SpecTextError, parse_port, say, say_count
from ui.asyncqt import AsyncRunner, wait_for_signal
from ui.widgets.instance_output import InstanceOutput

if TYPE_CHECKING:
    from ui.dialogs.run_dialog import RunDialog

_log = logging.getLogger(__name__)
RUN_TASK = "run"
PULL_TASK = "pull"
CLEAN_TASK = "clean"
SHORTCUT = "Ctrl+Shift+R"


class RunFeature:
    """Run's pieces in one window: ``action``, ``dock`` (Output), ``output`` and the last settings.

    Attributes:
        dialog: the run dialog while it is open (tests drive it), else None.
        extra_labels: labels added to every instance beside Dockblocks' and the project's (tests add theirs).
    """

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.runner = AsyncRunner.of(window)
        self.last_spec: RunSpec | None = None
        self.dialog: RunDialog | None = None
        self.extra_labels: dict[str, str] = {}
        self.action = QAction(say("action.run"), window)
        self.action.setObjectName("RunAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip(say("action.run_tip"))
        self.action.setToolTip(say("action.run_tip"))
        self.action.triggered.connect(self.start)
        self.pull_action = QAction(say("action.pull"), window)
        self.pull_action.setObjectName("PullAction")
        self.pull_action.setStatusTip(say("action.pull_tip"))
        self.pull_action.setToolTip(say("action.pull_tip"))
        self.pull_action.triggered.connect(self.start_pull)
        self.clean_action = QAction(say("action.clean"), window)
        self.clean_action.setObjectName("CleanAction")
        self.clean_action.setStatusTip(say("action.clean_tip"))
        self.clean_action.setToolTip(say("action.clean_tip"))
        self.clean_action.triggered.connect(self.start_clean)
        self.output = InstanceOutput(self.runner, self._new_client, window)
        self.output.connectionLost.connect(lambda: window.engine.report_lost())  # type: ignore[attr-defined]
        self.dock = QDockWidget(say("output.title"), window)
        self.dock.setObjectName("InstanceOutputDock")
        self.dock.setAccessibleName(say("output.title"))
        self.dock.setWidget(self.output)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        findings = getattr(window, "findings_dock", None)
        if isinstance(findings, QDockWidget):  # one row of tabs at the bottom, not two narrow panes
            window.tabifyDockWidget(findings, self.dock)
        self.dock.hide()

    def start(self) -> None:
        """Open the run dialog (unless it is open already) and run what the user chose."""
        self.runner.start(RUN_TASK, self.run_project(), replace=False)

    def start_pull(self) -> None:
        """Pull the project's base images (unless a pull runs already)."""
        self.runner.start(PULL_TASK, self.pull_base_images(), replace=False)

    async def pull_base_images(self) -> None:
        """Pull every image the project's FROM blocks name, each in its own tab of the Output dock."""
        from desktop.engine.pull import base_images

        await self.window.engine.ensure_connected()  # type: ignore[attr-defined]
        self._show_dock()
        images = base_images(self.window.controller.document)  # type: ignore[attr-defined]
        if not images:
            self.output.say_note(say("pull.nothing"))
            return
        for image in images:
            await self.output.pull(image)

    def start_clean(self) -> None:
        """Offer to remove the stopped instances (unless that question is open already)."""
        self.runner.start(CLEAN_TASK, self.remove_stopped(), replace=False)

    async def remove_stopped(self) -> int:
        """Ask, then remove the stopped instances Dockblocks started; returns how many were removed."""
        from desktop.engine.cleanup import remove_instances, stopped_instances

        await self.window.engine.ensure_connected()  # type: ignore[attr-defined]
        found = await stopped_instances(self._new_client, self.extra_labels)
        if not found:
            self._tell(say("clean.none"), say("clean.title"), QMessageBox.Icon.Information)
            return 0
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(say("clean.title"))
        box.setText(say_count("clean.ask", len(found)))
        box.setObjectName("CleanQuestion")
        box.setInformativeText(say("clean.detail", names=", ".join(name for _, name in found)))
        remove = box.addButton(say("clean.remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.open()
        await wait_for_signal(box.finished)
        chosen = box.clickedButton() is remove
        box.deleteLater()
        if not chosen:
            return 0
        removed = await remove_instances(self._new_client, [i for i, _ in found])
        self.window.statusBar().showMessage(say_count("clean.done", len(removed)), 6000)
        return len(removed)

    def _tell(
        self, sentence: str, title: str = "", icon: QMessageBox.Icon = QMessageBox.Icon.Warning
    ) -> None:
        """Say something in a message box (opened, never exec(): this runs inside a coroutine)."""
        box = QMessageBox(
            icon, title or say("run.failed_title"), sentence, QMessageBox.StandardButton.Ok, self.window
        )
        box.setObjectName("RunProblem" if icon is QMessageBox.Icon.Warning else "RunNote")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _show_dock(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def _new_client(self) -> Any:
        return self.window.engine.new_api_client()  # type: ignore[attr-defined]

    async def run_project(self) -> None:
        """The whole of Run: engine check, dialog, start, output."""
        from desktop.engine.run import RunError, run
        from ui.dialogs.run_dialog import RunDialog

        await self.window.engine.ensure_connected()  # type: ignore[attr-defined]
        project_name = self._project_name()
        dialog = RunDialog(self._initial_spec(project_name), self.window)
        self.dialog = dialog
        self.runner.start("run.in_use", self._read_in_use(dialog))
        self.runner.start("run.swarm", self._read_swarm(dialog))
        dialog.open()
        try:  # not WA_DeleteOnClose: the dialog must outlive its finished signal, to be read
            (result,) = await wait_for_signal(dialog.finished)
            spec, in_use = dialog.spec(), dialog.in_use()
        finally:
            self.runner.cancel("run.in_use")
            self.runner.cancel("run.swarm")
            self.dialog = None
            dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or spec is None:
            return
        self.last_spec = spec
        self._show_dock()
        self.output.say_note(say("output.starting", image=spec.image))
        if in_use is not None and not in_use.has_image(spec.image) and not await self.output.pull(spec.image):
            return  # the pull's tab says why
        if spec.as_service:
            await self.create_service(spec, project_name)
            return
        try:
            started = await run(spec, self._new_client, {**self.extra_labels, PROJECT_LABEL: project_name})
        except RunError as error:
            self.output.add_instances(list(error.started))
            self.output.say_note(error.message)
            self._tell(error.message)
            return
        self.output.add_instances(started)

    async def create_service(self, spec: RunSpec, project_name: str) -> str | None:
        """Creates the swarm service ``spec`` describes; returns its id, or None (a box said why)."""
        from desktop.engine.labels import dockblocks_labels
        from desktop.engine.services import create_service, plain_error, say_count
        from desktop.engine.threads import run_blocking

        labels = dockblocks_labels({**self.extra_labels, PROJECT_LABEL: project_name})
        api = self._new_client()
        try:
            service_id = await run_blocking(create_service, api, spec, labels)
        except Exception as error:  # the engine refused: said in plain words, details in the log
            _log.info("run: service not created: %s", error)
            message = plain_error(error, spec)
            self.output.say_note(message)
            self._tell(message)
            return None
        finally:
            api.close()
        self.output.say_note(say_count("created", spec.count, name=spec.name or service_id[:12]))
        panel = getattr(self.window, "instances_panel", None)
        dock = panel.parentWidget() if panel is not None else None
        if isinstance(dock, QDockWidget):  # the replicas appear there
            dock.show()
            dock.raise_()
        return service_id

    async def _read_swarm(self, dialog: RunDialog) -> None:
        """Asks the engine whether it manages a swarm, and the names of its services, for the dialog."""
        from desktop.engine.services import SwarmRole, list_services, read_swarm_manager
        from desktop.engine.threads import run_blocking

        try:
            api = self._new_client()
            try:
                manager = await run_blocking(read_swarm_manager, api)
                services = await run_blocking(list_services, api, True) if manager else []
            finally:
                api.close()
        except Exception as error:  # the engine went away, or its swarm has no leader: no service option
            _log.info("run: could not ask the engine about its swarm: %s", error)
            manager, services = SwarmRole.UNKNOWN, []
        if self.dialog is dialog:
            dialog.set_swarm(manager, tuple(s.name for s in services or []))

    async def _read_in_use(self, dialog: RunDialog) -> None:
        from desktop.engine.ports_in_use import read_in_use
        from desktop.engine.threads import run_blocking

        api = self._new_client()
        try:
            in_use = await run_blocking(read_in_use, api)
        finally:
            api.close()
        if self.dialog is dialog:
            dialog.set_in_use(in_use)

    def _project_name(self) -> str:
        controller = self.window.controller  # type: ignore[attr-defined]
        path = controller.path
        return str(controller.project.name or (path.stem if path is not None else "") or "project")

    def _initial_spec(self, project_name: str) -> RunSpec:
        """The last settings, or the project's image with the ports its EXPOSE blocks name."""
        controller = self.window.controller  # type: ignore[attr-defined]
        base_dir = controller.project.context_dir or (controller.path.parent if controller.path else None)
        image = project_image_tag(project_name)
        if self.last_spec is not None and self.last_spec.image == image:
            return self.last_spec
        return RunSpec(image, ports=exposed_ports(controller.document), base_dir=base_dir)


def exposed_ports(document: Any) -> tuple[PortMapping, ...]:
    """The ports the EXPOSE blocks of the last stage name, published on the same host port when free."""
    from desktop.engine.ports_in_use import host_port_busy

    stages = document.stages()
    blocks = stages[-1].blocks if stages else []
    ports: list[PortMapping] = []
    for block in blocks:
        if block.kind is not Kind.EXPOSE:
            continue
        for word in block.params.get("ports") or []:
            try:
                inner = parse_port(str(word))
            except SpecTextError:
                continue  # a variable such as $PORT: the user types the port
            busy = host_port_busy(inner.container_port, inner.protocol)
            ports.append(
                PortMapping(inner.container_port, None if busy else inner.container_port, inner.protocol)
            )
    return tuple(ports)


def install_run(window: QMainWindow) -> RunFeature:
    """Add the Run menu (before Help) and the Output dock to the window; kept as ``window.run_feature``.

    Installing twice keeps the first (the window installs it with its engine monitor, just after its first
    picture).
    """
    existing = getattr(window, "run_feature", None)
    if isinstance(existing, RunFeature):
        return existing
    feature = RunFeature(window)
    menu = QMenu(say("menu.run"), window)
    menu.setObjectName("RunMenu")
    menu.addAction(feature.action)
    menu.addAction(feature.pull_action)
    menu.addAction(feature.clean_action)
    menu.addAction(feature.dock.toggleViewAction())
    bar = window.menuBar()
    actions = getattr(window, "menu_actions", None)
    about = actions.by_name.get("about") if actions is not None else None
    help_menu = next((a for a in bar.actions() if a.menu() is not None and about in a.menu().actions()), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    window.run_feature = feature  # type: ignore[attr-defined]
    return feature
