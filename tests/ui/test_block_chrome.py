"""A block row's chrome (face, icon strip, tabs, selection ring) is drawn once per look and kept: the row
must look as when drawn straight onto the view, and a new look (selected, hovered, another colour, another
width) must get a picture of its own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QRect, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from desktop.blocks.kinds import Kind
from ui.controller import DocumentController
from ui.widgets.block_delegate import GAP, NOTCH_DEPTH, OUTSET, SELECTION_RING, BlockDelegate
from ui.widgets.block_paint import NOTCH_X, _FaceFonts, paint_body, paint_outline, paint_tab, stage_colour
from ui.widgets.canvas import CanvasWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = "FROM alpine:3.20\nRUN echo one\nRUN echo two\nENV A=1\n"


@pytest.fixture
def canvas(controller_for, qtbot) -> CanvasWidget:
    view = CanvasWidget(controller_for(TEXT))
    qtbot.addWidget(view)
    view.resize(560, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def _row(canvas: CanvasWidget, kind: Kind, nth: int = 0) -> tuple[QModelIndex, QStyleOptionViewItem]:
    controller: DocumentController = canvas._controller  # type: ignore[attr-defined]
    block = [b for b in controller.document.blocks if b.kind is kind][nth]
    index = canvas.document_model.block_index(block.id)
    option = QStyleOptionViewItem()
    canvas.initViewItemOption(option)
    option.rect = canvas.visualRect(index)
    return index, option


def _paint(delegate: BlockDelegate, option: QStyleOptionViewItem, index: QModelIndex) -> QImage:
    image = QImage(option.rect.right() + 8, option.rect.bottom() + 8, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image


def _drawn_straight(delegate: BlockDelegate, option: QStyleOptionViewItem, index: QModelIndex) -> QImage:
    """The chrome as the delegate drew it before it was kept: every shape straight onto the view."""
    image = QImage(option.rect.right() + 8, option.rect.bottom() + 8, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    row = QRectF(option.rect)
    face = index.model().face(index)  # type: ignore[attr-defined]
    body = delegate._body(row, index, face, option.font, header=False)
    colour = delegate._colour(face)
    paint_body(painter, body, colour)
    above = index.model().face_above(index)  # type: ignore[attr-defined]
    above_colour = delegate._colour(above) if above is not None else None
    if above_colour is not None:
        tab = (row.top() - GAP - 1, body.top() + NOTCH_DEPTH)
        paint_tab(painter, body.left() + NOTCH_X, tab, (row.top(), tab[1]), above_colour)
    own = (body.bottom() - 1, body.bottom() + GAP + OUTSET + NOTCH_DEPTH)
    paint_tab(painter, body.left() + NOTCH_X, own, (own[0], row.bottom() + 1), colour)
    if option.state & QStyle.StateFlag.State_Selected:
        paint_outline(painter, body, option.palette.color(QPalette.ColorRole.Highlight), SELECTION_RING)
    painter.end()
    return image


def _largest_difference(one: QImage, two: QImage, area: QRect) -> int:
    worst = 0
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            a, b = QColor(one.pixel(x, y)), QColor(two.pixel(x, y))
            worst = max(worst, abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))
    return worst


@pytest.mark.parametrize("selected", [False, True], ids=["plain", "selected"])
def test_the_kept_chrome_looks_as_drawn_straight(canvas: CanvasWidget, selected: bool) -> None:
    delegate = canvas.itemDelegate()
    assert isinstance(delegate, BlockDelegate)
    index, option = _row(canvas, Kind.RUN, 1)
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    face = index.model().face(index)  # type: ignore[attr-defined]
    body = delegate._body(QRectF(option.rect), index, face, option.font, header=False).toAlignedRect()
    row = option.rect
    kept = _paint(delegate, option, index)
    straight = _drawn_straight(delegate, option, index)
    # Away from the icon and the words: above the face (the tab from above, the ring), below it (the own
    # tab, the ring) and left of the icon (the rounded strip). They agree up to the rounding of blending a
    # kept picture rather than each shape (at most 2 of 255 a channel).
    above = QRect(row.left(), row.top(), row.width(), body.top() + 2 - row.top())
    below = QRect(row.left(), body.bottom() - 2, row.width(), row.bottom() - body.bottom() + 3)
    left = QRect(row.left(), row.top(), body.left() + 8 - row.left(), row.height())
    for area in (above, below, left):
        assert _largest_difference(kept, straight, area) <= 2, area


def test_a_look_is_drawn_once_and_each_new_look_gets_its_own(canvas: CanvasWidget) -> None:
    delegate = canvas.itemDelegate()
    assert isinstance(delegate, BlockDelegate)
    delegate._chromes.clear()
    index, option = _row(canvas, Kind.RUN, 1)
    _paint(delegate, option, index)
    assert len(delegate._chromes) == 1
    first = next(iter(delegate._chromes.values()))
    _paint(delegate, option, index)  # the same look again (an edit of the block's words)
    assert list(delegate._chromes.values()) == [first]
    option.state |= QStyle.StateFlag.State_Selected
    _paint(delegate, option, index)
    option.state |= QStyle.StateFlag.State_MouseOver
    _paint(delegate, option, index)
    option.rect = option.rect.adjusted(0, 0, -40, 0)  # a narrower canvas
    _paint(delegate, option, index)
    env_index, env_option = _row(canvas, Kind.ENV)  # another colour
    _paint(delegate, env_option, env_index)
    assert len(delegate._chromes) == 5


def test_the_stage_colour_follows_the_palette_and_is_the_callers_own() -> None:
    light = QPalette(QColor("#f0f0f0"))
    dark = QPalette(QColor("#303030"))
    first = stage_colour(light)
    assert first.lightness() < 128 < stage_colour(dark).lightness()  # dark on light, light on dark
    first.setAlphaF(0.5)  # a caller changing its copy changes no later answer
    assert stage_colour(light).alphaF() == 1.0
    assert stage_colour(light).name() == first.name()
    light.setColor(QPalette.ColorRole.WindowText, QColor("#0000ff"))  # a changed palette: worked out anew
    assert stage_colour(light).blue() > stage_colour(light).red()


@pytest.mark.parametrize("own_end", ["Loading...", "Loading…", "Loading. "])
def test_a_summary_cut_just_after_its_own_dots_shows_one_ellipsis(qtbot, own_end: str) -> None:
    fonts = _FaceFonts(QFont())
    text = f"echo {own_end} and then a good deal more"
    room = QFontMetrics(fonts.plain).horizontalAdvance(f"echo {own_end}…")
    shown = fonts.elided(text, room)
    assert shown == "echo Loading…"
    assert fonts.elided("short", 10_000) == "short"
