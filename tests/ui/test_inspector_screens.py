"""What a beginner sees: screenshots of the inspector at 360 by 700 px, and no text cut off at narrow widths.

The screenshots are written to ``/tmp/inspector_<kind>.png`` (and kept in the artifacts folder) to be looked
at; the tests check what can be measured: every label is as tall as its wrapped text needs and nothing
sticks out past the right edge of the scroll area.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block
from desktop.blocks.operations import InsertBlocks
from desktop.dockerfile import import_text
from ui.widgets.fields.messages import MessageLine
from ui.widgets.inspector import InspectorWidget

SAMPLES = {
    Kind.FROM: "FROM python:3.12-slim AS base\n",
    Kind.RUN: "RUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl\n",
    # Two files into a destination without a final slash: shows how an error looks.
    Kind.COPY: "COPY requirements.txt app.py /app\n",
    Kind.ENV: 'ENV PORT=8080 GREETING="Hello world"\n',
    Kind.HEALTHCHECK: "HEALTHCHECK --interval=30s --timeout=5s CMD curl -f http://localhost/ || exit 1\n",
}


def show_sample(qtbot, controller, kind: Kind, width: int, height: int) -> InspectorWidget:
    inspector = InspectorWidget(controller)
    qtbot.addWidget(inspector)
    inspector.resize(width, height)
    inspector.show()
    qtbot.waitExposed(inspector)
    block: Block = import_text(SAMPLES[kind]).blocks[0]
    controller.apply(InsertBlocks(len(controller.document.blocks), [block]))
    controller.select([block.id])
    QApplication.processEvents()
    return inspector


def cut_off_texts(inspector: InspectorWidget) -> list[str]:
    """Labels shorter than their wrapped text, and widgets reaching past the visible width."""
    page = inspector.scroll_area.widget()
    assert page is not None
    visible_width = inspector.scroll_area.viewport().width()
    problems = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(inspector) or widget.width() == 0:
            continue
        right = widget.mapTo(page, QPoint(widget.width(), 0)).x()
        if right > visible_width + 1:
            problems.append(
                f"{type(widget).__name__} {widget.objectName()!r} ends at {right} > {visible_width}"
            )
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            if widget.height() < needed:
                problems.append(f"label {widget.text()[:40]!r} is {widget.height()} px tall, needs {needed}")
        narrow = isinstance(widget, QAbstractButton) and widget.width() < widget.sizeHint().width() - 1
        if narrow and widget.text():
            problems.append(f"button {widget.text()!r} is narrower than its text")
    return problems


@pytest.mark.parametrize("kind", list(SAMPLES), ids=lambda k: k.value)
def test_screenshot_at_360_by_700(qtbot, controller, kind, artifacts_dir: Path):
    inspector = show_sample(qtbot, controller, kind, 360, 700)
    assert inspector.form is not None and inspector.form.kind is kind
    assert cut_off_texts(inspector) == []
    image = inspector.grab()
    assert image.width() == 360 and image.height() == 700
    assert image.save(str(artifacts_dir / f"inspector_{kind.value}.png"))
    if Path("/tmp").is_dir():  # where the screenshots are looked at on a developer's Linux machine
        assert image.save(f"/tmp/inspector_{kind.value}.png")


@pytest.mark.parametrize("kind", list(SAMPLES), ids=lambda k: k.value)
def test_nothing_is_cut_off_at_320_px_with_everything_open(qtbot, controller, kind):
    inspector = show_sample(qtbot, controller, kind, 320, 600)
    assert inspector.header is not None and inspector.form is not None
    inspector.header.explanation.set_open(True)
    if inspector.form.advanced is not None:
        inspector.form.advanced.set_open(True)
    QApplication.processEvents()
    assert cut_off_texts(inspector) == []
    assert inspector.scroll_area.verticalScrollBar().maximum() > 0, "a long form scrolls instead of squeezing"


def test_copy_sample_shows_its_error_under_the_destination(qtbot, controller):
    inspector = show_sample(qtbot, controller, Kind.COPY, 360, 700)
    assert inspector.form is not None
    row = next(r for r in inspector.form.rows if r.editor.context.name == "dest")
    assert row.issues.isVisibleTo(inspector) and any("/app/" in m for m in row.issues.messages())
    assert row.editor.property("issue") == "error"


def test_colours_follow_a_switch_to_a_dark_palette(qtbot, controller):
    inspector = show_sample(qtbot, controller, Kind.COPY, 360, 700)
    old_form = inspector.form
    light_help = inspector.findChild(QLabel, "FieldHelp").palette().color(QPalette.ColorRole.WindowText)
    light = QApplication.palette()
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.WindowText, "#e8eaed")):
        dark.setColor(role, QColor(colour))
    QApplication.setPalette(dark)  # as the window does when the system switches to dark
    try:
        qtbot.waitUntil(lambda: inspector.form is not old_form)
        page = inspector.scroll_area.widget()  # the old form waits for deletion elsewhere
        dark_help = page.findChild(QLabel, "FieldHelp").palette().color(QPalette.ColorRole.WindowText)
        message = page.findChild(MessageLine)
        assert message is not None
        message_colour = message.text.palette().color(QPalette.ColorRole.WindowText)
    finally:
        QApplication.setPalette(light)
    assert dark_help.lightness() > 128 > light_help.lightness(), "help text stays readable on the dark window"
    assert message_colour.lightness() > 128
