"""Two views of the selected instance: its output (live, searchable) and a box to run a command in it.

:class:`LogView` follows the instance's output with :func:`desktop.engine.logs.follow_logs` in the task
``instances.logs`` of the window's runner; :class:`ExecBox` runs one command with ``exec`` in a worker
thread (task ``instances.exec``) and shows what it printed, with the ``docker exec`` command that does the
same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.engine.instances import Instance, exec_cli_command, say
from ui.asyncqt import AsyncRunner

MAX_LINES = 10_000
"""Output lines kept for the selected instance."""
TAIL = 500
"""Earlier lines shown when an instance is selected."""


def _mono_text(parent: QWidget, name: str) -> QPlainTextEdit:
    text = QPlainTextEdit(parent)
    text.setObjectName(name)
    text.setReadOnly(True)
    text.setMaximumBlockCount(MAX_LINES)
    text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return text


class LogView(QWidget):
    """The output of one instance, following it live, with a search field."""

    def __init__(
        self, runner: AsyncRunner, api_factory: Callable[[], Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("InstanceLogs")
        self.setAccessibleName(say("logs.title"))
        self.runner = runner
        self.api_factory = api_factory
        self.container_id = ""
        self.search = QLineEdit(self)
        self.search.setObjectName("InstanceLogsSearch")
        self.search.setAccessibleName(say("logs.search"))
        self.search.setPlaceholderText(say("logs.search_hint"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.note = QLabel(say("logs.none"), self)
        self.note.setObjectName("InstanceLogsNote")
        self.note.setWordWrap(True)
        self.output = _mono_text(self, "InstanceLogsText")
        self.output.setAccessibleName(say("logs.title"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.note)
        layout.addWidget(self.output, 1)

    def show_instance(self, instance: Instance | None) -> None:
        """Follow ``instance``'s output (None: stop following and say how to pick one)."""
        new_id = instance.id if instance is not None else ""
        # The same instance is followed anew only when it runs again after its output ended (a restart).
        ended = (
            instance is not None
            and instance.state == "running"
            and not self.runner.is_running("instances.logs")
        )
        if new_id == self.container_id and not ended:
            return
        self.container_id = new_id
        self.runner.cancel("instances.logs")
        self.output.clear()
        self.note.setText(say("logs.none") if instance is None else instance.name)
        if instance is not None:
            self.runner.start("instances.logs", self._follow(instance.id))

    def stop(self) -> None:
        self.runner.cancel("instances.logs")

    def find_next(self) -> bool:
        """Selects the next match of the search text (wrapping round); says so when there is none."""
        text = self.search.text()
        if not text:
            return False
        if self.output.find(text):
            return True
        self.output.moveCursor(QTextCursor.MoveOperation.Start)
        if self.output.find(text, QTextDocument.FindFlag(0)):
            return True
        self.note.setText(say("logs.not_found", text=text))
        return False

    async def _follow(self, container_id: str) -> None:
        from desktop.engine.logs import follow_logs

        async for batch in follow_logs(container_id, self.api_factory, tail=TAIL):
            if container_id != self.container_id:
                return
            self.output.appendPlainText("\n".join(line.text for line in batch))
        if container_id == self.container_id:
            self.output.appendPlainText(say("logs.ended"))


class ExecBox(QWidget):
    """A field for a command, a Run button, the command's output and its ``docker exec`` equivalent.

    Signals:
        finished(str): the command ended; the value is what it printed.
    """

    finished = Signal(str)

    def __init__(
        self,
        runner: AsyncRunner,
        api_factory: Callable[[], Any],
        parent: QWidget | None = None,
        engine_address: Callable[[], str] = str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ExecBox")
        self.engine_address = engine_address  # for the advice when the engine stops answering
        self.setAccessibleName(say("exec.title"))
        self.runner = runner
        self.api_factory = api_factory
        self.instance: Instance | None = None
        self.command = QLineEdit(self)
        self.command.setObjectName("ExecCommand")
        self.command.setAccessibleName(say("exec.title"))
        self.command.setPlaceholderText(say("exec.hint"))
        self.command.returnPressed.connect(self.run_command)
        self.run_button = QPushButton(say("exec.run"), self)
        self.run_button.setObjectName("ExecRun")
        self.run_button.setAccessibleName(say("exec.run"))
        self.run_button.clicked.connect(self.run_command)
        self.cli = QLabel(self)
        self.cli.setObjectName("ExecCli")
        self.cli.setToolTip(say("cli.tip"))
        self.cli.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.output = _mono_text(self, "ExecOutput")
        self.output.setAccessibleName(say("exec.title"))
        row = QHBoxLayout()
        row.addWidget(self.command, 1)
        row.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.cli)
        layout.addWidget(self.output, 1)

    def set_instance(self, instance: Instance | None) -> None:
        self.instance = instance

    def run_command(self) -> None:
        """Runs the typed command in the selected instance (in a worker thread)."""
        command = self.command.text().strip()
        instance = self.instance
        if not command:
            return
        if instance is None:
            self._show(say("exec.none"), sentence=True)
            return
        if instance.state != "running":
            self._show(say("exec.not_running"), sentence=True)
            return
        self.cli.setText(f"{say('cli.label')} {exec_cli_command(instance.name, command)}")
        self.run_button.setEnabled(False)
        self.runner.start("instances.exec", self._run(instance.id, command))

    async def _run(self, container_id: str, command: str) -> None:
        from desktop.engine.instances import engine_explanation, exec_in
        from desktop.engine.threads import call_with_client

        sentence = False
        try:
            result = await call_with_client(self.api_factory, exec_in, container_id, command)
        except Exception as error:  # the engine refused (the instance stopped meanwhile…): say so plainly
            text = say("exec.failed", reason=engine_explanation(error, self.engine_address()))
            sentence = True
        else:
            text = result.output.rstrip("\n")
            if result.exit_code:
                text += "\n" + say("exec.exit", code=result.exit_code)
        finally:
            self.run_button.setEnabled(True)
        self._show(text, sentence)
        self.finished.emit(text)

    def _show(self, text: str, sentence: bool = False) -> None:
        """A command's output keeps its lines as printed (tables, columns); the box's own sentences (why
        nothing ran) wrap at the box's width, so the advice can be read without scrolling sideways."""
        wrap = QPlainTextEdit.LineWrapMode.WidgetWidth if sentence else QPlainTextEdit.LineWrapMode.NoWrap
        self.output.setLineWrapMode(wrap)
        self.output.setPlainText(text)
