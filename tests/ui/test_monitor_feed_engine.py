"""The window's one follower of the engine, on the real engine: the instances panel and the charts both
show what its single events stream says, and the charts show the saved history after a restart.

Each test makes a window as the application does (a real :class:`ui.engine_monitor.EngineMonitor` pointed
at the private engine, the instances and charts docks installed, a private data folder for the history).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import engine_harness
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from desktop.engine.connection import parse_address
from desktop.engine.labels import dockblocks_labels
from desktop.history.model import State
from ui.asyncqt import AsyncRunner
from ui.engine_monitor import EngineMonitor
from ui.monitor_feed import FOLLOWER_TIMEOUT_S, MonitorFeed, history_path
from ui.widgets.charts.charts_panel import ChartsPanel
from ui.widgets.charts.dock import install_charts_panel
from ui.widgets.instances_panel import InstancesPanel, install_instances_panel

pytestmark = [pytest.mark.engine, pytest.mark.timeout(150), pytest.mark.usefixtures("private_settings")]


async def until(condition: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited too long for {what}"
        await asyncio.sleep(0.05)


def make_window(
    engine: engine_harness.PrivateEngine, tmp_path: Path, qtbot: Any, check_interval: float = 3.0
) -> QMainWindow:
    """A window with the engine, the instances dock and the charts dock, as the application installs them."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("Run").setObjectName("RunMenu")
    settings = QSettings(str(tmp_path / "engine.ini"), QSettings.Format.IniFormat)
    real = parse_address(engine.base_url)
    window.engine = EngineMonitor(  # type: ignore[attr-defined]
        AsyncRunner.of(window),
        settings,
        window,
        candidates=lambda: [real],
        retry_interval=0.2,
        check_interval=check_interval,
    )
    install_instances_panel(window)
    install_charts_panel(window)
    window.show()
    return window


def start_instance(engine: engine_harness.PrivateEngine, labels: dict[str, str], command: str) -> str:
    created = engine.api.create_container(
        engine.base_image, ["sh", "-c", command], labels=dockblocks_labels(labels)
    )
    engine.api.start(created["Id"])
    return str(created["Id"])


def charts_of(window: QMainWindow) -> ChartsPanel:
    window.charts_dock.show()  # type: ignore[attr-defined]
    panel = window.charts_dock.widget()  # type: ignore[attr-defined]
    assert isinstance(panel, ChartsPanel)
    return panel


def stream_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == "engine-stream")


def test_the_instances_panel_and_the_charts_follow_one_events_stream(
    engine: engine_harness.PrivateEngine,
    engine_labels: dict[str, str],
    tmp_path: Path,
    qtbot: Any,
    qasync_loop: Any,
) -> None:
    window = make_window(engine, tmp_path, qtbot)
    instances: InstancesPanel = window.instances_panel  # type: ignore[attr-defined]
    monitor: MonitorFeed = window.monitor  # type: ignore[attr-defined]
    assert instances.monitor is monitor  # the panel observes the window's follower, it has none of its own

    async def scenario() -> None:
        window.engine.start()  # type: ignore[attr-defined]
        await until(lambda: window.engine.info is not None, "the engine")  # type: ignore[attr-defined]
        client = monitor.api_factory()  # its calls give up in seconds, not docker-py's two minutes
        assert client.timeout == FOLLOWER_TIMEOUT_S
        client.close()
        instances.parentWidget().show()
        await until(
            lambda: monitor.monitor is not None and monitor.monitor.feed.connected, "the events stream"
        )
        await asyncio.sleep(0.5)  # every stream of the instances panel is open
        streams_with_the_panel = stream_threads()
        charts = charts_of(window)
        busy = start_instance(engine, engine_labels, "while :; do :; done")
        quitter = start_instance(engine, engine_labels, "sleep 1; exit 3")
        await until(
            lambda: (
                {busy, quitter} <= set(instances.model.instances)
                and {busy, quitter} <= set(charts.timeline_chart.rows)
            ),
            "both views to show both instances",
        )
        await until(
            lambda: (
                instances.model.instances[quitter].state == "exited"
                and monitor.timeline.containers[quitter].current.state is State.EXITED
            ),  # type: ignore[union-attr]
            "the exit in both views",
        )
        await until(lambda: busy in charts.cpu_chart.lines, "CPU samples of the busy instance", seconds=20)
        assert instances.model.instances[quitter].exit_code == 3
        chart = charts.timeline_chart
        await until(
            lambda: any(b.container == quitter and b.state is State.EXITED for b in chart.bands),
            "the exit drawn on the timeline",
        )
        exited = next(b for b in chart.bands if b.container == quitter and b.state is State.EXITED)
        assert "exit code 3" in chart.tooltip_at(exited.start + 0.001, chart.rows.index(quitter))
        # One events stream for both views: opened once; the charts opened no stream of their own.
        assert monitor.events_streams_opened == 1
        assert stream_threads() == streams_with_the_panel
        await monitor.stop_and_wait()

    qasync_loop.run_until_complete(scenario())
    close(window, qasync_loop)


