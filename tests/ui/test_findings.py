"""The findings list: every problem in one table (hadolint, our own checks, the blocks' fields), a summary
line that says when hadolint could not run, tooltips with the plain explanation, and clicks that select."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from releasing import release

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.blocks.operations import InsertBlocks
from desktop.blocks.validate import validate_document
from desktop.dockerfile import import_text
from desktop.lint import lint_document
from desktop.project import Project
from ui.controller import DocumentController
from ui.models.findings_model import Column, FindingsModel, Role, summary_text
from ui.widgets.findings import FindingsWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# DL3006 (no tag) and DL3003 (cd in RUN) from hadolint; two stages named alike is a field problem.
DOCKERFILE = """\
FROM alpine AS build
RUN cd /src && make
FROM alpine:3.20 AS build
COPY --from=build /src/app /app
"""


@pytest.fixture
def checked(qtbot):
    """Controllers over a Dockerfile, checked once; widgets made on them are deleted before them."""
    made: list[DocumentController] = []
    widgets: list[QObject] = []

    def make(text: str = DOCKERFILE) -> DocumentController:
        controller = DocumentController(Project(document=import_text(text)))
        made.append(controller)
        with qtbot.waitSignal(controller.lintChanged, timeout=30000):
            controller.schedule_lint(immediately=True)
        return controller

    make.widgets = widgets
    yield make
    release(widgets, made)


@pytest.fixture
def findings(qtbot, checked):
    def make(text: str = DOCKERFILE) -> tuple[FindingsWidget, DocumentController]:
        controller = checked(text)
        widget = FindingsWidget(controller)
        checked.widgets.append(widget)
        widget.resize(700, 300)
        widget.show()
        qtbot.waitExposed(widget)
        return widget, controller

    return make


def rows(model: FindingsModel) -> list[tuple[str, str, str, str, str]]:
    return [
        tuple(model.index(row, column).data() for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def test_model_passes_the_model_tester(qtmodeltester, checked):
    controller = checked()
    model = FindingsModel(controller)
    checked.widgets.append(model)  # deleted before its controller, like the widgets
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    empty = FindingsModel(checked('FROM alpine:3.20\nCMD ["true"]\n'))
    qtmodeltester.check(empty, force_py=True)


def test_list_shows_lint_findings_and_field_problems(findings):
    widget, controller = findings()
    model = widget.model
    report = controller.lint_report
    assert report is not None and report.hadolint_status.ok
    codes = {item.code for item in model.items}
    assert {"DL3006", "DL3003"} <= codes
    issues = validate_document(controller.document)
    assert issues, "the duplicate stage name is a field problem"
    assert [i.message for i in issues] == [item.title for item in model.items if not item.code]
    table = rows(model)
    dl3003 = next(row for row in table if row[Column.CODE] == "DL3003")
    assert dl3003[Column.LINE] == "2" and dl3003[Column.BLOCK] == "RUN"
    assert dl3003[Column.SEVERITY] in ("Warning", "Tip", "Error", "Style")
    duplicate = next(row for row in table if row[Column.CODE] == "")
    assert duplicate[Column.LINE] == "3" and duplicate[Column.BLOCK] == "FROM"
    errors = sum(1 for item in model.items if item.severity == "error")
    assert widget.summary.text().startswith(f"{errors} error" if errors != 1 else "1 error,")


def test_errors_come_first_then_the_rest_in_file_order(findings):
    # Four warnings on the first lines pushed the errors of the last line out of a short list's sight.
    widget, _controller = findings(
        "FROM alpine\nRUN cd /a && make\nRUN cd /b && make\nEXPOSE 99999\nFROM alpine:3.20 AS x\n"
    )
    severities = [item.severity for item in widget.model.items]
    assert severities[0] == "error" and "error" in severities and "warning" in severities
    assert severities == sorted(severities, key=("error", "warning", "info", "style").index)
    warning_lines = [item.line for item in widget.model.items if item.severity == "warning"]
    assert warning_lines == sorted(warning_lines, key=lambda line: (line is not None, line or 0))


def test_a_new_problem_appears_after_an_edit(findings, qtbot):
    widget, controller = findings()
    before = len(widget.model.items)
    controller.apply(InsertBlocks(len(controller.document.blocks), [new_block(Kind.EXPOSE)]))
    qtbot.waitUntil(lambda: len(widget.model.items) > before, timeout=3000)
    expose_line = controller.rendered.lines_of(controller.document.blocks[-1].id).first
    assert any(item.line == expose_line and item.keyword == "EXPOSE" for item in widget.model.items)


def test_tooltip_has_the_plain_explanation(findings):
    widget, controller = findings()
    model = widget.model
    row = next(r for r, item in enumerate(model.items) if item.code == "DL3003")
    finding = next(f for f in controller.lint_report.findings if f.code == "DL3003")
    tip = model.index(row, Column.PROBLEM).data(Qt.ItemDataRole.ToolTipRole)
    assert finding.title in tip
    assert finding.explanation.split(".")[0].replace("'", "&#x27;").replace('"', "&quot;") in tip
    assert tip.startswith("<qt>")  # rich text: Qt wraps long explanations in the tooltip
    assert model.index(row, Column.PROBLEM).data(Role.EXPLANATION) == finding.explanation


def click_row(widget: FindingsWidget, row: int, double: bool = False) -> None:
    centre = widget.view.visualRect(widget.model.index(row, Column.PROBLEM)).center()
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(widget.view.viewport(), button, none, centre)
    if double:  # a real double-click: a click, then the second press Qt reports as a double-click
        QTest.mouseDClick(widget.view.viewport(), button, none, centre)


def test_clicking_a_problem_selects_its_block(findings):
    widget, controller = findings()
    row = next(r for r, item in enumerate(widget.model.items) if item.code == "DL3003")
    click_row(widget, row)
    assert controller.selection() == [controller.rendered.block_at_line(2)]
    row = next(r for r, item in enumerate(widget.model.items) if item.code == "")
    click_row(widget, row)
    assert controller.selection() == [controller.rendered.block_at_line(3)]


class _Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_double_click_opens_the_rules_page(findings):
    widget, _controller = findings()
    row = next(r for r, item in enumerate(widget.model.items) if item.link)
    opened = _Opened()
    for scheme in ("https", "http"):
        QDesktopServices.setUrlHandler(scheme, opened, "open")
    try:
        click_row(widget, row, double=True)
        QTest.keyClick(widget.view, Qt.Key.Key_Return)  # the keyboard's way: Enter on the current row
    finally:
        for scheme in ("https", "http"):
            QDesktopServices.unsetUrlHandler(scheme)
    assert opened.urls == [widget.model.items[row].link] * 2


def test_summary_says_why_hadolint_did_not_run(findings, tmp_path: Path):
    widget, controller = findings()
    report = lint_document(controller.document, hadolint=tmp_path / "no-hadolint-here")
    assert not report.hadolint_status.ok and report.hadolint_status.message
    controller.lint_report = report
    controller.lintChanged.emit(report)
    text = widget.summary.text()
    assert text.endswith(" — " + report.hadolint_status.message)
    assert text == summary_text(widget.model.items, report)
    assert "DL3003" not in {item.code for item in widget.model.items}


def test_summary_counts_in_plain_words():
    assert summary_text([], None).startswith("No problems found")
