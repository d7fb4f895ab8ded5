"""The start page: the first thing a beginner sees. Big cards to start from a template (or from nothing),
buttons to open a project or import a Dockerfile, and the recent projects.

Everything here only asks :class:`ui.files.ProjectFiles` to do the work; when it succeeds the page says so
with ``projectOpened`` and the window shows the editor.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSettings, QSize, Signal
from PySide6.QtGui import QFont, QIcon, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.i18n import format_text, load_texts
from desktop.paths import PROJECT_SUFFIX, resource_path
from desktop.templates import TemplateInfo, list_templates
from ui.icons import app_icon, icon
from ui.recent_files import existing_recent
from ui.theme import current_theme
from ui.widgets.choice_card import ChoiceCard

if TYPE_CHECKING:
    from ui.controller import DocumentController
    from ui.files import ProjectFiles

CARD_COLUMNS = 2
RECENT_SHOWN = 6  # the File menu lists all ten; the page keeps room for the buttons above
_CONTENT_MAX_WIDTH = 1180  # wider than this, lines get too long to read on a big screen
_SCROLL_BAR_ROOM = 24  # pixels a vertical scroll bar may take from the page's width
_EMPTY_COLOUR = "#6b7280"
_LOGO_LINES = 3.2
_TEXT_SCALE = 1.15  # a welcome page has room: slightly bigger words read better from the back of a room

_log = logging.getLogger(__name__)


class StartPage(QScrollArea):
    """The page in front when no project is open.

    Attributes:
        cards: the template cards by template id, and the empty project's card as ``"empty"``.
        open_button, import_button: "Open a project…" and "Import a Dockerfile…".

    Signals:
        projectOpened(): a project was made, opened or imported from this page (show the editor now).
        filesWanted(): a choice was made before the File menu's work came (``files_later``); whoever
            made the page attaches it now (:meth:`attach_files`), so the choice is carried out, not lost.
    """

    projectOpened = Signal()
    filesWanted = Signal()

    def __init__(
        self,
        controller: DocumentController | None,
        files: ProjectFiles | None,
        settings: QSettings | None = None,
        files_later: bool = False,
    ) -> None:
        """``files_later``: the File menu's work comes later, through :meth:`attach_files` (the window
        loads it just after its first picture); meanwhile the recent files are read from ``settings``."""
        super().__init__()
        self.setObjectName("StartPage")
        self.setAccessibleName(say("start.welcome"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self._controller, self._files = controller, files
        self._settings = settings if settings is not None else QSettings()
        self._files_later = files is None and files_later
        self._headings: list[tuple[QLabel, float]] = []
        self._columns = 0  # columns of template cards now (two, or one when two do not fit)
        self._styled_ratio = 0.0  # the pixel ratio the logo was drawn for
        self.cards: dict[str, ChoiceCard] = {}
        gap = current_theme().spacing()
        content = self._content = QWidget()
        content.setObjectName("StartPageContent")
        content.setMaximumWidth(_CONTENT_MAX_WIDTH)
        column = QVBoxLayout(content)
        column.setContentsMargins(gap * 4, gap * 4, gap * 4, gap * 4)
        column.setSpacing(gap * 3)
        column.addLayout(self._header())
        body = QHBoxLayout()
        body.setSpacing(gap * 5)
        body.addLayout(self._templates_column(), 5)
        body.addLayout(self._files_column(), 2)
        column.addLayout(body)
        column.addStretch(1)
        outer = QWidget()
        centred = QHBoxLayout(outer)  # centred, and no wider than reads well
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addStretch(1)
        centred.addWidget(content, 100)
        centred.addStretch(1)
        self.fill_recent()
        self._restyle()
        # Put in the scroll area when the page is first shown: setWidget lays out and polishes every card,
        # which before then would be done at a made-up size and again at the real one (~10 ms at start).
        self._unplaced: QWidget | None = outer
        if files is not None:
            files.recentChanged.connect(self.fill_recent)
        current_theme().changed.connect(self._restyle)

    # --- what the page does ---------------------------------------------------------------------------

    def start_new(self, template_id: str | None) -> bool:
        """Start a project from a template (None: an empty one)."""
        files = self._files_now()
        return self._opened(files is not None and files.new_project(template_id))

    def open_project(self) -> bool:
        """Open a project or a Dockerfile chosen in a dialog."""
        files = self._files_now()
        return self._opened(files is not None and files.open_project())

    def import_dockerfile(self) -> bool:
        """Import a Dockerfile chosen in a dialog."""
        files = self._files_now()
        return self._opened(files is not None and files.import_dockerfile())

    def open_recent(self, path: Path) -> bool:
        """Open one of the recent files."""
        files = self._files_now()
        return self._opened(files is not None and files.open_recent(path))

    def attach_files(self, files: ProjectFiles | None) -> None:
        """The File menu's work, loaded after the page was made (None: it could not be loaded)."""
        self._files, self._files_later = files, False
        for button in [*self.cards.values(), self.open_button, self.import_button]:
            button.setEnabled(files is not None)
        if files is not None:
            files.recentChanged.connect(self.fill_recent)
        self.fill_recent()

    def recent_buttons(self) -> list[ChoiceCard]:
        """The buttons of the recent files shown, newest first."""
        items = (self.recent_box.itemAt(i) for i in range(self.recent_box.count()))
        found = (item.widget() for item in items if item is not None)
        return [w for w in found if isinstance(w, ChoiceCard)]

    def fill_recent(self) -> None:
        """Show the recent files again (after one was opened, saved or pruned)."""
        while self.recent_box.count():
            item = self.recent_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()  # later: the button clicked may be the one that asked for this
        if self._files is not None:
            paths = self._files.recent_files()[:RECENT_SHOWN]
        else:
            paths = existing_recent(self._settings)[:RECENT_SHOWN] if self._files_later else []
        for number, path in enumerate(paths):
            description = say("start.recent.description", folder=_short_folder(path.parent))
            button = ChoiceCard(path.name, description, _file_icon(path), framed=False, icon_lines=1.6)
            button.setObjectName(f"RecentFile-{number}")
            button.setToolTip(str(path))
            button.clicked.connect(functools.partial(self._recent_clicked, path))
            self.recent_box.addWidget(button)
        self.recent_none.setVisible(not paths)

    # --- building -------------------------------------------------------------------------------------

    def _header(self) -> QHBoxLayout:
        self.logo = QLabel()
        self.logo.setAccessibleName("Dockblocks")
        welcome = self._heading(say("start.welcome"), 2.0)
        welcome.setObjectName("StartWelcome")
        intro = QLabel(say("start.intro"))
        intro.setObjectName("StartIntro")
        intro.setWordWrap(True)
        words = QVBoxLayout()
        words.addWidget(welcome)
        words.addWidget(intro)
        logo_column = QVBoxLayout()  # the logo at the top (Qt.AlignmentFlag would build Qt's enums)
        logo_column.addWidget(self.logo)
        logo_column.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(current_theme().spacing(2))
        row.addLayout(logo_column)
        row.addLayout(words, 1)
        return row

    def _templates_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(current_theme().spacing())
        column.addWidget(self._heading(say("start.new"), 1.35))
        hint = QLabel(say("start.new_hint"))
        hint.setWordWrap(True)
        column.addWidget(hint)
        holder = QWidget()
        holder.setObjectName("TemplateCards")
        holder.setAccessibleName(say("start.templates.accessible"))
        grid = self._grid = QGridLayout(holder)
        grid.setContentsMargins(0, current_theme().spacing(), 0, 0)
        grid.setSpacing(current_theme().spacing(2))
        choices = [(info.id, self._template_card(info)) for info in _templates()]
        empty = ChoiceCard(
            say("start.empty.title"), say("start.empty.description"), _empty_icon(), _EMPTY_COLOUR
        )
        empty.setObjectName("TemplateCard-empty")
        choices.append(("empty", empty))
        for key, card in choices:
            card.clicked.connect(functools.partial(self._card_clicked, None if key == "empty" else key))
            card.setEnabled(self._offers_files())
            self.cards[key] = card
        self._place_cards(CARD_COLUMNS)
        column.addWidget(holder)
        return column

    def _template_card(self, info: TemplateInfo) -> ChoiceCard:
        card = ChoiceCard(info.title, info.description, info.icon, info.colour)
        card.setObjectName(f"TemplateCard-{info.id}")
        return card

    def _files_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(current_theme().spacing())
        column.addWidget(self._heading(say("start.files"), 1.35))
        self.open_button = self._link("OpenProjectButton", "start.open", "action-open", self.open_project)
        self.import_button = self._link(
            "ImportDockerfileButton", "start.import", "from", self.import_dockerfile
        )
        column.addWidget(self.open_button)
        column.addWidget(self.import_button)
        column.addSpacing(current_theme().spacing(2))
        column.addWidget(self._heading(say("start.recent"), 1.35))
        self.recent_box = QVBoxLayout()
        self.recent_box.setSpacing(0)
        column.addLayout(self.recent_box)
        self.recent_none = QLabel(say("start.recent.none"))
        self.recent_none.setObjectName("RecentNone")
        self.recent_none.setWordWrap(True)
        self.recent_none.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        column.addWidget(self.recent_none)
        column.addStretch(1)
        return column

    def _link(self, name: str, key: str, icon_name: str, slot: Callable[[], bool]) -> ChoiceCard:
        button = ChoiceCard(
            say(key), say(f"{key}.description"), icon(icon_name), framed=False, icon_lines=1.6
        )
        button.setObjectName(name)
        button.setEnabled(self._offers_files())
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _heading(self, text: str, scale: float) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setAccessibleName(text)
        self._headings.append((label, scale))
        self._style_heading(label, scale)
        return label

    # --- reacting -------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._restyle()

    def showEvent(self, event: QShowEvent) -> None:
        if self._unplaced is not None:
            self.setWidget(self._unplaced)
            self._unplaced = None
        super().showEvent(event)
        if self.devicePixelRatioF() != self._styled_ratio:
            self._restyle()  # the screen the page is shown on has another pixel ratio (fits the columns too)
        else:
            self._fit_columns()

    def _restyle(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * _TEXT_SCALE)
        self._content.setFont(font)  # the cards follow through their own FontChange
        for label, scale in self._headings:
            self._style_heading(label, scale)
        side = round(self._content.fontMetrics().height() * _LOGO_LINES)
        self._styled_ratio = self.devicePixelRatioF()
        self.logo.setPixmap(app_icon().pixmap(QSize(side, side), self._styled_ratio))
        for card in [*self.cards.values(), self.open_button, self.import_button, *self.recent_buttons()]:
            card.restyle()
            card.update()
        self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Two columns of cards where they fit, else one: zoomed in far (a projector), two columns
        squeezed the cards until their words broke in the middle ("Pyt-hon")."""
        if not self.cards or not self.isVisible():
            return  # measured when shown, at the size it is shown at
        # From the cards' least widths (their fonts'), not their size hints or the page's layout: asked
        # before Qt has polished them, those would measure every card twice at every start (~20 ms).
        card = max(c.least_width() for c in self.cards.values())
        files = max(self.open_button.least_width(), self.import_button.least_width())
        gap = current_theme().spacing()
        around = gap * 4 * 2 + gap * 5  # the page's margins and the space between the two columns
        two = around + files + 2 * card + self._grid.horizontalSpacing()
        # The page's own width, less room for a scroll bar: asking for the viewport here makes PySide build
        # ~80 enums before the first picture (~20 ms).
        room = min(self.width() - _SCROLL_BAR_ROOM, _CONTENT_MAX_WIDTH)
        self._place_cards(CARD_COLUMNS if two <= room else 1)
        # Never narrower than what its words need: past that the page scrolls sideways instead.
        needed = two if self._columns == CARD_COLUMNS else around + files + card
        self._content.setMaximumWidth(max(_CONTENT_MAX_WIDTH, needed))

    def _place_cards(self, columns: int) -> None:
        grid = self._grid
        if grid.count() == len(self.cards) and self._columns == columns:
            return
        self._columns = columns
        for card in self.cards.values():
            grid.removeWidget(card)  # placed again below, in the new number of columns
        for index, card in enumerate(self.cards.values()):
            grid.addWidget(card, index // columns, index % columns)
        for column in range(CARD_COLUMNS):
            grid.setColumnStretch(column, 1 if column < columns else 0)

    def _style_heading(self, label: QLabel, scale: float) -> None:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * _TEXT_SCALE * scale)
        font.setBold(True)
        label.setFont(font)

    def _files_now(self) -> ProjectFiles | None:
        """The File menu's work, asked for at once if it has not come yet (a click is never dropped)."""
        if self._files is None and self._files_later:
            self.filesWanted.emit()
        return self._files

    def _offers_files(self) -> bool:
        return self._files is not None or self._files_later

    def _card_clicked(self, template_id: str | None, _checked: bool = False) -> None:
        self.start_new(template_id)

    def _recent_clicked(self, path: Path, _checked: bool = False) -> None:
        self.open_recent(path)

    def _opened(self, done: bool) -> bool:
        if done:
            self.projectOpened.emit()
        return done


def say(key: str, /, **values: Any) -> str:
    """One text of ``resources/i18n/files.<language>.json`` (those of the File menu's work)."""
    template = load_texts("files").get(key)
    return format_text(template if isinstance(template, str) else key, **values)


def _templates() -> list[TemplateInfo]:
    try:
        return list_templates()
    except OSError:  # no templates folder at all: a packaging slip; the empty project still works
        _log.exception("the templates could not be listed")
        return []


def _empty_icon() -> Path | None:
    try:
        return resource_path("templates", "empty.svg")
    except FileNotFoundError:
        return None


def _file_icon(path: Path) -> QIcon:
    return app_icon() if path.suffix == PROJECT_SUFFIX else icon("from")


def _short_folder(folder: Path) -> str:
    home = str(Path.home())
    text = str(folder)
    return "~" + text[len(home) :] if text == home or text.startswith(home + os.sep) else text