def close(window: QMainWindow, loop: Any) -> None:
    """Ends every task of the window (engine watch, streams) before it goes, as the application does."""
    AsyncRunner.of(window).cancel_all()
    loop.run_until_complete(asyncio.sleep(0.3))
    window.close()


def test_the_charts_show_the_saved_history_after_a_restart(
    engine: engine_harness.PrivateEngine,
    engine_labels: dict[str, str],
    tmp_path: Path,
    qtbot: Any,
    qasync_loop: Any,
) -> None:
    first = make_window(engine, tmp_path, qtbot)
    monitor: MonitorFeed = first.monitor  # type: ignore[attr-defined]
    recorded: dict[str, Any] = {}

    async def before_the_restart() -> None:
        first.engine.start()  # type: ignore[attr-defined]
        await until(
            lambda: monitor.monitor is not None and monitor.monitor.feed.connected, "the events stream"
        )
        quitter = start_instance(engine, engine_labels, "sleep 0.5; exit 4")
        await until(
            lambda: (
                quitter in monitor.timeline.containers
                and monitor.timeline.containers[quitter].current.state is State.EXITED
            ),  # type: ignore[union-attr]
            "its exit",
        )
        recorded["id"] = quitter
        recorded["bands"] = [
            (i.state, i.start, i.end) for i in monitor.timeline.containers[quitter].intervals
        ]
        await monitor.stop_and_wait()  # the application closes: the history is saved

    qasync_loop.run_until_complete(before_the_restart())
    close(first, qasync_loop)
    quitter = recorded["id"]
    assert history_path(engine.base_url).exists()
    engine.api.remove_container(quitter)  # gone while the application was closed: only the file remembers it

    second = make_window(engine, tmp_path, qtbot)
    charts = charts_of(second)

    async def after_the_restart() -> None:
        second.engine.start()  # type: ignore[attr-defined]
        await until(
            lambda: quitter in charts.timeline_chart.rows, "the saved history in the charts", seconds=20
        )
        bands = [(b.state, b.start, b.end) for b in charts.timeline_chart.bands if b.container == quitter]
        assert [(state, start) for state, start, _ in bands] == [
            (s, start) for s, start, _ in recorded["bands"]
        ]
        assert bands[-1][0] is State.EXITED
        await until(
            lambda: second.monitor.timeline.containers[quitter].current.state is State.REMOVED,  # type: ignore[attr-defined]
            "the removal found by the reconcile",
        )
        await second.monitor.stop_and_wait()  # type: ignore[attr-defined]

    qasync_loop.run_until_complete(after_the_restart())
    close(second, qasync_loop)


def test_an_engine_that_hangs_and_comes_back_is_followed_afresh(
    second_engine: engine_harness.PrivateEngine, tmp_path: Path, qtbot: Any, qasync_loop: Any
) -> None:
    # The engine stops answering without closing anything (SIGSTOP: as a remote engine whose host or
    # network went away), so the events stream looks connected. Once the engine answers again, the
    # follower starts afresh (and reconciles) instead of trusting a stream that may wait for ever.
    import os
    import signal

    window = make_window(second_engine, tmp_path, qtbot, check_interval=0.5)  # the loss is seen soon
    monitor: MonitorFeed = window.monitor  # type: ignore[attr-defined]
    engine: EngineMonitor = window.engine  # type: ignore[attr-defined]

    async def scenario() -> None:
        engine.start()
        await until(lambda: monitor.monitor is not None and monitor.monitor.feed.connected, "the stream")
        followed, task = monitor.monitor, monitor._task
        os.kill(second_engine.process.pid, signal.SIGSTOP)
        try:
            await until(lambda: engine.info is None, "the engine to be missed", seconds=60)
            assert monitor.monitor is not None and monitor.monitor.feed.connected  # the stream cannot tell
        finally:
            os.kill(second_engine.process.pid, signal.SIGCONT)
        await until(lambda: engine.info is not None, "the engine to be back", seconds=60)
        await until(lambda: monitor._task != task and monitor.is_running(), "the follower to start afresh")
        assert monitor.monitor is followed  # the same history goes on
        await until(lambda: monitor.monitor.feed.connected, "the stream again")  # type: ignore[union-attr]
        await monitor.stop_and_wait()

    qasync_loop.run_until_complete(scenario())
    close(window, qasync_loop)


