"""The start page: the first thing a beginner sees. Big cards to start from a template (or from nothing),
buttons to open a project or import a Dockerfile, and the recent projects.

Everything here only asks :class:`ui.files.ProjectFiles` to do the work; when it succeeds the page says so
with ``projectOpened`` and the window shows the editor.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractButton,
    QCommandLinkButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.paths import resource_path
from desktop.templates import TemplateInfo, list_templates
from ui.controller import DocumentController
from ui.file_dialogs import say
from ui.files import ProjectFiles
from ui.icons import app_icon, icon
from ui.theme import current_theme, readable_on

CARD_COLUMNS = 2
RECENT_SHOWN = 6  # the File menu lists all ten; the page keeps room for the buttons above
_ICON_SIDE = 44
_CONTENT_MAX_WIDTH = 1180
_EMPTY_COLOUR = "#6b7280"
_CARD_CHARS = 40  # the width a card asks for, in average characters


class TemplateCard(QAbstractButton):
    """One big clickable card: an icon, a title and a few sentences. Space or Enter chooses it too."""

    def __init__(self, title: str, description: str, icon_file: Path | None, colour: str) -> None:
        super().__init__()
        self.setText(title)
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._icon_file, self._colour = icon_file, colour
        self.icon_label = QLabel()
        self.icon_label.setFixedSize(_ICON_SIDE, _ICON_SIDE)
        self.title_label = QLabel(title)
        self.title_label.setWordWrap(True)
        self.description_label = QLabel(description)
        self.description_label.setWordWrap(True)
        for label in (self.icon_label, self.title_label, self.description_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setTextFormat(Qt.TextFormat.PlainText)
        gap = current_theme().spacing()
        text = QVBoxLayout()
        text.setSpacing(round(gap / 2))
        text.addWidget(self.title_label)
        text.addWidget(self.description_label)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(gap * 2, gap * 2, gap * 2, gap * 2)
        row.setSpacing(gap * 2)
        row.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self._restyle()

    def _restyle(self) -> None:
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 1.2)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        palette = self.description_label.palette()
        muted = _blend(
            self.palette().color(QPalette.ColorRole.Text), self.palette().color(QPalette.ColorRole.Base)
        )
        palette.setColor(QPalette.ColorRole.WindowText, muted)
        self.description_label.setPalette(palette)
        ratio = self.devicePixelRatioF()
        background = self.palette().color(QPalette.ColorRole.Base)
        tint = readable_on(QColor(self._colour), background, 3.0)
        self.icon_label.setPixmap(_tinted_svg(self._icon_file, _ICON_SIDE, tint, ratio))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._restyle()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.animateClick()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        # Every card asks for the same width, so the columns of cards share the room equally.
        width = self.fontMetrics().averageCharWidth() * _CARD_CHARS
        layout = self.layout()
        height = layout.totalHeightForWidth(width) if layout is not None else super().sizeHint().height()
        return QSize(width, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().averageCharWidth() * _CARD_CHARS * 2 // 3, super().minimumSizeHint().height()
        )

    def paintEvent(self, _event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        lively = self.hasFocus() or self.underMouse() or self.isDown()
        border = (
            palette.color(QPalette.ColorRole.Highlight) if lively else palette.color(QPalette.ColorRole.Mid)
        )
        width = 2.5 if self.hasFocus() else 1.5 if lively else 1.0
        fill = palette.color(QPalette.ColorRole.Base)
        if self.isDown():
            fill = _blend(palette.color(QPalette.ColorRole.Highlight), fill, 0.12)
        painter.setPen(border)
        pen = painter.pen()
        pen.setWidthF(width)
        painter.setPen(pen)
        painter.setBrush(fill)
        radius = current_theme().spacing(1.25)
        rect = QRectF(self.rect()).adjusted(width / 2, width / 2, -width / 2, -width / 2)
        painter.drawRoundedRect(rect, radius, radius)
        painter.end()


class StartPage(QScrollArea):
    """The page in front when no project is open.

    Signals:
        projectOpened(): a project was made, opened or imported from this page (show the editor now).
    """

    projectOpened = Signal()

    def __init__(self, controller: DocumentController, files: ProjectFiles | None) -> None:
        super().__init__()
        self.setObjectName("StartPage")
        self.setAccessibleName(say("start.welcome"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._controller, self._files = controller, files
        self.cards: dict[str, TemplateCard] = {}
        theme = current_theme()
        gap = theme.spacing()
        content = QWidget()
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
        centred = QHBoxLayout(outer)  # the page is centred, and no wider than reads well on a wide screen
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addStretch(1)
        centred.addWidget(content, 100)
        centred.addStretch(1)
        self.setWidget(outer)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.fill_recent()
        if files is not None:
            files.recentChanged.connect(self.fill_recent)
        theme.changed.connect(self._theme_changed)

    # --- building -------------------------------------------------------------------------------------

    def _header(self) -> QHBoxLayout:
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(64, 64), self.devicePixelRatioF()))
        logo.setAccessibleName("Dockblocks")
        welcome = _heading(say("start.welcome"), 2.0)
        welcome.setObjectName("StartWelcome")
        intro = QLabel(say("start.intro"))
        intro.setWordWrap(True)
        intro.setObjectName("StartIntro")
        words = QVBoxLayout()
        words.addWidget(welcome)
        words.addWidget(intro)
        row = QHBoxLayout()
        row.setSpacing(current_theme().spacing(2))
        row.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        return row

    def _templates_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(current_theme().spacing())
        column.addWidget(_heading(say("start.new"), 1.35))
        hint = QLabel(say("start.new_hint"))
        hint.setWordWrap(True)
        column.addWidget(hint)
        grid_holder = QWidget()
        grid_holder.setObjectName("TemplateCards")
        grid_holder.setAccessibleName(say("start.templates.accessible"))
        grid = QGridLayout(grid_holder)
        grid.setContentsMargins(0, current_theme().spacing(), 0, 0)
        grid.setSpacing(current_theme().spacing(2))
        choices: list[tuple[str | None, TemplateCard]] = []
        for info in list_templates():
            choices.append((info.id, self._card(info)))
        empty = TemplateCard(
            say("start.empty.title"), say("start.empty.description"), _empty_icon(), _EMPTY_COLOUR
        )
        empty.setObjectName("TemplateCard-empty")
        choices.append((None, empty))
        for index, (template_id, card) in enumerate(choices):
            card.clicked.connect(functools.partial(self.start_new, template_id))
            card.setEnabled(self._files is not None)
            grid.addWidget(card, index // CARD_COLUMNS, index % CARD_COLUMNS)
            self.cards[template_id or "empty"] = card
        for col in range(CARD_COLUMNS):
            grid.setColumnStretch(col, 1)
        column.addWidget(grid_holder)
        return column

    def _card(self, info: TemplateInfo) -> TemplateCard:
        card = TemplateCard(info.title, info.description, info.icon, info.colour)
        card.setObjectName(f"TemplateCard-{info.id}")
        return card

    def _files_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(current_theme().spacing())
        column.addWidget(_heading(say("start.files"), 1.35))
        self.open_button = self._link("OpenProjectButton", "start.open", "action-open", self.open_project)
        self.import_button = self._link(
            "ImportDockerfileButton", "start.import", "from", self.import_dockerfile
        )
        column.addWidget(self.open_button)
        column.addWidget(self.import_button)
        column.addSpacing(current_theme().spacing(2))
        column.addWidget(_heading(say("start.recent"), 1.35))
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

    def _link(self, name: str, key: str, icon_name: str, slot: Callable[[], bool]) -> QCommandLinkButton:
        button = QCommandLinkButton(say(key), say(f"{key}.description"))
        button.setObjectName(name)
        button.setAccessibleName(say(key).rstrip("…"))
        button.setAccessibleDescription(say(f"{key}.description"))
        button.setIcon(icon(icon_name))
        button.setEnabled(self._files is not None)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- what the page does ---------------------------------------------------------------------------

    def start_new(self, template_id: str | None) -> bool:
        """Start a project from a template (None: an empty one)."""
        return self._opened(self._files is not None and self._files.new_project(template_id))

    def open_project(self) -> bool:
        """Open a project or a Dockerfile chosen in a dialog."""
        return self._opened(self._files is not None and self._files.open_project())

    def import_dockerfile(self) -> bool:
        """Import a Dockerfile chosen in a dialog."""
        return self._opened(self._files is not None and self._files.import_dockerfile())

    def open_recent(self, path: Path) -> bool:
        """Open one of the recent files."""
        return self._opened(self._files is not None and self._files.open_recent(path))

    def recent_buttons(self) -> list[QCommandLinkButton]:
        """The buttons of the recent files shown, newest first."""
        found = (self.recent_box.itemAt(i).widget() for i in range(self.recent_box.count()))
        return [w for w in found if isinstance(w, QCommandLinkButton)]

    def fill_recent(self) -> None:
        """Show the recent files again (after one was opened, saved or pruned)."""
        while self.recent_box.count():
            item = self.recent_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()  # later: the button clicked may be the one that asked for this
        paths = self._files.recent_files()[:RECENT_SHOWN] if self._files is not None else []
        for number, path in enumerate(paths):
            folder = _short_folder(path.parent)
            button = QCommandLinkButton(path.name, say("start.recent.description", folder=folder))
            button.setObjectName(f"RecentFile-{number}")
            button.setAccessibleName(path.name)
            button.setAccessibleDescription(str(path))
            button.setToolTip(str(path))
            button.setIcon(app_icon() if path.suffix == ".dockblocks" else icon("from"))
            button.clicked.connect(functools.partial(self._recent_clicked, path))
            self.recent_box.addWidget(button)
        self.recent_none.setVisible(not paths)

    def _recent_clicked(self, path: Path, _checked: bool = False) -> None:
        self.open_recent(path)

    def _opened(self, done: bool) -> bool:
        if done:
            self.projectOpened.emit()
        return done

    def _theme_changed(self) -> None:
        for card in self.cards.values():
            card._restyle()
            card.update()


def _heading(text: str, scale: float) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(label.font().pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def _blend(front: QColor, back: QColor, share: float = 0.72) -> QColor:
    mixed = [b + (f - b) * share for f, b in zip(front.getRgbF()[:3], back.getRgbF()[:3], strict=True)]
    return QColor.fromRgbF(*mixed)


def _tinted_svg(path: Path | None, side: int, colour: QColor, ratio: float) -> QPixmap:
    """A one-colour line icon from a template folder, drawn sharp for the screen's pixel ratio."""
    device = max(1, round(side * ratio))
    pixmap = QPixmap(device, device)
    pixmap.fill(Qt.GlobalColor.transparent)
    if path is None:
        return pixmap
    try:
        renderer = QSvgRenderer(QByteArray(path.read_bytes()))
    except OSError:
        return pixmap
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, device, device))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pixmap.rect(), colour)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def _empty_icon() -> Path | None:
    try:
        return resource_path("templates", "empty.svg")
    except FileNotFoundError:
        return None


def _short_folder(folder: Path) -> str:
    home = str(Path.home())
    text = str(folder)
    return "~" + text[len(home) :] if text == home or text.startswith(home + os.sep) else text
