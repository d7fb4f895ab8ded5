"""The build log panel: what each step of a build printed, grouped by step, with a search above it.

Typing in the search field highlights the text in every line (the count grows while a long log is still
being searched, a slice per frame); Enter goes to the next match and Shift+Enter to the one before,
opening its step. "Only matching lines" hides every other line.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.engine.build_events import BuildEvent
from ui.models.build_log_model import BuildLogModel
from ui.models.build_log_search import LogSearch
from ui.widgets.build_log_lines import LogLines
from ui.widgets.build_states import say

BUILD_SWITCH_INTERVAL_S = 0.001


@contextlib.contextmanager
def quick_thread_switches() -> Iterator[None]:
    """While a build streams, hand the interpreter between threads every millisecond instead of every five.

    The thread reading the build and the window share Python's one lock; by default the thread keeps it
    up to 5 ms each time the window gives it up (every call into Qt may), so a frame with many such calls
    could wait for it several times over. The build panel streams inside this; the old interval comes back.
    """
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, BUILD_SWITCH_INTERVAL_S))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


class BuildLogView(QWidget):
    """A searchable build log over its own :class:`BuildLogModel`.

    Attributes:
        model: the steps and lines; feed it build events with :meth:`feed`.
        search: what the search field looks for.
        lines: the painted rows.

    Signals:
        blockRequested(str): the user asked to see the block a step comes from.
    """

    blockRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BuildLog")
        self.setAccessibleName(say("log.name"))
        self.model = BuildLogModel(self)
        self.search = LogSearch(self.model, self)
        self.lines = LogLines(self.model, self.search, self)
        self.lines.blockRequested.connect(self.blockRequested)
        self.field = QLineEdit(self)
        self.field.setObjectName("BuildLogSearch")
        self.field.setAccessibleName(say("log.search"))
        self.field.setPlaceholderText(say("log.search_placeholder"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.search.set_query)
        self.field.returnPressed.connect(lambda: self.go_to_match(backwards=False))
        self.previous = self._button("BuildLogPrevious", "log.previous", "▲", lambda: self.go_to_match(True))
        self.next = self._button("BuildLogNext", "log.next", "▼", lambda: self.go_to_match(False))
        self.only = QCheckBox(say("log.only_matching"), self)
        self.only.setObjectName("BuildLogOnlyMatching")
        self.only.setAccessibleName(say("log.only_matching"))
        self.only.toggled.connect(self.lines.set_only_matching)
        self.count = QLabel(self)
        self.count.setObjectName("BuildLogMatches")
        # Room for the longest count sentence from the start, so the bar does not jump while searching.
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance(say("log.no_match")) + 8)
        self.search.changed.connect(self._show_count)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.field, self.previous, self.next, self.only, self.count):
            bar.addWidget(widget)
        bar.setStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.lines, 1)
        find = QShortcut(
            QKeySequence.StandardKey.Find, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        find.activated.connect(self.focus_search)
        back = QShortcut(QKeySequence("Shift+Return"), self.field, context=Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(lambda: self.go_to_match(backwards=True))
        self._show_count()

    def _button(self, name: str, text_key: str, glyph: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(glyph)
        button.setToolTip(say(text_key))
        button.setAccessibleName(say(text_key))
        button.clicked.connect(slot)
        return button

    def feed(self, events: Iterable[BuildEvent]) -> None:
        """Queue build events for the log (applied a frame at a time)."""
        self.model.feed(events)

    def clear(self) -> None:
        """Empty the log for a new build."""
        self.model.clear()

    def focus_search(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def go_to_match(self, backwards: bool = False) -> None:
        """Show the next (or previous) line holding the searched text, opening its step."""
        place = self.search.next_match(self.lines.current_match, backwards)
        if place is not None:
            self.lines.go_to(place)

    def _show_count(self) -> None:
        found = self.search.count()
        if not self.search.query:
            text = ""
        elif not self.search.is_complete():
            text = say("log.searching_one") if found == 1 else say("log.searching", count=f"{found:,}")
        elif found == 0:
            text = say("log.no_match")
        else:
            text = say("log.one_match") if found == 1 else say("log.matches", count=f"{found:,}")
        self.count.setText(text)
        for button in (self.previous, self.next):
            button.setEnabled(found > 0)
