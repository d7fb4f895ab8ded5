"""The geometry probe the end-to-end test reads (ui/testing_probe.py), checked offscreen in this process.

The end-to-end test can only be as right as what the probe tells it: these tests pin that the file says
where the palette entries, canvas rows and named widgets are, and what the document holds, and that
nothing at all is installed when the variable is not set.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported: no X server needed here

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer

from desktop.dockerfile import import_text
from desktop.project import Project
from ui.app import create_application, create_main_window
from ui.controller import DocumentController
from ui.mainwindow import MainWindow
from ui.testing_probe import ENV_VAR, GeometryProbe, install_if_requested

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = "FROM alpine:3.20\nRUN apk add python3\nWORKDIR /app\n"


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    create_application()
    controller = DocumentController(Project(document=import_text(TEXT)))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    shown = create_main_window(controller, settings)
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    for timer in controller.findChildren(QTimer):
        timer.stop()
    controller.wait_for_lint()


def test_nothing_is_installed_without_the_variable(window: MainWindow, tmp_path: Path) -> None:
    assert install_if_requested(window, environ={}) is None
    assert install_if_requested(window, environ={ENV_VAR: "  "}) is None
    assert window.findChildren(GeometryProbe) == []


def test_the_file_says_where_things_are_and_what_the_document_holds(
    window: MainWindow, tmp_path: Path
) -> None:
    target = tmp_path / "probe" / "geometry.json"
    probe = install_if_requested(window, environ={ENV_VAR: str(target)})
    assert isinstance(probe, GeometryProbe)
    assert probe.write_if_changed() is True
    state = json.loads(target.read_text(encoding="utf-8"))

    document = window.controller.document
    assert state["document"]["kinds"] == ["FROM", "RUN", "WORKDIR"]
    assert state["document"]["ids"] == [block.id for block in document.blocks]
    assert state["document"]["text"] == TEXT
    assert state["document"]["path"] is None and state["document"]["clean"] is True
    assert state["start_page"] is False and state["preview_text"].rstrip("\n") == TEXT.rstrip("\n")

    rows = state["canvas"]["rows"]
    assert [row.get("kind") for row in rows] == [None, "FROM", "RUN", "WORKDIR"]  # the stage, then its blocks
    canvas = window.panel("canvas")
    top_left = canvas.viewport().mapToGlobal(canvas.visualRect(canvas.model().index(0, 0)).topLeft())
    assert rows[0]["rect"][:2] == [top_left.x(), top_left.y()]
    assert all("visible" in row for row in rows)
    assert state["canvas"]["drop_indicator"] is None

    palette = state["palette"]
    assert {"FROM", "RUN", "COPY", "WORKDIR", "CMD"} <= set(palette)
    assert palette["FROM"]["visible"] == palette["FROM"]["rect"]  # the first entry shows whole

    search = window.findChild(type(window.panel("palette").search), "PaletteSearch")
    assert search is not None
    entry = state["widgets"]["PaletteSearch"]
    corner = search.mapToGlobal(search.rect().topLeft())
    assert entry["rect"] == [corner.x(), corner.y(), search.width(), search.height()]
    assert entry["class"] == "QLineEdit" and entry["text"] == ""


def test_the_file_is_written_again_only_when_something_changed(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "geometry.json"
    probe = GeometryProbe(window, target, interval_ms=60_000)
    assert probe.write_if_changed() is True
    assert probe.write_if_changed() is False
    window.controller.select([window.controller.document.blocks[1].id])
    assert probe.write_if_changed() is True
    state = json.loads(target.read_text(encoding="utf-8"))
    assert state["seq"] == probe.writes == 2
    assert state["document"]["selection"] == [window.controller.document.blocks[1].id]
    assert state["inspector_block"] == window.controller.document.blocks[1].id
