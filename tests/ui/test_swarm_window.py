"""A swarm service through the window, on a real one-machine swarm: Run creates it, the instances panel and
the charts show its tasks, and the panel scales it from 1 to 3 to 0 replicas and removes it.

The swarm is a private engine of this module's own (tests/swarm_engine.py): the shared ``engine`` is never
made a swarm; it serves to check that the run dialog does not offer a service on an engine that is no
manager. The test lives in tests/ui because it needs the window fixtures; it is marked ``engine``.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import waiting
from engine_harness import PrivateEngine
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from swarm_engine import swarm_engine_fixture
from waiting import until

from desktop.dockerfile import import_text
from desktop.engine.connection import EngineAddress, Source
from desktop.engine.services import say, say_count, service_command_line
from desktop.history.model import State
from desktop.project import Project
from ui.asyncqt import AsyncRunner
from ui.controller import DocumentController
from ui.engine_monitor import EngineMonitor
from ui.run_action import RunFeature, install_run
from ui.widgets.charts.dock import install_charts_panel
from ui.widgets.instances_panel import InstancesPanel, install_instances_panel

pytestmark = [
    pytest.mark.engine,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]
LOOP = "trap 'exit 0' TERM; while :; do sleep 1; done"  # ends at once when the swarm stops a replica


@pytest.fixture(scope="module")
def swarm(engine: PrivateEngine) -> Iterator[PrivateEngine]:
    del engine  # started first: it checks that engines can run here, and skips with the reason if not
    yield from swarm_engine_fixture()


def make_window(qtbot: QtBot, tmp_path: Path, engine: PrivateEngine) -> QMainWindow:
    """A window with what Run, the instances panel and the charts use of the main window: its controller
    and an engine monitor pointed at ``engine`` before they are installed (they follow the monitor they
    find then; the main window makes its own as it is made)."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.controller = DocumentController(  # type: ignore[attr-defined]
        Project(document=import_text(f"FROM {engine.base_image}\n"), context_dir=tmp_path, name="swarm")
    )
    address = EngineAddress(url=engine.base_url, source=Source.TYPED)
    window.engine = EngineMonitor(AsyncRunner.of(window), None, window, candidates=lambda: [address])  # type: ignore[attr-defined]
    window.show()
    return window


def run_feature(window: QMainWindow, engine: PrivateEngine) -> RunFeature:
    feature = install_run(window)
    feature.extra_labels = dict(engine.labels)
    return feature


async def stop_tasks(window: QMainWindow) -> None:
    """Ends what the window still follows, before the window goes (their ends report to it)."""
    runner = AsyncRunner.of(window)
    for name in runner.running_names():
        await runner.cancel_and_wait(name)


def run_in(loop: Any, coroutine: Coroutine[Any, Any, Any]) -> Any:
    return waiting.run_in(loop, coroutine, 240)


def panel_tasks(panel: InstancesPanel, service: str) -> list[tuple[str, str]]:
    """(name shown, state) of the rows under the service's row in the panel's model."""
    model = panel.model
    group = model.service_index(service)
    rows = [model.index(row, 0, group) for row in range(model.rowCount(group))]
    return sorted((index.data(), model.instance_at(index).state) for index in rows)  # type: ignore[union-attr]


def charted_running(window: QMainWindow) -> list[str]:
    """The names of the timeline chart's rows whose band is running now, as the chart labels them."""
    chart = window.charts_panel.timeline_chart  # type: ignore[attr-defined]
    running = {band.row for band in chart.bands if band.open and band.state is State.RUNNING}
    return sorted(chart._ticks[row] for row in running)  # the row labels drawn on the left axis


