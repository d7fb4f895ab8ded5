"""The async front door: named tasks kept until they end, cancelled by name, errors sent to one place."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.engine.problems import EngineUnavailable, ProblemKind, make_problem
from ui import error_report
from ui.asyncqt import AsyncRunner, wait_for_signal


@pytest.fixture
def private_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    reported = list(error_report.errors_reported)
    yield error_report.log_path()
    error_report.errors_reported[:] = reported


def _close_boxes() -> list[str]:
    names = []
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            names.append(f"{widget.objectName()}: {widget.text()}")
            widget.close()
    return names


def test_a_task_is_kept_until_it_ends_even_with_no_other_reference(qasync_loop) -> None:
    runner = AsyncRunner()
    finished: list[str] = []
    runner.taskFinished.connect(finished.append)
    result: list[int] = []

    async def work() -> None:
        await asyncio.sleep(0.01)
        gc.collect()  # a task only the loop knew of could be collected here (qasync#98)
        await asyncio.sleep(0.01)
        result.append(42)

    async def main() -> None:
        runner.start("work", work())
        assert runner.is_running("work") and runner.running_names() == ["work"]
        while runner.is_running("work"):
            await asyncio.sleep(0.005)

    qasync_loop.run_until_complete(main())
    assert result == [42]
    assert finished == ["work"] and runner.task("work") is None


def test_starting_a_name_again_cancels_the_previous_task(qasync_loop) -> None:
    runner = AsyncRunner()
    cancelled: list[str] = []

    async def slow(tag: str) -> str:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(tag)
            raise
        return tag

    async def quick() -> str:
        return "second"

    async def main() -> str:
        first = runner.start("build", slow("first"))
        await asyncio.sleep(0)
        second = runner.start("build", quick())
        await asyncio.wait([first])
        assert first.cancelled()
        return await second

    assert qasync_loop.run_until_complete(main()) == "second"
    assert cancelled == ["first"]


def test_start_unless_running_keeps_the_running_task_and_drops_the_new_coroutine(qasync_loop) -> None:
    runner = AsyncRunner()
    runs: list[int] = []

    async def watch(number: int) -> None:
        runs.append(number)
        await asyncio.sleep(10)

    async def main() -> None:
        first = runner.start("watch", watch(1), replace=False)
        await asyncio.sleep(0)
        again = runner.start("watch", watch(2), replace=False)  # closed: no "never awaited" warning
        assert again is first
        assert runner.cancel("watch") and not runner.cancel("watch")
        await asyncio.wait([first])

    qasync_loop.run_until_complete(main())
    assert runs == [1]


def test_cancel_and_wait_returns_after_the_tasks_cleanup(qasync_loop) -> None:
    runner = AsyncRunner()
    steps: list[str] = []

    async def stream() -> None:
        try:
            await asyncio.sleep(10)
        finally:
            await asyncio.sleep(0.01)  # closing a connection takes a moment
            steps.append("closed")

    async def main() -> None:
        runner.start("pull", stream())
        await asyncio.sleep(0)
        await runner.cancel_and_wait("pull")
        steps.append("after")

    qasync_loop.run_until_complete(main())
    assert steps == ["closed", "after"]


def test_an_engine_problem_is_shown_as_its_plain_sentence(qasync_loop, private_log: Path) -> None:
    window = QObject()
    runner = AsyncRunner.of(window)
    assert AsyncRunner.of(window) is runner and window.runner is runner  # type: ignore[attr-defined]
    failures: list[tuple[str, str]] = []
    runner.taskFailed.connect(lambda name, text: failures.append((name, text)))
    problem = make_problem(ProblemKind.NOT_STARTED, "unix:///var/run/docker.sock")

    async def build() -> None:
        raise EngineUnavailable(problem)

    async def main() -> None:
        task = runner.start("build", build())
        await asyncio.wait([task])
        await asyncio.sleep(0)

    qasync_loop.run_until_complete(main())
    assert failures == [("build", f"{problem.message} {problem.hint}")]
    shown = _close_boxes()
    assert shown == [f"ProblemBox: {problem.message} {problem.hint}"]
    assert "Traceback" not in shown[0]
    assert not private_log.exists(), "a known problem is not an unexpected error"


def test_an_unexpected_error_goes_to_the_log_and_one_sentence(qasync_loop, private_log: Path) -> None:
    runner = AsyncRunner()
    failures: list[str] = []
    runner.taskFailed.connect(lambda _name, text: failures.append(text))

    async def broken() -> None:
        raise ValueError("the tar stream ended early")

    async def main() -> None:
        await asyncio.wait([runner.start("upload", broken())])
        await asyncio.sleep(0)

    qasync_loop.run_until_complete(main())
    assert failures == ["the tar stream ended early"]
    assert "ValueError" in error_report.errors_reported
    log = private_log.read_text()
    assert "Traceback" in log and "the tar stream ended early" in log
    shown = _close_boxes()
    assert len(shown) == 1 and shown[0].startswith("UnexpectedErrorBox:") and "Traceback" not in shown[0]


def test_a_custom_handler_takes_the_errors(qasync_loop) -> None:
    seen: list[tuple[str, str]] = []
    runner = AsyncRunner(on_error=lambda name, error: seen.append((name, str(error))))

    async def broken() -> None:
        raise RuntimeError("no such image")

    async def main() -> None:
        await asyncio.wait([runner.start("run", broken())])

    qasync_loop.run_until_complete(main())
    assert seen == [("run", "no such image")]
    assert _close_boxes() == []


def test_a_slot_starts_its_coroutine_with_the_signals_arguments(qasync_loop) -> None:
    runner = AsyncRunner()
    got: list[int] = []

    async def take(value: int) -> None:
        got.append(value)

    timer = QTimer()
    timer.setSingleShot(True)
    slot = runner.slot("take", take)

    async def main() -> None:
        timer.timeout.connect(lambda: slot(7))
        timer.start(0)
        while not got:
            await asyncio.sleep(0.005)

    qasync_loop.run_until_complete(main())
    assert got == [7]


def test_starting_without_a_running_loop_says_so_and_leaves_nothing_behind(qapp) -> None:
    runner = AsyncRunner()

    async def never() -> None:
        raise AssertionError("must not run")

    with pytest.raises(RuntimeError, match="qasync"):
        runner.start("x", never())
    assert runner.running_names() == []


def test_a_dialog_is_awaited_through_its_finished_signal_not_a_nested_loop(qasync_loop, qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    ticks: list[int] = []

    async def ticking() -> None:
        while True:  # keeps running while the dialog is open: the loop is never blocked
            ticks.append(1)
            if len(ticks) == 3:  # the loop ran three times while the dialog was awaited: close it
                dialog.accept()
            await asyncio.sleep(0.005)

    async def main() -> tuple[object, ...]:
        ticker = asyncio.ensure_future(ticking())
        dialog.open()
        QTimer.singleShot(10_000, dialog.reject)  # only if the loop were blocked: the test then fails
        result = await wait_for_signal(dialog.finished)
        ticker.cancel()
        await asyncio.wait([ticker])
        return result

    assert qasync_loop.run_until_complete(main()) == (QDialog.DialogCode.Accepted.value,)
    assert len(ticks) >= 3


def test_a_task_that_outlives_its_runner_ends_quietly(qasync_loop) -> None:
    # A window closed with a follower still running: the loop cancels the task after the runner is deleted.
    import shiboken6

    runner = AsyncRunner()
    errors: list[dict[str, object]] = []
    qasync_loop.set_exception_handler(lambda _loop, context: errors.append(context))

    async def main() -> asyncio.Task[None]:
        task = runner.start("follow", asyncio.sleep(3600))
        await asyncio.sleep(0)
        shiboken6.delete(runner)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.sleep(0)  # the done callbacks run
        return task

    task = qasync_loop.run_until_complete(main())
    qasync_loop.set_exception_handler(None)
    assert task.cancelled() and errors == []


def test_a_task_that_fails_after_its_runner_is_gone_goes_to_the_log_not_to_the_user(
    qasync_loop, caplog: pytest.LogCaptureFixture
) -> None:
    # A last save that fails (a full disk) after the window closed: nobody is left to tell, and asyncio
    # must not find the exception unread later ("never retrieved"), which would show an error box.
    import gc

    import shiboken6

    runner = AsyncRunner()
    errors: list[dict[str, object]] = []
    qasync_loop.set_exception_handler(lambda _loop, context: errors.append(context))

    async def last_save() -> None:
        await asyncio.sleep(0.01)
        raise OSError(28, "No space left on device")

    async def main() -> None:
        runner.start("save", last_save())  # nobody awaits it: the runner was to report its failure
        shiboken6.delete(runner)
        await asyncio.sleep(0.1)  # it fails and its done callbacks run

    with caplog.at_level("WARNING", logger="ui.asyncqt"):
        qasync_loop.run_until_complete(main())
        runner.__dict__.clear()  # the Python side lets go of its tasks too
        gc.collect()  # an unread exception is reported when its task is freed
        qasync_loop.run_until_complete(asyncio.sleep(0))
    qasync_loop.set_exception_handler(None)
    assert errors == []
    assert any("save failed after its window closed" in record.getMessage() for record in caplog.records)


def _runner_noting_errors() -> tuple[AsyncRunner, list[str]]:
    """A runner whose error handler notes ``name: error`` instead of showing anything."""
    runner = AsyncRunner()
    handled: list[str] = []
    runner.report_error = lambda name, error: handled.append(f"{name}: {error}") or ""  # type: ignore[method-assign]
    return runner, handled


def test_a_task_stepped_after_its_loop_stopped_is_logged_not_shown(
    qasync_loop, qapp, caplog: pytest.LogCaptureFixture
) -> None:
    # As the application closes (or between two parts of a test), Qt events may step a task whose loop no
    # longer runs: asyncio.sleep then fails with "no running event loop". Nobody waits for it: no box.
    import time

    runner, handled = _runner_noting_errors()

    async def follower() -> None:
        while True:
            await asyncio.sleep(0.01)

    async def start() -> asyncio.Task[None]:
        task = runner.start("follow", follower())
        await asyncio.sleep(0.03)
        return task

    task = qasync_loop.run_until_complete(start())  # the loop stops with the follower still sleeping
    with caplog.at_level("WARNING", logger="ui.asyncqt"):
        deadline = time.monotonic() + 5
        while not task.done() and time.monotonic() < deadline:
            qapp.processEvents()  # Qt's timers step it outside the loop
            time.sleep(0.01)
        qapp.processEvents()
    assert task.done() and isinstance(task.exception(), RuntimeError)
    assert handled == []
    assert any("follow failed after its loop stopped" in r.getMessage() for r in caplog.records)


def test_a_task_stepped_without_its_loop_is_logged_even_when_told_once_the_loop_runs_again(
    qasync_loop, qapp, caplog: pytest.LogCaptureFixture
) -> None:
    # A task failed outside its loop; its done callback ran only when the next part of a test ran the loop
    # again, and the loop running then made it look like a live failure (a box a later test found). The
    # order cannot be forced on a real loop, so the task here raises asyncio's own sentence itself.
    runner, handled = _runner_noting_errors()

    async def stepped_without_loop() -> None:
        raise RuntimeError("no running event loop")

    async def other_failure() -> None:
        raise RuntimeError("the engine said no")

    async def run_both() -> None:
        for name, coroutine in (("follow", stepped_without_loop()), ("build", other_failure())):
            task = runner.start(name, coroutine)
            await asyncio.wait([task])
        await asyncio.sleep(0.01)  # the done callbacks run, the loop running

    with caplog.at_level("WARNING", logger="ui.asyncqt"):
        qasync_loop.run_until_complete(run_both())
    assert handled == ["build: the engine said no"]
    assert any("follow failed after its loop stopped" in r.getMessage() for r in caplog.records)
