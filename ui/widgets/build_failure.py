"""The failure of a build, pinned above the log: which step failed, the engine's message, and what to try,
with a button that shows the block the failure comes from."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.engine.build_events import StepState
from ui.widgets.build_states import say, state_colour


class FailureBanner(QFrame):
    """A framed note: title (the step), message (the engine's words), hint (what to try).

    Signals:
        showBlockRequested(): the user pressed "Show the block".
    """

    showBlockRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BuildFailure")
        colour = state_colour(StepState.FAILED, self.palette()).name()
        self.setStyleSheet(
            f"#BuildFailure {{ border: 2px solid {colour}; border-radius: 6px; }}"
            f"#BuildFailureTitle {{ color: {colour}; font-weight: bold; }}"
        )
        self.title = QLabel(self)
        self.title.setObjectName("BuildFailureTitle")
        self.message = QLabel(self)
        self.message.setObjectName("BuildFailureMessage")
        self.hint = QLabel(self)
        self.hint.setObjectName("BuildFailureHint")
        text = QVBoxLayout()
        for label in (self.title, self.message, self.hint):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.addWidget(label)
        self.show_block = QPushButton(say("panel.show_block"), self)
        self.show_block.setObjectName("ShowFailedBlock")
        self.show_block.setAccessibleName(say("panel.show_block"))
        self.show_block.setToolTip(say("panel.show_block_tip"))
        self.show_block.clicked.connect(self.showBlockRequested)
        row = QHBoxLayout(self)
        row.addLayout(text, 1)
        row.addWidget(self.show_block, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_failure(self, title: str, message: str, hint: str, with_block: bool) -> None:
        """Show a failure; ``with_block``: it is pinned to a block (the button shows it)."""
        self.title.setText(title)
        self.message.setText(message)
        self.hint.setText(say("failure.hint", hint=hint) if hint else "")
        self.hint.setVisible(bool(hint))
        self.show_block.setVisible(with_block)
        self.setAccessibleName(title)
        self.setAccessibleDescription(f"{message} {hint}".strip())
        self.show()
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        # The build dock lays its widgets out by their size hints, and a wrapped label's hint is guessed for
        # another width: the message's last lines were cut off. At least the height the text needs at the
        # banner's own width, then (the log below gives way).
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        if layout is not None and needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
            # Growing to it resizes the banner inside this resize, and Qt does not lay a widget out again
            # for a resize nested in its own: the labels kept their old heights. Lay out once more, next turn.
            layout.invalidate()
