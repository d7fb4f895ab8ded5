"""Build from the window on the real engine: press Build in the Build panel and watch the blocks and the log.

The engine tests need both the private engine (``engine``) and the ``qasync_loop`` fixture of
tests/ui/conftest.py, which is why they live here rather than in tests/engine/; they are marked ``engine``
like the others. The last test has no engine at all, on purpose.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
import waiting
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from waiting import until

from desktop.blocks.operations import SetParams
from desktop.dockerfile import import_text
from desktop.engine.build_events import StepState
from desktop.engine.connection import EngineAddress, Source
from desktop.engine.labels import DOCKBLOCKS_LABEL
from desktop.project import Project
from ui.asyncqt import AsyncRunner
from ui.build_panel import BuildPanel
from ui.build_window import install_build_panel
from ui.controller import DocumentController
from ui.engine_monitor import EngineMonitor
from ui.mainwindow import MainWindow

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]

DOCKERFILE = """\
FROM BASE
ENV GREETING=hello
COPY greeting.txt /app/
RUN cat /app/greeting.txt && echo "$GREETING from the build" && seq 1 300
WORKDIR /app
"""


def make_window(qtbot: QtBot, text: str, folder: Path, engine: Any, labels: dict[str, str]) -> MainWindow:
    (folder / "greeting.txt").write_text("greetings from the build folder\n")
    controller = DocumentController(
        Project(
            document=import_text(text.replace("BASE", engine.base_image)), context_dir=folder, name="panel"
        )
    )
    window = MainWindow(controller, QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.files is not None
    window.files.ask_save_changes = lambda _name: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    address = EngineAddress(url=engine.base_url, source=Source.TYPED)
    window.engine = EngineMonitor(AsyncRunner.of(window), None, window, candidates=lambda: [address])
    panel = install_build_panel(window)
    panel.labels = dict(labels)
    panel.tag_field.setText(f"dockblocks-test/panel:{labels['org.dockblocks.test.case']}")
    window.resize(1280, 800)
    window.show()
    return window


def run_in(loop: Any, coroutine: Coroutine[Any, Any, Any]) -> Any:
    return waiting.run_in(loop, coroutine, 150)


async def press_build(panel: BuildPanel) -> str:
    ended: list[str] = []
    panel.buildEnded.connect(ended.append)
    panel.build_button.click()
    await until(lambda: ended)
    return ended[0]


def block_ids(window: MainWindow) -> list[str]:
    return [b.id for b in window.controller.document.blocks]


@pytest.mark.engine
@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_build_from_the_panel_marks_every_block_and_fills_the_log(
    qtbot: QtBot,
    qasync_loop: Any,
    engine: Any,
    engine_labels: dict[str, str],
    tmp_path: Path,
    classic: bool,
    artifacts_dir: Path,
) -> None:
    window = make_window(qtbot, DOCKERFILE, tmp_path, engine, engine_labels)
    panel: BuildPanel = window.build_panel  # type: ignore[attr-defined]
    panel.builder_box.setCurrentIndex(1 if classic else 0)
    outcome = run_in(qasync_loop, press_build(panel))
    assert outcome == "finished", (panel.failure.message.text(), panel.status.text())
    assert window.build_dock.isVisible()  # type: ignore[attr-defined]
    assert panel.status.text().startswith(f"Built {panel.tag_field.text()} in ")
    image = engine.api.inspect_image(panel.tag_field.text())
    assert image["Id"] == panel.last_image
    assert (
        image["Config"]["Labels"][DOCKBLOCKS_LABEL] and image["Config"]["Labels"]["org.dockblocks.test.case"]
    )
    for block_id in block_ids(window):  # BuildKit makes no step of an ENV: it is done when the image is
        mark = panel.marks.mark(block_id)
        assert mark is not None and mark.state in (StepState.DONE, StepState.CACHED), block_id
    panel.log.model.flush()
    run_row = next(
        r
        for r in range(panel.log.model.step_count())
        if panel.log.model.step(r).block_id == block_ids(window)[3]
    )
    lines = panel.log.model.step(run_row).lines
    assert any("greetings from the build folder" in line for line in lines)
    assert any("hello from the build" in line for line in lines)
    assert any(line.strip().endswith("300") for line in lines)
    panel.log.field.setText("from the build")
    panel.log.search.finish()
    assert panel.log.search.count() >= 1
    window.grab().save(str(tmp_path / "built.png"))
    if not classic:
        window.grab().save(str(artifacts_dir / "window_built.png"))


@pytest.mark.engine
def test_a_failing_step_is_pinned_to_its_block_and_the_next_build_works(
    qtbot: QtBot,
    qasync_loop: Any,
    engine: Any,
    engine_labels: dict[str, str],
    tmp_path: Path,
    artifacts_dir: Path,
) -> None:
    text = DOCKERFILE.replace("WORKDIR /app", "RUN curlx http://example.invalid/")
    window = make_window(qtbot, text, tmp_path, engine, engine_labels)
    panel: BuildPanel = window.build_panel  # type: ignore[attr-defined]
    failing = block_ids(window)[4]
    outcome = run_in(qasync_loop, press_build(panel))
    assert outcome == "failed"
    assert panel.failed_block() == failing
    assert panel.failure.isVisibleTo(panel)
    assert "curlx" in panel.failure.title.text()
    assert panel.failure.message.text()
    assert "curlx" in panel.failure.hint.text()  # a command the image does not have
    assert window.controller.selection() == [failing]  # put in view at once
    mark = panel.marks.mark(failing)
    assert mark is not None and mark.state is StepState.FAILED and mark.message
    window.grab().save(str(artifacts_dir / "window_failed.png"))
    window.controller.apply(SetParams(failing, {"command": "echo fixed"}))
    assert panel.marks.mark(failing) is None  # the edit makes the old failure moot
    assert run_in(qasync_loop, press_build(panel)) == "finished"
    assert panel.failure.isHidden()


@pytest.mark.engine
def test_cancel_stops_a_running_build_and_building_again_works(
    qtbot: QtBot, qasync_loop: Any, engine: Any, engine_labels: dict[str, str], tmp_path: Path
) -> None:
    text = DOCKERFILE.replace("WORKDIR /app", "RUN echo sleeping && sleep 60")
    window = make_window(qtbot, text, tmp_path, engine, engine_labels)
    panel: BuildPanel = window.build_panel  # type: ignore[attr-defined]
    sleeper = block_ids(window)[4]

    async def scenario() -> tuple[str, float]:
        ended: list[str] = []
        panel.buildEnded.connect(ended.append)
        panel.build_button.click()
        await until(lambda: (m := panel.marks.mark(sleeper)) is not None and m.state is StepState.RUNNING)
        assert panel.cancel_button.isEnabled() and not panel.build_button.isEnabled()
        await asyncio.sleep(0.5)
        pressed = time.monotonic()
        panel.cancel_button.click()
        await until(lambda: ended, timeout=20)
        return ended[0], time.monotonic() - pressed

    outcome, took = run_in(qasync_loop, scenario())
    assert outcome == "cancelled" and took < 10
    assert panel.status.text() == "The build was stopped; you can build again at any time."
    assert panel.marks.mark(sleeper) is None  # nothing is left "running"
    assert panel.build_button.isEnabled() and not panel.cancel_button.isEnabled()
    window.controller.apply(SetParams(sleeper, {"command": "echo awake"}))
    assert run_in(qasync_loop, press_build(panel)) == "finished"


@pytest.mark.engine
def test_a_large_build_folder_is_sent_only_when_the_user_agrees(
    qtbot: QtBot,
    qasync_loop: Any,
    engine: Any,
    engine_labels: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui import build_panel

    monkeypatch.setattr(build_panel, "LARGE_CONTEXT_BYTES", 10_000)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "big.bin").write_bytes(b"\0" * 50_000)
    window = make_window(qtbot, DOCKERFILE, tmp_path, engine, engine_labels)
    panel: BuildPanel = window.build_panel  # type: ignore[attr-defined]

    async def answer(button: str) -> tuple[str, str]:
        ended: list[str] = []
        panel.buildEnded.connect(ended.append)
        panel.build_button.click()
        box = await until(lambda: panel.findChild(QMessageBox, "LargeContextQuestion"))
        shown = box.informativeText()
        next(b for b in box.buttons() if b.objectName() == button).click()
        await until(lambda: ended)
        return ended[0], shown

    outcome, shown = run_in(qasync_loop, answer("DontSendLargeContext"))
    assert outcome == "cancelled"
    assert "data: 48.8 KB" in shown.splitlines()
    assert not panel.log.model.step_count()  # nothing was sent, nothing built
    outcome, _shown = run_in(qasync_loop, answer("SendLargeContext"))
    assert outcome == "finished"


def test_build_without_an_engine_says_why_in_the_panel(
    qtbot: QtBot, qasync_loop: Any, tmp_path: Path
) -> None:
    controller = DocumentController(Project(document=import_text("FROM alpine\n"), context_dir=tmp_path))
    window = MainWindow(controller, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    address = EngineAddress(url=f"unix://{tmp_path / 'no-engine.sock'}", source=Source.TYPED)
    window.engine = EngineMonitor(AsyncRunner.of(window), None, window, candidates=lambda: [address])
    panel = install_build_panel(window)
    outcome = run_in(qasync_loop, press_build(panel))
    assert outcome == "failed"
    assert panel.failure.isVisibleTo(panel) and panel.failure.show_block.isHidden()
    message, hint = panel.failure.message.text(), panel.failure.hint.text()
    assert message and hint and "Traceback" not in message + hint
    assert panel.build_button.isEnabled()


@pytest.mark.engine
def test_an_engine_stopped_mid_build_is_reported_and_the_panel_is_ready_again(
    qtbot: QtBot, qasync_loop: Any, second_engine: Any, tmp_path: Path
) -> None:
    text = DOCKERFILE.replace("WORKDIR /app", "RUN echo waiting && sleep 60")
    window = make_window(qtbot, text, tmp_path, second_engine, {"org.dockblocks.test.case": "stopped"})
    panel: BuildPanel = window.build_panel  # type: ignore[attr-defined]
    sleeper = block_ids(window)[4]
    failures: list[str] = []
    AsyncRunner.of(window).taskFailed.connect(lambda name, text: failures.append(f"{name}: {text}"))

    async def scenario() -> str:
        ended: list[str] = []
        panel.buildEnded.connect(ended.append)
        panel.build_button.click()
        await until(lambda: (m := panel.marks.mark(sleeper)) is not None and m.state is StepState.RUNNING)
        second_engine.process.terminate()  # the engine stops while the step runs
        second_engine.process.wait(60)
        await until(lambda: ended, timeout=60)
        ended.clear()
        panel.build_button.click()  # and Build again says plainly that no engine answers
        await until(lambda: ended, timeout=60)
        return ended[0]

    outcome = run_in(qasync_loop, scenario())
    assert outcome == "failed" and not failures  # reported in the panel, not as an unexpected error
    assert panel.failure.isVisibleTo(panel) and panel.failure.hint.text()
    assert "Traceback" not in panel.failure.message.text() + panel.failure.hint.text()
    assert panel.marks.marked_ids() == []  # a new build cleared the marks; none is left "running"
    assert panel.build_button.isEnabled() and not panel.cancel_button.isEnabled()