def test_a_service_scaled_from_1_to_3_to_0_through_the_window(
    qtbot: QtBot, qasync_loop: Any, swarm: PrivateEngine, tmp_path: Path, artifacts_dir: Path
) -> None:
    window = make_window(qtbot, tmp_path, swarm)
    feature = run_feature(window, swarm)
    panel = install_instances_panel(window)
    bar = panel.services
    install_charts_panel(window).show()
    seen: list[object] = []

    def replicas(service: str, expected: list[str]) -> Callable[[], bool]:
        def check() -> bool:
            shown = panel.model.services.get(service)
            seen[:] = [panel_tasks(panel, service), shown, charted_running(window)]
            return (
                panel_tasks(panel, service) == [(name, "running") for name in expected]
                and shown is not None
                and shown.replicas_text() == f"{len(expected)}/{len(expected)}"
                and charted_running(window) == expected
            )

        return check

    async def shows(expected: list[str]) -> None:
        try:
            await until(replicas("web", expected))
        except AssertionError:
            raise AssertionError(f"panel, service, chart: {seen}; {panel.status.text()}") from None

    async def scenario() -> None:
        window.engine.start()
        feature.action.trigger()
        dialog = await until(lambda: feature.dialog)
        await until(lambda: dialog.service.manager() is not None)
        assert dialog.service.check.isEnabled(), dialog.service.reason.text()
        dialog.image.setText(swarm.base_image)
        dialog.name.setText("web")
        dialog.command.setText(f"sh -c {shlex.quote(LOOP)}")
        dialog.service.check.setChecked(True)
        spec = dialog.spec()
        assert spec is not None and spec.as_service and spec.count == 1
        line = dialog.command_text()
        assert line == service_command_line(spec)
        assert dialog.run_button.isEnabled(), dialog.issues()
        dialog.run_button.click()

        await shows(["web.1"])
        assert feature.output.note.text() == say_count("created", 1, name="web")
        assert "1 replica;" in feature.output.note.text()  # not "1 replicas"
        assert panel.parentWidget().isVisible()  # Run showed the instances with the new service
        group = panel.model.service_index("web")
        assert group.data() == say("group.text", name="web", image=swarm.base_image, replicas="1/1")
        created = swarm.api.inspect_service("web")["Spec"]
        assert created["Mode"] == {"Replicated": {"Replicas": 1}}
        assert created["TaskTemplate"]["ContainerSpec"]["Args"] == ["sh", "-c", LOOP]
        assert created["TaskTemplate"]["ContainerSpec"]["Image"] == swarm.base_image

        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        panel.tree.selectionModel().select(group, flags)
        assert bar.selected() is not None and bar.replicas.value() == 1
        bar.replicas.setValue(3)
        bar.scale_button.click()
        assert panel.cli.text().endswith("docker service scale web=3")
        await shows(["web.1", "web.2", "web.3"])
        window.grab().save(str(artifacts_dir / "swarm_three_replicas.png"))

        menu = bar.service_menu(panel.model.services["web"])  # the row's context menu
        texts = [action.text() for action in menu.actions() if action.text()]
        assert texts == [
            say("menu.scale", count=2), say("menu.scale", count=4), say("menu.scale_other"),
            say("menu.remove", name="web"),
        ]  # fmt: skip
        menu.deleteLater()

        bar.replicas.setValue(0)
        bar.scale_button.click()
        assert panel.cli.text().endswith("docker service scale web=0")
        await shows([])
        # the stopped replicas' rows end in the chart; the service keeps its row with none running
        assert panel.model.service_index("web").data() == say(
            "group.text", name="web", image=swarm.base_image, replicas="0/0"
        )

        bar.remove_button.click()
        question = await until(lambda: bar.question)
        assert panel.cli.text().endswith("docker service rm web")
        confirm = next(b for b in question.buttons() if b.text() == say("remove.confirm"))
        confirm.click()
        await until(lambda: not panel.model.service_index("web").isValid())
        assert [s for s in swarm.api.services() if s["Spec"]["Name"] == "web"] == []

        await stop_tasks(window)

    run_in(qasync_loop, scenario())


def test_the_dialog_offers_no_service_on_an_engine_that_is_no_manager(
    qtbot: QtBot, qasync_loop: Any, engine: PrivateEngine, tmp_path: Path
) -> None:
    window = make_window(qtbot, tmp_path, engine)
    feature = run_feature(window, engine)

    async def scenario() -> None:
        feature.action.trigger()
        dialog = await until(lambda: feature.dialog)
        await until(lambda: dialog.service.manager() is not None)
        assert not dialog.service.check.isEnabled()
        assert dialog.service.reason.text() == say("option.not_manager")
        dialog.reject()
        await stop_tasks(window)

    run_in(qasync_loop, scenario())
