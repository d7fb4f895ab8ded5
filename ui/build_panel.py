"""Build in the main window: the Build panel (Build and Cancel, the build folder, BuildKit or the classic
builder, the image name, upload progress, the failure pinned to its block, the build log) and its menu.

A build runs as the window runner's task ``"build"`` (:class:`ui.asyncqt.AsyncRunner`): it checks the
engine, looks at the build folder (asking first when it is large, showing what is largest), then follows
:func:`desktop.engine.build.build` batch by batch into the log, the blocks' marks and the status line.
Cancel cancels the task: the build closes its connection and the engine stops the build.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.engine.build_events import (
    BuildEvent,
    BuildFailed,
    BuildFinished,
    StepState,
    StepUpdate,
    UploadProgress,
)
from desktop.engine.step_words import plain_step_name
from ui.asyncqt import AsyncRunner
from ui.controller import DocumentController
from ui.dialogs.large_context import size_text
from ui.widgets.build_failure import FailureBanner
from ui.widgets.build_log import BuildLogView, quick_thread_switches
from ui.widgets.build_marks import BuildMarks
from ui.widgets.build_states import say

if TYPE_CHECKING:
    from desktop.engine.build_context import ContextScan
    from ui.engine_monitor import EngineMonitor

BUILD_TASK = "build"
LARGE_CONTEXT_BYTES = 100 * 1024 * 1024  # above this the user is asked before the folder is sent


class BuildPanel(QWidget):
    """The Build panel of a window.

    Attributes:
        log: the build log; marks: each block's build state (shown on the canvas by its overlay).
        last_outcome: "finished", "failed", "cancelled" or "" before the first build.
        last_image: the id of the image the last build made ("" when it made none).

    Signals:
        blockRequested(str): the user asked to see a block (the failed one, or a step's).
        buildEnded(str): a build ended: "finished", "failed" or "cancelled".
        buildingChanged(bool): a build started (True) or ended (False).
    """

    blockRequested = Signal(str)
    buildEnded = Signal(str)
    buildingChanged = Signal(bool)

    def __init__(
        self,
        controller: DocumentController,
        runner: AsyncRunner,
        engine: Callable[[], EngineMonitor | None],
        marks: BuildMarks,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BuildPanel")
        self.setAccessibleName(say("panel.title"))
        self.setAccessibleDescription(say("panel.description"))
        self._controller = controller
        self._runner = runner
        self._engine = engine
        self.marks = marks
        self._folder: Path | None = None
        self._folder_dialog: QFileDialog | None = None
        self._steps: dict[str, StepState] = {}  # the steps of blocks, for "3 of 7 steps done"
        self._names: dict[str, str] = {}  # every step's name, for the failure's title
        self._failed_block = ""
        self._started = 0.0
        self.last_outcome = ""
        self.last_image = ""
        self.labels: dict[str, str] = {}  # extra image labels (tests label what they make)
        self.on_start: Callable[[], None] | None = None  # the window shows the editor and the panel
        self._make_widgets()
        self.log.blockRequested.connect(self.blockRequested)
        controller.projectReplaced.connect(self._project_replaced)
        runner.taskFinished.connect(self._task_finished)
        self._project_replaced()
        self._set_building(False)

    # --- widgets ---------------------------------------------------------------------------------------

    def _make_widgets(self) -> None:
        self.build_button = self._push("BuildButton", "panel.build", "panel.build_tip", self.start_build)
        self.build_button.setDefault(True)
        self.cancel_button = self._push(
            "CancelBuildButton", "panel.cancel", "panel.cancel_tip", self.cancel_build
        )
        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("BuildFolder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setToolTip(say("panel.folder_tip"))
        self.choose_button = self._push(
            "ChooseBuildFolder", "panel.choose_folder", "panel.folder_tip", self.choose_folder
        )
        self.builder_box = QComboBox(self)
        self.builder_box.setObjectName("BuilderChoice")
        self.builder_box.setAccessibleName(say("panel.builder"))
        self.builder_box.setToolTip(say("panel.builder_tip"))
        self.builder_box.addItem(say("panel.buildkit"), False)
        self.builder_box.addItem(say("panel.classic"), True)
        self.tag_field = QLineEdit(self)
        self.tag_field.setObjectName("ImageName")
        self.tag_field.setAccessibleName(say("panel.tag"))
        self.tag_field.setToolTip(say("panel.tag_tip"))
        self.progress = QProgressBar(self)
        self.progress.setObjectName("UploadProgress")
        self.progress.setAccessibleName(say("status.uploading_unknown", sent=""))
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        self.status = QLabel(say("status.idle"), self)
        self.status.setObjectName("BuildStatus")
        self.status.setWordWrap(True)
        self.log = BuildLogView(self)
        form = QGridLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(self.build_button, 0, 0)
        form.addWidget(self.cancel_button, 1, 0)
        form.addWidget(self._label("panel.folder", self.choose_button), 0, 1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.choose_button)
        form.addLayout(folder_row, 0, 2)
        form.addWidget(self._label("panel.tag", self.tag_field), 1, 1)
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.tag_field, 1)
        tag_row.addWidget(self._label("panel.builder", self.builder_box))
        tag_row.addWidget(self.builder_box)
        form.addLayout(tag_row, 1, 2)
        form.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.failure = FailureBanner(self)
        self.failure.showBlockRequested.connect(self._show_failed_block)
        layout.addWidget(self.failure)
        layout.addWidget(self.log, 1)

    def _push(self, name: str, text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(say(text), self)
        button.setObjectName(name)
        button.setAccessibleName(say(text))
        button.setToolTip(say(tip))
        button.clicked.connect(slot)
        return button

    def _label(self, key: str, buddy: QWidget) -> QLabel:
        label = QLabel(say(key), self)
        label.setBuddy(buddy)
        return label

    # --- settings ---------------------------------------------------------------------------------------

    def folder(self) -> Path | None:
        """The build folder the next build sends."""
        return self._folder

    def set_folder(self, folder: Path | None) -> None:
        self._folder = folder
        self.folder_label.setText(str(folder) if folder is not None else say("panel.folder_none"))

    def folder_chosen(self, folder: Path) -> None:
        """The user chose a build folder: the project keeps it (saved with it, used by Run and the checks)."""
        self._controller.project.context_dir = folder
        self.set_folder(folder)

    def choose_folder(self) -> None:
        """Ask for the build folder (the dialog is opened, never run in a loop of its own; made once)."""
        dialog = self._folder_dialog
        if dialog is None:
            dialog = QFileDialog(self, say("panel.choose_folder_title"))
            dialog.setObjectName("BuildFolderDialog")
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly)
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own: the same everywhere
            dialog.fileSelected.connect(self._folder_selected)
            self._folder_dialog = dialog
        dialog.setDirectory(str(self._folder or Path.home()))
        dialog.open()

    def _folder_selected(self, chosen: str) -> None:
        self.folder_chosen(Path(chosen))

    def classic(self) -> bool:
        """Whether the next build uses the classic builder."""
        return bool(self.builder_box.currentData())

    def follow_engine(self) -> None:
        """Offer BuildKit only when the engine has it (connect to the engine monitor's stateChanged)."""
        monitor = self._engine()
        info = monitor.info if monitor is not None else None
        buildkit_item = self.builder_box.model().item(0)  # type: ignore[attr-defined]
        if info is not None and not info.buildkit:
            self.builder_box.setCurrentIndex(1)
            buildkit_item.setEnabled(False)
            self.builder_box.setToolTip(say("panel.buildkit_missing"))
        else:
            buildkit_item.setEnabled(True)
            self.builder_box.setToolTip(say("panel.builder_tip"))

    def _project_replaced(self) -> None:
        from desktop.engine.labels import project_image_tag

        controller = self._controller
        project, path = controller.project, controller.path
        self.set_folder(project.context_dir or (path.parent if path is not None else None))
        self.tag_field.setText(project_image_tag(project.name or (path.stem if path else "") or "project"))
        self.marks.clear()

    # --- building ---------------------------------------------------------------------------------------

    def is_building(self) -> bool:
        return self._runner.is_running(BUILD_TASK)

    def start_build(self) -> None:
        """Build now (a build already running goes on; Build is disabled meanwhile)."""
        if self.on_start is not None:
            self.on_start()
        self._runner.start(BUILD_TASK, self.run_build(), replace=False)

    def cancel_build(self) -> None:
        if self._runner.cancel(BUILD_TASK):
            self.status.setText(say("status.cancelled"))

    def _task_finished(self, name: str) -> None:
        if name == BUILD_TASK:
            self._set_building(False)

    def _set_building(self, building: bool) -> None:
        self.build_button.setEnabled(not building)
        self.cancel_button.setEnabled(building)
        for widget in (self.choose_button, self.builder_box, self.tag_field):
            widget.setEnabled(not building)
        self.buildingChanged.emit(building)

    async def run_build(self) -> None:
        """The whole of Build: engine, folder, question, build, outcome."""
        from desktop.engine.build import BuildOptions, build
        from desktop.engine.problems import EngineUnavailable

        self._begin()
        outcome = "cancelled"
        try:
            monitor = self._engine()
            self.status.setText(say("status.checking"))
            try:
                if monitor is None:
                    raise RuntimeError("the window has no engine monitor")
                await monitor.ensure_connected()
            except EngineUnavailable as error:
                outcome = self._fail_plainly(error.problem.message, error.problem.hint)
                return
            scan = await self._scan()
            if scan is None:
                outcome = "failed"
                return
            if scan.total_bytes > LARGE_CONTEXT_BYTES and not await self.ask_large_context(scan):
                self.status.setText(say("status.cancelled"))
                return
            options = BuildOptions(
                document=self._controller.document,
                context_dir=scan.root,
                tag=self.tag_field.text().strip() or None,
                classic=self.classic(),
                labels=dict(self.labels),
                rendered=self._controller.rendered,
                scan=scan,
            )
            self.status.setText(say("status.building_start"))
            with quick_thread_switches():
                async for batch in build(options, monitor.new_api_client):
                    outcome = self.follow(batch) or outcome
            if outcome == "failed" and not self._failed_block:
                monitor.report_lost()  # maybe the engine went away: look now, not at the next check
        except Exception:
            outcome = "failed"  # the runner reports it (log file + one sentence)
            raise
        finally:
            self._end(outcome)

    def _begin(self) -> None:
        self._set_building(True)
        self.log.clear()
        self.marks.clear()
        self.failure.hide()
        self.progress.hide()
        self._steps.clear()
        self._names.clear()
        self._failed_block = ""
        self._started = time.monotonic()
        self.last_outcome = self.last_image = ""

    def _end(self, outcome: str) -> None:
        # The log goes on taking what is still queued a frame at a time: no flush here, which could stall.
        self.progress.hide()
        if outcome != "finished":
            self.marks.stop_running()
        if outcome == "cancelled":
            self.status.setText(say("status.cancelled"))
        self.last_outcome = outcome
        self._set_building(False)
        self.buildEnded.emit(outcome)

    async def _scan(self) -> ContextScan | None:
        from desktop.engine.build_context import scan_context
        from desktop.engine.dockerignore import DockerignoreError
        from desktop.engine.threads import run_blocking

        folder = self._folder
        if folder is None:
            self._fail_plainly(say("status.no_folder"), "")
            return None
        if not folder.is_dir():
            self._fail_plainly(say("status.folder_missing", folder=str(folder)), "")
            return None
        self.status.setText(say("status.scanning"))
        try:
            return await run_blocking(scan_context, folder)
        except DockerignoreError as error:
            self._fail_plainly(say("status.bad_dockerignore", reason=str(error)), "")
        except OSError as error:
            reason = error.strerror or str(error)
            self._fail_plainly(say("status.folder_unreadable", folder=str(folder), reason=reason), "")
        return None

    async def ask_large_context(self, scan: ContextScan) -> bool:
        """Ask before sending a large folder, naming what is largest; True to send it."""
        from ui.dialogs.large_context import ask_to_send

        return await ask_to_send(self, scan)

    def follow(self, batch: Iterable[BuildEvent]) -> str:
        """Show a batch of build events; returns "finished" or "failed" when the batch ends the build."""
        events = list(batch)
        self.log.feed(events)
        self.marks.apply(events)
        outcome = ""
        for event in events:
            if isinstance(event, StepUpdate):
                self._names[event.step_id] = event.name or self._names.get(event.step_id, "")
                if event.block_id:
                    self._steps[event.step_id] = event.state
            elif isinstance(event, UploadProgress):
                self._show_upload(event)
            elif isinstance(event, BuildFinished):
                outcome = self._finished(event)
                self.marks.finish_stages(self._controller.document)
            elif isinstance(event, BuildFailed):
                outcome = self._failed(event)
        if not outcome and self._steps:
            self.progress.hide()
            done = sum(s in (StepState.DONE, StepState.CACHED) for s in self._steps.values())
            self.status.setText(say("status.building", done=done, total=len(self._steps)))
        return outcome

    def _show_upload(self, event: UploadProgress) -> None:
        self.progress.show()
        if event.total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(1000 * min(event.sent, event.total) / event.total))
            text = say("status.uploading", sent=size_text(event.sent), total=size_text(event.total))
        else:
            self.progress.setRange(0, 0)
            text = say("status.uploading_unknown", sent=size_text(event.sent))
        self.status.setText(text)

    def _finished(self, event: BuildFinished) -> str:
        from ui.widgets.build_states import elapsed_text

        elapsed = elapsed_text(time.monotonic() - self._started)
        self.last_image = event.image_id
        if event.tags:
            self.status.setText(say("status.finished", image=event.tags[0], elapsed=elapsed))
        else:
            short = event.image_id.removeprefix("sha256:")[:12]
            self.status.setText(say("status.finished_untagged", image=short, elapsed=elapsed))
        return "finished"

    def _failed(self, event: BuildFailed) -> str:
        self._failed_block = event.block_id or ""
        step = self._step_name(event)
        title = say("failure.title", step=step) if step else say("failure.title_no_block")
        self._show_failure(title, event.message, event.hint or "")
        if event.block_id:
            self.blockRequested.emit(event.block_id)  # the failed block is put in view at once
        return "failed"

    def _fail_plainly(self, message: str, hint: str) -> str:
        self._failed_block = ""
        self._show_failure(say("failure.title_no_block"), message, hint)
        return "failed"

    def _show_failure(self, title: str, message: str, hint: str) -> None:
        self.status.setText(say("status.failed"))
        self.failure.show_failure(title, message, hint, with_block=bool(self._failed_block))

    def _step_name(self, event: BuildFailed) -> str:
        if event.step_id is not None and self._names.get(event.step_id):
            return plain_step_name(self._names[event.step_id])
        span = self._controller.rendered.lines_of(event.block_id) if event.block_id else None
        if span is not None:
            text = self._controller.rendered.text.splitlines()
            if 0 < span.first <= len(text):
                return text[span.first - 1].strip()
        return ""

    def failed_block(self) -> str:
        """The block the last failure is pinned to ("" when none)."""
        return self._failed_block

    def _show_failed_block(self) -> None:
        if self._failed_block:
            self.blockRequested.emit(self._failed_block)
