"""The instances started by Run, one tab each: its name, state and ports, a Stop button, its live output.

The output of each instance is followed by a task of the window's :class:`ui.asyncqt.AsyncRunner`
(``logs.<id>``) and appended one batch at a time (one edit of the text per batch, never one per line);
the text keeps the last :data:`MAX_LINES` lines. What the program writes to its error stream (stderr) is
shown in orange, not red: many programs (web servers, Flask, Python's logging) write their ordinary messages
there, and a beginner reads red as "it broke". The output's tooltip says what the orange means.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontDatabase, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.engine.run_spec import say
from ui.asyncqt import AsyncRunner
from ui.theme import readable_on

if TYPE_CHECKING:  # docker-py and asyncio are imported when the first instance starts, not with the window
    from desktop.engine.logs import InstanceState, LogLine
    from desktop.engine.run import StartedInstance
    from ui.widgets.pull_progress import PullView

_log = logging.getLogger(__name__)
MAX_LINES = 20_000
"""Lines kept per instance: enough to scroll back through a start-up, little enough to stay fast."""
FLUSH_MS = 40
"""How often queued output is shown (25 times a second at most)."""
FLUSH_LINES = 1500
"""The most lines shown per flush: ~10 ms of work, so painting and typing stay smooth in a flood."""
STDERR_COLOUR = QColor("#b26a00")
"""The error stream's orange, made readable (4.5:1) on the output's background in light and dark."""
_STDERR_CONTRAST = 4.5
STDERR = "stderr"  # as desktop.engine.logs.STDERR


class InstanceView(QWidget):
    """One instance: a header with its name and state, Stop, and its output.

    Signals:
        stopRequested(str): the user pressed Stop (the container id).
    """

    stopRequested = Signal(str)

    def __init__(self, instance: StartedInstance, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.instance = instance
        self.setObjectName("InstanceView")
        self.setAccessibleName(instance.name)
        self.lines_shown = 0
        self.header = QLabel(self)
        self.header.setObjectName("InstanceHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setOpenExternalLinks(True)
        self.header.setWordWrap(True)
        self.stop_button = QPushButton(say("output.stop"), self)
        self.stop_button.setObjectName("InstanceStop")
        self.stop_button.setAccessibleName(say("output.stop"))
        self.stop_button.clicked.connect(self._stop)
        self.output = QPlainTextEdit(self)
        self.output.setObjectName("InstanceLog")
        self.output.setAccessibleName(say("output.title"))
        self.output.setReadOnly(True)
        self.output.setMaximumBlockCount(MAX_LINES)
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.output.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.output.setToolTip(say("output.stderr_tip"))
        self.output.setAccessibleDescription(say("output.stderr_tip"))
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.output, 1)
        self._pending: deque[LogLine] = deque(maxlen=MAX_LINES)  # older ones would be dropped by the text
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._stderr_format = QTextCharFormat()
        self._tint_stderr()
        self.set_state(say("logs.running", name=instance.name))

    def stderr_colour(self) -> QColor:
        """The colour of the error stream's lines from now on (it follows a light/dark switch)."""
        return self._stderr_format.foreground().color()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._tint_stderr()

    def _tint_stderr(self) -> None:
        background = self.palette().color(QPalette.ColorRole.Base)  # the output's, inherited from here
        self._stderr_format.setForeground(readable_on(STDERR_COLOUR, background, _STDERR_CONTRAST))

    def set_state(self, sentence: str) -> None:
        """Show the instance's state (running, stopped with a code…) beside its ports."""
        links = " ".join(
            f'<a href="http://localhost:{host}/">localhost:{host}</a> → {inner}'
            for host, inner, proto in self.instance.ports
            if proto == "tcp"
        )
        self.header.setText(f"<b>{_escape(sentence)}</b>" + (f"&nbsp;&nbsp;{links}" if links else ""))

    def queue_lines(self, batch: list[LogLine]) -> None:
        """Add lines to show at the next flush (a few times a second), never more than the text keeps.

        Each edit of the text costs ~5 ms however few lines it adds, and a chatty program sends its lines
        in many small batches: queued, they are shown a capped number per flush, so the window never stalls.
        """
        self._pending.extend(batch)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def pending_lines(self) -> int:
        return len(self._pending)

    def _flush_all(self) -> None:
        self._flush_timer.stop()
        self.append_lines(list(self._pending))
        self._pending.clear()

    def _flush(self) -> None:
        count = min(len(self._pending), FLUSH_LINES)
        self.append_lines([self._pending.popleft() for _ in range(count)])
        if self._pending:
            self._flush_timer.start()

    def append_lines(self, batch: list[LogLine]) -> None:
        """Add a batch of lines at the end, in one edit; stays at the bottom if it was there."""
        if not batch:
            return
        bar = self.output.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 2
        cursor = QTextCursor(self.output.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        plain = QTextCharFormat()
        first = self.output.document().isEmpty()
        for start, stream, texts in _runs(batch):
            text = "\n".join(texts)
            cursor.insertText(
                text if first and start == 0 else "\n" + text,
                self._stderr_format if stream == STDERR else plain,
            )
        cursor.endEditBlock()
        self.lines_shown += len(batch)
        if at_bottom:
            bar.setValue(bar.maximum())

    def finished(self, state: InstanceState) -> None:
        """The instance stopped: show the rest of its output and how it ended (Stop has nothing to do)."""
        self._flush_all()
        self.set_state(say("logs.exited", name=state.name, code=state.exit_code))
        self.stop_button.setEnabled(False)

    def ended(self, sentence: str) -> None:
        """Following stopped for another reason than the instance ending (said in ``sentence``)."""
        self._flush_all()
        self.set_state(sentence)
        self.stop_button.setEnabled(False)

    def _stop(self) -> None:
        self.stop_button.setEnabled(False)
        self.set_state(say("output.stopping", name=self.instance.name))
        self.stopRequested.emit(self.instance.id)


class InstanceOutput(QWidget):
    """Every instance started from this window, a tab each (closing a tab stops following it).

    Signals:
        instanceAdded(str): a tab for this container id was added.
        connectionLost(): following an instance failed because the engine stopped answering.
    """

    instanceAdded = Signal(str)
    connectionLost = Signal()

    def __init__(
        self, runner: AsyncRunner, api_factory: Callable[[], Any], parent: QWidget | None = None
    ) -> None:
        """``api_factory`` makes a fresh docker.APIClient per stream (the window's engine.new_api_client)."""
        super().__init__(parent)
        self.setObjectName("InstanceOutput")
        self.setAccessibleName(say("output.title"))
        self.runner = runner
        self.api_factory = api_factory
        self.note = QLabel(say("output.empty"), self)
        self.note.setObjectName("InstanceNote")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("InstanceTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.note)
        self.pages.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def views(self) -> list[InstanceView]:
        return [w for i in range(self.tabs.count()) if isinstance(w := self.tabs.widget(i), InstanceView)]

    def say_note(self, sentence: str) -> None:
        """Show a sentence where the tabs would be (starting…, or why starting failed) when none is open."""
        self.note.setText(sentence)
        if not self.tabs.count():
            self.pages.setCurrentWidget(self.note)

    def add_instances(self, instances: list[StartedInstance]) -> list[InstanceView]:
        """A tab per instance, following its output from now on; the last one is brought to front."""
        made = []
        for instance in instances:
            view = InstanceView(instance, self.tabs)
            view.stopRequested.connect(self._stop)
            self.tabs.addTab(view, instance.name)
            self.runner.start(f"logs.{instance.id}", self._follow(view))
            made.append(view)
            self.instanceAdded.emit(instance.id)
        if made:
            self.pages.setCurrentWidget(self.tabs)
            self.tabs.setCurrentWidget(made[-1])
        return made

    def add_pull(self, image: str) -> PullView:
        """A tab showing the pull of ``image``, layer by layer, brought to front."""
        from ui.widgets.pull_progress import PullView

        view = PullView(image, self.tabs)
        index = self.tabs.addTab(view, say("pull.title", image=image.rsplit("/", 1)[-1]))
        self.tabs.setTabToolTip(index, say("pull.title", image=image))
        self.pages.setCurrentWidget(self.tabs)
        self.tabs.setCurrentWidget(view)
        return view

    async def pull(self, image: str) -> bool:
        """Pull ``image`` showing its layers in a tab; False (with the reason shown there) when it failed."""
        from desktop.engine.pull import PullError, pull

        view = self.add_pull(image)
        try:
            async for progress in pull(image, self.api_factory):
                view.show_progress(progress)
        except PullError as error:
            view.finished(error.message, ok=False)
            return False
        view.finished(say("pull.done", image=image), ok=True)
        return True

    async def _follow(self, view: InstanceView) -> None:
        import asyncio

        import docker.errors

        from desktop.engine.logs import follow_logs, instance_state

        try:
            async for batch in follow_logs(view.instance.id, self.api_factory):
                view.queue_lines(batch)
                await asyncio.sleep(0)  # a flood arrives as back-to-back batches: let Qt paint between them
            state = await instance_state(view.instance.id, self.api_factory)
        except docker.errors.NotFound:
            view.ended(say("logs.removed", name=view.instance.name))
            return
        except Exception as error:  # the engine went away mid-stream (docker-py, requests or urllib3 says so)
            _log.info("following %s ended: %s", view.instance.name, error)
            view.ended(say("logs.lost", name=view.instance.name))
            self.connectionLost.emit()
            return
        view.finished(state)

    def _stop(self, container_id: str) -> None:
        self.runner.start(f"stop.{container_id}", _stop_instance(container_id, self.api_factory))

    def _close_tab(self, index: int) -> None:
        view = self.tabs.widget(index)
        if isinstance(view, InstanceView):
            self.runner.cancel(f"logs.{view.instance.id}")
        self.tabs.removeTab(index)
        if view is not None:
            view.deleteLater()
        if not self.tabs.count():
            self.note.setText(say("output.empty"))
            self.pages.setCurrentWidget(self.note)


async def _stop_instance(container_id: str, api_factory: Callable[[], Any]) -> None:
    """Stop the instance (the engine waits 10 s for it to end by itself, then kills it)."""
    from desktop.engine.threads import run_blocking

    api = api_factory()
    try:
        await run_blocking(lambda: api.stop(container_id, timeout=10))
    finally:
        api.close()


def _runs(batch: list[LogLine]) -> list[tuple[int, str, list[str]]]:
    """Consecutive lines of the same stream, grouped: (index of the first, stream, texts)."""
    runs: list[tuple[int, str, list[str]]] = []
    for index, line in enumerate(batch):
        if runs and runs[-1][1] == line.stream:
            runs[-1][2].append(line.text)
        else:
            runs.append((index, line.stream, [line.text]))
    return runs


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
