"""Where a drop on the canvas lands, the line that shows it before the mouse is released, and blocks
dragged out of the window.

Positions are document positions (0 … number of blocks), the ``to_index`` of the core's operations. The
indicator is drawn where a block dropped at that position will appear: a position that starts a stage is
shown at the end of the stage above it, because a block inserted there joins that stage.

A block dragged out of the window and let go there is deleted, as one dragged onto the palette is
(:class:`DragOutWatch`).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLineF,
    QModelIndex,
    QObject,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QCursor,
    QDrag,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QTreeView

from desktop.blocks.catalog import catalog_entry
from desktop.blocks.kinds import Kind
from ui.icons import device_pixmap, icon
from ui.models.document_model import BlockRole, DocumentModel
from ui.widgets.block_delegate import GAP, OUTSET, BlockDelegate
from ui.widgets.block_paint import (
    BADGE,
    ERROR_COLOUR,
    Badge,
    bold,
    face_colour,
    face_font,
    face_height,
    group_colour,
    paint_badges,
    paint_body,
    paint_face_text,
)
from ui.widgets.tree_navigation import leaf_indexes

INDICATOR_WIDTH = 5.0
END_OFFSET = 6.0  # below the last block of a stage: clear of its selection ring, above the container's foot


def _body(view: QTreeView, delegate: BlockDelegate, index: object) -> QRectF:
    return delegate.body_rect(QRectF(view.visualRect(index)), index, view.font())  # type: ignore[arg-type]


def drop_position(view: QTreeView, model: DocumentModel, delegate: BlockDelegate, point: QPoint) -> int:
    """The document position a drop at ``point`` (viewport coordinates) inserts at.

    Over a block: before it in its upper half, after it in its lower half. Over a stage heading: where
    that stage starts. Above everything: the start; below everything: the end.
    """
    total = len(model.controller.document.blocks)
    index = view.indexAt(point)
    if not index.isValid():
        leaves = leaf_indexes(model)
        if leaves and point.y() < view.visualRect(model.index(0, 0)).top():
            return 0
        return total
    if model.is_stage(index):
        return model.stage_start(index.row())
    block_id = model.block_id(index)
    position = model.controller.document.find(block_id) if block_id else total
    return position if point.y() < _body(view, delegate, index).center().y() else position + 1


def indicator_line(
    view: QTreeView, model: DocumentModel, delegate: BlockDelegate, position: int
) -> QLineF | None:
    """The line showing where a drop at ``position`` lands (viewport coordinates), None on an empty canvas."""
    leaves = leaf_indexes(model)
    if not leaves:
        return None

    def across(index: QModelIndex, y: float) -> QLineF:
        # As wide as a block face, even beside a thin blank-line spacer.
        row = QRectF(view.visualRect(index))
        return QLineF(row.left() + OUTSET, y, row.right() - OUTSET - 6, y)

    if position >= len(leaves) or (position > 0 and leaves[position].row() == 0):
        above = leaves[min(position, len(leaves)) - 1]  # the last block of the stage it joins
        return across(above, _body(view, delegate, above).bottom() + END_OFFSET)
    target = leaves[position]
    if position == 0:  # before everything: above the first heading
        heading = delegate.body_rect(QRectF(view.visualRect(target.parent())), target.parent(), view.font())
        return QLineF(
            heading.left(), heading.top() - OUTSET / 2 + 1, heading.right(), heading.top() - OUTSET / 2 + 1
        )
    return across(target, view.visualRect(target).top() + 1.0 - (GAP - OUTSET) / 2)


def paint_indicator(painter: QPainter, line: QLineF, colour: QColor, halo: QColor) -> None:
    """A thick rounded line with a dot at its start, in the highlight colour.

    A halo in the background colour around it keeps it apart from a selection ring it may touch.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    outline = QPen(halo, INDICATOR_WIDTH + 4)
    outline.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(outline)
    painter.drawLine(line)
    painter.setPen(QPen(halo, 3))
    painter.setBrush(halo)
    painter.drawEllipse(line.p1(), INDICATOR_WIDTH + 3, INDICATOR_WIDTH + 3)
    pen = QPen(colour, INDICATOR_WIDTH)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawLine(line)
    painter.setPen(QPen(colour.darker(130), 2))
    painter.setBrush(colour)
    painter.drawEllipse(line.p1(), INDICATOR_WIDTH + 2, INDICATOR_WIDTH + 2)
    painter.restore()


def _hint_text(dropping: bool) -> str:
    if dropping:
        return QCoreApplication.translate("Canvas", "Drop it here!")
    return QCoreApplication.translate("Canvas", "Drag a block here from the palette, start with FROM")


def _hint_font(font: QFont) -> QFont:
    big = QFont(font)
    big.setPointSizeF(font.pointSizeF() * 1.35)
    big.setBold(True)
    return big


