"""Driving the real Dockblocks window in an X server: a private Xvfb, real input through xdotool, screenshots
through ImageMagick, and the window's own report of where things are (``ui/testing_probe.py``).

:class:`XServer` starts and stops Xvfb (it picks a free display itself, ``-displayfd``). :class:`Desktop`
is the user's hands: mouse moves, presses, drags with intermediate motion (Qt starts a drag only after the
pointer has travelled ``startDragDistance`` with the button down), the wheel and the keyboard, plus
numbered screenshots. :class:`RunningApp` is the application under test: it reads the probe's JSON file and
waits for conditions on it, failing with the last screenshot, the probe's state and the app's stderr.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}
SCREEN = (1280, 800)
State = dict[str, Any]


def missing_tools() -> list[str]:
    """The programs the end-to-end test needs that are not installed, with their Debian package."""
    return [f"{tool} (package {package})" for tool, package in TOOLS.items() if shutil.which(tool) is None]


def center(rect: Sequence[int]) -> tuple[int, int]:
    """The middle of an ``[x, y, width, height]`` rectangle."""
    return rect[0] + rect[2] // 2, rect[1] + rect[3] // 2


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a text file ('' when it cannot be read)."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class XServer:
    """A private Xvfb at 1280x800x24 on a display number it chooses itself."""

    def __init__(self, log: Path, size: tuple[int, int] = SCREEN) -> None:
        read_end, write_end = os.pipe()
        self._log = log.open("wb")
        command = [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            f"{size[0]}x{size[1]}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ]
        self.process = subprocess.Popen(
            command, pass_fds=(write_end,), stdout=self._log, stderr=subprocess.STDOUT
        )
        os.close(write_end)
        with os.fdopen(read_end) as numbers:
            number = numbers.readline().strip()  # Xvfb writes the display number once it listens
        if not number:
            self.stop()
            raise RuntimeError(f"Xvfb did not start: {tail(log)}")
        self.display = f":{number}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


@dataclass
class Desktop:
    """Real mouse and keyboard on one X display, and screenshots of it.

    Attributes:
        display: the X display (``:93``).
        shots: folder for ``NN-step.png`` screenshots.
        last_shot: the newest screenshot, for failure messages.
    """

    display: str
    shots: Path
    last_shot: Path | None = None
    _count: int = 0
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = {**os.environ, "DISPLAY": self.display}

    def xdo(self, *args: str | int, timeout: float = 30) -> str:
        """Run one xdotool command; its standard output."""
        done = subprocess.run(
            ["xdotool", *map(str, args)], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(f"xdotool {' '.join(map(str, args))} failed: {done.stderr.strip()}")
        return done.stdout

    # --- mouse ---------------------------------------------------------------------------------------

    def move(self, x: int, y: int) -> None:
        self.xdo("mousemove", "--sync", x, y)

    def click(self, x: int, y: int, pause: float = 0.05) -> None:
        self.move(x, y)
        time.sleep(pause)
        self.xdo("click", 1)

    def wheel(self, x: int, y: int, down: bool, clicks: int = 1) -> None:
        """Turn the mouse wheel over a point (X buttons 4 up and 5 down)."""
        self.move(x, y)
        self.xdo("click", "--repeat", clicks, "--delay", 40, 5 if down else 4)

    def press(self, x: int, y: int) -> None:
        """Move to a point and hold the left button there."""
        self.move(x, y)
        time.sleep(0.15)
        self.xdo("mousedown", 1)
        time.sleep(0.1)

    def glide(
        self, start: tuple[int, int], end: tuple[int, int], steps: int = 12, pause: float = 0.03
    ) -> None:
        """Move in small steps, as a hand does: Qt needs motion on the way to start and follow a drag."""
        for step in range(1, steps + 1):
            x = round(start[0] + (end[0] - start[0]) * step / steps)
            y = round(start[1] + (end[1] - start[1]) * step / steps)
            self.move(x, y)
            time.sleep(pause)

    def release(self) -> None:
        self.xdo("mouseup", 1)

    # --- keyboard ------------------------------------------------------------------------------------

    def key(self, *keys: str) -> None:
        """Press keys or chords one after another, e.g. ``key("ctrl+a")``."""
        self.xdo("key", "--delay", 60, *keys)

    def type(self, text: str) -> None:
        """Type text with the keyboard, a key at a time."""
        self.xdo("type", "--delay", 25, text, timeout=60)

    # --- screenshots ---------------------------------------------------------------------------------

    def screenshot(self, step: str) -> Path:
        """The whole screen as ``shots/NN-step.png``."""
        self._count += 1
        path = self.shots / f"{self._count:02d}-{step}.png"
        subprocess.run(
            ["import", "-window", "root", str(path)],
            env=self.env,
            capture_output=True,
            timeout=30,
            check=True,
        )
        self.last_shot = path
        return path


class RunningApp:
    """The application under test, started with a probe file, a private home and the X display.

    Attributes:
        process: the application's process.
        probe: the JSON file the window writes (``DOCKBLOCKS_E2E_GEOMETRY``).
        stderr: the file its standard error goes to.
    """

    def __init__(self, command: Sequence[str], env: dict[str, str], workdir: Path, desktop: Desktop) -> None:
        self.probe = workdir / "probe.json"
        self.stderr = workdir / "app.stderr"
        self.desktop = desktop
        self._out = (workdir / "app.stdout").open("wb")
        self._err = self.stderr.open("wb")
        self.process = subprocess.Popen(
            list(command),
            env={**env, "DOCKBLOCKS_E2E_GEOMETRY": str(self.probe)},
            stdout=self._out,
            stderr=self._err,
            cwd=workdir,
            start_new_session=True,
        )
        self.last: State = {}

    def stop(self) -> None:
        """End the application (it has no unsaved work it could ask about: the test saved or gave it up)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: only what it started
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._out.close()
        self._err.close()

    # --- the probe -----------------------------------------------------------------------------------

    def state(self) -> State:
        """The window's latest report ({} before the first)."""
        # Absent before the first report; replaced atomically, so never read half-written.
        with contextlib.suppress(OSError, ValueError):
            self.last = json.loads(self.probe.read_text(encoding="utf-8"))
        return self.last

    def wait_for(self, what: str, condition: Callable[[State], Any], timeout: float = 20) -> Any:
        """Poll the probe until ``condition(state)`` is truthy and return that; or fail saying ``what``."""
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            state = self.state()
            try:
                value = condition(state) if state else None
            except (KeyError, IndexError, TypeError):
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail(f"timed out after {timeout:.0f} s waiting for: {what}")
            time.sleep(0.05)

    def check_alive(self) -> None:
        code = self.process.poll()
        if code is None:
            return
        message = f"the application ended by itself with exit code {code}"
        if "deallocating None" in tail(self.stderr) or "deallocating True" in tail(self.stderr):
            message += (
                " (the interpreter aborted on a lost reference: PySide6 6.12.0 on Python 3.11 does that, and"
                " pyproject.toml excludes it; see which PySide6-Essentials the venv has)"
            )
        self.fail(message)

    def fail(self, message: str) -> None:
        """Fail the test with what a person needs to see why: screenshot, window state, stderr."""
        shot = self.desktop.last_shot
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            shot = self.desktop.screenshot("failure")
        summary = {k: self.last.get(k) for k in ("start_page", "focus", "modal", "inspector_block")}
        document = self.last.get("document") or {}
        raise AssertionError(
            f"{message}\n"
            f"last screenshot: {shot}\n"
            f"window: {summary}\n"
            f"document: kinds={document.get('kinds')} undo={document.get('undo_index')}/"
            f"{document.get('undo_count')} path={document.get('path')}\n"
            f"Dockerfile now:\n{document.get('text')}\n"
            f"probe file: {self.probe}\n"
            f"app stderr ({self.stderr}):\n{tail(self.stderr)}"
        )

    # --- reading the window --------------------------------------------------------------------------

    def widget(self, name: str, timeout: float = 20) -> dict[str, Any]:
        """A shown widget by objectName (waits for it to show)."""

        def shown(state: State) -> dict[str, Any] | None:
            entry: dict[str, Any] | None = state["widgets"].get(name)
            return entry if entry is not None and "visible" in entry else None

        found: dict[str, Any] = self.wait_for(f"widget {name} shown", shown, timeout)
        return found

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = self.state().get("document", {})
        return doc


def python_command(module: str, *args: str) -> list[str]:
    """Run a module of this checkout with the test's interpreter (the project's .venv under ./run-tests)."""
    return [sys.executable, "-m", module, *args]


def app_environment(home: Path, display: str, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """The application's environment: the X display, a private home and XDG folders, English texts."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "XDG_", "WAYLAND", "DBUS_", "SESSION_MANAGER", "DOCKBLOCKS_", "LC_"))
    }
    runtime = home / "runtime"
    for folder in (home, home / ".config", home / ".local/share", home / ".cache", runtime):
        folder.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    env.update(
        {
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_RUNTIME_DIR": str(runtime),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "LANGUAGE": "en",
            # The checkout under test comes first, whatever is installed.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
        }
    )
    env.update(dict(extra))
    return env
