"""Every problem in the open Dockerfile as one table: lint findings (hadolint and our own checks) and the
field problems of every block, so a beginner sees them all in one place.

The model is a thin view over the controller: it listens to its signals and rebuilds its rows from the
controller's document, rendered text and last lint report.
"""

from __future__ import annotations

import enum
import html
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen

from desktop.blocks.kinds import Kind
from desktop.blocks.validate import FieldIssue
from desktop.lint import LintReport
from ui.controller import DocumentController
from ui.icons import device_pixmap

REVALIDATE_DELAY_MS = 200  # the list is rebuilt after a pause in typing, not on every key
SEVERITIES = ("error", "warning", "info", "style")  # most serious first

_COLOURS = {  # (on a light background, on a dark one): each keeps 4.5:1 contrast for its text
    "error": ("#c62828", "#ff6b6b"),
    "warning": ("#b45309", "#fbbf24"),
    "info": ("#1565c0", "#64b5f6"),
    "style": ("#5f6368", "#b0b7c0"),
}


class Column(enum.IntEnum):
    SEVERITY = 0
    LINE = 1
    BLOCK = 2
    PROBLEM = 3
    CODE = 4


class Role(enum.IntEnum):
    """Extra item data roles (beyond Qt's)."""

    BLOCK_ID = Qt.ItemDataRole.UserRole + 1
    LINK = Qt.ItemDataRole.UserRole + 2
    SEVERITY = Qt.ItemDataRole.UserRole + 3
    EXPLANATION = Qt.ItemDataRole.UserRole + 4


@dataclass(frozen=True)
class ProblemItem:
    """One row: a lint finding or a field problem.

    Attributes:
        severity: "error", "warning", "info" or "style".
        code: the rule code ("DL3006", "DB001"), or "" for a field problem.
        title: a short plain headline.
        explanation: everything a beginner needs: what is wrong, why, and what to do.
        line: the 1-based line in the preview, or None for the whole file.
        block_id: the block it is about, or None.
        keyword: that block's keyword ("RUN", "comment"), or "".
        link: a page explaining the rule, or None.
    """

    severity: str
    code: str
    title: str
    explanation: str
    line: int | None
    block_id: str | None
    keyword: str
    link: str | None


def tr(text: str) -> str:
    """Translate a user-visible text of this module."""
    return QCoreApplication.translate("FindingsModel", text)


def severity_colour(severity: str, dark: bool) -> QColor:
    """The colour that stands for a severity, readable on a light or a dark background."""
    light, on_dark = _COLOURS.get(severity, _COLOURS["style"])
    return QColor(on_dark if dark else light)


def severity_label(severity: str) -> str:
    """The severity as a word for the list ("Error")."""
    labels = {
        "error": tr("Error"),
        "warning": tr("Warning"),
        "info": tr("Tip"),
        "style": tr("Style"),
    }
    return labels.get(severity, severity)


def severity_icon(severity: str, dark: bool, size: int = 16, ratio: float = 2.0) -> QIcon:
    """A round badge in the severity's colour with a white mark ("!" or "i"), sharp on high-DPI screens."""
    pixmap = device_pixmap(size, size, ratio)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = severity_colour(severity, dark)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    box = QRectF(1, 1, size - 2, size - 2)
    if severity == "warning":  # a triangle, so colour is not the only difference (colour blindness)
        path = QPainterPath(QPointF(size / 2, 1))
        path.lineTo(size - 1, size - 1.5)
        path.lineTo(1, size - 1.5)
        path.closeSubpath()
        painter.drawPath(path)
        box = QRectF(1, 3, size - 2, size - 4)
    else:
        painter.drawEllipse(box)
    painter.setPen(QPen(QColor("#000000" if dark else "#ffffff")))
    font = QFont()
    font.setPixelSize(round(size * 0.7))
    font.setBold(True)
    painter.setFont(font)
    mark = "!" if severity in ("error", "warning") else ("i" if severity == "info" else "·")
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, mark)
    painter.end()
    return QIcon(pixmap)


# --- collecting the rows -------------------------------------------------------------------------------


def field_issues(controller: DocumentController) -> list[FieldIssue]:
    """The field problems of the controller's document (the controller works them out once per change,
    checking again only the blocks that changed; the preview's gutter and the findings list both ask)."""
    return controller.field_issues()


