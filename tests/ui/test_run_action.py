"""Run from the main window: the dialog, the instance starting, its live output, Stop; and no engine.

The engine test lives here rather than in tests/engine/ because it needs the ``qasync_loop`` fixture of
tests/ui/conftest.py; it is marked ``engine`` like the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import urllib.request
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import docker
import pytest
import waiting
from local_registry import local_registry, why_no_registry
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from waiting import until

from desktop.dockerfile import import_text
from desktop.engine.connection import EngineAddress, Source
from desktop.engine.labels import PROJECT_LABEL, project_image_tag
from desktop.engine.run import run
from desktop.engine.run_spec import PortMapping, RunSpec, say, say_count
from desktop.engine.services import say as say_service
from desktop.project import Project
from ui.asyncqt import AsyncRunner
from ui.controller import DocumentController
from ui.engine_monitor import EngineMonitor
from ui.mainwindow import MainWindow
from ui.run_action import RunFeature, exposed_ports, install_run
from ui.widgets.instance_output import InstanceView
from ui.widgets.pull_progress import PullView

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]

SERVE = (  # sh as PID 1 ends on TERM only with a trap: Stop then takes a moment, not the engine's 10 s
    "trap 'exit 0' TERM; echo serving; echo oops >&2; mkdir -p /www; echo page > /www/index.html; "
    "httpd -f -p 8080 -h /www & wait"
)


def make_window(qtbot: QtBot, controller: DocumentController, tmp_path: Path, engine_url: str) -> MainWindow:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    assert window.files is not None
    window.files.ask_save_changes = lambda _name: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    address = EngineAddress(url=engine_url, source=Source.TYPED)
    window.engine = EngineMonitor(AsyncRunner.of(window), None, window, candidates=lambda: [address])
    window.show()
    return window


def feature_of(window: MainWindow) -> RunFeature:
    existing = getattr(window, "run_feature", None)
    return existing if isinstance(existing, RunFeature) else install_run(window)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_in(loop: Any, coroutine: Coroutine[Any, Any, Any]) -> Any:
    return waiting.run_in(loop, coroutine, 90)


def test_exposed_ports_of_the_last_stage_are_offered() -> None:
    document = import_text("FROM a AS build\nEXPOSE 1\nFROM b\nEXPOSE 18090 53/udp $PORT\n")
    ports = exposed_ports(document)
    assert [(p.container_port, p.protocol) for p in ports] == [(18090, "tcp"), (53, "udp")]


@pytest.mark.engine
def test_run_from_the_window_shows_the_instance_and_its_output(
    qtbot: QtBot,
    qasync_loop: Any,
    engine: Any,
    engine_labels: dict[str, str],
    tmp_path: Path,
    artifacts_dir: Path,
) -> None:
    name = f"window run {engine_labels['org.dockblocks.test.case'][:8]}"
    dockerfile = f'FROM {engine.base_image}\nEXPOSE 8080\nCMD ["sh", "-c", "{SERVE}"]\n'
    (tmp_path / "Dockerfile").write_text(dockerfile)
    built = list(
        engine.api.build(
            path=str(tmp_path), tag=project_image_tag(name), labels=engine_labels, rm=True, decode=True
        )
    )
    assert not [e for e in built if "errorDetail" in e], built
    controller = DocumentController(
        Project(document=import_text(dockerfile), context_dir=tmp_path, name=name)
    )
    window = make_window(qtbot, controller, tmp_path, engine.base_url)
    feature = feature_of(window)
    feature.extra_labels = dict(engine_labels)
    port = free_port()

    async def scenario() -> tuple[str, InstanceView]:
        feature.action.trigger()
        dialog = await until(lambda: feature.dialog)
        await until(lambda: dialog._in_use is not None)  # what the engine uses has arrived
        assert dialog.image.text() == project_image_tag(name)
        assert dialog.ports.rows[0].edits[1].text() == "8080"  # from the EXPOSE block
        dialog.ports.rows[0].edits[0].setText(str(port))
        assert dialog.run_button.isEnabled(), dialog.issues()
        dialog.run_button.click()
        failures: list[str] = []
        AsyncRunner.of(window).taskFailed.connect(lambda n, t: failures.append(f"{n}: {t}"))
        try:
            view: InstanceView = await until(lambda: next(iter(feature.output.views()), None))
        except AssertionError:
            raise AssertionError(f"{failures} {feature.output.note.text()}") from None
        await until(lambda: "serving" in view.output.toPlainText() and "oops" in view.output.toPlainText())
        loop = asyncio.get_running_loop()
        page = await loop.run_in_executor(
            None, lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        )
        view.stop_button.click()
        await until(lambda: "exit code" in view.header.text())
        return page, view

    page, view = run_in(qasync_loop, scenario())

    assert page == "page\n"
    assert feature.dock.isVisible()
    # (stdout and stderr reach the engine through two pipes: their order between them is not kept)
    assert sorted(view.output.toPlainText().splitlines()[:2]) == ["oops", "serving"]
    details = engine.api.inspect_container(view.instance.id)
    assert details["Config"]["Labels"][PROJECT_LABEL] == name
    assert not details["State"]["Running"]
    assert f"localhost:{port}" in view.header.text()
    window.grab().save(str(artifacts_dir / "run_output.png"))


def test_run_without_an_engine_says_why_and_opens_no_dialog(
    qtbot: QtBot, qasync_loop: Any, controller: DocumentController, tmp_path: Path
) -> None:
    window = make_window(qtbot, controller, tmp_path, f"unix://{tmp_path / 'no-engine.sock'}")
    feature = feature_of(window)

    async def scenario() -> QMessageBox:
        feature.action.trigger()
        return await until(lambda: window.findChild(QMessageBox, "ProblemBox"), timeout=20)

    box = run_in(qasync_loop, scenario())

    assert feature.dialog is None
    assert box.text() and "Traceback" not in box.text()
    assert not feature.dock.isVisible()
    assert say("output.empty") == feature.output.note.text()


@pytest.mark.engine
def test_pull_base_images_and_run_an_image_not_on_the_engine_pull_it_first(
    qtbot: QtBot,
    qasync_loop: Any,
    engine: Any,
    engine_labels: dict[str, str],
    tmp_path: Path,
    artifacts_dir: Path,
) -> None:
    reason = why_no_registry()
    if reason is not None:
        pytest.skip(reason)
    with local_registry(tmp_path / "registry") as registry:
        reference = f"{registry}/dockblocks-test/blob:{engine_labels['org.dockblocks.test.case'][:8]}"
        context = tmp_path / "context"
        context.mkdir()
        (context / "blob").write_bytes(os.urandom(3 * 1024 * 1024))  # a layer the engine will not have
        (context / "Dockerfile").write_text(
            f'FROM {engine.base_image}\nCOPY blob /blob\nCMD ["echo", "pulled and ran"]\n'
        )
        built = list(
            engine.api.build(path=str(context), tag=reference, labels=engine_labels, rm=True, decode=True)
        )
        assert not [e for e in built if "errorDetail" in e], built
        pushed = list(engine.api.push(reference, stream=True, decode=True))
        assert not [e for e in pushed if "errorDetail" in e], pushed
        engine.api.remove_image(reference)  # its own layer goes with it; the base image's stays
        document = import_text(f"FROM {reference}\n")
        controller = DocumentController(Project(document=document, context_dir=tmp_path, name="pulls"))
        window = make_window(qtbot, controller, tmp_path, engine.base_url)
        feature = feature_of(window)
        feature.extra_labels = dict(engine_labels)

        async def scenario() -> tuple[PullView, InstanceView]:
            feature.pull_action.trigger()
            pulled: PullView = await until(lambda: next(iter(pull_views(feature)), None))
            await until(lambda: pulled.header.text() == say("pull.done", image=reference))
            assert len(pulled.bars) == 3 and all(  # the base image's two layers and the blob's
                bar.value() == bar.maximum() for bar, _ in pulled.bars.values()
            )
            states = sorted(state.text() for _, state in pulled.bars.values())
            assert states == sorted(
                [say("layer.done"), say("layer.already_exists"), say("layer.already_exists")]
            )
            pulled.grab().save(str(artifacts_dir / "pull_layers.png"))
            engine.api.remove_image(reference)

            feature.action.trigger()
            dialog = await until(lambda: feature.dialog)
            await until(lambda: dialog.in_use() is not None)
            dialog.image.setText(reference)
            assert [i.message for i in dialog.issues()] == [say("image.will_pull", image=reference)]
            dialog.run_button.click()
            await until(lambda: len(pull_views(feature)) == 2)
            view: InstanceView = await until(lambda: next(iter(feature.output.views()), None))
            await until(lambda: "exit code 0" in view.header.text())
            return pull_views(feature)[1], view

        try:
            second_pull, view = run_in(qasync_loop, scenario())
        finally:
            with contextlib.suppress(Exception):
                engine.api.remove_image(reference)

    assert second_pull.header.text() == say("pull.done", image=reference)
    assert view.output.toPlainText() == "pulled and ran"
    window.grab().save(str(artifacts_dir / "run_pull.png"))


def pull_views(feature: RunFeature) -> list[PullView]:
    tabs = feature.output.tabs
    return [w for i in range(tabs.count()) if isinstance(w := tabs.widget(i), PullView)]


@pytest.mark.engine
def test_a_port_taken_after_the_check_is_said_in_a_box(
    qtbot: QtBot, qasync_loop: Any, engine: Any, engine_labels: dict[str, str], tmp_path: Path
) -> None:
    document = import_text(f"FROM {engine.base_image}\n")
    controller = DocumentController(Project(document=document, name="clash"))
    window = make_window(qtbot, controller, tmp_path, engine.base_url)
    feature = feature_of(window)
    feature.extra_labels = dict(engine_labels)
    port = free_port()

    async def scenario() -> QMessageBox:
        feature.action.trigger()
        dialog = await until(lambda: feature.dialog)
        await until(lambda: dialog.in_use() is not None)
        dialog.image.setText(engine.base_image)
        dialog.command.setText("sleep 300")
        dialog.ports.add_button.click()
        dialog.ports.rows[0].edits[0].setText(str(port))
        dialog.ports.rows[0].edits[1].setText("80")
        assert dialog.run_button.isEnabled(), dialog.issues()
        taker = RunSpec(engine.base_image, ports=(PortMapping(80, port),), command="sleep 300")
        await run(taker, lambda: docker.APIClient(base_url=engine.base_url, version="auto"), engine_labels)
        dialog.run_button.click()
        return await until(lambda: window.findChild(QMessageBox, "RunProblem"))

    box = run_in(qasync_loop, scenario())

    assert box.text() == say("port.allocated", port=port)
    assert feature.output.views() == []


@pytest.mark.engine
def test_remove_stopped_instances_asks_first(
    qtbot: QtBot,
    qasync_loop: Any,
    engine: Any,
    engine_labels: dict[str, str],
    tmp_path: Path,
    controller: Any,
) -> None:
    window = make_window(qtbot, controller, tmp_path, engine.base_url)
    feature = feature_of(window)
    feature.extra_labels = dict(engine_labels)  # only this test's instances
    factory = lambda: docker.APIClient(base_url=engine.base_url, version="auto")  # noqa: E731

    async def scenario() -> list[str]:
        started = await run(RunSpec(engine.base_image, command="true"), factory, engine_labels)
        await asyncio.to_thread(engine.api.wait, started[0].id, timeout=30)
        answers = []
        for choice in ("cancel", "remove"):
            feature.clean_action.trigger()
            box = await until(lambda: window.findChild(QMessageBox, "CleanQuestion"))
            assert started[0].name in box.informativeText()
            assert box.text() == say_count("clean.ask", 1) == say("clean.ask_one")  # one: not "1 instances"
            wanted = next(
                b for b in box.buttons() if (b.text() == say("clean.remove")) == (choice == "remove")
            )
            wanted.click()
            task = AsyncRunner.of(window).task("clean")
            answers.append(str(await task) if task is not None else "?")
            await until(lambda: window.findChild(QMessageBox, "CleanQuestion") is None)
        feature.clean_action.trigger()
        note = await until(lambda: window.findChild(QMessageBox, "RunNote"))
        answers.append(note.text())
        return answers

    answers = run_in(qasync_loop, scenario())

    assert answers == ["0", "1", say("clean.none")]
    assert window.statusBar().currentMessage() == say("clean.done_one") == "Removed 1 stopped instance."


# docker-py leaves the socket of a refused unix connection to the collector (see connection.reach_socket).
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_engine_that_stops_while_the_dialog_asks_about_its_swarm_leaves_the_option_off_quietly(
    qtbot: QtBot, qasync_loop: Any, second_engine: Any, tmp_path: Path
) -> None:
    from ui.dialogs.run_dialog import RunDialog

    window = make_window(qtbot, DocumentController(), tmp_path, second_engine.base_url)
    feature = feature_of(window)
    shown: list[str] = []
    feature.runner.report_error = lambda name, error: shown.append(f"{name}: {error}") or ""  # type: ignore[method-assign]

    async def scenario() -> None:
        await window.engine.ensure_connected()
        dialog = RunDialog(RunSpec("dockblocks/site:latest", base_dir=tmp_path), window)
        feature.dialog = dialog
        second_engine.process.terminate()  # the engine goes away as the dialog opens
        second_engine.process.wait(60)
        await feature._read_swarm(dialog)
        assert not dialog.service.check.isEnabled()
        assert dialog.service.reason.text() == say_service("option.unknown")  # not "docker swarm init"
        dialog.close()

    run_in(qasync_loop, scenario())
    assert shown == []
