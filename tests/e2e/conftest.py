"""Fixtures of the end-to-end tests: a private X server, real input on it, and the real application.

The tests skip, saying which package is missing, when Xvfb, xdotool or ImageMagick's ``import`` are not
installed (``./run-tests`` run as root installs them). Screenshots go to ``test-artifacts/e2e/``.

Fixtures:
    xserver: a private Xvfb (1280x800x24) on a free display, stopped after the test.
    desktop: :class:`e2e.driver.Desktop` on that display (mouse, keyboard, numbered screenshots).
    start_app: starts the application (``python -m desktop`` with no command: the window) with a private
        home, XDG folders and the geometry probe; returns a :class:`e2e.driver.RunningApp`, stopped after
        the test.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from e2e.driver import Desktop, RunningApp, XServer, app_environment, missing_tools, python_command


@pytest.fixture
def xserver(tmp_path: Path) -> Iterator[XServer]:
    missing = missing_tools()
    if missing:
        pytest.skip(f"end-to-end tests need {', '.join(missing)}; ./run-tests as root installs them")
    if not sys.platform.startswith("linux"):
        pytest.skip("end-to-end tests run under Xvfb, on Linux only")
    server = XServer(tmp_path / "xvfb.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def desktop(xserver: XServer, artifacts_dir: Path) -> Desktop:
    shots = artifacts_dir / "e2e"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("[0-9][0-9]-*.png"):  # the screenshots of the last run only
        old.unlink()
    return Desktop(xserver.display, shots)


@pytest.fixture
def start_app(desktop: Desktop, tmp_path: Path) -> Iterator[Callable[[], RunningApp]]:
    started: list[RunningApp] = []

    def start() -> RunningApp:
        workdir = tmp_path / f"app-{len(started) + 1}"
        workdir.mkdir()
        env = app_environment(workdir / "home", desktop.display)
        app = RunningApp(python_command("desktop"), env, workdir, desktop)
        started.append(app)
        return app

    try:
        yield start
    finally:
        for app in started:
            app.stop()
