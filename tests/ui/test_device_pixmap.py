"""The pixmaps widgets draw on: sized for the screen's pixel ratio, drawn on in logical pixels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QColor, QPainter

from ui.icons import device_pixmap


@pytest.mark.parametrize(
    ("ratio", "device"), [(1.0, QSize(30, 12)), (1.5, QSize(45, 18)), (2.0, QSize(60, 24))]
)
def test_a_pixmap_has_the_screens_pixels_and_the_callers_size(qapp, ratio: float, device: QSize) -> None:
    pixmap = device_pixmap(30, 12, ratio)

    assert pixmap.size() == device
    assert pixmap.devicePixelRatio() == ratio
    assert pixmap.deviceIndependentSize().toSize() == QSize(30, 12)


def test_a_pixmap_starts_transparent_or_in_the_colour_asked_for(qapp) -> None:
    clear = device_pixmap(8, 8, 2.0).toImage()
    filled = device_pixmap(8, 8, 2.0, QColor("#336699")).toImage()

    assert clear.pixelColor(QPoint(15, 15)).alpha() == 0
    assert filled.pixelColor(QPoint(0, 0)) == QColor("#336699")
    assert filled.pixelColor(QPoint(15, 15)) == QColor("#336699")


def test_drawing_is_in_logical_pixels(qapp) -> None:
    pixmap = device_pixmap(10, 10, 2.0)
    painter = QPainter(pixmap)
    painter.fillRect(5, 0, 5, 10, QColor("red"))  # the right half, in logical pixels
    painter.end()
    image = pixmap.toImage()

    assert image.pixelColor(QPoint(9, 10)).alpha() == 0  # device pixel 9: logical 4.5, the left half
    assert image.pixelColor(QPoint(10, 10)) == QColor("red")
    assert image.pixelColor(QPoint(19, 19)) == QColor("red")


def test_an_empty_size_still_makes_a_pixmap_that_can_be_painted_on(qapp) -> None:
    pixmap = device_pixmap(0, 0.2, 1.0)

    assert not pixmap.isNull() and pixmap.size() == QSize(1, 1)
    painter = QPainter(pixmap)
    assert painter.isActive()
    painter.end()
