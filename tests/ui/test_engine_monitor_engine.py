"""The window's engine against a real engine: connected, shown in the status bar, a client for a stream,
switched to a missing address and back, and tried from the Connect to an Address dialog."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import engine_harness
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from desktop.engine.connection import EngineAddress, Source, parse_address
from desktop.engine.problems import ProblemKind
from ui.asyncqt import AsyncRunner
from ui.dialogs.connect_dialog import ConnectDialog, EngineMenu
from ui.engine_monitor import EngineMonitor
from ui.widgets.engine_status import CONNECTED, UNAVAILABLE, EngineStatus, install_engine_status

pytestmark = [pytest.mark.engine, pytest.mark.timeout(120)]


async def _until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        await asyncio.sleep(0.02)


def test_the_status_bar_shows_the_engine_and_follows_a_change_of_engine(
    engine: engine_harness.PrivateEngine, tmp_path: Path, qtbot, qasync_loop, artifacts_dir: Path
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    runner = AsyncRunner.of(window)
    settings = QSettings(str(tmp_path / "engine.ini"), QSettings.Format.IniFormat)
    real = parse_address(engine.base_url)
    monitor = EngineMonitor(runner, settings, window, candidates=lambda: [real], retry_interval=0.2)
    window.engine = monitor  # type: ignore[attr-defined]
    status = install_engine_status(window)
    window.show()
    version = engine.api.version()["Version"]

    async def main() -> None:
        monitor.start()
        await _until(lambda: monitor.info is not None)
        assert monitor.address() == monitor.info.url == real.url  # type: ignore[union-attr]
        window.grab().save(str(artifacts_dir / "engine_status_connected.png"))
        socket_entry = EngineAddress(engine.base_url, Source.SOCKET, "docker")
        menu = EngineMenu(monitor, window, lambda: [], lambda: [socket_entry])
        assert f"Docker — {engine.base_url} (in use)" in [a.text() for a in menu.actions()]
        client = monitor.new_api_client()  # what a build or a log stream takes
        try:
            assert client.version()["Version"] == version
        finally:
            client.close()
        monitor.choose(EngineAddress(f"unix://{tmp_path}/gone.sock"))
        await _until(lambda: monitor.problem is not None)
        window.grab().save(str(artifacts_dir / "engine_status_unavailable.png"))
        assert monitor.problem is not None
        assert monitor.problem.kind in (ProblemKind.NOT_STARTED, ProblemKind.NOT_INSTALLED)
        assert status.dot.colour == UNAVAILABLE
        monitor.choose(None)  # automatic again: the real engine
        await _until(lambda: monitor.info is not None)
        assert (await monitor.ensure_connected()).version == version
        monitor.stop()

    qasync_loop.run_until_complete(main())
    assert status.text.text() == f"Docker Engine {version} · BuildKit: yes"
    assert status.dot.colour == CONNECTED
    assert engine.base_url in status.toolTip() and "BuildKit is available" in status.toolTip()
    window.close()


def test_trying_the_real_engine_in_the_dialog_says_it_works(
    engine: engine_harness.PrivateEngine, tmp_path: Path, qtbot, qasync_loop
) -> None:
    monitor = EngineMonitor(AsyncRunner(), None, candidates=lambda: [])
    dialog = ConnectDialog(monitor)
    qtbot.addWidget(dialog)
    dialog.address.setText(engine.base_url)
    version = engine.api.version()["Version"]

    async def main() -> None:
        dialog.start_test()
        await _until(lambda: dialog.test_button.isEnabled())

    qasync_loop.run_until_complete(main())
    assert dialog.message.text() == f"It works: Docker Engine {version} answers at {engine.base_url}."


def test_the_main_window_finds_the_engine_through_docker_host(
    engine: engine_harness.PrivateEngine, tmp_path: Path, qtbot, qasync_loop, controller, monkeypatch
) -> None:
    for name in ("DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_HOST", engine.base_url)
    from ui.app import create_main_window

    window = create_main_window(
        controller, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    version = engine.api.version()["Version"]

    async def main() -> None:
        window.start_session()  # what main_async does once the loop runs: the engine is looked for
        await _until(lambda: window.engine.info is not None)
        window.engine.stop()

    qasync_loop.run_until_complete(main())
    status = window.statusBar().findChild(EngineStatus, "EngineStatus")
    assert status is not None and status.text.text() == f"Docker Engine {version} · BuildKit: yes"
    assert "found through DOCKER_HOST" in status.toolTip()
    menus = [a.menu().objectName() for a in window.menuBar().actions() if a.menu() is not None]
    assert "EngineMenu" in menus and menus.index("EngineMenu") < menus.index("HelpMenu")