def _hint_text_box(zone: QRectF, font: QFont, text: str) -> QRectF:
    flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter)
    lines = QFontMetrics(_hint_font(font)).boundingRect(zone.adjusted(24, 0, -24, 0).toRect(), flags, text)
    centre = zone.center()
    return QRectF(zone.left() + 24, centre.y() - lines.height(), zone.width() - 48, lines.height())


def empty_hint_ghost(area: QRectF, font: QFont) -> QRectF | None:
    """Where the empty canvas shows its faded FROM block (a click there adds one); None when too small."""
    return _hint_layout(area, font, _hint_text(False))[2]


def _hint_layout(area: QRectF, font: QFont, text: str) -> tuple[QRectF, QRectF, QRectF | None]:
    """The empty canvas's invitation: its dashed zone, the box of its words, and the faded FROM above them
    (None when there is no room for it)."""
    zone = area.adjusted(24, 24, -24, -24)
    text_box = _hint_text_box(zone, font, text)
    ghost = _ghost_rect(QPointF(zone.center().x(), text_box.top() - 24), font, zone.width() - 64)
    return zone, text_box, ghost


def paint_empty_hint(painter: QPainter, area: QRectF, palette: QPalette, font: QFont, dropping: bool) -> None:
    """The invitation on an empty canvas; while something is dragged over it, a highlighted target."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = _hint_text(dropping)
    zone, text_box, ghost = _hint_layout(area, font, text)
    accent = palette.color(QPalette.ColorRole.Highlight)
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    pen = QPen(accent if dropping else muted, 4 if dropping else 2, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    if dropping:
        fill = QColor(accent)
        fill.setAlphaF(0.12)
        painter.setBrush(fill)
    painter.drawRoundedRect(zone, 16, 16)
    painter.setFont(_hint_font(font))
    painter.setPen(accent if dropping else palette.color(QPalette.ColorRole.WindowText))
    painter.drawText(text_box, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter), text)
    if ghost is not None:
        _paint_ghost_from(painter, ghost, font)
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 1.05)
    painter.setFont(small)
    painter.setPen(muted)
    more = QCoreApplication.translate(
        "Canvas",
        "FROM chooses the image your image starts from; the blocks under it add to it, one step at a time."
        " Or click the faded FROM block to add one.",
    )
    centre = zone.center()
    below = QRectF(zone.left() + 32, centre.y() + 12, zone.width() - 64, zone.bottom() - centre.y() - 24)
    painter.drawText(below, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter), more)
    painter.restore()


def _ghost_rect(bottom_centre: QPointF, font: QFont, room: float) -> QRectF | None:
    info = catalog_entry(Kind.FROM)
    width = min(room, QFontMetrics(face_font(font)).horizontalAdvance(info.title) + 190.0)
    height = float(face_height(font))
    if width < 120 or bottom_centre.y() - height < 8:
        return None
    return QRectF(bottom_centre.x() - width / 2, bottom_centre.y() - height, width, height)


def _paint_ghost_from(painter: QPainter, body: QRectF, font: QFont) -> None:
    # A faded FROM block above the invitation: what to look for in the palette (a click on it adds one).
    info = catalog_entry(Kind.FROM)
    colour = group_colour(info.group, info.colour)
    painter.save()
    painter.setOpacity(0.5)
    paint_body(painter, body, colour)
    painter.setFont(face_font(font))
    paint_face_text(painter, body, colour, info.icon, Kind.FROM.value, info.title, align_keywords=False)
    painter.restore()


def drag_picture(
    view: QTreeView, model: DocumentModel, delegate: BlockDelegate, ids: list[str]
) -> QPixmap | None:
    """The block being dragged, as a card that follows the mouse; several blocks look like a stack."""
    index = model.block_index(ids[0])
    if not index.isValid():
        return None
    body = delegate.body_rect(QRectF(view.visualRect(index)), index, view.font())
    width, height = min(body.width(), 420.0), body.height()
    behind = 6.0 if len(ids) > 1 else 0.0
    ratio = view.devicePixelRatioF()
    picture = device_pixmap(width + 2 * behind + 2, height + 2 * behind + 2, ratio)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = face_colour(index)
    for step in (2, 1) if behind else ():
        paint_body(painter, QRectF(step * behind, step * behind, width, height), colour.darker(115))
    card = QRectF(0, 0, width, height)
    paint_body(painter, card, colour)
    painter.setFont(face_font(view.font()))
    icon, keyword = str(index.data(BlockRole.ICON_NAME)), str(index.data(BlockRole.KEYWORD))
    text_area = card.adjusted(0, 0, -(BADGE + 8) if len(ids) > 1 else 0, 0)
    paint_face_text(painter, text_area, colour, icon, keyword, str(index.data(Qt.ItemDataRole.DisplayRole)))
    if len(ids) > 1:
        highlight = view.palette().color(QPalette.ColorRole.Highlight)
        place = QRectF(width - BADGE - 6, (height - BADGE) / 2, BADGE, BADGE)
        paint_badges(painter, [Badge(highlight, len(ids), place)])
    painter.end()
    return picture


# --- dragged out of the window --------------------------------------------------------------------------

FOLLOW_MS = 30  # how often the pointer is looked at during a drag: the cursor changes within a frame or two


def outside_every_window(point: QPoint) -> bool:
    """Whether a screen point is outside every shown window of the application (tooltips aside)."""
    for window in QApplication.topLevelWidgets():
        if (
            window.isVisible()
            and window.windowType() != Qt.WindowType.ToolTip
            and window.frameGeometry().contains(point)
        ):
            return False
    return True


class DragOutWatch(QObject):
    """Follows one drag of canvas blocks, to tell a drop outside the window (delete them) from the rest.

    Qt ends a drag with ``IgnoreAction`` alike when the blocks are let go outside the window, when they are
    let go on a place inside it that takes nothing (the preview, the inspector) and when Escape cancels
    the drag. Where the pointer is when the drag ends, and whether Escape was pressed, tell them apart.
    While the pointer is outside the window the cursor says the blocks will be deleted there; inside, a
    place that takes nothing keeps the usual "no drop here" cursor.
    """

    def __init__(self, drag: QDrag, font: QFont, count: int) -> None:
        super().__init__(drag)
        self._drag = drag
        self._outside = False
        self._cancelled = False
        self._filtering = False
        self._cursor = delete_cursor(font, count, _device_ratio(drag))
        self._timer = QTimer(self)
        self._timer.setInterval(FOLLOW_MS)
        self._timer.timeout.connect(self._follow)
        self._timer.start()

    @property
    def outside(self) -> bool:
        """Whether the pointer was outside the window when last looked at."""
        return self._outside

    def finish(self, result: Qt.DropAction) -> bool:
        """Stop following; whether the drag, ended with ``result``, was a drop outside the window."""
        self._timer.stop()
        app = QApplication.instance()
        if self._filtering and app is not None:
            app.removeEventFilter(self)
            self._filtering = False
        if result != Qt.DropAction.IgnoreAction or self._cancelled:
            return False
        # Only where the cursor said "Delete" (a drag that never ran, as offscreen, deletes nothing).
        return self._outside and outside_every_window(QCursor.pos())

    def _follow(self) -> None:
        app = QApplication.instance()
        if not self._filtering and app is not None:
            # Installed once the drag's own event loop runs, so it comes before the filter with which that
            # loop takes Escape for itself (the last filter installed is asked first).
            app.installEventFilter(self)
            self._filtering = True
        outside = outside_every_window(QCursor.pos())
        if outside != self._outside:
            self._outside = outside
            # A null picture gives the ignore action its usual cursor back ("no drop here").
            self._drag.setDragCursor(self._cursor if outside else QPixmap(), Qt.DropAction.IgnoreAction)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self._cancelled = True  # a cancelled drag deletes nothing, wherever the pointer is
        return False


def _device_ratio(drag: QDrag) -> float:
    source = drag.source()
    return source.devicePixelRatioF() if isinstance(source, QTreeView) else 1.0


def delete_cursor(font: QFont, count: int, ratio: float = 1.0) -> QPixmap:
    """The cursor over places outside the window: an arrow with a red "Delete" label beside it.

    Qt puts a drag cursor's hot spot in the middle of its picture, so the arrow's tip is drawn there.
    """
    label_font = bold(font)
    if count > 1:
        text = QCoreApplication.translate("Canvas", "Delete {count} blocks").format(count=count)
    else:
        text = QCoreApplication.translate("Canvas", "Delete")
    metrics = QFontMetrics(label_font)
    glyph = metrics.height()
    pad = round(glyph * 0.45)
    label = QRectF(14, 20, pad + glyph + pad / 2 + metrics.horizontalAdvance(text) + pad, glyph + pad)
    half_width, half_height = label.right() + 2, label.bottom() + 2
    picture = device_pixmap(2 * half_width, 2 * half_height, ratio)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(half_width, half_height)
    painter.setPen(QPen(QColor("#ffffff"), 1.5))
    painter.setBrush(ERROR_COLOUR)
    painter.drawRoundedRect(label, label.height() / 2, label.height() / 2)
    icon_box = QRectF(label.left() + pad, label.center().y() - glyph / 2, glyph, glyph)
    icon("action-delete.svg", "#ffffff").paint(painter, icon_box.toRect())
    painter.setFont(label_font)
    painter.setPen(QColor("#ffffff"))
    text_box = label.adjusted(icon_box.right() - label.left() + pad / 2, 0, -pad, 0)
    painter.drawText(text_box, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
    painter.setPen(QPen(QColor("#ffffff"), 1.5))
    painter.setBrush(QColor("#111111"))
    painter.drawPath(_arrow())
    painter.end()
    return picture


def _arrow() -> QPainterPath:
    # The usual pointer, tip at (0, 0).
    path = QPainterPath(QPointF(0, 0))
    for x, y in ((0, 17), (4.5, 13), (7.5, 19.5), (10.5, 18), (7.5, 12), (13, 12)):
        path.lineTo(x, y)
    path.closeSubpath()
    return path
