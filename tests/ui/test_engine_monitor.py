"""The window's engine: the monitor's state with no engine, the status bar field, the Engine menu and the
Connect to an Address dialog (the engine-backed half is in test_engine_monitor_engine.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.engine import contexts
from desktop.engine.connection import EngineAddress, EngineUnavailable, Source, TlsFiles
from desktop.engine.problems import ProblemKind, say
from ui.asyncqt import AsyncRunner
from ui.dialogs.connect_dialog import ConnectDialog, EngineMenu
from ui.engine_monitor import CHOICE_KEY, EngineMonitor
from ui.widgets.engine_status import UNAVAILABLE, EngineStatus, install_engine_status


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "engine.ini"), QSettings.Format.IniFormat)


def _monitor(tmp_path: Path, candidates: list[EngineAddress]) -> EngineMonitor:
    return EngineMonitor(
        AsyncRunner(), _settings(tmp_path), candidates=lambda: candidates, retry_interval=0.2
    )


async def _until(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        await asyncio.sleep(0.02)


def test_before_the_first_search_build_is_told_no_engine_is_connected_yet(tmp_path: Path, qtbot) -> None:
    monitor = _monitor(tmp_path, [])
    status = EngineStatus(monitor)
    qtbot.addWidget(status)
    assert monitor.info is None and monitor.problem is None
    assert monitor.address() == ""  # nothing tried yet: errors are explained as for this computer
    assert status.text.text() == "Looking for a Docker engine…"
    with pytest.raises(EngineUnavailable) as raised:
        monitor.new_api_client()
    assert raised.value.problem.kind is ProblemKind.NO_ENGINE_YET


def test_a_missing_engine_is_shown_with_its_reason_and_what_to_do(tmp_path: Path, qtbot, qasync_loop) -> None:
    missing = EngineAddress(f"unix://{tmp_path}/docker.sock", Source.SOCKET, "docker")
    monitor = _monitor(tmp_path, [missing])
    status = EngineStatus(monitor)
    qtbot.addWidget(status)
    changes: list[int] = []
    monitor.stateChanged.connect(lambda: changes.append(1))

    async def main() -> None:
        monitor.start()
        monitor.start()  # a second start keeps the first watch
        await _until(lambda: monitor.problem is not None)
        attempts = monitor.watcher.attempts
        await _until(lambda: monitor.watcher.attempts >= attempts + 2)  # it keeps trying by itself
        with pytest.raises(EngineUnavailable):
            await monitor.ensure_connected()
        monitor.stop()

    qasync_loop.run_until_complete(main())
    problem = monitor.problem
    assert problem is not None and problem.kind in (ProblemKind.NOT_STARTED, ProblemKind.NOT_INSTALLED)
    assert monitor.address() == missing.url  # the last one tried, while none answers
    assert changes == [1], "the same reason again is not a change"
    assert status.text.text() == f"No engine — {say(f'status.short.{problem.kind.value}')}"  # it fits
    assert status.toolTip() == f"{problem.message} {problem.hint}"
    assert status.dot.colour == UNAVAILABLE
    with pytest.raises(EngineUnavailable) as raised:
        monitor.new_api_client()
    assert raised.value.problem == problem


def test_the_choice_is_remembered_with_its_tls_files(tmp_path: Path) -> None:
    monitor = _monitor(tmp_path, [])
    typed = EngineAddress(
        "tcp://10.0.0.5:2376", Source.TYPED, "", TlsFiles("/c/ca.pem", "/c/c.pem", "/c/k.pem")
    )
    monitor.choose(typed)
    again = _monitor(tmp_path, [])
    assert again.choice == typed
    again.choose(None)
    assert _settings(tmp_path).value(CHOICE_KEY) is None
    assert _monitor(tmp_path, []).choice is None


def test_a_broken_remembered_choice_means_automatic(tmp_path: Path) -> None:
    _settings(tmp_path).setValue(CHOICE_KEY, "{broken")
    assert _monitor(tmp_path, []).choice is None


def _context_list(tmp_path: Path) -> list[contexts.ContextEntry]:
    return [
        contexts.ContextEntry(
            "default", EngineAddress("unix:///var/run/docker.sock", Source.CONTEXT, "default")
        ),
        contexts.ContextEntry(
            "colima", EngineAddress(f"unix://{tmp_path}/colima.sock", Source.CONTEXT, "colima"), current=True
        ),
    ]


def test_the_engine_menu_lists_contexts_and_sockets_and_switches(tmp_path: Path, qtbot) -> None:
    monitor = _monitor(tmp_path, [])
    podman = EngineAddress(f"unix://{tmp_path}/podman.sock", Source.SOCKET, "podman")
    holder = QMainWindow()
    qtbot.addWidget(holder)
    menu = EngineMenu(monitor, holder, lambda: _context_list(tmp_path), lambda: [podman])
    texts = [a.text() for a in menu.actions() if not a.isSeparator() or a.text()]
    assert texts[0] == "&Automatic (DOCKER_HOST, Docker context, usual sockets)"
    assert f"colima — unix://{tmp_path}/colima.sock" in texts
    assert f"Podman — unix://{tmp_path}/podman.sock" in texts
    assert "&Connect to an Address…" in texts and "&Reconnect Now" in texts
    assert menu.findChild(object, "EngineAutomatic").isChecked()
    menu.findChild(object, "Engine:context:colima").trigger()
    assert monitor.choice is not None and monitor.choice.name == "colima"
    menu.refill()
    assert menu.findChild(object, "Engine:context:colima").isChecked()
    assert not menu.findChild(object, "EngineAutomatic").isChecked()
    menu.findChild(object, "EngineAutomatic").trigger()
    assert monitor.choice is None


def test_the_connect_dialog_checks_what_is_typed(tmp_path: Path, qtbot) -> None:
    monitor = _monitor(tmp_path, [])
    dialog = ConnectDialog(monitor)
    qtbot.addWidget(dialog)
    dialog.accept_address()
    assert dialog.message.text() == "Type an address first, for example unix:///var/run/docker.sock."
    dialog.address.setText("localhost:2375")
    dialog.accept_address()
    assert "is not valid" in dialog.message.text() and "tcp://" in dialog.message.text()
    dialog.address.setText("tcp://192.168.1.20:2376")
    dialog.use_tls.setChecked(True)
    dialog.accept_address()
    assert (
        dialog.message.text() == "With TLS, choose the CA certificate, or the client certificate and its key."
    )
    dialog.files["ca"].setText("/certs/ca.pem")
    dialog.accept_address()
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    assert monitor.choice == EngineAddress(
        "tcp://192.168.1.20:2376", Source.TYPED, "", TlsFiles("/certs/ca.pem", None, None, True)
    )
    reopened = ConnectDialog(monitor)  # shows the address in use
    qtbot.addWidget(reopened)
    assert reopened.address.text() == "tcp://192.168.1.20:2376" and reopened.use_tls.isChecked()


def test_trying_an_address_says_why_it_does_not_work(tmp_path: Path, qtbot, qasync_loop) -> None:
    monitor = _monitor(tmp_path, [])
    dialog = ConnectDialog(monitor)
    qtbot.addWidget(dialog)
    dialog.address.setText(f"{tmp_path}/docker.sock")

    async def main() -> None:
        dialog.test_button.click()
        assert not dialog.test_button.isEnabled()
        await _until(lambda: dialog.test_button.isEnabled())

    qasync_loop.run_until_complete(main())
    assert "is not running" in dialog.message.text() or "not installed" in dialog.message.text()
    assert monitor.choice is None, "trying is not choosing"


def test_the_window_has_the_engine_menu_and_status_field(tmp_path: Path, qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    help_menu = QMenu("&Help", window)
    help_menu.setObjectName("HelpMenu")
    window.menuBar().addMenu(help_menu)
    status = install_engine_status(window)
    assert install_engine_status(window) is status, "installed once"
    menus = [a.menu().objectName() for a in window.menuBar().actions() if a.menu() is not None]
    assert menus == ["EngineMenu", "HelpMenu"]
    assert window.statusBar().findChild(EngineStatus, "EngineStatus") is status
    assert isinstance(window.engine, EngineMonitor)  # type: ignore[attr-defined]
    assert status.accessibleName() == "Docker engine status"


def test_choosing_another_engine_shows_the_search_until_it_ends(tmp_path: Path, qtbot, qasync_loop) -> None:
    monitor = _monitor(tmp_path, [EngineAddress(f"unix://{tmp_path}/a.sock")])
    status = EngineStatus(monitor)
    qtbot.addWidget(status)

    async def main() -> None:
        monitor.start()
        await _until(lambda: monitor.problem is not None)
        monitor.choose(EngineAddress(f"unix://{tmp_path}/b.sock"))
        assert status.text.text() == "Looking for a Docker engine…"
        await _until(lambda: monitor.problem is not None)
        monitor.stop()

    qasync_loop.run_until_complete(main())
    assert monitor.problem is not None and monitor.problem.address == f"unix://{tmp_path}/b.sock"
    assert status.text.text().startswith("No engine — ")


@pytest.mark.parametrize("kind", list(ProblemKind), ids=lambda kind: kind.value)
def test_every_reason_has_a_few_words_that_fit_the_status_bar(kind: ProblemKind) -> None:
    # The whole sentence was cut off at the window's edge ("…(nothing answers at unix:///var/run…").
    words = say(f"status.short.{kind.value}")
    assert words != f"status.short.{kind.value}" and len(words) <= 40
