"""Fixtures shared by every test ring.

Engine tests ask for the session fixture ``engine``: a private, real dockerd started on first use by
tests/engine_harness.py and stopped at the end of the session, whatever happened. Where none can be
started (not root, no dockerd, no static busybox) those tests are skipped and the header says why,
unless DOCKBLOCKS_REQUIRE_ENGINE=1 (./run-tests sets it when run as root), which makes them fail.

Fixtures:
    engine: session-scoped :class:`engine_harness.PrivateEngine` with ``.base_url``, ``.client``
        (docker.DockerClient), ``.api`` (docker.APIClient), ``.base_image``
        (``dockblocks-test/busybox:latest``), ``.log_path``, ``.labels`` and ``.env()`` (an environment
        for subprocesses, with DOCKER_HOST set).
    engine_labels: labels for what one test creates; it is all removed when the test ends.
    artifacts_dir: folder for logs and screenshots kept after the run (``test-artifacts/`` or
        ``$DOCKBLOCKS_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import engine_harness
import pytest

_ENGINE_NOTE = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    # pyproject sets these options of optional plugins; without the plugin --strict-config would reject them,
    # and the core tests must run without pytest-qt (and without Qt at all).
    if importlib.util.find_spec("pytestqt") is None:
        parser.addini("qt_log_level_fail", "set for pytest-qt, which is not installed")
    if importlib.util.find_spec("pytest_timeout") is None:
        parser.addini("timeout", "set for pytest-timeout, which is not installed")


def pytest_configure(config: pytest.Config) -> None:
    if importlib.util.find_spec("pytest_timeout") is None:
        config.addinivalue_line("markers", "timeout(seconds): time limit (pytest-timeout is absent)")


def pytest_report_header(config: pytest.Config) -> str:
    reason = engine_harness.why_no_engine()
    if reason is None:
        note = f"engine: a private dockerd ({engine_harness.find_dockerd()}) starts when a test needs it"
    else:
        note = f"engine: UNAVAILABLE, engine tests will be skipped: {reason}"
    config.stash[_ENGINE_NOTE] = note
    return note


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that uses the engine is an engine test, marked or not, so `-m "not engine"` deselects it.
    for item in items:
        if "engine" in getattr(item, "fixturenames", ()) and item.get_closest_marker("engine") is None:
            item.add_marker(pytest.mark.engine)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    started = _STARTED.get("engine")
    if started is not None:
        terminalreporter.write_line(
            f"engine: private dockerd ran from {started.root} (ready in {started.startup_seconds:.1f} s), "
            f"stopped; log kept at {started.artifacts_log}"
        )
    elif engine_harness.why_no_engine() is not None and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(config.stash.get(_ENGINE_NOTE, ""), yellow=True)
    for left in _LEFT_ERROR_BOXES:
        terminalreporter.write_line(f"unexpected-error box left open (closed): {left}", yellow=True)


_LEFT_ERROR_BOXES: list[str] = []


@pytest.fixture(autouse=True)
def close_left_error_boxes(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test with a Qt application, close an unexpected-error box it left open, and name it in
    the summary: a box of one test's late task would otherwise be found by the next test that looks for
    its own. (The core tests run without Qt: nothing is imported for them.)"""
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is None or widgets.QApplication.instance() is None:
        return
    for widget in widgets.QApplication.topLevelWidgets():
        if widget.objectName() == "UnexpectedErrorBox" and widget.isVisible():
            _LEFT_ERROR_BOXES.append(f"{request.node.nodeid}: {widget.text()}")
            widget.close()
            widget.deleteLater()


_STARTED: dict[str, engine_harness.PrivateEngine] = {}


@pytest.fixture(scope="session")
def artifacts_dir(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(os.environ.get("DOCKBLOCKS_TEST_ARTIFACTS") or pytestconfig.rootpath / "test-artifacts")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only checkout: keep them for this session at least
        path = tmp_path_factory.mktemp("test-artifacts")
    return path


@pytest.fixture(scope="session")
def engine(artifacts_dir: Path) -> Iterator[engine_harness.PrivateEngine]:
    reason = engine_harness.why_no_engine()
    if reason is not None:
        required = os.environ.get("DOCKBLOCKS_REQUIRE_ENGINE") == "1"
        if required and not os.environ.get("DOCKBLOCKS_TEST_NO_ENGINE"):
            pytest.fail(f"DOCKBLOCKS_REQUIRE_ENGINE=1 but no private Docker engine: {reason}", pytrace=False)
        pytest.skip(f"no private Docker engine: {reason}")
    log_copy = engine_harness.kept_log_path(artifacts_dir / "engine")
    try:
        started = engine_harness.start_engine(artifacts_log=log_copy)
    except RuntimeError as error:
        problem = str(error)
    else:
        problem = ""
    if problem:  # failed outside the except block, so the report is not a chain of tracebacks
        pytest.fail(
            f"the private Docker engine did not start: {problem}\n(log kept at {log_copy})", pytrace=False
        )
    _STARTED["engine"] = started
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def second_engine(engine: engine_harness.PrivateEngine) -> Iterator[engine_harness.PrivateEngine]:
    """A second private engine for one test alone, to stop and start: the session's engine goes on."""
    del engine  # started first: it checks that engines can run here, and skips with the reason if not
    started = engine_harness.start_engine()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def engine_labels(
    engine: engine_harness.PrivateEngine, request: pytest.FixtureRequest
) -> Iterator[dict[str, str]]:
    """Labels to put on every image, container, volume and network a test makes; removed after the test."""
    case = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    yield {**engine.labels, engine_harness.CASE_LABEL: case}
    problems = engine_harness.remove_labelled(engine, engine_harness.CASE_LABEL, case)
    assert not problems, f"could not remove what the test made: {problems}"


# pytest-qt does not drive qasync: a test of async Qt code (tests/ui, and engine tests with a window) takes
# this loop and runs its coroutine with ``qasync_loop.run_until_complete(main())``. Errors of tasks nobody
# awaited fail the test.
@pytest.fixture
def qasync_loop(qapp: object) -> Iterator[object]:
    """A ``qasync.QEventLoop`` on the test's QApplication, set as the current loop, closed afterwards.

    As in the app, closing the last window (a dialog the test accepts) does not quit Qt, which would stop
    the loop under the test's feet.
    """
    import asyncio

    import qasync

    quit_on_close = qapp.quitOnLastWindowClosed()  # type: ignore[attr-defined]
    qapp.setQuitOnLastWindowClosed(False)  # type: ignore[attr-defined]
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    unhandled: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, context: unhandled.append(context))
    try:
        yield loop
    finally:
        try:
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()
            asyncio.set_event_loop(None)
            qapp.setQuitOnLastWindowClosed(quit_on_close)  # type: ignore[attr-defined]
    assert not unhandled, f"errors no task awaited: {unhandled}"
