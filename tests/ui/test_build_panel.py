"""The Build panel with event sequences made here (no engine): status, upload progress, the failure pinned
to its block, the marks, the large-folder question, and the window's Build menu."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from desktop.engine.build_context import scan_context
from desktop.engine.build_events import (
    BuildFailed,
    BuildFinished,
    StepLog,
    StepState,
    StepUpdate,
    UploadProgress,
)
from ui.asyncqt import AsyncRunner
from ui.build_panel import BuildPanel
from ui.build_window import install_build_panel
from ui.dialogs.large_context import ask_to_send, size_text
from ui.mainwindow import MainWindow
from ui.widgets.build_marks import BuildMarks

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def panel(qtbot, controller):
    made = BuildPanel(controller, AsyncRunner(), lambda: None, BuildMarks())
    qtbot.addWidget(made)
    made.resize(900, 500)
    return made


def _ids(controller):
    return [b.id for b in controller.document.blocks if b.kind.value not in ("blank", "comment")]


def test_a_build_followed_step_by_step(qtbot, panel, controller):
    ids = _ids(controller)
    panel.follow([UploadProgress(512 * 1024, 2 * 1024 * 1024)])
    assert panel.progress.isVisibleTo(panel) and panel.progress.value() == 250
    assert panel.status.text() == "Sending the build folder to the engine: 512.0 KB of 2.0 MB."
    now = time.time()
    panel.follow(
        [
            StepUpdate("a", "[stage-0 1/2] FROM x", ids[0], StepState.CACHED),
            StepUpdate("b", "[stage-0 2/2] RUN make", ids[1], StepState.RUNNING, now),
        ]
    )
    assert not panel.progress.isVisibleTo(panel)
    assert panel.status.text() == "Building: 1 of 2 steps done."
    assert panel.marks.mark(ids[1]).state is StepState.RUNNING
    outcome = panel.follow(
        [
            StepLog("b", ids[1], ("ok",)),
            StepUpdate("b", "", ids[1], StepState.DONE, None, now + 1),
            BuildFinished("sha256:0123456789abcdef", ("dockblocks/app:latest",)),
        ]
    )
    assert outcome == "finished"
    assert panel.status.text().startswith("Built dockblocks/app:latest in ")
    assert panel.last_image == "sha256:0123456789abcdef"
    panel.log.model.flush()
    assert panel.log.model.line_count() == 1


def test_a_failure_is_pinned_to_its_block(qtbot, panel, controller, artifacts_dir):
    ids = _ids(controller)
    asked: list[str] = []
    panel.blockRequested.connect(asked.append)
    panel.follow(
        [
            StepUpdate(
                "r", "[build 3/3] RUN pip install -r requirements.txt", ids[3], StepState.RUNNING, 1.0
            ),
            StepLog("r", ids[3], ("/bin/sh: pip: not found",)),
            StepUpdate("r", "", ids[3], StepState.FAILED, None, 2.0),
        ]
    )
    outcome = panel.follow(
        [BuildFailed("exit code: 127", ids[3], "r", "Install pip in an earlier RUN block.")]
    )
    assert outcome == "failed"
    assert panel.failure.isVisibleTo(panel)
    assert panel.failure.title.text() == "Step failed: [build 3/3] RUN pip install -r requirements.txt"
    assert panel.failure.message.text() == "exit code: 127"
    assert panel.failure.hint.text() == "What to try: Install pip in an earlier RUN block."
    assert asked == [ids[3]]  # put in view at once
    panel.failure.show_block.click()
    assert asked == [ids[3], ids[3]]
    mark = panel.marks.mark(ids[3])
    assert mark.state is StepState.FAILED and mark.hint == "Install pip in an earlier RUN block."
    panel.resize(900, 420)
    panel.show()
    qtbot.waitExposed(panel)
    panel.grab().save(str(artifacts_dir / "build_panel_failed.png"))


ENGINE_WORDS = (  # what BuildKit said here when alpine was not on the engine and there was no internet
    "failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: "
    'Head "https://registry-1.docker.io/v2/library/alpine/manifests/latest": dial tcp: lookup '
    "registry-1.docker.io on 10.255.255.53:53: no such host"
)


def test_a_long_failure_in_the_build_dock_shows_every_line(qtbot, controller, tmp_path, artifacts_dir):
    window = MainWindow(controller, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    panel = install_build_panel(window)
    window.resize(1280, 800)
    window.show()
    window.build_dock.show()
    window.build_dock.raise_()
    qtbot.waitExposed(window)
    hint = 'The base image "library/alpine:latest" is not on this engine and its registry could not be '
    hint += "reached; check the internet connection and the image name, or build the image locally first."

    lookup = "[internal] load metadata for docker.io/library/alpine:latest"
    panel.follow(
        [StepUpdate("f", lookup, None, StepState.RUNNING, 1.0), BuildFailed(ENGINE_WORDS, None, "f", hint)]
    )
    assert (
        panel.failure.title.text() == "Step failed: Looking up the image alpine:latest"
    )  # not BuildKit's name
    for width in (1280, 900):  # and again when the window narrows, the text wrapping onto more lines
        window.resize(width, 800)
        qtbot.wait(100)
        window.grab().save(str(artifacts_dir / f"build_failure_{width}.png"))
        banner = panel.failure
        for label in (banner.title, banner.message, banner.hint):
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, (width, label.objectName(), label.height(), needed)
            assert banner.rect().contains(label.geometry()), (width, label.objectName())


def test_a_failure_without_a_block_names_the_step_from_the_render(qtbot, panel, controller):
    ids = _ids(controller)
    panel.follow([BuildFailed("no such file", ids[2], None, None)])
    assert panel.failure.title.text() == "Step failed: COPY requirements.txt ."
    assert panel.failure.hint.isHidden()
    panel.follow([BuildFailed("The engine went away.")])
    assert panel.failure.title.text() == "The build failed" and panel.failure.show_block.isHidden()


@pytest.mark.parametrize(("count", "text"), [(12, "12 bytes"), (2048, "2.0 KB"), (5 * 1024**3, "5.00 GB")])
def test_sizes_in_words(count, text):
    assert size_text(count) == text


def test_the_large_folder_question_lists_what_is_largest(qtbot, qasync_loop, tmp_path: Path):
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "talk.mp4").write_bytes(b"x" * 300_000)
    (tmp_path / "app.py").write_text("print('hi')\n")
    scan = scan_context(tmp_path)
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)

    async def scenario(button: str) -> bool:
        asking = asyncio.ensure_future(ask_to_send(parent, scan))
        box = None
        while box is None:
            await asyncio.sleep(0.01)
            box = parent.findChild(QMessageBox, "LargeContextQuestion")
        assert "videos: 293.0 KB" in box.informativeText()
        assert box.informativeText().index("videos") < box.informativeText().index("app.py")
        box.findChild(QPushButton, button).click()
        return await asking

    assert qasync_loop.run_until_complete(scenario("SendLargeContext")) is True
    assert qasync_loop.run_until_complete(scenario("DontSendLargeContext")) is False


def test_the_window_gets_a_build_menu_a_dock_and_marks(qtbot, controller, tmp_path: Path, artifacts_dir):
    window = MainWindow(controller, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    panel = install_build_panel(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Build") == titles.index("&Run") - 1  # one makes what the other starts
    assert window.menu_actions["build"].shortcut().toString() == "Ctrl+B"
    assert not window.menu_actions["cancel_build"].isEnabled()
    canvas = window.panel("canvas")
    from ui.widgets.build_marks import BuildMarksOverlay

    assert canvas.findChild(BuildMarksOverlay) is not None
    ids = _ids(controller)
    asked: Any = []
    panel.blockRequested.connect(asked.append)
    panel.follow([BuildFailed("boom", ids[1], None, None)])
    assert controller.selection() == [ids[1]]
    window.resize(1280, 800)
    window.show()
    window.build_dock.show()
    window.build_dock.raise_()
    qtbot.waitExposed(window)
    window.grab().save(str(artifacts_dir / "window_build.png"))


class _MonitorStandIn:
    """Stands in for the engine monitor with an engine that has no BuildKit: Debian's engine here always
    has it, so an engine without it cannot be produced for real (a named fake, for that fault only)."""

    def __init__(self, buildkit: bool) -> None:
        from desktop.engine.connection import EngineInfo

        self.info = EngineInfo("unix:///stand-in.sock", "19.03.0", "1.40", buildkit, False, "linux")


def test_without_buildkit_the_classic_builder_is_chosen_and_buildkit_offered_again_later(qtbot, controller):
    monitor = _MonitorStandIn(buildkit=False)
    panel = BuildPanel(controller, AsyncRunner(), lambda: monitor, BuildMarks())  # type: ignore[arg-type,return-value]
    qtbot.addWidget(panel)
    panel.follow_engine()
    assert panel.classic()
    assert not panel.builder_box.model().item(0).isEnabled()
    assert panel.builder_box.toolTip() == "This engine has no BuildKit, so the classic builder is used."
    monitor.info = _MonitorStandIn(buildkit=True).info
    panel.follow_engine()
    assert panel.builder_box.model().item(0).isEnabled()


def test_the_build_folder_comes_from_the_project_and_a_choice_is_kept_in_it(qtbot, controller, tmp_path):
    controller.project.context_dir = tmp_path
    controller.projectReplaced.emit()
    panel = BuildPanel(controller, AsyncRunner(), lambda: None, BuildMarks())
    qtbot.addWidget(panel)
    assert panel.folder() == tmp_path and panel.folder_label.text() == str(tmp_path)
    panel.choose_folder()
    dialog = panel.findChild(QFileDialog, "BuildFolderDialog")
    assert dialog is not None and dialog.isVisible()
    (tmp_path / "site").mkdir()
    dialog.fileSelected.emit(str(tmp_path / "site"))
    dialog.reject()
    assert panel.folder() == tmp_path / "site"
    assert controller.project.context_dir == tmp_path / "site"
