"""A beginner composes a small Dockerfile with the mouse in the real window, in a real X server.

Starting from the start page ("Empty project"), the test drags FROM, RUN, COPY, WORKDIR and CMD from the
palette to the end of the canvas, waits for the drop indicator before letting go, types each block's
settings into the inspector, drags WORKDIR above COPY, undoes that with Ctrl+Z, saves with Ctrl+S by
typing a path into the save dialog, and checks the exact Dockerfile the saved project renders to.
Every step leaves a screenshot in ``test-artifacts/e2e/``.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from e2e.driver import Desktop, RunningApp, State, center, python_command

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

EXPECTED = """\
FROM alpine:3.20
RUN apk --no-cache add python3
COPY app.py /app/
WORKDIR /app
CMD ["python3", "app.py"]
"""

# What the user types into each new block: (field objectName, text) pairs, then the line it makes.
# "\n" presses Enter, which in a list field starts the next item.
FORMS: list[tuple[str, list[tuple[str, str]], str]] = [
    ("FROM", [("field-image", "alpine"), ("field-tag", "3.20")], "FROM alpine:3.20"),
    ("RUN", [("field-command", "apk --no-cache add python3")], "RUN apk --no-cache add python3"),
    ("COPY", [("field-sources-0-0", "app.py"), ("field-dest", "/app/")], "COPY app.py /app/"),
    ("WORKDIR", [("field-path", "/app")], "WORKDIR /app"),
    ("CMD", [("field-args-0-0", "python3\n"), ("field-args-1-0", "app.py")], 'CMD ["python3", "app.py"]'),
]


def _fully_shown(place: dict[str, Any] | None) -> bool:
    if not place or "visible" not in place:
        return False
    rect, shown = place["rect"], place["visible"]
    return bool(shown[2] >= rect[2] - 2 and shown[3] >= rect[3] - 2)


def _lines(state: State) -> list[str]:
    return list(state["document"]["text"].splitlines())


class Composer:
    """What a user does in the window, step by step, each step checked through the window's own report."""

    def __init__(self, app: RunningApp, desktop: Desktop) -> None:
        self.app, self.desk = app, desktop

    def shot(self, step: str) -> None:
        self.desk.screenshot(step)

    # --- looking around ------------------------------------------------------------------------------

    def settled(self, what: str, place_of: Callable[[State], Any]) -> dict[str, Any]:
        """Where something is once it has stopped moving (two reports a quarter of a second apart agree)."""
        place: dict[str, Any] = self.app.wait_for(what, place_of)
        for _look in range(20):
            time.sleep(0.25)
            again: dict[str, Any] = self.app.wait_for(what, place_of)
            if again == place:
                return place
            place = again
        self.app.fail(f"{what} kept moving")
        raise AssertionError  # fail() raises; this line is for the type checker

    def bring_into_view(self, what: str, place_of: Callable[[State], Any], scroller: str) -> dict[str, Any]:
        """Turn the mouse wheel over ``scroller`` until the thing ``place_of`` finds is fully on screen."""
        for _turn in range(40):
            place = self.settled(what, place_of)
            if _fully_shown(place):
                return place
            area = self.app.widget(scroller)["visible"]
            shown = place.get("visible")
            down = shown[1] <= place["rect"][1] if shown else place["rect"][1] > area[1]
            # The left edge of a scrolled panel is margin: the wheel scrolls it and changes no field.
            self.desk.wheel(area[0] + 5, area[1] + area[3] // 2, down)
            self.app.wait_for(f"{what} scrolled", lambda s, old=place: place_of(s) != old, timeout=5)
        self.app.fail(f"{what} could not be scrolled into view")
        raise AssertionError  # fail() raises; this line is for the type checker

    # --- steps ---------------------------------------------------------------------------------------

    def open_empty_project(self) -> None:
        self.app.wait_for("the start page", lambda s: s["start_page"], timeout=60)
        self.desk.xdo("search", "--sync", "--name", "Dockblocks", timeout=60)
        self.shot("start-page")
        self.desk.click(*center(self.app.widget("TemplateCard-empty")["visible"]))
        self.app.wait_for("the editor after Empty project", lambda s: not s["start_page"])
        self.app.widget("Canvas")
        self.shot("empty-project")

    def drag(self, start: tuple[int, int], end: tuple[int, int], expected_position: int, what: str) -> None:
        """Press, move in small steps, wait until the drop indicator shows the expected place, release."""
        self.desk.press(*start)
        nudge = (start[0] + 24, start[1] + 6)  # past Qt's drag distance: the drag starts here
        self.desk.glide(start, nudge, steps=6)
        self.desk.glide(nudge, end, steps=14)
        try:
            self.app.wait_for(
                f"the drop indicator at position {expected_position} while dragging {what}",
                lambda s: s["canvas"]["drop_indicator"] == expected_position,
                timeout=10,
            )
        except AssertionError:
            self.desk.release()
            raise
        self.desk.glide(end, (end[0] + 2, end[1]), steps=2)  # a last motion event, as a hand never stops dead
        self.shot(f"dragging-{what.lower().replace(' ', '-')}")
        self.desk.release()

    def end_of_canvas(self, state: State) -> tuple[int, int]:
        canvas = state["canvas"]
        area = canvas["viewport"]["visible"]
        rows = [row for row in canvas["rows"] if "visible" in row]
        x = area[0] + area[2] // 2
        if not rows:
            return x, area[1] + area[3] // 2
        last = rows[-1]["visible"]
        return x, min(last[1] + last[3] + 40, area[1] + area[3] - 12)

    def add_block(self, kind: str) -> str:
        """Drag a palette entry to the end of the canvas; returns the new block's id."""
        before = self.app.state()["document"]["kinds"]
        entry = self.bring_into_view(
            f"palette entry {kind}", lambda s: s["palette"].get(kind), "PaletteBlocks"
        )
        target = self.end_of_canvas(self.app.state())
        self.drag(center(entry["visible"]), target, len(before), kind)
        wanted = [*before, kind]
        self.app.wait_for(f"{kind} at the end of the document", lambda s: s["document"]["kinds"] == wanted)
        block_id: str = self.app.state()["document"]["ids"][-1]
        self.app.wait_for(
            f"the inspector showing the new {kind}",
            lambda s: s["inspector_block"] == block_id and s["document"]["selection"] == [block_id],
        )
        self.shot(f"dropped-{kind.lower()}")
        return block_id

    def fill(self, field: str, text: str) -> None:
        """Click a field of the inspector, select what is there and type over it (a final "\\n" is Enter)."""
        place = self.bring_into_view(f"field {field}", lambda s: s["widgets"].get(field), "InspectorScroll")
        self.desk.click(*center(place["visible"]))
        self.app.wait_for(f"the focus in {field}", lambda s: s["focus"] == field, timeout=10)
        self.desk.key("ctrl+a")
        typed = text.rstrip("\n")
        self.desk.type(typed)
        self.app.wait_for(f"{field} showing {typed!r}", lambda s: s["widgets"][field].get("text") == typed)
        if text.endswith("\n"):
            self.desk.key("Return")

    def fill_block(self, kind: str, fields: Sequence[tuple[str, str]], line: str) -> None:
        for field, text in fields:
            self.fill(field, text)
        self.app.wait_for(f"the line {line!r} in the Dockerfile", lambda s: line in _lines(s))
        self.shot(f"filled-{kind.lower()}")

    def move_block(self, kind: str, before_kind: str) -> None:
        """Drag the block of ``kind`` onto the upper half of the block of ``before_kind``."""
        state = self.app.state()
        rows = {row.get("kind"): row for row in state["canvas"]["rows"] if "id" in row}
        source, target = rows[kind]["visible"], rows[before_kind]["visible"]
        position = state["document"]["kinds"].index(before_kind)
        start = (source[0] + source[2] // 3, source[1] + source[3] // 2)
        end = (target[0] + target[2] // 3, target[1] + target[3] // 4)
        self.drag(start, end, position, f"{kind} above {before_kind}")

    def save_as(self, path: Path) -> None:
        """Ctrl+S on a project never saved opens the save dialog: type the path there and press Enter."""
        self.desk.key("ctrl+s")
        self.app.wait_for("the save dialog", lambda s: s["modal"] == "FilesDialog", timeout=30)
        name_field = self.app.widget("fileNameEdit", timeout=30)
        self.shot("save-dialog")
        self.desk.click(*center(name_field["visible"]))
        self.desk.key("ctrl+a")
        self.desk.type(str(path))
        self.app.wait_for("the path typed", lambda s: s["widgets"]["fileNameEdit"]["text"] == str(path))
        self.shot("save-dialog-filled")
        self.desk.key("Return")
        self.app.wait_for(
            "the project saved there",
            lambda s: s["document"]["path"] == str(path) and s["document"]["clean"] and not s["modal"],
            timeout=30,
        )


def test_compose_a_dockerfile_with_the_mouse(
    start_app: Callable[[], RunningApp], desktop: Desktop, tmp_path: Path
) -> None:
    started = time.monotonic()
    app = start_app()
    user = Composer(app, desktop)
    user.open_empty_project()

    for kind, fields, line in FORMS:
        user.add_block(kind)
        user.fill_block(kind, fields, line)
    assert app.document()["text"] == EXPECTED, "the blocks as filled in"

    user.move_block("WORKDIR", before_kind="COPY")
    app.wait_for(
        "WORKDIR moved above COPY",
        lambda s: s["document"]["kinds"] == ["FROM", "RUN", "WORKDIR", "COPY", "CMD"],
    )
    user.shot("moved-workdir-above-copy")

    desktop.key("ctrl+z")
    app.wait_for(
        "the move undone by Ctrl+Z",
        lambda s: s["document"]["kinds"] == ["FROM", "RUN", "COPY", "WORKDIR", "CMD"],
    )
    user.shot("undone-move")
    assert app.document()["text"] == EXPECTED, "Ctrl+Z undid the move and nothing else"

    project_dir = tmp_path / "my-first-image"
    project_dir.mkdir()
    (project_dir / "app.py").write_text('print("hello from the container")\n', encoding="utf-8")
    saved = project_dir / "app.dockblocks"
    user.save_as(saved)
    user.shot("saved")

    state = app.state()
    assert state["preview_text"].rstrip("\n") == EXPECTED.rstrip("\n"), "what the preview shows"
    rendered = subprocess.run(
        python_command("desktop", "render", str(saved)), capture_output=True, text=True, timeout=60
    )
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == EXPECTED, f"the saved project renders to\n{rendered.stdout}"
    print(f"end-to-end run took {time.monotonic() - started:.1f} s; screenshots in {desktop.shots}")
