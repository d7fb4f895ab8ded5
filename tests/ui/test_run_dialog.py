"""The run dialog: checks as the user types, the docker run line and its Copy button, dangerous mounts."""

from __future__ import annotations

import shlex
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from run_dialogs import note, open_run_dialog

from desktop.engine.ports_in_use import PortsInUse
from desktop.engine.run_spec import RestartPolicy, Severity, say
from ui.dialogs.run_dialog import RunDialog


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path) -> RunDialog:
    return open_run_dialog(qtbot, tmp_path)


def test_opens_with_the_image_and_a_runnable_line(dialog: RunDialog) -> None:
    assert dialog.run_button.isEnabled()
    assert shlex.split(dialog.command_text()) == [
        "docker", "run", "-d", "-p", "80", "--label", "org.dockblocks.created-by=dockblocks",
        "dockblocks/site:latest",
    ]  # fmt: skip
    assert not note(dialog, "ports").isVisible()


def test_typing_updates_the_line_and_the_notes_at_once(qtbot: QtBot, dialog: RunDialog) -> None:
    host = dialog.ports.rows[0].edits[0]
    qtbot.keyClicks(host, "80x")
    assert not dialog.run_button.isEnabled()
    assert note(dialog, "ports").isVisible()
    assert say("port.unreadable", text="80x:80") in note(dialog, "ports").text()
    assert dialog.spec() is None

    host.setText("18080")
    qtbot.keyClicks(dialog.name, "web")
    dialog.env.add_button.click()
    qtbot.keyClicks(dialog.env.rows[0].edits[0], "GREETING")
    qtbot.keyClicks(dialog.env.rows[0].edits[1], "hello world")
    dialog.restart.setCurrentIndex(list(RestartPolicy).index(RestartPolicy.UNLESS_STOPPED))
    dialog.memory.setText("256m")

    assert dialog.run_button.isEnabled()
    spec = dialog.spec()
    assert spec is not None and spec.name == "web" and spec.env == (("GREETING", "hello world"),)
    assert shlex.split(dialog.command_text()) == [
        "docker", "run", "-d", "--name", "web", "-p", "18080:80", "-e", "GREETING=hello world",
        "--restart", "unless-stopped", "--memory", "256m",
        "--label", "org.dockblocks.created-by=dockblocks", "dockblocks/site:latest",
    ]  # fmt: skip


def test_copy_puts_the_line_on_the_clipboard(qtbot: QtBot, dialog: RunDialog) -> None:
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.command_text()
    assert dialog.copy_button.text() == say("dialog.copied")


def test_several_instances_with_a_fixed_port_are_refused_then_allowed(dialog: RunDialog) -> None:
    dialog.ports.rows[0].edits[0].setText("18081")
    dialog.count.setValue(3)
    assert not dialog.run_button.isEnabled()
    assert say("port.count", port=18081, count=3) in note(dialog, "ports").text()
    dialog.ports.rows[0].edits[0].setText("")
    assert dialog.run_button.isEnabled()
    assert dialog.command_text().startswith("for i in $(seq 1 3); do docker run -d -p 80 ")


def test_mounting_the_home_folder_or_the_docker_socket_warns_but_allows(dialog: RunDialog) -> None:
    dialog.volumes.add_button.click()
    dialog.volumes.rows[0].edits[0].setText(str(Path.home()))
    dialog.volumes.rows[0].edits[1].setText("/home")
    dialog.volumes.add_button.click()
    dialog.volumes.rows[1].edits[0].setText("/var/run/docker.sock")
    dialog.volumes.rows[1].edits[1].setText("/var/run/docker.sock")
    check = dialog.volumes.rows[1].check
    assert check is not None
    check.setChecked(True)

    assert dialog.run_button.isEnabled()  # warnings do not stop Run
    assert [i.severity for i in dialog.issues()] == [Severity.WARNING, Severity.WARNING]
    text = note(dialog, "volumes").text()
    assert "home folder" in text and "Docker socket" in text
    assert "-v /var/run/docker.sock:/var/run/docker.sock:ro" in dialog.command_text()


def test_what_the_engine_uses_is_checked_when_it_arrives(dialog: RunDialog) -> None:
    dialog.ports.rows[0].edits[0].setText("18082")
    dialog.name.setText("web")
    assert dialog.run_button.isEnabled()

    dialog.set_in_use(
        PortsInUse({(18082, "tcp"): "old-web"}, frozenset({"web"}), frozenset({"other:latest"}), True, 2)
    )

    assert not dialog.run_button.isEnabled()
    assert say("port.used_by_instance", port=18082, owner="old-web") in note(dialog, "ports").text()
    assert say("name.taken", name="web") in note(dialog, "name").text()
    assert say("image.missing", image="dockblocks/site:latest") in note(dialog, "image").text()


def test_a_port_another_program_holds_is_named(dialog: RunDialog) -> None:
    with socket.socket() as listener:
        listener.bind(("0.0.0.0", 0))
        listener.listen()
        port = listener.getsockname()[1]
        dialog.ports.rows[0].edits[0].setText(str(port))
        assert say("port.used_on_host", port=port) in note(dialog, "ports").text()
    assert not dialog.run_button.isEnabled()


def test_every_field_has_an_accessible_name(dialog: RunDialog) -> None:
    for edit in dialog.findChildren(QLineEdit):
        if edit.objectName() != "qt_spinbox_lineedit":  # inside a spin box, which has the name
            assert edit.accessibleName(), edit.objectName()
    for name in ("RunImage", "RunName", "RunCount", "RunRestart", "RunCpus", "RunMemory", "RunCommandLine"):
        widget = dialog.findChild(object, name)  # type: ignore[arg-type]
        assert widget is not None and widget.accessibleName()


def test_screenshot_at_projector_size(qtbot: QtBot, dialog: RunDialog, artifacts_dir: Path) -> None:
    dialog.volumes.add_button.click()
    dialog.volumes.rows[0].edits[0].setText("/")
    dialog.volumes.rows[0].edits[1].setText("/host")
    dialog.resize(720, 700)
    qtbot.waitUntil(dialog.volumes.rows[0].isVisible)  # a row added to a shown list appears a moment later
    picture = dialog.grab()
    assert picture.width() >= 700
    picture.save(str(artifacts_dir / "run_dialog.png"))
