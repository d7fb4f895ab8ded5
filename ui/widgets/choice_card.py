"""A big, friendly button: an icon, a bold title and a sentence or two, chosen by click, Space or Enter.

The start page uses it framed for the templates and flat for "Open a project…", "Import a Dockerfile…" and
the recent files. Unlike ``QCommandLinkButton`` (which fixes its text at 9 points) its text follows the
window's font and zoom, so it stays readable on a projector.

The card lays out and paints its icon and words itself rather than holding labels in a layout: the start
page is the first picture, and its nine cards' 27 word-wrapped labels and 18 layouts took ~20 ms of every
start to make, polish and measure (bench/ui_cold_start.py). The words wrap as a label's do (at word
boundaries, inside a word only when it is longer than the line) and the card's height follows its width.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QPointF, QRectF, QSize, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPixmap,
    QPixmapCache,
    QShowEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from ui.icons import recolour, solid_brush, transparent
from ui.theme import blend, current_theme, readable_on

_CARD_CHARS = 40  # the width a framed card asks for, in average characters: columns of cards share equally
_ICON_CONTRAST = 3.0  # WCAG minimum for graphics
_DISABLED_ICON_OPACITY = 0.4
_DESCRIPTION_SHARE = 0.85  # the description: this much of the text colour over the background (softer, yet
# readable from the back of a classroom: over 9:1 on white)


class _Looks:
    """What a card's appearance is made of for one font, palette, spacing and pixel ratio."""

    def __init__(self, card: ChoiceCard) -> None:
        gap = current_theme().spacing()
        framed = card.is_framed()
        self.ratio = card.devicePixelRatioF()
        self.margin = gap * 2 if framed else gap
        self.icon_gap = gap * 2 if framed else round(gap * 1.5)
        self.line_gap = round(gap / 3)  # between the title and the description
        self.title_font = QFont(card.font())
        self.title_font.setPointSizeF(card.font().pointSizeF() * (1.2 if framed else 1.05))
        self.title_font.setBold(True)
        self.side = round(card.fontMetrics().height() * card.icon_lines())
        self.icon = card.icon_pixmap(self.side)
        self.title = _Text(card.text(), self.title_font, card)
        self.description = _Text(card.description(), card.font(), card) if card.description() else None

    def words_height(self, width: int) -> int:
        """The title's and the description's height together, wrapped to ``width`` pixels."""
        height = self.title.height(width)
        if self.description is not None:
            height += self.line_gap + self.description.height(width)
        return height


class _Text:
    """One text of a card: shaped once, wrapped again for each width asked (shaping is the slow part)."""

    def __init__(self, text: str, font: QFont, device: QWidget) -> None:
        self.layout = QTextLayout(text, font, device)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # as a word-wrapped label
        self.layout.setTextOption(option)
        self._heights: dict[int, int] = {}
        self._wrapped_at = -1

    def height(self, width: int) -> int:
        """The text's height wrapped to ``width`` pixels."""
        height = self._heights.get(width)
        return self._wrap(width) if height is None else height

    def draw(self, painter: QPainter, top_left: QPointF, width: int) -> None:
        if self._wrapped_at != width:
            self._wrap(width)
        self.layout.draw(painter, top_left)

    def _wrap(self, width: int) -> int:
        layout = self.layout
        layout.beginLayout()
        height = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, height))
            height += line.height()
        layout.endLayout()
        self._wrapped_at = width
        self._heights[width] = round(height)
        return self._heights[width]


