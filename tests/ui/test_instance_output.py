"""The Output panel: lines appended a batch at a time (stderr in orange), capped; an instance removed
meanwhile.

The engine test is here rather than in tests/engine/ because it needs the ``qasync_loop`` fixture.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from typing import Any

import docker
import pytest
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from desktop.engine.logs import STDERR, STDOUT, LogLine
from desktop.engine.run import StartedInstance, run
from desktop.engine.run_spec import RunSpec, say
from ui.asyncqt import AsyncRunner
from ui.theme import contrast_ratio, make_palette
from ui.widgets.instance_output import FLUSH_LINES, MAX_LINES, InstanceOutput, InstanceView


def test_a_batch_is_one_edit_with_the_error_stream_in_orange(qtbot: QtBot) -> None:
    view = InstanceView(StartedInstance("abc", "web-1", ((18080, 80, "tcp"),)))
    qtbot.addWidget(view)
    view.append_lines([LogLine(STDOUT, "one"), LogLine(STDERR, "bad"), LogLine(STDOUT, "two")])
    view.append_lines([LogLine(STDOUT, "three")])

    assert view.output.toPlainText() == "one\nbad\ntwo\nthree"
    assert view.output.document().availableUndoSteps() == 0  # read-only text keeps no undo history
    block = view.output.document().findBlockByNumber(1)
    assert block.text() == "bad"
    shown = block.begin().fragment().charFormat().foreground().color()
    assert shown == view.stderr_colour()
    assert shown.hslHue() in range(25, 45)  # orange: "look here", not red's "it broke"
    base = view.output.palette().color(QPalette.ColorRole.Base)
    assert contrast_ratio(shown, base) >= 4.5
    assert "error stream" in view.output.toolTip()  # what the orange means, on hover
    assert 'href="http://localhost:18080/"' in view.header.text()
    assert say("logs.running", name="web-1") in view.header.text()


def test_the_output_keeps_the_last_lines_only(qtbot: QtBot) -> None:
    view = InstanceView(StartedInstance("abc", "chatty"))
    qtbot.addWidget(view)
    for start in range(0, MAX_LINES + 5000, 5000):
        view.append_lines([LogLine(STDOUT, f"line {n}") for n in range(start, start + 5000)])
    document = view.output.document()
    assert document.blockCount() == MAX_LINES
    assert document.lastBlock().text() == f"line {MAX_LINES + 4999}"


@pytest.mark.engine
def test_an_instance_removed_meanwhile_says_so(
    qtbot: QtBot, qasync_loop: Any, engine: Any, engine_labels: dict[str, str]
) -> None:
    factory: Callable[[], Any] = lambda: docker.APIClient(base_url=engine.base_url, version="auto")  # noqa: E731
    output = InstanceOutput(AsyncRunner(), factory)
    qtbot.addWidget(output)

    async def scenario() -> InstanceView:
        spec = RunSpec(engine.base_image, command='sh -c "echo ready; exec sleep 300"')
        started = await run(spec, factory, engine_labels)
        (view,) = output.add_instances(started)
        while "ready" not in view.output.toPlainText():
            await asyncio.sleep(0.05)
        engine.api.remove_container(started[0].id, force=True)
        while not view.header.text().count(say("logs.removed", name=view.instance.name)):
            await asyncio.sleep(0.05)
        return view

    view = qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 60))

    assert not view.stop_button.isEnabled()
    assert output.tabs.count() == 1
    output.tabs.tabCloseRequested.emit(0)
    assert output.tabs.count() == 0 and output.note.text() == say("output.empty")


def test_queued_lines_are_shown_a_capped_number_per_flush(qtbot: QtBot) -> None:
    view = InstanceView(StartedInstance("abc", "flood"))
    qtbot.addWidget(view)
    for start in range(0, 4000, 10):  # many small batches, as a chatty program sends them
        view.queue_lines([LogLine(STDOUT, f"line {n}") for n in range(start, start + 10)])
    assert view.lines_shown == 0  # nothing is drawn per batch

    qtbot.waitUntil(lambda: view.lines_shown > 0)
    assert view.lines_shown == FLUSH_LINES  # one flush, capped
    qtbot.waitUntil(lambda: view.pending_lines() == 0)
    assert view.output.document().blockCount() == 4000
    assert view.output.document().lastBlock().text() == "line 3999"


@pytest.mark.engine
@pytest.mark.slow
# docker-py's unix socket connection leaks its socket when connect() fails (the engine is gone): not ours.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_engine_stopped_while_following_is_said_plainly(
    qtbot: QtBot, qasync_loop: Any, engine: Any
) -> None:
    import engine_harness

    second = engine_harness.start_engine()  # a private engine of this test alone, to stop
    try:
        # A fixed API version, as the app's clients have: "auto" asks the engine while the client is made,
        # and a client whose making failed (the engine just stopped) cannot be closed by anyone.
        version = second.api.api_version
        factory: Callable[[], Any] = lambda: docker.APIClient(base_url=second.base_url, version=version)  # noqa: E731
        output = InstanceOutput(AsyncRunner(), factory)
        qtbot.addWidget(output)
        lost: list[bool] = []
        output.connectionLost.connect(lambda: lost.append(True))

        async def scenario() -> InstanceView:
            spec = RunSpec(second.base_image, command='sh -c "while true; do echo tick; sleep 0.2; done"')
            (view,) = output.add_instances(await run(spec, factory, second.labels))
            while "tick" not in view.output.toPlainText():
                await asyncio.sleep(0.05)
            await asyncio.to_thread(second.stop)
            while say("logs.lost", name=view.instance.name) not in view.header.text():
                await asyncio.sleep(0.05)
            return view

        view = qasync_loop.run_until_complete(asyncio.wait_for(scenario(), 90))
    finally:
        second.stop()
        gc.collect()  # the leaked socket is reported now, under this test's filter, not at the session's end

    assert lost == [True]
    assert not view.stop_button.isEnabled()


def test_the_error_streams_orange_stays_readable_after_a_switch_to_dark(qtbot: QtBot) -> None:
    view = InstanceView(StartedInstance("abc", "web-1"))
    qtbot.addWidget(view)
    view.setPalette(make_palette(dark=False))
    on_light = view.stderr_colour()
    view.setPalette(make_palette(dark=True))  # as the theme's light/dark switch does, from above
    view.append_lines([LogLine(STDERR, "GET / 200")])
    shown = view.output.document().firstBlock().begin().fragment().charFormat().foreground().color()
    assert contrast_ratio(shown, make_palette(dark=True).color(QPalette.ColorRole.Base)) >= 4.5
    assert shown.lightness() > on_light.lightness()  # lightened for the dark background
