"""The list of every problem in the Dockerfile: what hadolint and our own checks found, and what is wrong in
the blocks' fields. Clicking a problem selects its block; double-clicking opens the page about the rule.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget

from ui.controller import DocumentController
from ui.highlight import is_dark
from ui.models.findings_model import Column, FindingsModel, Role


class _ProblemView(QTreeView):
    """The table itself: Enter opens the rule's page, as a double-click does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.doubleClicked.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class FindingsWidget(QWidget):
    """A summary line ("2 errors, 3 warnings") over a table of every problem.

    Signals: none of its own; it selects blocks through the controller.
    """

    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.setObjectName("Findings")
        self.setAccessibleName(self.tr("Problems in the Dockerfile"))
        self.model = FindingsModel(controller, self)
        self.model.dark = is_dark(self.palette())

        self.summary = QLabel(self)
        self.summary.setObjectName("FindingsSummary")
        self.summary.setAccessibleName(self.tr("Summary of the problems"))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setContentsMargins(6, 5, 6, 5)
        bold = self.summary.font()
        bold.setBold(True)
        self.summary.setFont(bold)

        self.view = _ProblemView(self)
        self.view.setObjectName("FindingsList")
        self.view.setAccessibleName(self.tr("Problems"))
        self.view.setAccessibleDescription(
            self.tr("Click a problem to select its block; double-click or press Enter to read more about it.")
        )
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.PROBLEM, QHeaderView.ResizeMode.Stretch)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)

        self.view.clicked.connect(self._select_block)
        self.view.doubleClicked.connect(self._open_link)
        self.view.selectionModel().currentRowChanged.connect(self._select_block)
        self.model.modelReset.connect(self._show_summary)
        self._show_summary()
        self._fit_icons()

    def _fit_icons(self) -> None:
        """Severity badges as tall as most of a text line, at any zoom."""
        size = max(12, round(self.view.fontMetrics().height() * 0.85))
        self.model.icon_size = size
        self.view.setIconSize(QSize(size, size))

    def _show_summary(self) -> None:
        self.summary.setText(self.model.summary())
        self.summary.setToolTip(self.model.summary())

    def _select_block(self, index: QModelIndex) -> None:
        block_id = index.data(Role.BLOCK_ID) if index.isValid() else None
        if block_id:
            self._controller.select([str(block_id)])

    def _open_link(self, index: QModelIndex) -> None:
        link = index.data(Role.LINK) if index.isValid() else None
        if link:
            QDesktopServices.openUrl(QUrl(str(link)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.dark = is_dark(self.palette())
            self.view.viewport().update()
        if event.type() == QEvent.Type.FontChange:
            self._fit_icons()
        super().changeEvent(event)
