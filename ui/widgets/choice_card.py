"""A big, friendly button: an icon, a bold title and a sentence or two, chosen by click, Space or Enter.

The start page uses it framed for the templates and flat for "Open a project…", "Import a Dockerfile…" and
the recent files. Unlike ``QCommandLinkButton`` (which fixes its text at 9 points) its text follows the
window's font and zoom, so it stays readable on a projector.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QPixmapCache,
    QShowEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout

from ui.icons import recolour
from ui.theme import blend, current_theme, readable_on

_CARD_CHARS = 40  # the width a framed card asks for, in average characters: columns of cards share equally
_ICON_CONTRAST = 3.0  # WCAG minimum for graphics


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
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._icon, self._colour, self._framed, self._icon_lines = icon, colour, framed, icon_lines
        # Made inside the card: setVisible on a label without a parent would open (and close) a window.
        self.icon_label = QLabel(self)
        self.title_label = QLabel(title, self)
        self.description_label = QLabel(description, self)
        if not description:
            self.description_label.hide()
        for label in (self.icon_label, self.title_label, self.description_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self._text = QVBoxLayout()
        self._text.addWidget(self.title_label)
        self._text.addWidget(self.description_label)
        self._text.addStretch(1)
        self._row = QHBoxLayout(self)
        self._row.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        self._row.addLayout(self._text, 1)
        self._stale = True  # styled when first measured or shown, in its place's font and palette
        self._styled_for: tuple[object, ...] = ()  # the font, palette, spacing and pixel ratio styled for

    def restyle(self) -> None:
        """Fonts, colours, icon and spacing again from the current palette and font (theme or zoom change).

        A card that is not shown only takes note: it is styled once, when it is next measured or shown. The
        start page restyles its cards several times while it is built (~10 ms at every start otherwise).
        """
        self._stale = True
        if self.isVisible():
            self._style()

    def _style(self) -> None:
        self._stale = False
        gap = current_theme().spacing()
        looks = (self.font().key(), self.palette().cacheKey(), gap, self.devicePixelRatioF())
        if looks == self._styled_for:
            return  # restyled for nothing new (the page restyles its cards again when it is shown)
        self._styled_for = looks
        margin = gap * 2 if self._framed else gap
        self._row.setContentsMargins(margin, margin, margin, margin)
        self._row.setSpacing(gap * 2 if self._framed else round(gap * 1.5))
        self._text.setSpacing(round(gap / 3))
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * (1.2 if self._framed else 1.05))
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        palette = self.description_label.palette()
        muted = blend(
            self.palette().color(QPalette.ColorRole.Base), self.palette().color(QPalette.ColorRole.Text), 0.72
        )
        palette.setColor(QPalette.ColorRole.WindowText, muted)
        self.description_label.setPalette(palette)
        side = round(self.fontMetrics().height() * self._icon_lines)
        self.icon_label.setFixedSize(side, side)
        self.icon_label.setPixmap(self._icon_pixmap(side))

    def _icon_pixmap(self, side: int) -> QPixmap:
        ratio = self.devicePixelRatioF()
        if isinstance(self._icon, QIcon):
            return self._icon.pixmap(QSize(side, side), ratio)
        background = self.palette().color(QPalette.ColorRole.Base)
        base = QColor(self._colour) if self._colour else self.palette().color(QPalette.ColorRole.Text)
        return tinted_svg(self._icon, side, readable_on(base, background, _ICON_CONTRAST), ratio)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.restyle()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.animateClick()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._style()
        super().showEvent(event)

    def heightForWidth(self, width: int) -> int:
        if self._stale:
            self._style()
        return super().heightForWidth(width)

    def sizeHint(self) -> QSize:
        if self._stale:
            self._style()
        layout = self.layout()
        if not self._framed or layout is None:
            return layout.sizeHint() if layout is not None else super().sizeHint()
        width = self.fontMetrics().averageCharWidth() * _CARD_CHARS
        return QSize(width, layout.totalHeightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        if self._stale:
            self._style()
        layout = self.layout()
        height = layout.minimumSize().height() if layout is not None else 0
        return QSize(self.fontMetrics().averageCharWidth() * _CARD_CHARS * 2 // 3, height)

    def paintEvent(self, _event: QPaintEvent) -> None:
        palette = self.palette()
        lively = self.hasFocus() or self.underMouse() or self.isDown()
        if not self._framed and not lively:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        highlight, base = palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base)
        pen = painter.pen()
        pen.setColor(highlight if lively else palette.color(QPalette.ColorRole.Mid))
        pen.setWidthF(2.5 if self.hasFocus() else 1.5 if lively else 1.0)
        painter.setPen(pen)
        fill = base if self._framed else blend(palette.color(QPalette.ColorRole.Window), highlight, 0.08)
        painter.setBrush(blend(fill, highlight, 0.12) if self.isDown() else fill)
        radius = current_theme().spacing(1.25)
        inset = pen.widthF() / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), radius, radius)
        painter.end()


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
    recolour(painter, pixmap.rect(), colour)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    QPixmapCache.insert(key, pixmap)
    return pixmap
