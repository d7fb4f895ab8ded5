"""The run dialog as the run dialog tests open it: a site image publishing port 80, shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.engine.run_spec import PortMapping, RunSpec
from ui.dialogs.run_dialog import RunDialog


def open_run_dialog(qtbot: QtBot, folder: Path) -> RunDialog:
    """A shown run dialog for ``dockblocks/site:latest`` with port 80 published, closed with the test."""
    made = RunDialog(RunSpec("dockblocks/site:latest", ports=(PortMapping(80, None),), base_dir=folder))
    qtbot.addWidget(made)
    made.show()
    return made


def note(dialog: RunDialog, field: str) -> QLabel:
    """The note under one field of the dialog (``ports``, ``name`` ...)."""
    found = dialog.findChild(QLabel, f"RunNote_{field}")
    assert found is not None
    return found
