"""The instances panel: every instance grouped by image, actions with their docker commands, output, exec.

The list is kept live by the window's one follower of the engine (:class:`ui.monitor_feed.MonitorFeed`:
the events stream, resumed and reconciled after every reconnect, shared with the charts): each batch of
events asks for one listing of the containers (one call, in a worker thread, at most every
:data:`REFRESH_MS`), never a poll of each container. The uptime column counts from the start times the
follower's timeline holds. Removing several instances asks first, naming them.

Every action runs in a worker thread through the window's :class:`ui.asyncqt.AsyncRunner` and shows the
``docker`` command that does the same in the CLI line under the buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.engine.instances import (
    Action,
    Instance,
    cli_command,
    fits,
    launch_cli_command,
    remove_stopped_cli_command,
    say,
    say_count,
    stopped,
)
from desktop.history.model import State
from desktop.history.timeline import Timeline
from ui.asyncqt import AsyncRunner
from ui.engine_monitor import ENGINE_ATTRIBUTE
from ui.late_docks import add_run_menu_dock
from ui.models.instances_model import EXIT, IMAGE, NAME, PORTS, STATE, UPTIME, URL_ROLE, InstancesModel
from ui.monitor_feed import MonitorFeed
from ui.widgets.exec_box import ExecBox, LogView
from ui.widgets.remove_question import ask_to_remove, names_for_question
from ui.widgets.services_bar import ServicesBar

_log = logging.getLogger(__name__)
REFRESH_MS = 150
"""Events arriving together (ten instances started at once) make one listing."""
PANEL_ATTRIBUTE = "instances_panel"  # window.instances_panel
FEED_TASK, LIST_TASK, ACTION_TASK = "instances.feed", "instances.list", "instances.action"
# Average characters each column has room for: the engine's names (practical_sutherland) and images in
# full, a state, an uptime and an exit code; the ports, last, take what is left.
COLUMN_CHARACTERS = {NAME: 24, IMAGE: 26, STATE: 11, UPTIME: 9, EXIT: 9}


class InstancesPanel(QWidget):
    """The list of instances, its actions, and the selected instance's output and exec box.

    Signals:
        refreshed(): the list was read again from the engine.
        actionDone(str): an action ended; the value is the sentence shown in the status line.
    """

    refreshed = Signal()
    actionDone = Signal(str)

    def __init__(
        self,
        runner: AsyncRunner,
        api_factory: Callable[[], Any],
        parent: QWidget | None = None,
        extra_labels: Sequence[str] = (),
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        monitor: MonitorFeed | None = None,
        engine_address: Callable[[], str] = str,
    ) -> None:
        """``extra_labels`` (``key=value``) narrow the list further (tests see only what they made).

        ``monitor`` is the window's follower of the engine; without one the panel follows on its own.
        ``engine_address`` gives the engine's address, for the advice when it stops answering ("": this
        computer's)."""
        super().__init__(parent)
        self.setObjectName("InstancesPanel")
        self.setAccessibleName(say("panel.title"))
        self.runner = runner
        self.api_factory = api_factory
        self.engine_address = engine_address
        self.extra_labels = tuple(extra_labels)
        self.open_url = open_url
        self.own_monitor = monitor is None
        self.monitor = monitor or MonitorFeed(
            runner, api_factory, save=False, parent=self, task_name=FEED_TASK
        )
        self.monitor.changed.connect(self._schedule_refresh)
        self.monitor.restarted.connect(self._schedule_refresh)
        self.question: Any = None  # the removal question while it is open (a QMessageBox; tests answer it)
        self.model = InstancesModel(self)
        self._actions_started = 0
        self._listing_failed = False
        self.failure_shown = False  # the status line shows why the last action failed
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self._start_refresh)
        self._uptime_timer = QTimer(self, interval=1000)
        self._uptime_timer.timeout.connect(self.model.tick)
        self._build()
        self._uptime_timer.start()

    # --- layout -----------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.every = QCheckBox(say("panel.every"), self)
        self.every.setObjectName("InstancesEvery")
        self.every.setToolTip(say("panel.every_tip"))
        self.every.setChecked(self.monitor.every)
        self.every.toggled.connect(self.restart_feed)
        self.tree = QTreeView(self)
        self.tree.setObjectName("InstancesList")
        self.tree.setAccessibleName(say("panel.title"))
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self._size_columns()
        self.tree.clicked.connect(self._clicked)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.rowsInserted.connect(self._rows_inserted)
        self.buttons: dict[Action, QPushButton] = {}
        actions_row = QHBoxLayout()
        for action in Action:
            button = QPushButton(say(f"action.{action.value}"), self)
            button.setObjectName(f"Instances{action.name.title()}")
            button.setAccessibleName(say(f"action.{action.value}"))
            button.setToolTip(say(f"action.tip.{action.value}"))
            button.clicked.connect(lambda _=False, a=action: self.act(a))
            actions_row.addWidget(button)
            self.buttons[action] = button
        actions_row.addStretch(1)
        more_row = QHBoxLayout()
        self.launch_count = QSpinBox(self)
        self.launch_count.setObjectName("InstancesLaunchCount")
        self.launch_count.setAccessibleName(say("launch.title"))
        self.launch_count.setRange(1, 50)
        self.launch_button = QToolButton(self)
        self.launch_count.valueChanged.connect(
            lambda count: self.launch_button.setText(say("action.launch", count=count))
        )
        self.launch_button.setText(say("action.launch", count=1))
        self.launch_button.setObjectName("InstancesLaunch")
        self.launch_button.setToolTip(say("action.tip.launch"))
        self.launch_button.clicked.connect(lambda: self.launch_more(self.launch_count.value()))
        self.remove_stopped_button = QToolButton(self)
        self.remove_stopped_button.setText(say("action.remove_stopped"))
        self.remove_stopped_button.setObjectName("InstancesRemoveStopped")
        self.remove_stopped_button.setToolTip(say("action.tip.remove_stopped"))
        self.remove_stopped_button.clicked.connect(self.remove_all_stopped)
        more_row.addWidget(self.launch_count)
        more_row.addWidget(self.launch_button)
        more_row.addWidget(self.remove_stopped_button)
        more_row.addStretch(1)
        more_row.addWidget(self.every)
        self.cli = QLabel(self)
        self.cli.setObjectName("InstancesCli")
        self.cli.setToolTip(say("cli.tip"))
        self.cli.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(say("panel.empty"), self)
        self.status.setObjectName("InstancesStatus")
        self.status.setWordWrap(True)
        self.logs = LogView(self.runner, self.api_factory, self)
        self.exec_box = ExecBox(self.runner, self.api_factory, self, self.engine_address)
        self.exec_box.finished.connect(lambda _text: self._schedule_refresh())
        tabs = QTabWidget(self)
        tabs.setObjectName("InstancesTabs")
        tabs.addTab(self.logs, say("logs.title"))
        tabs.addTab(self.exec_box, say("exec.title"))
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.tree, 1)
        top_layout.addLayout(actions_row)
        top_layout.addLayout(more_row)
        self.services = ServicesBar(self)  # swarm services: their rows, scale and remove
        top_layout.addWidget(self.services)
        top_layout.addWidget(self.cli)
        top_layout.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(tabs)
        # The list is what the panel is for: it gets most of the height, and always room for a few rows.
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.tree.setMinimumHeight(self.tree.fontMetrics().height() * 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._update_buttons()

    # --- following the engine ---------------------------------------------------------------------------

    def start(self) -> None:
        """Starts following the engine (again: after a reconnect, or when the scope changed)."""
        self.restart_feed()

    def restart_feed(self) -> None:
        self.monitor.set_every(self.every.isChecked())
        if self.own_monitor:
            self.monitor.follow()
        self.services.restart()
        self._schedule_refresh()

    @property
    def timeline(self) -> Timeline:
        """The state history the list's uptimes come from (the follower's)."""
        return self.monitor.timeline

    def explain(self, error: BaseException) -> str:
        """Why an engine call failed, in plain words, with advice for where the engine is (this computer or
        another): what the panel and its services bar say when an action fails."""
        from desktop.engine.instances import engine_explanation

        return engine_explanation(error, self.engine_address())

    def stop(self) -> None:
        for name in self.runner.running_names():
            if name.startswith("instances."):
                self.runner.cancel(name)
        self._uptime_timer.stop()
        self._refresh_timer.stop()
        self.services.stop()

    def _schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _start_refresh(self) -> None:
        if self.runner.is_running(LIST_TASK):
            self._refresh_timer.start()  # one listing at a time: try again just after
            return
        self.runner.start(LIST_TASK, self.refresh())

    async def refresh(self) -> None:
        """Reads the list of instances again (one call in a worker thread) and shows it."""
        from desktop.engine.instances import list_instances
        from desktop.engine.threads import call_with_client

        try:
            instances = await call_with_client(
                self.api_factory, list_instances, self.every.isChecked(), self.extra_labels
            )
        except Exception as error:  # the engine is away (the feed reconnects and asks again), or it refused
            from desktop.engine.instances import engine_lost

            _log.info("instances: could not list: %s", error)
            if engine_lost(error):
                if not self.failure_shown:  # an action's failure says it already, with what to do
                    self.status.setText(say("panel.no_engine"))
            else:  # a connected engine refused: say why, in plain words
                self.status.setText(say("panel.list_failed", reason=self.explain(error)))
            self._listing_failed = True
            return
        self.model.set_instances(instances)
        self.model.set_started(self._started_times())
        if not instances:
            self.status.setText(say("panel.empty"))
            self.failure_shown = False
        elif self.status.text() in (say("panel.empty"), say("panel.no_engine")) or self._listing_failed:
            self.status.clear()
            self.failure_shown = False  # the line no longer says why an action failed
        self._listing_failed = False
        self._selection_changed()
        self.refreshed.emit()

    def _started_times(self) -> dict[str, float]:
        started = {}
        for history in self.timeline.containers.values():
            current = history.current
            if current is not None and current.state in (State.RUNNING, State.PAUSED):
                started[history.id] = _run_start(history.intervals)
        return started

    # --- selection --------------------------------------------------------------------------------------

    def selected(self) -> list[Instance]:
        """The selected instances (an image row selects nothing by itself)."""
        found: dict[str, Instance] = {}
        for index in self.tree.selectionModel().selectedRows(NAME):
            instance = self.model.instance_at(index)
            if instance is not None:
                found[instance.id] = instance
        return list(found.values())

    def _selection_changed(self, *_: object) -> None:
        chosen = self.selected()
        one = chosen[0] if len(chosen) == 1 else None
        self.logs.show_instance(one)
        self.exec_box.set_instance(one)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected()
        for action, button in self.buttons.items():
            button.setEnabled(any(fits(action, i.state) for i in chosen))
        # A service's replica is not cloned: the swarm runs more of it (Scale, in the services bar).
        replica = chosen[0] if len(chosen) == 1 and chosen[0].service else None
        self.launch_button.setEnabled(len(chosen) == 1 and replica is None)
        self.launch_count.setEnabled(len(chosen) == 1 and replica is None)
        self.launch_button.setToolTip(
            say("action.tip.launch")
            if replica is None
            else say("action.tip.launch_service", name=replica.name, service=replica.service)
        )
        self.remove_stopped_button.setEnabled(bool(stopped(self.model.instances.values())))

    def _size_columns(self) -> None:
        """Room for what a column holds (Qt gives each 100 pixels: "busy_…" for busy_raman); the ports take
        the rest. Measured once, not fitted to the contents: that would measure every row at every update."""
        average = self.tree.fontMetrics().averageCharWidth()
        header = self.tree.header()
        indent = self.tree.indentation()  # an instance sits under its image
        for column, characters in COLUMN_CHARACTERS.items():
            header.resizeSection(column, characters * average + (indent if column == NAME else 0))

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            self.tree.expand(parent)
            return
        for row in range(first, last + 1):  # an image row: its name across the whole width, never clipped
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)

    def _clicked(self, index: QModelIndex) -> None:
        url = index.siblingAtColumn(PORTS).data(URL_ROLE) if index.column() == PORTS else ""
        if url:
            self.open_url(QUrl(url))

    # --- actions ----------------------------------------------------------------------------------------

    def act(self, action: Action, instances: Sequence[Instance] | None = None) -> None:
        """Does ``action`` to the selected instances (or ``instances``) that it fits, in a worker thread.

        Removing more than one instance asks first."""
        chosen = [i for i in (self.selected() if instances is None else instances) if fits(action, i.state)]
        if not chosen:
            return
        if action is Action.REMOVE and len(chosen) > 1:  # (running ones are never removed: they do not fit)
            question = say("confirm.remove", count=len(chosen), names=names_for_question(chosen))
            self._ask(question, lambda: self._act_now(action, chosen))
            return
        self._act_now(action, chosen)

    def _act_now(self, action: Action, chosen: Sequence[Instance]) -> None:
        self._show_cli(cli_command(action, [i.name for i in chosen]))
        label = say(f"action.{action.value}")
        self.status.setText(say_count("status.doing", len(chosen), action=label))
        self.failure_shown = False
        self.runner.start(self._action_name(), self._perform(action, chosen, label))

    async def _perform(self, action: Action, chosen: Sequence[Instance], label: str) -> None:
        from desktop.engine.instances import perform
        from desktop.engine.threads import run_blocking

        try:
            client = self.api_factory()
        except Exception as error:  # no client at all: the engine is away
            self._finish([self.explain(error)], failed=True)
            return
        try:
            failures = await run_blocking(
                perform, client, action, [i.id for i in chosen], self.engine_address()
            )
        finally:
            client.close()
        names = {i.id: i.name for i in chosen}
        by_reason: dict[str, list[str]] = {}  # a stopped engine fails them all for one reason: said once
        for container_id, reason in failures:
            by_reason.setdefault(reason, []).append(names[container_id])
        if by_reason:
            self._finish(
                [say("status.failed", name=", ".join(n), reason=r) for r, n in by_reason.items()], True
            )
        else:
            self._finish([say_count("status.done", len(chosen), action=label)])

    def launch_more(self, count: int) -> None:
        """Starts ``count`` more instances like the selected one."""
        chosen = self.selected()
        if len(chosen) != 1 or chosen[0].service:  # a replica: the service is scaled instead
            return
        model = chosen[0]
        self._show_cli(launch_cli_command(model.image, count, model.name))
        self.runner.start(self._action_name(), self._launch(model, count))

    async def _launch(self, model: Instance, count: int) -> None:
        from desktop.engine.instances import launch_more_like
        from desktop.engine.threads import call_with_client

        try:
            await call_with_client(self.api_factory, launch_more_like, model.id, count)
        except Exception as error:  # the engine refused (said in its words), or it is away
            self._finish([say("status.failed", name=model.name, reason=self.explain(error))], failed=True)
            return
        self._finish([say_count("status.launched", count, name=model.name)])

    def remove_all_stopped(self) -> None:
        """Removes every instance in the list that is not running."""
        chosen = stopped(self.model.instances.values())
        self._show_cli(remove_stopped_cli_command(self.every.isChecked()))
        if not chosen:
            self.status.setText(say("status.nothing_stopped"))
            return
        self._ask(
            say_count("confirm.remove_stopped", len(chosen), names=names_for_question(chosen)),
            lambda: self.runner.start(
                self._action_name(), self._perform(Action.REMOVE, chosen, say("action.rm"))
            ),
        )

    def _ask(self, question: str, then: Callable[[], object]) -> None:
        self.question = ask_to_remove(self, question, then)
        self.question.finished.connect(lambda _result: setattr(self, "question", None))

    def _action_name(self) -> str:
        # One task per action: a second click while the first still runs is done too, not dropped.
        self._actions_started += 1
        return f"{ACTION_TASK}.{self._actions_started}"

    def _show_cli(self, command: str) -> None:
        self.cli.setText(f"{say('cli.label')} {command}")

    def _finish(self, sentences: list[str], failed: bool = False) -> None:
        """Shows how an action ended; a failure stays in the status line (a listing that finds the engine
        gone does not replace it) until the next action."""
        text = " ".join(sentences)
        self.status.setText(text)
        self.failure_shown = failed
        self._schedule_refresh()
        self.actionDone.emit(text)


