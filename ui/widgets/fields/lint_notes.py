"""The checker's findings about the selected block, in plain words, each with a link to learn more."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.lint import Finding, Severity
from ui.widgets.fields.messages import MessageLine
from ui.widgets.link_label import LinkLabel

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info", Severity.STYLE: "info"}


class LintNotes(QWidget):
    """A heading and one entry per finding; hidden when the block has none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InspectorFindings")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self.heading = QLabel(f"<b>{html.escape(self.tr('Advice from the checker'))}</b>", self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self._layout.addWidget(self.heading)
        self._entries: list[QWidget] = []
        self._shown: list[Finding] = []
        self.links: list[QLabel] = []
        self.hide()

    def set_findings(self, findings: list[Finding]) -> None:
        """Show these findings (nothing is rebuilt when they did not change)."""
        if findings == self._shown:
            return
        self._shown = list(findings)
        for entry in self._entries:
            entry.hide()
            entry.deleteLater()
        self._entries, self.links = [], []
        for finding in findings:
            entry = QWidget(self)
            layout = QVBoxLayout(entry)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(2)
            line = MessageLine(finding.title, _LEVEL.get(finding.severity, "info"), entry)
            line.text.setToolTip(f"{finding.code}: {finding.message}")
            layout.addWidget(line)
            body = QLabel(finding.explanation, entry)
            body.setWordWrap(True)
            body.setTextFormat(Qt.TextFormat.PlainText)
            body.setContentsMargins(22, 0, 0, 0)
            layout.addWidget(body)
            if finding.link:
                about = self.tr("More about {title}").format(title=finding.title)
                more = LinkLabel(finding.link, self.tr("More"), about, entry)
                more.setContentsMargins(22, 0, 0, 0)
                layout.addWidget(more)
                self.links.append(more)
            self._layout.addWidget(entry)
            self._entries.append(entry)
        self.setVisible(bool(findings))

    def titles(self) -> list[str]:
        """The titles shown (for tests)."""
        return [finding.title for finding in self._shown]
