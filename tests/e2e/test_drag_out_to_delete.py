"""A beginner deletes a block by dragging it out of the window, in the real window under a real X server.

The window is made narrower than the screen (there is no window manager: nothing else frames it), three
blocks are dragged from the palette, and the middle one is dragged onto the preview (which takes no
blocks: nothing happens), then off the window's right edge and let go over the bare screen. It is gone,
Ctrl+Z brings it back in its place, Ctrl+Shift+Z deletes it again, and the saved project renders to the
Dockerfile without it. Screenshots go to ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e.driver import Desktop, RunningApp, State, python_command
from e2e.test_compose_by_mouse import Composer

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

WINDOW_WIDTH = 1000  # the screen is 1280 wide: 280 px of bare screen to the right of the window
WITH_WORKDIR = "FROM alpine\nWORKDIR /app\nCOPY . /app/\n"
WITHOUT_WORKDIR = "FROM alpine\nCOPY . /app/\n"


def _window_width(state: State) -> int | None:
    for window in state.get("windows", []):
        if window.get("name") == "MainWindow":
            return int(window["rect"][2])
    return None


def _narrow_the_window(app: RunningApp, desktop: Desktop) -> None:
    window_id = desktop.xdo("search", "--sync", "--name", "Dockblocks", timeout=60).split()[0]
    desktop.xdo("windowsize", "--sync", window_id, WINDOW_WIDTH, 800)
    app.wait_for(f"the window {WINDOW_WIDTH} px wide", lambda s: _window_width(s) == WINDOW_WIDTH)


def _drag(user: Composer, kind: str, target: tuple[int, int], what: str) -> None:
    """Press on a canvas block, drag it to ``target`` in small steps and let go there."""
    state = user.app.state()
    rows = {row.get("kind"): row for row in state["canvas"]["rows"] if "id" in row}
    place = rows[kind]["visible"]
    start = (place[0] + place[2] // 3, place[1] + place[3] // 2)
    user.desk.press(*start)
    nudge = (start[0] + 24, start[1] + 6)  # past Qt's drag distance: the drag starts here
    user.desk.glide(start, nudge, steps=6)
    user.desk.glide(nudge, target, steps=30)
    time.sleep(0.3)  # the canvas looks where the pointer is a few times a second
    user.desk.glide(target, (target[0] + 4, target[1]), steps=2)  # a hand never stops dead
    user.shot(f"dragging-{kind.lower()}-{what}")
    user.desk.release()


def test_drag_a_block_out_of_the_window_to_delete_it(
    start_app: Callable[[], RunningApp], desktop: Desktop, tmp_path: Path
) -> None:
    app = start_app()
    user = Composer(app, desktop)
    user.open_empty_project()
    _narrow_the_window(app, desktop)
    for kind in ("FROM", "WORKDIR", "COPY"):
        user.add_block(kind)
    app.wait_for("the three blocks' Dockerfile", lambda s: s["document"]["text"] == WITH_WORKDIR)

    # Let go over the preview, inside the window, which takes no blocks: nothing happens.
    preview = app.widget("Preview")["visible"]
    _drag(user, "WORKDIR", (preview[0] + preview[2] // 2, preview[1] + preview[3] // 2), "onto-the-preview")
    time.sleep(1.0)
    document = app.document()
    assert (document["text"], document["undo_count"]) == (WITH_WORKDIR, 3), (
        "a drop on the preview did something"
    )

    row = next(r for r in app.state()["canvas"]["rows"] if r.get("kind") == "WORKDIR")["visible"]
    _drag(user, "WORKDIR", (WINDOW_WIDTH + 140, row[1] + row[3] // 2), "out-of-the-window")
    app.wait_for("WORKDIR deleted", lambda s: s["document"]["kinds"] == ["FROM", "COPY"])
    user.shot("workdir-dragged-out")
    assert app.document()["undo_text"] == "Delete WORKDIR"

    desktop.key("ctrl+z")
    app.wait_for("WORKDIR back in its place", lambda s: s["document"]["text"] == WITH_WORKDIR)
    desktop.key("ctrl+shift+z")
    app.wait_for("WORKDIR deleted again", lambda s: s["document"]["text"] == WITHOUT_WORKDIR)

    project_dir = tmp_path / "smaller"
    project_dir.mkdir()
    saved = project_dir / "smaller.dockblocks"
    user.save_as(saved)
    rendered = subprocess.run(
        python_command("desktop", "render", str(saved)), capture_output=True, text=True, timeout=60
    )
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == WITHOUT_WORKDIR, f"the saved project renders to\n{rendered.stdout}"
