"""Drawing pieces of a block face, shared by the canvas and the palette.

A face is a rounded rectangle in the block's group colour with a darker strip holding the icon, the keyword
in bold and one line of text. Puzzle tabs join a block to the one below it. Badges count problems.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QApplication

from desktop.blocks.summary import ELLIPSIS, with_ellipsis
from desktop.blocks.validate import FieldIssue
from desktop.lint.findings import Finding
from ui.models.document_model import AnyIndex, BlockRole
from ui.theme import Theme, blend, contrast_ratio, find_theme, readable_on
from ui.widgets.block_icons import paint_icon

RADIUS = 6.0
ICON_BAR = 40.0  # the darker strip holding the icon
NOTCH_X = 22.0  # where a tab starts, from the block's left edge
NOTCH_WIDTH = 22.0
TAB_NARROWING = 0.25  # how much a tab's sides slope inwards, per pixel down
BADGE = 24.0  # badge diameter
FACE_SCALE = 1.1  # block text a little larger than the window's, for projectors
TEXT_ON_COLOUR = QColor("#ffffff")
DARK_INK = QColor("#111111")  # the words on the dark theme's brighter faces
ERROR_COLOUR = QColor("#c92a2a")  # white numbers on it at 5.4:1
WARNING_COLOUR = QColor("#f59f00")
WHITE_INK_CONTRAST = 4.5  # WCAG AA for words of ordinary size: a face's words are not large text
COMMON_KEYWORD = "WORKDIR"  # the keyword column fits this, so most summaries line up


def face_font(font: QFont, scale: float = FACE_SCALE) -> QFont:
    """The font of block faces: the view's, slightly larger (``scale``)."""
    face = QFont(font)
    if font.pointSizeF() > 0:
        face.setPointSizeF(font.pointSizeF() * scale)
    return face


def bold(font: QFont) -> QFont:
    heavy = QFont(font)
    heavy.setBold(True)
    return heavy


def face_height(font: QFont) -> int:
    """Height of a block face for a view font: roomy enough to read from the back of a room."""
    return max(40, QFontMetrics(face_font(font)).height() + 20)


def stage_colour(palette: QPalette) -> QColor:
    """The neutral colour of stage containers: dark on a light theme, light on a dark one."""
    # Kept per palette: every painted block row asks, beside it and for the tab reaching into it.
    key = palette.cacheKey()
    colour = _STAGE_COLOURS.get(key)
    if colour is None:
        if len(_STAGE_COLOURS) > 64:
            _STAGE_COLOURS.clear()  # palettes came and went
        text, window = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
        colour = _STAGE_COLOURS[key] = blend(window, text, 0.72)
    return QColor(colour)  # a copy: callers may change it


_STAGE_COLOURS: dict[int, QColor] = {}


def on_colour(colour: QColor) -> QColor:
    """The ink for a filled area of ``colour``: white, like Scratch's blocks, unless it reads below 4.5:1.

    Block faces reach 4.5:1 with white in the light theme and with black in the dark one
    (:func:`group_colour`), so all blocks of a theme share one ink; a warning's amber badge gets black.
    """
    return QColor(_ink_for(colour.rgba()))


@functools.lru_cache(maxsize=256)
def _ink_for(rgba: int) -> QColor:
    """:func:`on_colour`'s answer, kept per colour (every painted face asks; a contrast takes ~20 µs)."""
    colour = QColor.fromRgba(rgba)
    return (
        TEXT_ON_COLOUR if contrast_ratio(TEXT_ON_COLOUR, colour) >= WHITE_INK_CONTRAST else QColor(DARK_INK)
    )


def _theme() -> Theme | None:
    # The window's theme when there is one; never made here, so a lone widget keeps the catalog colours.
    app = QApplication.instance()
    return find_theme(app) if app is not None else None


def group_colour(group: str, catalog_colour: QColor | str) -> QColor:
    """A palette group's colour as block faces show it: the light or dark theme's (the catalog's without a
    theme), darkened where needed for white words to read at 4.5:1, or in the dark theme lightened for
    black ones (a face's words are not large text, and a projector washes colours out)."""
    theme = _theme()
    colour = theme.accent(group) if theme is not None and group else QColor(catalog_colour)
    return QColor(_face_for(colour.rgba(), theme is not None and theme.is_dark))


@functools.lru_cache(maxsize=256)
def _face_for(rgba: int, dark: bool) -> QColor:
    """:func:`group_colour`'s answer, kept per colour (every painted face asks)."""
    return readable_on(QColor.fromRgba(rgba), DARK_INK if dark else TEXT_ON_COLOUR, WHITE_INK_CONTRAST)


def hovered_colour(colour: QColor) -> QColor:
    """A face under the pointer: a shade further from its words' ink, so they keep their contrast."""
    return colour.darker(115) if on_colour(colour) == TEXT_ON_COLOUR else colour.lighter(112)