def test_two_windows_on_one_engine_write_its_history_file_once(
    engine: engine_harness.PrivateEngine,
    engine_labels: dict[str, str],
    tmp_path: Path,
    qtbot: Any,
    qasync_loop: Any,
) -> None:
    # Two Dockblocks (two windows here, two processes as well: the lock is a file) follow one engine: the
    # first writes the history file, the second reads what was saved and keeps what it sees in memory.
    # Two writers would each number the rows from the same start and replace each other's rows.
    first, second = make_window(engine, tmp_path, qtbot), make_window(engine, tmp_path, qtbot)
    feeds: list[MonitorFeed] = [first.monitor, second.monitor]  # type: ignore[attr-defined]

    async def scenario() -> None:
        for window in (first, second):
            window.engine.start()  # type: ignore[attr-defined]
        await until(
            lambda: all(f.monitor is not None and f.monitor.feed.connected for f in feeds), "both streams"
        )
        stores = [feed.monitor.store for feed in feeds]  # type: ignore[union-attr]
        assert stores[0] is not None and stores[1] is not None
        assert sorted(store.read_only for store in stores) == [False, True]  # whichever came first writes
        writer, reader = (feeds[0], feeds[1]) if not stores[0].read_only else (feeds[1], feeds[0])
        quitter = start_instance(engine, engine_labels, "sleep 0.3; exit 5")
        await until(
            lambda: all(
                quitter in f.timeline.containers
                and f.timeline.containers[quitter].current.state is State.EXITED  # type: ignore[union-attr]
                for f in feeds
            ),
            "the exit in both windows",
        )
        seen = [(i.key, i.state, i.start) for i in writer.timeline.containers[quitter].intervals]
        for feed in feeds:
            await feed.stop_and_wait()
        # The writer's rows are the file's: the reader wrote nothing over them.
        from desktop.history.store import HistoryStore

        saved = HistoryStore(history_path(engine.base_url)).load()
        assert [(i.key, i.state, i.start) for i in saved.containers[quitter].intervals] == seen
        # Once the writer let go, the next window to follow writes.
        reader.follow(engine.base_url, "")
        await until(lambda: reader.monitor is not None, "the reading window following again")
        assert not reader.monitor.store.read_only  # type: ignore[union-attr]
        await reader.stop_and_wait()

    qasync_loop.run_until_complete(scenario())
    close(first, qasync_loop)
    close(second, qasync_loop)


def test_switching_scope_quickly_keeps_writing_the_history_and_closes_every_follower(
    engine: engine_harness.PrivateEngine, tmp_path: Path, qtbot: Any, qasync_loop: Any
) -> None:
    # "Every container" turned on and off within one turn of the loop: the switches before the last are
    # cancelled before they ever run. Each replaced follower is still closed, and the window stays the
    # writer of its own history (its own lock, still held by the follower closing, is shared, not refused).
    window = make_window(engine, tmp_path, qtbot)
    feed: MonitorFeed = window.monitor  # type: ignore[attr-defined]

    async def scenario() -> None:
        window.engine.start()  # type: ignore[attr-defined]
        await until(lambda: feed.monitor is not None and feed.monitor.feed.connected, "the stream")
        first = feed.monitor
        feed.set_every(True)
        middle = feed.monitor
        feed.set_every(False)
        last = feed.monitor
        assert last is not None and last.store is not None and not last.store.read_only
        await until(lambda: last.feed.connected, "the last follower's stream")
        for replaced in (first, middle):
            assert replaced is not None and not replaced.feed.connected
        assert first.store is not None
        with pytest.raises(Exception, match="closed"):
            first.store.read_rows()  # its file was closed
        await feed.stop_and_wait()
        assert feed._locks == {}  # every lock let go

    qasync_loop.run_until_complete(scenario())
    close(window, qasync_loop)
