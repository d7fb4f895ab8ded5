"""A field that changes height (a continued RUN command written on one line, and back) moves what is below
it; the rest of the inspector keeps its pixels (WA_StaticContents) instead of being painted again. What is
on the screen afterwards must be exactly what a fresh paint shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from screen_pixels import PaintedAreas, on_screen, painted_afresh
from shown_preview import settle

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block
from desktop.blocks.operations import SetParams
from desktop.dockerfile import import_text
from desktop.project import Project
from ui.controller import DocumentController
from ui.widgets.inspector import InspectorWidget
from ui.widgets.quiet_scroll_bar import QuietScrollBar

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = "FROM alpine:3.20\nRUN apk add --no-cache \\\n    python3 \\\n    py3-pip \\\n    curl \\\n    git\n"


def _shown_with_the_run_selected(qtbot, height: int) -> tuple[InspectorWidget, DocumentController, Block]:
    """An inspector 380 px wide and ``height`` tall, showing the form of TEXT's RUN block."""
    controller = DocumentController(Project(document=import_text(TEXT)))
    inspector = InspectorWidget(controller)
    qtbot.addWidget(inspector)
    inspector.resize(380, height)
    inspector.show()
    qtbot.waitExposed(inspector)
    run = next(b for b in controller.document.blocks if b.kind is Kind.RUN)
    controller.select([run.id])
    settle(qtbot)
    return inspector, controller, run


# Heights: one where the form fits (the page is the viewport's height), and one where it does not (the
# page is taller, so it shrinks and grows with the field, and the scroll bar may come and go).
@pytest.mark.parametrize("height", [700, 300])
def test_a_field_changing_height_repaints_what_moved_and_shows_it_exactly(qtbot, height: int) -> None:
    inspector, controller, run = _shown_with_the_run_selected(qtbot, height)
    viewport = inspector.scroll_area.viewport()
    page = inspector.scroll_area.widget()
    assert inspector.header is not None
    header_area = QRect(inspector.header.pos(), inspector.header.size())
    original = run.params["command"]

    for command in ("apk add --no-cache python3", original):  # five lines to one, and back
        controller.wait_for_lint()  # its findings, shown when they come, repaint more: not this edit's doing
        settle(qtbot)
        scroll_bar_shown = inspector.scroll_area.verticalScrollBar().isVisible()
        watch = PaintedAreas(page)
        controller.apply(SetParams(run.id, {"command": command}))
        settle(qtbot)
        page.removeEventFilter(watch)
        if inspector.scroll_area.verticalScrollBar().isVisible() == scroll_bar_shown:  # same page width
            assert not any(rect.intersects(header_area) for rect in watch.areas), watch.areas
        assert on_screen(viewport) == painted_afresh(viewport), f"after {command!r}"
        controller.wait_for_lint()
        settle(qtbot)
        assert on_screen(viewport) == painted_afresh(viewport), f"after {command!r} and its findings"
    assert controller.document.blocks[controller.document.find(run.id)].params["command"] == original


@pytest.mark.parametrize(("height", "bar_after"), [(300, True), (350, False)])
def test_the_scroll_bar_comes_and_goes_with_the_form_and_shows_the_truth(
    qtbot, height: int, bar_after: bool
) -> None:
    inspector, controller, run = _shown_with_the_run_selected(qtbot, height)
    bar = inspector.scroll_area.verticalScrollBar()
    assert isinstance(bar, QuietScrollBar)  # drawn again only when its handle moves (see quiet_scroll_bar)
    assert bar.isVisible(), "five lines of command do not fit"
    original = run.params["command"]
    for command, shown in (("apk add --no-cache python3", bar_after), (original, True)):
        controller.apply(SetParams(run.id, {"command": command}))
        settle(qtbot)
        assert bar.isVisible() is shown, command
        if shown:
            assert (
                bar.maximum()
                == inspector.scroll_area.widget().height() - inspector.scroll_area.viewport().height()
            )
            assert on_screen(bar) == painted_afresh(bar), command
        assert on_screen(inspector.scroll_area.viewport()) == painted_afresh(inspector.scroll_area.viewport())
    controller.wait_for_lint()
