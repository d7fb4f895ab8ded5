"""Asking before instances are removed for good: how many, and which."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.engine.instances import Instance, say

NAMES_IN_QUESTION = 10
"""Instances named in a question; the rest are counted."""


def names_for_question(chosen: Sequence[Instance]) -> str:
    """The instances' names for a question: the first few, then how many more."""
    names = ", ".join(i.name for i in chosen[:NAMES_IN_QUESTION])
    if len(chosen) > NAMES_IN_QUESTION:
        names += " " + say("confirm.more", count=len(chosen) - NAMES_IN_QUESTION)
    return names


def ask_to_remove(parent: QWidget, question: str, then: Callable[[], object]) -> QMessageBox:
    """Opens ``question`` (window-modal, never a nested event loop); ``then()`` runs only if the answer is
    Remove. Keep the returned box to answer it in tests; "Keep them" is the default button."""
    box = QMessageBox(QMessageBox.Icon.Question, say("confirm.title"), question, parent=parent)
    box.setObjectName("InstancesConfirm")
    remove = box.addButton(say("confirm.yes"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(say("confirm.no"), QMessageBox.ButtonRole.RejectRole))
    box.setWindowModality(Qt.WindowModality.WindowModal)

    def answered(_result: int) -> None:
        if box.clickedButton() is remove:
            then()
        box.deleteLater()

    box.finished.connect(answered)
    box.open()
    return box