def face_colour(index: AnyIndex) -> QColor:
    """The colour of a block (or palette group) as the light or dark theme shows it."""
    return group_colour(str(index.data(BlockRole.GROUP) or ""), QColor(index.data(BlockRole.COLOUR)))


def paint_tab(
    painter: QPainter, x: float, tab: tuple[float, float], part: tuple[float, float], colour: QColor
) -> None:
    """The part between ``part`` (top, bottom) of a puzzle tab spanning ``tab`` (top, bottom).

    A tab crosses from one row into the next; each row paints its own part of the same sloped shape, so
    the two halves meet exactly and neither row paints outside itself.
    """
    top, bottom = max(tab[0], part[0]), min(tab[1], part[1])
    if bottom <= top:
        return
    inset_top = (top - tab[0]) * TAB_NARROWING
    inset_bottom = (bottom - tab[0]) * TAB_NARROWING
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawPolygon(
        QPolygonF(
            [
                QPointF(x + inset_top, top),
                QPointF(x + NOTCH_WIDTH - inset_top, top),
                QPointF(x + NOTCH_WIDTH - inset_bottom, bottom),
                QPointF(x + inset_bottom, bottom),
            ]
        )
    )


def paint_body(painter: QPainter, body: QRectF, colour: QColor, *, hovered: bool = False) -> None:
    """A block's rounded face with its darker icon strip (another shade under the pointer)."""
    fill = hovered_colour(colour) if hovered else colour
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(body, RADIUS, RADIUS)
    # The strip is drawn as its own shape, the face's rounded left corners and a straight right edge:
    # clipping a fill to the face's path makes Qt rasterise that path again for every painted block.
    painter.setBrush(fill.darker(125))
    painter.drawPath(_strip_path(body))


def _strip_path(body: QRectF) -> QPainterPath:
    left, top, bottom = body.left(), body.top(), body.bottom()
    right = left + min(ICON_BAR, body.width())
    radius = min(RADIUS, body.height() / 2, (right - left) / 2)
    path = QPainterPath()
    path.moveTo(right, top)
    path.lineTo(left + radius, top)
    path.arcTo(QRectF(left, top, 2 * radius, 2 * radius), 90, 90)
    path.lineTo(left, bottom - radius)
    path.arcTo(QRectF(left, bottom - 2 * radius, 2 * radius, 2 * radius), 180, 90)
    path.lineTo(right, bottom)
    path.closeSubpath()
    return path


def paint_outline(painter: QPainter, body: QRectF, colour: QColor, width: float) -> None:
    """A ring just outside a block face (the selection)."""
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(colour, width))
    grow = width / 2 + 0.5
    painter.drawRoundedRect(body.adjusted(-grow, -grow, grow, grow), RADIUS + grow, RADIUS + grow)


def paint_face_text(
    painter: QPainter,
    body: QRectF,
    colour: QColor,
    icon: str,
    keyword: str,
    text: str,
    *,
    align_keywords: bool = True,
) -> None:
    """Icon, bold keyword and one elided line of text on a block face (``painter`` has the face font).

    With ``align_keywords`` the text starts after a column as wide as the common keywords, so the lines of
    stacked blocks start at the same place; without, right after the keyword.
    """
    ink = on_colour(colour)
    paint_icon(painter, QRectF(body.left() + 9, body.top(), ICON_BAR - 18, body.height()), icon, ink, keyword)
    fonts = _face_fonts(painter.font())
    column = fonts.keyword_width(keyword)
    if align_keywords:
        column = max(column, fonts.common_width)
    x = body.left() + ICON_BAR + 10
    painter.setPen(ink)
    if keyword:
        painter.setFont(fonts.heavy)
        top = body.top() + (body.height() - fonts.heavy_height) / 2  # centred, as AlignVCenter places it
        painter.drawStaticText(QPointF(x, top), fonts.static(keyword, heavy=True))
        x += column + 14
    painter.setFont(fonts.plain)
    room = max(0.0, body.right() - 10 - x)
    if room >= 1:
        top = body.top() + (body.height() - fonts.plain_height) / 2
        painter.drawStaticText(QPointF(x, top), fonts.static(fonts.elided(text, int(room))))


