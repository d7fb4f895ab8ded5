"""The one front door for async work started from Qt: :class:`AsyncRunner`.

qasync's own ``asyncSlot`` keeps no reference to the task it starts (a task nobody holds can be collected
mid-run, qasync#98) and lets its errors go to the loop's handler. The runner keeps every task under a name
until it ends, cancels the previous task of the same name when asked to, and sends every error to one place:
an :class:`desktop.engine.problems.EngineUnavailable` (or any error carrying a ``problem`` with a message
and a hint) is shown as that plain sentence; anything else goes to :mod:`ui.error_report` (log file + one
sentence). Nothing here runs a nested event loop: dialogs are opened and their ``finished`` awaited
(:func:`wait_for_signal`).

Usage from a window::

    runner = AsyncRunner.of(window)            # the window's runner (made on first use)
    runner.start("build", build_coroutine())   # cancels a build still running
    button.clicked.connect(runner.slot("pull", pull_image))  # a Qt slot that starts pull_image(*args)
    runner.cancel("build")
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

if TYPE_CHECKING:  # asyncio is imported when the first task starts, after the window's first picture
    import asyncio

_log = logging.getLogger(__name__)
T = TypeVar("T")
ErrorHandler = Callable[[str, BaseException], None]
RUNNER_ATTRIBUTE = "runner"  # window.runner


class AsyncRunner(QObject):
    """Starts coroutines as named asyncio tasks, keeps them until they end, cancels them by name.

    Needs a running asyncio loop that is also Qt's (qasync's QEventLoop), as ``dockblocks`` has; tests use
    the ``qasync_loop`` fixture of tests/ui/conftest.py.

    Signals:
        taskStarted(str): a task of this name started.
        taskFinished(str): a task of this name ended (done, failed or cancelled).
        taskFailed(str, str): a task of this name failed; the second value is the sentence shown.
    """

    taskStarted = Signal(str)
    taskFinished = Signal(str)
    taskFailed = Signal(str, str)

    def __init__(self, parent: QObject | None = None, on_error: ErrorHandler | None = None) -> None:
        """``on_error(name, error)`` replaces the default handler (:meth:`report_error`)."""
        super().__init__(parent)
        self.setObjectName("AsyncRunner")
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._on_error = on_error
        self._boxes: list[QMessageBox] = []

    @classmethod
    def of(cls, window: QObject) -> AsyncRunner:
        """The runner of a window (its ``runner`` attribute), made and attached on first use."""
        existing = getattr(window, RUNNER_ATTRIBUTE, None)
        if isinstance(existing, AsyncRunner):
            return existing
        runner = cls(window)
        setattr(window, RUNNER_ATTRIBUTE, runner)
        return runner

    # --- starting and stopping ------------------------------------------------------------------------

    def start(self, name: str, coroutine: Coroutine[Any, Any, T], *, replace: bool = True) -> asyncio.Task[T]:
        """Run ``coroutine`` as the task called ``name``.

        Args:
            name: what the task is ("build", "engine.probe"…); one task per name at a time.
            coroutine: the work.
            replace: cancel a task of this name that still runs (True), or keep it and drop the new
                coroutine, returning the running task (False: "start unless already running").

        Raises:
            RuntimeError: no asyncio loop is running (the coroutine is closed, never started).
        """
        import asyncio

        running = self._tasks.get(name)
        if running is not None and not running.done():
            if not replace:
                coroutine.close()
                return running
            running.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coroutine.close()
            raise RuntimeError(
                f"no asyncio loop runs to start {name!r} (start the app with qasync)"
            ) from None
        task = loop.create_task(coroutine, name=name)
        self._tasks[name] = task
        task.add_done_callback(lambda done: self._finished(name, done))
        self.taskStarted.emit(name)
        return task

    def slot(self, name: str, function: Callable[..., Coroutine[Any, Any, Any]]) -> Callable[..., None]:
        """A plain callable for a Qt signal that starts ``function(*args)`` as the task ``name``."""

        def start_from_signal(*args: Any) -> None:
            self.start(name, function(*args))

        return start_from_signal

    def cancel(self, name: str) -> bool:
        """Cancel the task called ``name``; False when none runs (or it is being cancelled already)."""
        task = self._tasks.get(name)
        if task is None or task.done() or task.cancelling():
            return False
        task.cancel()
        return True

    async def cancel_and_wait(self, name: str) -> None:
        """Cancel the task called ``name`` and wait until it has really ended (its cleanup done)."""
        import asyncio

        task = self._tasks.get(name)
        if task is None or task.done():
            return
        task.cancel()
        await asyncio.wait([task])

    def cancel_all(self) -> None:
        """Cancel every running task (the window is closing)."""
        for task in list(self._tasks.values()):
            task.cancel()

    def is_running(self, name: str) -> bool:
        task = self._tasks.get(name)
        return task is not None and not task.done()

    def task(self, name: str) -> asyncio.Task[Any] | None:
        """The running task called ``name``, or None."""
        task = self._tasks.get(name)
        return task if task is not None and not task.done() else None

    def running_names(self) -> list[str]:
        return [name for name, task in self._tasks.items() if not task.done()]

    # --- errors -----------------------------------------------------------------------------------------

    def report_error(self, name: str, error: BaseException) -> str:
        """The default handler: a known problem as its plain sentence, anything else to the error report.

        Returns:
            The sentence shown to the user.
        """
        problem = getattr(error, "problem", None)
        message = getattr(problem, "message", None)
        if isinstance(message, str) and message:
            hint = getattr(problem, "hint", "")
            _log.warning("%s: %s (%s)", name, message, getattr(problem, "detail", ""))
            text = f"{message} {hint}".strip()
            self._show_problem(text)
            return text
        from ui.error_report import report_unexpected_error

        report_unexpected_error(type(error), error, error.__traceback__)
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return text

    def _finished(self, name: str, task: asyncio.Task[Any]) -> None:
        if not shiboken6.isValid(self):
            # The window (and this runner with it) is gone; its last tasks are cancelled as the loop closes:
            # nobody is left to tell, and emitting on a deleted object raises. A task that failed meanwhile
            # (a last save on a full disk) goes to the log: left unread, asyncio would report it later as
            # "never retrieved", and that would reach the user as an unexpected error after the window closed.
            if not task.cancelled() and task.exception() is not None:
                _log.warning("%s failed after its window closed", name, exc_info=task.exception())
            return
        if self._tasks.get(name) is task:
            del self._tasks[name]
        if not task.cancelled():
            error = task.exception()
            if error is not None and _stepped_outside_its_loop(task, error):
                # Stepped by a Qt event after its loop stopped (the application closing): the step fails
                # with "no running event loop", nobody waits for it any more, and a box would only puzzle.
                _log.warning("%s failed after its loop stopped", name, exc_info=error)
            elif error is not None:
                self._handle(name, error)
        self.taskFinished.emit(name)

    def _handle(self, name: str, error: BaseException) -> None:
        try:
            if self._on_error is not None:
                self._on_error(name, error)
                text = str(error)
            else:
                text = self.report_error(name, error)
        except Exception:  # the handler itself must never take the loop down
            _log.exception("the error handler failed for task %s", name)
            text = str(error)
        self.taskFailed.emit(name, text)

    def _show_problem(self, text: str) -> None:
        if not isinstance(QApplication.instance(), QApplication):
            return
        self._boxes = [box for box in self._boxes if _visible(box)]
        if self._boxes:
            return  # one at a time: a storm of failures shows one box (all are logged)
        from desktop.engine.problems import say

        parent = self.parent()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            say("unavailable.title"),
            text,
            QMessageBox.StandardButton.Ok,
            parent if isinstance(parent, QWidget) else None,
        )
        box.setObjectName("ProblemBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._boxes.append(box)
        box.open()  # never exec(): no nested loop inside a coroutine


async def wait_for_signal(signal: SignalInstance) -> tuple[Any, ...]:
    """Wait, without a nested event loop, until ``signal`` is emitted; returns its arguments.

    Open a dialog with ``open()`` (never ``exec()``) and ``await wait_for_signal(dialog.finished)``.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    future: asyncio.Future[tuple[Any, ...]] = loop.create_future()

    def received(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(received)
    try:
        return await future
    finally:
        signal.disconnect(received)


def _stepped_outside_its_loop(task: asyncio.Task[Any], error: BaseException) -> bool:
    """Whether ``task`` failed because a Qt event stepped it while its loop was not running.

    Its done callback may run only later, when the loop runs again (the next part of a test), so the
    loop running now does not tell: asyncio's own sentence for a step without a loop does.
    """
    if not task.get_loop().is_running():
        return True
    return isinstance(error, RuntimeError) and str(error) == "no running event loop"


def _visible(box: QMessageBox) -> bool:
    try:
        return box.isVisible()
    except RuntimeError:  # deleted with its window
        return False
