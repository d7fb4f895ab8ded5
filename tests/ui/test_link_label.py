"""A web link in the block settings shows that it has the keyboard (Fusion draws nothing for a label)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.widgets.link_label import LinkLabel


def _highlight_pixels(image: QImage, highlight: QColor) -> int:
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).name() == highlight.name()
    )


def test_a_link_reached_by_tab_draws_a_ring_around_its_words(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    before = QLineEdit(holder)
    url = "https://docs.docker.com/reference/dockerfile/#run"
    link = LinkLabel(url, "Dockerfile reference", "Ref", holder)
    layout.addWidget(before)
    layout.addWidget(link)
    holder.resize(600, 120)
    holder.show()
    qtbot.waitExposed(holder)
    assert link.toolTip() == url and link.accessibleName() == "Ref"
    highlight = link.palette().color(QPalette.ColorRole.Highlight)
    plain = link.grab().toImage()
    assert _highlight_pixels(plain, highlight) == 0
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    qtbot.keyClick(before, "\t")
    qtbot.waitUntil(link.hasFocus)
    ringed = link.grab().toImage()
    assert _highlight_pixels(ringed, highlight) > 2 * link.ring_rect().width(), "a ring: top and bottom lines"
    assert link.ring_rect().width() < link.width() / 2, "around the words, not the whole row"
