"""Asking before a large build folder is sent to the engine, showing what is largest in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.asyncqt import wait_for_signal
from ui.widgets.build_states import say

if TYPE_CHECKING:
    from desktop.engine.build_context import ContextScan

LARGEST_SHOWN = 6


def size_text(count: int) -> str:
    """A number of bytes as people read it: "512 bytes", "3.4 MB"."""
    if count < 1024:
        return say("size.bytes", value=count)
    for unit, scale in (("kb", 1024), ("mb", 1024**2), ("gb", 1024**3)):
        if count < scale * 1024 or unit == "gb":
            return say(f"size.{unit}", value=count / scale)
    return say("size.bytes", value=count)


def large_context_question(parent: QWidget, scan: ContextScan) -> QMessageBox:
    """The question (not opened yet): the folder's size and file count, and its largest parts."""
    box = QMessageBox(
        QMessageBox.Icon.Question, say("large.title"), "", QMessageBox.StandardButton.NoButton, parent
    )
    box.setObjectName("LargeContextQuestion")
    box.setText(say("large.text", size=size_text(scan.total_bytes), count=f"{scan.file_count:,}"))
    largest = [
        say("large.entry", name=name, size=size_text(size)) for name, size in scan.largest(LARGEST_SHOWN)
    ]
    box.setInformativeText(say("large.detail") + "\n\n" + "\n".join(largest))
    send = box.addButton(say("large.send"), QMessageBox.ButtonRole.AcceptRole)
    send.setObjectName("SendLargeContext")
    dont = box.addButton(say("large.dont"), QMessageBox.ButtonRole.RejectRole)
    dont.setObjectName("DontSendLargeContext")
    box.setDefaultButton(send)
    return box


async def ask_to_send(parent: QWidget, scan: ContextScan) -> bool:
    """Ask whether to send a large folder (opened, never run in a loop of its own); True to send it."""
    box = large_context_question(parent, scan)
    # Deleted after the wait, not on close: the wait lets go of the box's signal when it resumes.
    try:
        box.open()
        await wait_for_signal(box.finished)
        clicked = box.clickedButton()
        return clicked is not None and clicked.objectName() == "SendLargeContext"
    finally:
        box.deleteLater()
