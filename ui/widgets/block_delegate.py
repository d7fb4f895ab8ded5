"""Block faces on the canvas: each block a coloured puzzle piece, each stage the container holding them.

A block shows its group colour, its icon on a darker strip, its keyword in bold and its summary line, and
at the right a red badge (errors) and an amber badge (warnings and lint findings) with their counts.
Blocks interlock like Scratch's: a tab reaches from each block into the one below. Each row paints only
inside itself (the tab is cut at the row boundary, each row drawing its part), so a partial repaint never
leaves half a tab behind. Blank lines are thin spacers rather than whole blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QProxyStyle,
    QStyle,
    QStyledItemDelegate,
    QStyleHintReturn,
    QStyleOption,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from desktop.blocks.kinds import Kind
from ui.icons import device_pixmap
from ui.models.document_model import BlockRole, DocumentModel, Face
from ui.widgets.block_paint import (
    NOTCH_X,
    RADIUS,
    badges_for,
    bold,
    face_font,
    face_height,
    group_colour,
    on_colour,
    paint_badges,
    paint_body,
    paint_face_text,
    paint_outline,
    paint_tab,
    problems_html,
    stage_colour,
)

AnyIndex = QModelIndex | QPersistentModelIndex

OUTSET = 4.0  # room around a block for the selection ring
GAP = 8.0  # from a block's face to the end of its row: the top of the tab to the block below
NOTCH_DEPTH = 6.0  # how far a tab reaches into the block below
FOOT = 16.0  # the bottom of a stage's container, under its last block
HEADER_SPACE = 18.0  # space above every stage header but the first
SPACER = 22  # height of a blank-line row
SELECTION_RING = 4.0
ALIGN_FROM_WIDTH = 460.0  # narrower faces give the summary the room a keyword column would take


CHROME_LIMIT = 48  # kept pictures of rows (~110 KB each at 550x50)


@dataclass(frozen=True)
class _Look:
    """What a block row's chrome looks like, in the row's own coordinates."""

    size: QSize
    body: QRectF
    colour: QColor
    above: QColor | None  # the colour of the tab reaching in from above (None: a spacer, no tab)
    hovered: bool
    ring: QColor | None  # the selection ring's colour (None: not selected)

    def key(self) -> tuple[object, ...]:
        return (
            self.size.width(),
            self.size.height(),
            self.body.getRect(),
            self.colour.rgba(),
            None if self.above is None else self.above.rgba(),
            self.hovered,
            None if self.ring is None else self.ring.rgba(),
        )


def _face(index: AnyIndex) -> Face | None:
    """What a block row shows (one call into the model); None for a stage row or no row."""
    if not index.isValid():
        return None
    model = index.model()
    if isinstance(model, DocumentModel):
        return model.face(index)  # straight to the Python model: a painted row asks up to four times
    face: Face | None = index.data(BlockRole.FACE)
    return face


def _is_spacer(index: AnyIndex) -> bool:
    face = _face(index)
    return face is not None and face.kind == Kind.BLANK.value


class BlockDelegate(QStyledItemDelegate):
    """Paints the rows of a :class:`DocumentModel`: stage headers and block faces.

    ``indent`` must be the view's indentation, so a stage header's tab lines up with its first block.
    """

    def __init__(self, parent: QAbstractItemView | None = None) -> None:
        super().__init__(parent)
        self.indent = 0.0
        # Face colours by (group, catalog colour, palette): the theme's readable accent takes ~60 µs to
        # work out, and every painted block asks for its own and the one above it.
        self._colours: dict[tuple[str, str, int], QColor] = {}
        self._heights: dict[str, int] = {}  # face height by font (sizeHint is asked for row after row)
        self._chromes: dict[tuple[object, ...], QPixmap] = {}  # see _chrome

    # --- geometry, shared with the canvas (drop indicator, drag picture, container) ------------------

    def body_rect(self, row: QRectF, index: AnyIndex, font: QFont) -> QRectF:
        """The face of a block, a spacer or a stage header inside its row."""
        face = _face(index)
        return self._body(row, index, face, font, header=index.isValid() and face is None)

    def _body(self, row: QRectF, index: AnyIndex, face: Face | None, font: QFont, header: bool) -> QRectF:
        width = row.width() - 2 * OUTSET - 6
        if header:
            top = row.top() + (HEADER_SPACE if index.row() > 0 else OUTSET)
            return QRectF(row.left() + OUTSET, top, width, self._face_height(font) - 4)
        if face is not None and face.kind == Kind.BLANK.value:
            return QRectF(row.left() + OUTSET, row.top() + SPACER / 2 - 4, min(width, 72.0), 8)
        return QRectF(row.left() + OUTSET, row.top() + OUTSET, width, self._face_height(font))

    def _face_height(self, font: QFont) -> int:
        key = font.key()
        height = self._heights.get(key)
        if height is None:
            height = self._heights[key] = face_height(font)
        return height

    def _colour(self, face: Face) -> QColor:
        """The face's colour as the theme shows it (a copy: callers may change it)."""
        key = (face.group, face.colour, QGuiApplication.palette().cacheKey())
        colour = self._colours.get(key)
        if colour is None:
            if len(self._colours) > 256:
                self._colours.clear()  # palettes came and went
            colour = self._colours[key] = group_colour(face.group, face.colour)
        return QColor(colour)

    def bar_width(self) -> float:
        """Width of a stage container's side bar, inside the view's indentation."""
        return max(4.0, self.indent - OUTSET - 6)

    def container_bar(self, branch: QRect) -> QRectF:
        """The side bar of a stage container beside one of its blocks (``branch``: the indentation area)."""
        return QRectF(branch.left() + OUTSET, branch.top(), self.bar_width(), branch.height() + 1)

    def container_foot(self, branch: QRect) -> QRectF:
        """The foot of a stage container, under its last block, reaching in under the block."""
        bottom = branch.top() + branch.height() - OUTSET
        return QRectF(branch.left() + OUTSET, bottom - FOOT + 4, self.indent + 110, FOOT - 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        face = _face(index)
        if face is None:  # a stage header
            extra = HEADER_SPACE if index.row() > 0 else OUTSET
            return QSize(200, round(extra + self._face_height(option.font) - 4 + GAP))
        model = index.model()
        if isinstance(model, DocumentModel):
            last = model.is_last_in_stage(index)  # no trip through Qt for parent() and rowCount()
        else:
            last = index.row() == model.rowCount(index.parent()) - 1
        foot = FOOT if last else 0
        if face.kind == Kind.BLANK.value:
            return QSize(200, round(SPACER + foot))
        return QSize(200, round(OUTSET + self._face_height(option.font) + GAP + foot))

    # --- painting ------------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(face_font(option.font))
        face = _face(index)
        if face is None:
            self._paint_header(painter, option, index)
        elif face.kind == Kind.BLANK.value:
            self._paint_spacer(painter, option, index, face)
        else:
            self._paint_block(painter, option, index, face)
        painter.restore()

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        row = QRectF(option.rect)
        body = self.body_rect(row, index, option.font)
        colour = stage_colour(option.palette)
        path = QPainterPath()
        path.addRoundedRect(body, RADIUS + 2, RADIUS + 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPath(path)
        # A square bottom-left corner running down to the row's end: the container's side bar starts here.
        corner = body.bottom() - RADIUS - 2
        painter.drawRect(QRectF(body.left(), corner, self.bar_width(), row.bottom() + 1 - corner))
        if self._has_block_below(index):
            tab = (body.bottom() - 1, body.bottom() + GAP + OUTSET + NOTCH_DEPTH)
            paint_tab(painter, body.left() + self.indent + NOTCH_X, tab, (tab[0], row.bottom() + 1), colour)
        heading = bold(painter.font())
        heading.setPointSizeF(max(1.0, heading.pointSizeF() * 1.05))
        painter.setFont(heading)
        painter.setPen(on_colour(colour))
        title = str(index.data(Qt.ItemDataRole.DisplayRole))
        shown = QFontMetrics(heading).elidedText(title, Qt.TextElideMode.ElideRight, int(body.width() - 32))
        painter.drawText(body.adjusted(16, 0, -16, 0), Qt.AlignmentFlag.AlignVCenter, shown)

    def _has_block_below(self, header: AnyIndex) -> bool:
        first = header.model().index(0, 0, header)
        return first.isValid() and not _is_spacer(first)

    def _paint_spacer(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex, face: Face
    ) -> None:
        body = self._body(QRectF(option.rect), index, face, option.font, header=False)
        colour = self._colour(face)
        colour.setAlphaF(0.55)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(body, 4, 4)
        if option.state & QStyle.StateFlag.State_Selected:
            paint_outline(painter, body, option.palette.color(QPalette.ColorRole.Highlight), SELECTION_RING)

    def _paint_block(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex, face: Face
    ) -> None:
        row = QRectF(option.rect)
        body = self._body(row, index, face, option.font, header=False)
        colour = self._colour(face)
        model = index.model()
        if isinstance(model, DocumentModel):
            above_face = model.face_above(index)  # no trip through Qt for parent() and index()
        else:
            above = model.index(index.row() - 1, 0, index.parent()) if index.row() > 0 else QModelIndex()
            above_face = _face(above)
        above_colour = None
        if above_face is None or above_face.kind != Kind.BLANK.value:
            # The tab reaching down from the block above (or from the stage's heading) has its colour.
            above_colour = stage_colour(option.palette) if above_face is None else self._colour(above_face)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        look = _Look(
            row.size().toSize(),
            body.translated(-row.topLeft()),
            colour,
            above_colour,
            hovered=bool(option.state & QStyle.StateFlag.State_MouseOver),
            ring=option.palette.color(QPalette.ColorRole.Highlight) if selected else None,
        )
        painter.drawPixmap(row.topLeft(), self._chrome(look, painter.device().devicePixelRatioF()))
        errors, warnings = face.problems
        badges = badges_for(body, errors, warnings)
        text_area = QRectF(body)
        if badges:
            text_area.setRight(badges[-1].rect.left() - 2)
        paint_face_text(
            painter,
            text_area,
            colour,
            face.icon,
            face.keyword,
            face.summary,
            align_keywords=body.width() >= ALIGN_FROM_WIDTH,
        )
        if badges:
            paint_badges(painter, badges)

    def _chrome(self, look: _Look, ratio: float) -> QPixmap:
        """A block's row without its words: the face, its icon strip, the tabs and the selection ring.

        Drawn once per look and kept: an edit repaints the edited block's row with the same chrome and new
        words, and a scroll repaints rows of a few looks (about 30 Python calls into Qt a row, saved).
        """
        key = (look.key(), ratio)
        found = self._chromes.get(key)
        if found is not None:
            return found
        if len(self._chromes) >= CHROME_LIMIT:
            self._chromes.clear()  # widths, colours or palettes changed many times: start again
        pixmap = device_pixmap(look.size.width(), look.size.height(), ratio)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        body, height = look.body, float(look.size.height())
        paint_body(painter, body, look.colour, hovered=look.hovered)
        if look.above is not None:
            tab = (-GAP - 1, body.top() + NOTCH_DEPTH)
            paint_tab(painter, body.left() + NOTCH_X, tab, (0.0, tab[1]), look.above)
        own_tab = (body.bottom() - 1, body.bottom() + GAP + OUTSET + NOTCH_DEPTH)
        paint_tab(painter, body.left() + NOTCH_X, own_tab, (own_tab[0], height + 1), look.colour)
        if look.ring is not None:
            paint_outline(painter, body, look.ring, SELECTION_RING)
        painter.end()
        self._chromes[key] = pixmap
        return pixmap

    # --- tooltips ------------------------------------------------------------------------------------

    def badge_tooltip(self, row: QRectF, font: QFont, index: AnyIndex, point: QPointF) -> str | None:
        """The problems list when ``point`` (viewport coordinates) is over one of the block's badges.

        Args:
            row: the block's row rectangle in the view; font: the view's font.
        """
        if not index.isValid() or index.data(BlockRole.IS_HEADER):
            return None
        body = self.body_rect(row, index, font)
        errors, warnings = index.data(BlockRole.PROBLEMS) or (0, 0)
        if not any(b.rect.contains(point) for b in badges_for(body, errors, warnings)):
            return None
        return problems_html(index.data(BlockRole.ISSUES) or [], index.data(BlockRole.FINDINGS) or [])

    def helpEvent(
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem, index: AnyIndex
    ) -> bool:
        """Over a badge, list the block's problems; elsewhere, the block's own tooltip."""
        if event.type() == QEvent.Type.ToolTip:
            tip = self.badge_tooltip(QRectF(option.rect), option.font, index, QPointF(event.pos()))
            if tip is not None:
                QToolTip.showText(event.globalPos(), tip, view)
                return True
        return super().helpEvent(event, view, option, index)


class NoRowHighlightStyle(QProxyStyle):
    """A copy of a style, except that a selected row is not filled: the block's ring shows the selection."""

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returnData: QStyleHintReturn | None = None,
    ) -> int:
        if hint == QStyle.StyleHint.SH_ItemView_ShowDecorationSelected:
            return 0
        return super().styleHint(hint, option, widget, returnData)
