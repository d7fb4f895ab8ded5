"""A command run in an instance of an engine on another computer that stopped answering: the advice is
about that computer, not "start Docker Desktop" here. A real refusal (a TCP port where nothing listens)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import docker
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop.engine.instances import Instance, say
from desktop.engine.problems import say as say_problem
from ui.asyncqt import AsyncRunner
from ui.widgets.exec_box import ExecBox


def _closed_port_address() -> str:
    with socket.socket() as probe:  # a port just freed: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


def test_a_remote_engine_gone_is_explained_for_that_computer(qtbot: QtBot, qasync_loop: Any) -> None:
    address = _closed_port_address()
    box = ExecBox(
        AsyncRunner(),
        lambda: docker.APIClient(base_url=address, version="1.41", timeout=5),
        engine_address=lambda: address,
    )
    qtbot.addWidget(box)
    box.set_instance(Instance("c0ffee", "web-1", "web", "running", "Up 3 minutes", 0.0, (), True))
    box.command.setText("ls /")
    said: list[str] = []
    box.finished.connect(said.append)

    async def scenario() -> None:
        box.run_command()  # as Return in the command field does
        while not said:
            await asyncio.sleep(0.05)

    qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 30))
    expected = say("exec.failed", reason=say("engine.gone", hint=say_problem("problem.refused.hint")))
    assert said == [expected] and box.output.toPlainText() == expected
    assert "Docker Desktop" not in expected
    assert box.output.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth, "the advice wraps"


def test_the_boxs_own_sentences_wrap_and_a_commands_output_does_not(qtbot: QtBot) -> None:
    box = ExecBox(AsyncRunner(), lambda: None)
    qtbot.addWidget(box)
    box.command.setText("ls /")
    box.set_instance(Instance("c0ffee", "web-1", "web", "exited", "Exited (0)", 0.0, (), True))
    box.run_command()  # nothing runs in a stopped instance: the box says why
    assert box.output.toPlainText() == say("exec.not_running")
    assert box.output.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    box._show("total 0\ndrwxr-xr-x    2 root root  4096 bin")  # what a command printed, as printed
    assert box.output.lineWrapMode() == QPlainTextEdit.LineWrapMode.NoWrap
