"""Messages under a field and at the top of the form: icon and text, red for errors, amber for warnings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from desktop.blocks.validate import FieldIssue

ICON_SIZE = 16


def is_dark(widget: QWidget) -> bool:
    """Whether the widget's palette is a dark one (light text on a dark window)."""
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def severity_colour(widget: QWidget, severity: str, for_frame: bool = False) -> QColor:
    """The colour of a severity that reads well on the widget's background.

    Text colours keep a contrast above 4.5:1, frame colours above 3:1, on the light and dark palettes.
    """
    if is_dark(widget):
        return QColor("#ff8a80" if severity == "error" else "#ffcc66")
    if severity == "error":
        return QColor("#b3261e")
    return QColor("#b26a00" if for_frame else "#8a5200")


def severity_icon(severity: str) -> QStyle.StandardPixmap:
    """The standard icon of a severity."""
    if severity == "error":
        return QStyle.StandardPixmap.SP_MessageBoxCritical
    if severity == "warning":
        return QStyle.StandardPixmap.SP_MessageBoxWarning
    return QStyle.StandardPixmap.SP_MessageBoxInformation


class MessageLine(QWidget):
    """One message: a small icon at the top left and the word-wrapped text beside it."""

    def __init__(self, text: str, severity: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IssueMessage")
        self.setProperty("severity", severity)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(severity_icon(severity)).pixmap(ICON_SIZE, ICON_SIZE))
        icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        icon.setAccessibleName(severity)
        self.text = QLabel(text, self)
        # Word wrap gives the label a height-for-width size policy: leave it, or the label gets too tall.
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = self.text.palette()
        palette.setColor(QPalette.ColorRole.WindowText, severity_colour(self, severity))
        self.text.setPalette(palette)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)


class IssueList(QWidget):
    """The messages of one field (or of the whole block); hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IssueList")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._shown: list[tuple[str, str]] = []
        self.hide()

    def set_issues(self, issues: list[FieldIssue]) -> None:
        """Show these issues, errors first (nothing is rebuilt when they did not change)."""
        ordered = sorted(issues, key=lambda issue: issue.severity != "error")
        wanted: list[tuple[str, str]] = [(str(issue.severity), issue.message) for issue in ordered]
        if wanted == self._shown:
            return
        self._shown = wanted
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for severity, message in wanted:
            self._layout.addWidget(MessageLine(message, severity, self))
        self.setVisible(bool(wanted))

    def messages(self) -> list[str]:
        """The texts shown, in order (for tests and accessibility descriptions)."""
        return [message for _severity, message in self._shown]
