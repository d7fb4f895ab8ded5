"""The live Dockerfile preview: the document as highlighted text, always up to date.

Selecting blocks highlights their lines; clicking a line selects its block. "Explain" shows each block's
beginner explanation beside it. "Edit as text" lets the user type the Dockerfile directly: after a pause in
typing the text is read again into blocks, keeping the blocks whose text did not change; text Docker could
not read is kept as typed, with the problem shown above it, until it reads again. The typing of one stretch
(from switching "Edit as text" on to switching it off) is one step of the Edit menu's Undo; Ctrl+Z in the
text steps back through the typing itself, and typing taken back that way leaves no step behind.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.blocks.catalog import catalog_entry
from desktop.blocks.kinds import Kind
from desktop.blocks.operations import ReplaceBlocks
from desktop.dockerfile import DockerfileSyntaxError, import_text
from desktop.dockerfile.render import Rendered
from ui.controller import DocumentController
from ui.highlight import is_dark
from ui.models.findings_model import SEVERITIES, collect_items
from ui.theme import blend
from ui.widgets.preview_editor import DockerfileEditor
from ui.widgets.preview_margins import Marker, Note
from ui.widgets.preview_text import (
    block_texts,
    display_text,
    explanation_beside,
    explanation_html,
    keep_ids,
    smallest_edit,
    utf16_index,
)
from ui.widgets.preview_tints import MARK, PROBLEM_LINE, SELECTED_LINE, LineTints

__all__ = ["MARK", "PROBLEM_LINE", "SELECTED_LINE", "PreviewWidget"]  # the tint marks, for tests and views

APPLY_DELAY_MS = 600  # a pause in typing this long reads the text into blocks
MARKS_DELAY_MS = 250  # problems are checked again after a pause


class PreviewWidget(QWidget):
    """The Dockerfile preview with its "Explain" and "Edit as text" toggles.

    Signals: none of its own; it reads the controller and edits through it.
    """

    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._updating = False  # we are changing the editor's text ourselves
        self._known_text: str | None = None  # the editor's text as we last set it; None once the user typed
        # Each time "Edit as text" is switched on: what is typed until it is switched off is one undo step
        # in the Edit menu (the editor's own undo steps through the typing itself).
        self._text_session = 0
        self._error: DockerfileSyntaxError | None = None
        self._explain_cache: dict[tuple[Kind, str, tuple[str, ...]], tuple[str, str]] = {}
        self.setObjectName("Preview")
        self.setAccessibleName(self.tr("Dockerfile preview"))

        title = QLabel(self.tr("Dockerfile"), self)
        title.setObjectName("PreviewTitle")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.explain_toggle = self._toggle(
            "ExplainToggle",
            self.tr("Explain"),
            self.tr("Show what each line does, in plain words, beside it."),
        )
        self.edit_toggle = self._toggle(
            "EditAsTextToggle",
            self.tr("Edit as text"),
            self.tr("Type the Dockerfile yourself; your text turns into blocks when you pause."),
        )
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 4)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.explain_toggle)
        top.addWidget(self.edit_toggle)

        self.banner = QFrame(self)
        self.banner.setObjectName("PreviewBanner")
        self.banner.setAccessibleName(self.tr("Problem with the typed text"))
        self.banner_label = QLabel(self.banner)
        self.banner_label.setObjectName("PreviewBannerText")
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.discard_button = QPushButton(self.tr("Discard my text changes"), self.banner)
        self.discard_button.setObjectName("DiscardTextButton")
        self.discard_button.setAccessibleName(self.tr("Discard my text changes"))
        self.discard_button.setToolTip(self.tr("Go back to the Dockerfile the blocks make."))
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 6, 6, 6)
        banner_layout.addWidget(self.banner_label, 1)
        banner_layout.addWidget(self.discard_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.banner.hide()

        self.editor = DockerfileEditor(self)
        self.tints = LineTints(self.editor)
        self.editor.setAccessibleName(self.tr("Dockerfile text"))
        self.detail = QLabel(self)
        self.detail.setObjectName("ExplainDetail")
        self.detail.setAccessibleName(self.tr("Explanation of the selected block"))
        self.detail.setWordWrap(True)
        self.detail.setContentsMargins(8, 6, 8, 6)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.detail)

        self._apply_timer = QTimer(self, singleShot=True, interval=APPLY_DELAY_MS)
        self._apply_timer.timeout.connect(self.apply_text)
        self._marks_timer = QTimer(self, singleShot=True, interval=MARKS_DELAY_MS)
        self._marks_timer.timeout.connect(self._show_marks)
        self.explain_toggle.toggled.connect(self._set_explain)
        self.edit_toggle.toggled.connect(self._set_edit_mode)
        self.discard_button.clicked.connect(self.discard_text)
        self.editor.lineChosen.connect(self._line_chosen)
        self.editor.textChanged.connect(self._text_edited)
        controller.renderedChanged.connect(self._show_rendered)
        controller.selectionChanged.connect(self._show_selection)
        controller.lintChanged.connect(self._show_marks)
        controller.changed.connect(self._marks_timer.start)
        controller.projectReplaced.connect(self._project_replaced)
        self._style_panels()
        self._show_rendered(controller.rendered)
        self._show_marks()

    def _toggle(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setAccessibleName(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    # --- showing the document ------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        """Whether "Edit as text" is on."""
        return self.edit_toggle.isChecked()

    def _editor_text(self) -> str:
        """The editor's text (copying it out of Qt costs a pass over the whole text: done when unknown)."""
        if self._known_text is None:
            self._known_text = self.editor.toPlainText()
        return self._known_text

    def _show_rendered(self, rendered: Rendered) -> None:
        text = display_text(rendered.text)
        if self._editor_text() != text:
            self._apply_timer.stop()
            self._error = None
            self._replace_text(text)
        self._show_banner()
        self._show_notes()
        self._show_selection(self._controller.selection(), scroll=False)

    def _replace_text(self, text: str) -> None:
        """Change the editor's text with the smallest edit, so the view and the cursor stay where they are."""
        old = self._editor_text()
        start, end, insert = smallest_edit(old, text)
        bars = self.editor.verticalScrollBar().value(), self.editor.horizontalScrollBar().value()
        self._updating = True
        self._known_text = None  # until the edit is done
        # The highlighter is told the new text and the lines around the edit that stay as they are, so it
        # neither copies the whole text out of the editor again nor compares every line to find the edit.
        highlighter = self.editor.highlighter
        highlighter.expect_text(text, old.count("\n", 0, start), old.count("\n", end))
        try:
            cursor = QTextCursor(self.editor.document())
            cursor.beginEditBlock()
            cursor.setPosition(utf16_index(old, start))
            cursor.setPosition(utf16_index(old, end), QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(insert)
            cursor.endEditBlock()
            self._known_text = text
        finally:
            highlighter.expect_text(None)
            self._updating = False
        self.editor.verticalScrollBar().setValue(bars[0])
        self.editor.horizontalScrollBar().setValue(bars[1])

    def _show_selection(self, ids: list[str], scroll: bool = True) -> None:
        rendered, blocks = self._controller.rendered, []
        for block_id in ids:
            span = rendered.lines_of(block_id)
            if span is not None:
                blocks.append((span, QColor(catalog_entry(self._controller.block(block_id).kind).colour)))
        problem = self._error.line if self._error is not None and self._error.line > 0 else 0
        self.tints.show(blocks, problem)
        if blocks and scroll:
            self.editor.scroll_to_lines(blocks[0][0].first, blocks[0][0].last)
        self._show_detail(ids)

    def _show_detail(self, ids: list[str]) -> None:
        if not self.explain_toggle.isChecked():
            return
        if not ids:
            self.detail.setText(self.tr("Select a block or click a line to read its whole explanation here."))
            return
        block = self._controller.block(ids[0])
        self.detail.setText(explanation_html(block, self._controller.document.stage_names()))

    def _show_notes(self) -> None:
        if not self.explain_toggle.isChecked():
            return
        rendered, doc = self._controller.rendered, self._controller.document
        names = tuple(doc.stage_names())
        texts = block_texts(rendered)
        last_line = display_text(rendered.text).count("\n") + 1
        firsts: list[tuple[int, str, str]] = []
        for span in rendered.spans:
            block = doc.blocks[doc.find(span.block_id)]
            if block.kind is Kind.BLANK:
                continue
            key = (block.kind, texts.get(span.block_id, ""), names)
            if key not in self._explain_cache:
                if len(self._explain_cache) > 4096:
                    self._explain_cache.clear()
                self._explain_cache[key] = explanation_beside(block, names)
            firsts.append((span.first, *self._explain_cache[key]))
        notes = [
            Note(first, (firsts[i + 1][0] - 1) if i + 1 < len(firsts) else last_line, short, full)
            for i, (first, short, full) in enumerate(firsts)
        ]
        self.editor.set_notes(notes)

    def _show_marks(self, *_args: object) -> None:
        """Problem dots in the gutter: the worst problem on each line, all of them in the tooltip."""
        self._marks_timer.stop()
        by_line: dict[int, list[tuple[str, str]]] = {}
        for item in collect_items(self._controller):
            if item.line is not None:
                text = item.title if item.explanation == item.title else f"{item.title}: {item.explanation}"
                by_line.setdefault(item.line, []).append((item.severity, text))
        markers = {}
        for line, found in by_line.items():
            worst = min((s for s, _t in found), key=SEVERITIES.index)
            markers[line] = Marker(worst, "\n\n".join(text for _s, text in found))
        self.editor.set_markers(markers)

    # --- reacting to the user ------------------------------------------------------------------------

    def _line_chosen(self, line: int, modifiers: Qt.KeyboardModifier) -> None:
        if self.editing:
            return  # while typing, a click places the cursor; the text may not match the blocks yet
        block_id = self._controller.rendered.block_at_line(line)
        if block_id is None:
            return
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            chosen = self._controller.selection()
            chosen = [i for i in chosen if i != block_id] if block_id in chosen else [*chosen, block_id]
            self._controller.select(chosen)
        else:
            self._controller.select([block_id])

    def _set_explain(self, on: bool) -> None:
        self.editor.set_explain_visible(on)
        self.detail.setVisible(on)
        self._show_notes()
        self._show_detail(self._controller.selection())

    def _set_edit_mode(self, on: bool) -> None:
        if on:
            self._text_session += 1
            self.editor.set_editable(True)
            self.editor.setFocus()
        else:
            if not self.apply_text():
                # The typed text does not read: stay here, so it is not lost; the banner says what to do.
                self.edit_toggle.blockSignals(True)
                self.edit_toggle.setChecked(True)
                self.edit_toggle.blockSignals(False)
                self._show_banner(leaving=True)
                return
            self.editor.set_editable(False)
        self._show_banner()

    def _text_edited(self) -> None:
        if not self._updating:
            self._known_text = None  # the user's typing (or the editor's own undo) changed it
        if self._updating or not self.editing:
            return
        # Lines may have moved: explanations and problem dots would point at the wrong ones until the
        # text is read again (they come back then).
        self.editor.set_notes([])
        self.editor.set_markers({})
        self._apply_timer.start()

    def apply_text(self) -> bool:
        """Read the typed text into blocks now (one undo step); False if Docker could not read it."""
        self._apply_timer.stop()
        text = self.editor.toPlainText()
        rendered = self._controller.rendered
        if text == display_text(rendered.text):
            self._set_error(None)
            return True
        newline = self._controller.document.newline
        try:
            new_doc = import_text(text.replace("\n", newline) if newline != "\n" else text)
        except DockerfileSyntaxError as error:
            self._set_error(error)
            return False
        self._set_error(None)
        blocks = keep_ids(self._controller.document.blocks, rendered, new_doc.blocks)
        self._controller.apply(ReplaceBlocks(blocks, new_doc.newline, session=self._text_session))
        return True

    def discard_text(self) -> None:
        """Throw away typed text that could not be read, and show the blocks' Dockerfile again."""
        self._apply_timer.stop()
        self._set_error(None)
        self._replace_text(display_text(self._controller.rendered.text))

    def _set_error(self, error: DockerfileSyntaxError | None) -> None:
        self._error = error
        self._show_banner()
        self._show_selection(self._controller.selection(), scroll=False)

    def _show_banner(self, leaving: bool = False) -> None:
        error = self._error
        if error is None:
            self.banner.hide()
            return
        if error.line > 0:
            text = self.tr("Line {line}: {message}").format(line=error.line, message=error.message)
        else:
            text = error.message
        if leaving:
            text += " " + self.tr("Fix it to leave text editing, or discard your text changes.")
        else:
            text += " " + self.tr("Your blocks stay as they were until the text reads again.")
        self.banner_label.setText(text)
        self.banner.show()

    def _project_replaced(self) -> None:
        self._apply_timer.stop()
        self._error = None
        self._explain_cache.clear()
        if self.editing:
            self.edit_toggle.blockSignals(True)
            self.edit_toggle.setChecked(False)
            self.edit_toggle.blockSignals(False)
            self.editor.set_editable(False)
        self._show_banner()
        self.editor.verticalScrollBar().setValue(0)  # another file: start at its top

    # --- looks ---------------------------------------------------------------------------------------

    def _style_panels(self) -> None:
        palette = self.palette()
        base, text = palette.color(palette.ColorRole.Base), palette.color(palette.ColorRole.Text)
        red = QColor("#ff6b6b" if is_dark(palette) else "#c62828")
        self.banner.setStyleSheet(
            f"#PreviewBanner {{ background: {blend(base, red, 0.16).name()};"
            f" border: 1px solid {red.name()}; border-radius: 4px; margin: 2px 6px; }}"
            f"#PreviewBannerText {{ color: {text.name()}; }}"
        )
        self.detail.setStyleSheet(
            f"#ExplainDetail {{ background: {blend(base, text, 0.05).name()};"
            f" border-top: 1px solid {blend(base, text, 0.2).name()}; }}"
        )
        accent = palette.color(palette.ColorRole.Highlight)
        button = palette.color(palette.ColorRole.Button)
        toggles = (
            f"QToolButton {{ padding: 3px 10px; border: 1px solid {blend(button, text, 0.3).name()};"
            f" border-radius: 4px; background: {button.name()}; }}"
            f"QToolButton:hover {{ border-color: {accent.name()}; }}"
            f"QToolButton:checked {{ background: {blend(base, accent, 0.3).name()};"
            f" border: 1px solid {accent.name()}; }}"
        )
        self.explain_toggle.setStyleSheet(toggles)
        self.edit_toggle.setStyleSheet(toggles)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the window's text size changed (zoom)
            self.editor.apply_font()
        if event.type() == QEvent.Type.PaletteChange:
            self._style_panels()
            self._show_selection(self._controller.selection(), scroll=False)