class ChoiceCard(QAbstractButton):
    """One choice on the start page.

    Args:
        title: the bold first line (also the accessible name).
        description: the sentences under it (also the accessible description); "" for none.
        icon: an SVG line icon (tinted with ``colour``) or a ready QIcon (drawn as it is), or None.
        colour: the tint of an SVG icon (made readable on the background); None uses the text colour.
        framed: a card with a border (templates); False draws a border only on hover and focus.
        icon_lines: the icon's height, in lines of text.
    """

    def __init__(
        self,
        title: str,
        description: str,
        icon: Path | QIcon | None = None,
        colour: str | None = None,
        framed: bool = True,
        icon_lines: float = 2.4,
    ) -> None:
        super().__init__()
        self.setText(title)
        self.setAccessibleName(title.rstrip("…").rstrip("."))
        self.setAccessibleDescription(description)
        # A button takes the keyboard by Tab and by click, and the Fusion style turns its hover on (the
        # card repaints when the pointer comes and goes); the hand pointer comes just after the card's
        # first picture. Each is a Qt enum, and the first of those builds all of Qt's (~35 ms): the
        # start page is the window's first picture. The words are painted with the painter's first pen,
        # the widget's foreground in its state (enabled, active window): setting a pen or a brush makes
        # PySide weigh overloads taking Qt enums, which builds them too.
        self.setForegroundRole(QPalette.ColorRole.WindowText)
        self._hand_set = False
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._description = description
        self._icon, self._colour, self._framed, self._icon_lines = icon, colour, framed, icon_lines
        # Made when first measured or painted, in the font, palette and screen of the card's place; made
        # again after a change of font, palette or pixel ratio (restyle).
        self._looks: _Looks | None = None

    # --- what it shows --------------------------------------------------------------------------------

    def description(self) -> str:
        """The sentences under the title ("" for none)."""
        return self._description

    def is_framed(self) -> bool:
        """Whether the card has a border (a template) or is flat (a file to open)."""
        return self._framed

    def icon_lines(self) -> float:
        """The icon's height, in lines of the card's text."""
        return self._icon_lines

    def title_font(self) -> QFont:
        """The title's font: the card's, bold and a little bigger."""
        return QFont(self._current_looks().title_font)

    def icon_side(self) -> int:
        """The icon's width and height, in pixels."""
        return self._current_looks().side

    def description_colour(self) -> QColor:
        """The description's colour on the card's background: the text colour, softened towards it."""
        palette = self.palette()
        group = self._colour_group()
        return blend(
            palette.color(group, self._backdrop_role()),
            palette.color(group, QPalette.ColorRole.WindowText),
            _DESCRIPTION_SHARE,
        )

    def icon_pixmap(self, side: int) -> QPixmap:
        """The icon drawn ``side`` pixels square for this card's screen and palette."""
        ratio = self.devicePixelRatioF()
        if isinstance(self._icon, QIcon):
            return self._icon.pixmap(QSize(side, side), ratio)
        background = self.palette().color(QPalette.ColorRole.Base)
        base = QColor(self._colour) if self._colour else self.palette().color(QPalette.ColorRole.Text)
        return tinted_svg(self._icon, side, readable_on(base, background, _ICON_CONTRAST), ratio)

    def restyle(self) -> None:
        """Fonts, colours, icon and spacing again from the current palette and font (theme or zoom change).

        Nothing is made now: the card's looks are made again when it is next measured or painted (the
        start page restyles its cards several times while it is built).
        """
        self._looks = None
        self.updateGeometry()
        self.update()

    # --- size -----------------------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        looks = self._current_looks()
        return looks.margin * 2 + max(looks.side, looks.words_height(self._text_width(width)))

    def sizeHint(self) -> QSize:
        looks = self._current_looks()
        longest = self.fontMetrics().averageCharWidth() * _CARD_CHARS
        if self._framed:
            width = longest
        else:  # as wide as its words on one line, up to a framed card's width
            words = max(
                QFontMetrics(looks.title_font).horizontalAdvance(self.text()),
                self.fontMetrics().horizontalAdvance(self._description),
            )
            width = looks.margin * 2 + looks.side + looks.icon_gap + min(words, longest)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        looks = self._current_looks()
        one_line = QFontMetrics(looks.title_font).height()
        return QSize(self.least_width(), looks.margin * 2 + max(looks.side, one_line))

    def least_width(self) -> int:
        """The narrowest the card reads well at (its minimum width), known without laying it out."""
        return self.fontMetrics().averageCharWidth() * _CARD_CHARS * 2 // 3

    # --- events ---------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.restyle()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self.restyle()  # moved to a screen with another pixel ratio: the icon is drawn again for it
        return super().event(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self._looks is not None and self._looks.ratio != self.devicePixelRatioF():
            self.restyle()  # shown on a screen with another pixel ratio than it was measured for
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.animateClick()
            return
        super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)  # its pen: the window's text colour of the card's state (see __init__)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_backdrop(painter)
        looks = self._current_looks()
        if not self.isEnabled():
            painter.setOpacity(_DISABLED_ICON_OPACITY)  # greyed with the words, as a disabled label's
        painter.drawPixmap(QPointF(looks.margin, looks.margin), looks.icon)
        painter.setOpacity(1.0)
        left = looks.margin + looks.side + looks.icon_gap
        width = self._text_width(self.width())
        looks.title.draw(painter, QPointF(left, looks.margin), width)
        if looks.description is not None:
            top = looks.margin + looks.title.height(width) + looks.line_gap
            painter.setOpacity(_DESCRIPTION_SHARE)  # the description_colour() over the backdrop
            looks.description.draw(painter, QPointF(left, top), width)
        painter.end()
        if not self._hand_set:
            self._hand_set = True
            QTimer.singleShot(0, self, self._point_with_hand)  # once this picture is up (see __init__)

    # --- inside ---------------------------------------------------------------------------------------

    def _paint_backdrop(self, painter: QPainter) -> None:
        palette = self.palette()
        lively = self.hasFocus() or self.underMouse() or self.isDown()
        if not self._framed and not lively:
            return
        highlight, base = palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base)
        border = highlight if lively else palette.color(QPalette.ColorRole.Mid)
        line = 2.5 if self.hasFocus() else 1.5 if lively else 1.0
        fill = base if self._framed else blend(palette.color(QPalette.ColorRole.Window), highlight, 0.08)
        # Filled shapes, not a pen and a brush (see _Text): the card, then its border as a ring.
        radius = current_theme().spacing(1.25)
        outside, inside = QPainterPath(), QPainterPath()
        outside.addRoundedRect(QRectF(self.rect()), radius + line / 2, radius + line / 2)
        inside.addRoundedRect(
            QRectF(self.rect()).adjusted(line, line, -line, -line), radius - line / 2, radius - line / 2
        )
        painter.fillPath(outside, solid_brush(blend(fill, highlight, 0.12) if self.isDown() else fill))
        painter.fillPath(outside.subtracted(inside), solid_brush(border))

    def _point_with_hand(self) -> None:
        from PySide6.QtCore import Qt

        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def _current_looks(self) -> _Looks:
        if self._looks is None:
            self._looks = _Looks(self)
        return self._looks

    def _text_width(self, width: int) -> int:
        looks = self._current_looks()
        return max(1, width - looks.margin * 2 - looks.side - looks.icon_gap)

    def _backdrop_role(self) -> QPalette.ColorRole:
        return QPalette.ColorRole.Base if self._framed else QPalette.ColorRole.Window

    def _colour_group(self) -> QPalette.ColorGroup:
        if not self.isEnabled():
            return QPalette.ColorGroup.Disabled
        return QPalette.ColorGroup.Active if self.isActiveWindow() else QPalette.ColorGroup.Inactive


def tinted_svg(path: Path | None, side: int, colour: QColor, ratio: float) -> QPixmap:
    """A one-colour line icon drawn ``side`` pixels square, sharp for the screen's pixel ratio.

    Results are cached (QPixmapCache): a card restyles several times while the page is built and shown.
    """
    device = max(1, round(side * ratio))
    tint = colour.name(QColor.NameFormat.HexArgb)
    key = f"dockblocks-card-icon:{path}:{device}@{ratio:g}:{tint}"
    cached = QPixmap()
    if path is not None and QPixmapCache.find(key, cached) and not cached.isNull():
        return cached
    pixmap = QPixmap(device, device)
    pixmap.fill(transparent())
    if path is None:
        return pixmap
    try:
        renderer = QSvgRenderer(QByteArray(path.read_bytes()))
    except OSError:
        return pixmap
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, device, device))
    recolour(painter, pixmap.rect(), colour)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    QPixmapCache.insert(key, pixmap)
    return pixmap