class _FaceFonts:
    """A face font with its bold twin and what is measured with them, kept per font: every painted face
    needs them, and each new ``QFont``/``QFontMetrics`` and each elision is a call into Qt.

    Texts are drawn as ``QStaticText``, laid out once: a scroll or a full repaint of the canvas draws the
    same keywords and summaries again, at about half the cost of ``drawText`` each.
    """

    def __init__(self, font: QFont) -> None:
        self.plain = QFont(font)
        self.heavy = bold(font)
        self._plain_metrics = QFontMetrics(self.plain)
        self._heavy_metrics = QFontMetrics(self.heavy)
        self.plain_height = self._plain_metrics.height()
        self.heavy_height = self._heavy_metrics.height()
        self.common_width = self._heavy_metrics.horizontalAdvance(COMMON_KEYWORD)
        self._keyword_widths: dict[str, int] = {}
        self._elided: dict[tuple[str, int], str] = {}
        self._static: dict[tuple[str, bool], QStaticText] = {}

    def static(self, text: str, heavy: bool = False) -> QStaticText:
        """The text laid out once, for drawing in this font (or its bold twin) with any pen."""
        key = (text, heavy)
        found = self._static.get(key)
        if found is None:
            if len(self._static) >= _ELIDED_LIMIT:
                self._static.clear()
            found = QStaticText(text)
            found.setTextFormat(Qt.TextFormat.PlainText)
            found.prepare(QTransform(), self.heavy if heavy else self.plain)
            self._static[key] = found
        return found

    def keyword_width(self, keyword: str) -> int:
        width = self._keyword_widths.get(keyword)
        if width is None:
            width = self._keyword_widths[keyword] = self._heavy_metrics.horizontalAdvance(keyword)
        return width

    def elided(self, text: str, room: int) -> str:
        key = (text, room)
        shown = self._elided.get(key)
        if shown is None:
            if len(self._elided) >= _ELIDED_LIMIT:
                self._elided.clear()  # texts were edited and widths changed many times: start again
            shown = self._plain_metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            if shown != text and shown.endswith(ELLIPSIS):
                # Cut just after the summary's own "..." or "…", Qt's ellipsis would make it "......".
                shown = with_ellipsis(shown[: -len(ELLIPSIS)])
            self._elided[key] = shown
        return shown


_ELIDED_LIMIT = 4096
_FACE_FONTS: dict[str, _FaceFonts] = {}


def _face_fonts(font: QFont) -> _FaceFonts:
    key = font.key()
    fonts = _FACE_FONTS.get(key)
    if fonts is None:
        if len(_FACE_FONTS) > 32:
            _FACE_FONTS.clear()  # zoomed many times
        fonts = _FACE_FONTS[key] = _FaceFonts(font)
    return fonts


def paint_face_two_lines(
    painter: QPainter, body: QRectF, colour: QColor, icon: str, keyword: str, text: str
) -> None:
    """Icon, then the bold keyword above one elided line of text (the palette's entries)."""
    ink = on_colour(colour)
    paint_icon(painter, QRectF(body.left() + 9, body.top(), ICON_BAR - 18, body.height()), icon, ink, keyword)
    plain = QFont(painter.font())
    heavy = bold(plain)
    x = body.left() + ICON_BAR + 10
    room = max(0.0, body.right() - 10 - x)
    half = body.height() / 2
    painter.setPen(ink)
    painter.setFont(heavy)
    first = QRectF(x, body.top() + 4, room, half - 4)
    painter.drawText(first, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft, keyword)
    painter.setFont(plain)
    shown = QFontMetrics(plain).elidedText(text, Qt.TextElideMode.ElideRight, int(room))
    second = QRectF(x, body.top() + half, room, half - 5)
    painter.drawText(second, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, shown)


def two_line_height(font: QFont, scale: float = FACE_SCALE) -> int:
    """Height of a two-line face (keyword above text) for a view font."""
    face = face_font(font, scale)
    return QFontMetrics(bold(face)).height() + QFontMetrics(face).height() + 14


@dataclass(frozen=True)
class Badge:
    """A round counter on a block face."""

    colour: QColor
    count: int
    rect: QRectF


def badges_for(body: QRectF, errors: int, warnings: int) -> list[Badge]:
    """Where a block's badges go, right-aligned on its face: errors (red) rightmost, then warnings."""
    badges: list[Badge] = []
    x = body.right() - 8 - BADGE
    top = body.center().y() - BADGE / 2
    for colour, count in ((ERROR_COLOUR, errors), (WARNING_COLOUR, warnings)):
        if count:
            badges.append(Badge(colour, count, QRectF(x, top, BADGE, BADGE)))
            x -= BADGE + 4
    return badges


def paint_badges(painter: QPainter, badges: list[Badge]) -> None:
    font = bold(painter.font())
    font.setPixelSize(13)
    painter.setFont(font)
    for badge in badges:
        painter.setPen(QPen(TEXT_ON_COLOUR, 2))
        painter.setBrush(badge.colour)
        painter.drawEllipse(badge.rect)
        painter.setPen(on_colour(badge.colour))
        painter.drawText(
            badge.rect, Qt.AlignmentFlag.AlignCenter, str(badge.count) if badge.count < 100 else "99+"
        )


def problems_html(issues: list[FieldIssue], findings: list[Finding]) -> str:
    """A badge's tooltip: every problem of a block in plain words."""
    items = [html.escape(i.message) for i in issues]
    items += [f"<b>{html.escape(f.title)}</b>: {html.escape(f.explanation)}" for f in findings]
    return "<ul style='margin: 0'>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