def collect_items(controller: DocumentController) -> list[ProblemItem]:
    """Every problem of the open document, errors first (what stops a build is what to fix first, and a
    short list must not scroll it out of sight), then warnings and advice; each group in file order, the
    whole file's problems first; field problems before lint where they share a line."""
    rendered = controller.rendered
    keywords = {b.id: _keyword(b.kind, b.params.get("keyword")) for b in controller.document.blocks}
    items: list[ProblemItem] = []
    for issue in field_issues(controller):
        block_id = issue.block_id or None
        span = rendered.lines_of(block_id) if block_id else None
        items.append(
            ProblemItem(
                severity=issue.severity,
                code="",
                title=issue.message,
                explanation=issue.message,
                line=span.first if span else None,
                block_id=block_id if span else None,
                keyword=keywords.get(block_id, "") if block_id else "",
                link=None,
            )
        )
    report = controller.lint_report
    for finding in report.findings if report else []:
        line, block_id = finding.line, finding.block_id
        if block_id is not None:
            span = rendered.lines_of(block_id)
            if span is None:
                continue  # the block is gone since the check ran; a new check is on its way
            if line is None or not span.first <= line <= span.last:
                line = span.first  # the lines moved since the check ran: point at the block
        items.append(
            ProblemItem(
                severity=str(finding.severity),
                code=finding.code,
                title=finding.title,
                explanation=finding.explanation,
                line=line,
                block_id=block_id,
                keyword=keywords.get(block_id, "") if block_id else "",
                link=finding.link,
            )
        )
    items.sort(key=lambda i: (SEVERITIES.index(i.severity), i.line is not None, i.line or 0))
    return items


def _keyword(kind: Kind, unknown_keyword: object) -> str:
    if kind is Kind.UNKNOWN and unknown_keyword:
        return str(unknown_keyword).upper()
    return kind.value if kind.is_instruction else tr(kind.value.capitalize())


def summary_text(items: list[ProblemItem], report: LintReport | None) -> str:
    """One line over the list: "2 errors, 3 warnings — hadolint could not run: …"."""
    counts = {severity: sum(1 for i in items if i.severity == severity) for severity in SEVERITIES}
    words = {
        "error": (tr("1 error"), tr("{n} errors")),
        "warning": (tr("1 warning"), tr("{n} warnings")),
        "info": (tr("1 tip"), tr("{n} tips")),
        "style": (tr("1 style note"), tr("{n} style notes")),
    }
    parts = [(words[s][0] if n == 1 else words[s][1].format(n=n)) for s in SEVERITIES if (n := counts[s])]
    text = ", ".join(parts) if parts else tr("No problems found")
    if report is None:
        return text + " — " + tr("checking with hadolint…")
    if not report.hadolint_status.ok and report.hadolint_status.message:
        return text + " — " + report.hadolint_status.message
    return text


def tooltip_html(item: ProblemItem) -> str:
    """The full plain explanation as rich text, so the tooltip wraps long sentences."""
    head = html.escape(item.title)
    body = html.escape(item.explanation) if item.explanation != item.title else ""
    code = f" <span style='opacity:0.7'>({html.escape(item.code)})</span>" if item.code else ""
    more = (
        f"<p style='margin-top:6px'><i>{html.escape(tr('Double-click to read more.'))}</i></p>"
        if item.link
        else ""
    )
    paragraph = f"<p style='margin-top:6px'>{body}</p>" if body else ""
    return f"<qt><p><b>{head}</b>{code}</p>{paragraph}{more}</qt>"


class FindingsModel(QAbstractTableModel):
    """The problems of the controller's document, one per row, worst and earliest first."""

    def __init__(self, controller: DocumentController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._items: list[ProblemItem] = []
        self.dark = False
        self.icon_size = 16  # the view sets it from its font, so badges grow with the zoom
        self._icons: dict[tuple[str, bool, int], QIcon] = {}
        self._timer = QTimer(self, singleShot=True, interval=REVALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        controller.changed.connect(self._timer.start)
        controller.lintChanged.connect(self.refresh)
        controller.projectReplaced.connect(self.refresh)
        self.refresh()

    @property
    def items(self) -> list[ProblemItem]:
        return list(self._items)

    def summary(self) -> str:
        """The line over the list (counts, and why hadolint did not run when it did not)."""
        return summary_text(self._items, self._controller.lint_report)

    def refresh(self) -> None:
        """Rebuild the rows from the controller now."""
        self._timer.stop()
        items = collect_items(self._controller)
        if items == self._items:
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def item(self, row: int) -> ProblemItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    # --- QAbstractTableModel ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(Column):
            return None
        titles = (tr("Severity"), tr("Line"), tr("Block"), tr("Problem"), tr("Rule"))
        return titles[section]

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        item = self.item(index.row()) if index.isValid() else None
        if item is None or not 0 <= index.column() < len(Column):
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.SEVERITY:
            key = (item.severity, self.dark, self.icon_size)
            if key not in self._icons:
                self._icons[key] = severity_icon(item.severity, self.dark, self.icon_size)
            return self._icons[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html(item)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(item, column) or "—"
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.SEVERITY:
            return severity_colour(item.severity, self.dark)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._custom(item, role)

    def _display(self, item: ProblemItem, column: Column) -> str:
        if column is Column.SEVERITY:
            return severity_label(item.severity)
        if column is Column.LINE:
            return str(item.line) if item.line is not None else ""
        if column is Column.BLOCK:
            return item.keyword
        if column is Column.PROBLEM:
            return item.title
        return item.code

    @staticmethod
    def _custom(item: ProblemItem, role: int) -> object:
        if role == Role.BLOCK_ID:
            return item.block_id
        if role == Role.LINK:
            return item.link
        if role == Role.SEVERITY:
            return item.severity
        if role == Role.EXPLANATION:
            return item.explanation
        return None