def _run_start(intervals: Sequence[Any]) -> float:
    """The start of the current run (the pauses during a run are part of it)."""
    start = intervals[-1].start
    for interval in reversed(intervals):
        if interval.state not in (State.RUNNING, State.PAUSED):
            break
        start = interval.start
    return float(start)


def install_instances_panel(window: QMainWindow) -> InstancesPanel:
    """Adds the instances panel to the main window as a dock, once (``window.instances_panel``).

    The dock starts hidden (View it from the Run menu) unless the saved layout shows it. It follows the
    engine in use (``window.engine``) from the first time it is shown, and starts again on every change of
    engine: the feed's reconcile then fills in what happened while the engine was away.
    """
    existing = getattr(window, PANEL_ATTRIBUTE, None)
    if isinstance(existing, InstancesPanel):
        return existing
    from ui.monitor_feed import install_monitor

    runner = AsyncRunner.of(window)
    engine = getattr(window, ENGINE_ATTRIBUTE)
    panel = InstancesPanel(
        runner,
        lambda: engine.new_api_client(),
        monitor=install_monitor(window),
        engine_address=engine.address,
    )
    # A tab beside Findings, Output and Build: three docks side by side (these, the output, the charts) need
    # more than a 1280-pixel window, which then grew past the screen's edge.
    findings = getattr(window, "findings_dock", None)
    dock = add_run_menu_dock(window, say("panel.title"), "InstancesDock", panel, tab_with=findings)
    setattr(window, PANEL_ATTRIBUTE, panel)
    following = [False]

    def follow() -> None:
        if not dock.isVisible() and not following[0]:
            return  # nothing costs anything until the user looks at the panel
        following[0] = True
        if engine.is_connected():
            panel.start()
        else:
            panel.status.setText(say("panel.no_engine"))

    engine.stateChanged.connect(follow)
    dock.visibilityChanged.connect(lambda visible: visible and not following[0] and follow())
    follow()
    return panel
