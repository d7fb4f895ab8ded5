"""Form inputs show their edges in the dark scheme: text boxes, spin and combo boxes, radio buttons and check
boxes are outlined at WCAG's 3:1 for the parts of a control, and the light scheme looks exactly as before.

The edges are measured in the pixels Qt paints, inside a window as the user sees it (the inputs are
see-through around their box, so a picture of one alone would show another background).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.controller import DocumentController
from ui.theme import Theme, contrast_ratio, current_theme, make_palette
from ui.widgets.inspector import InspectorWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

WCAG_CONTROL_EDGE = 3.0


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[Theme]:
    made = current_theme()
    yield made
    made.set_scheme(Qt.ColorScheme.Light)
    made.set_scheme(Qt.ColorScheme.Unknown)


class Gallery(QWidget):
    """One input of each kind in a window, none with the focus (a focused one is outlined in blue)."""

    def __init__(self) -> None:
        super().__init__()
        self.focus_keeper = QPushButton("Somewhere else", self)
        chosen = QRadioButton("Run directly", self)
        chosen.setChecked(True)
        combo = QComboBox(self)
        combo.addItems(["Run a command"])
        text_box = QTextEdit(self)
        text_box.setPlainText("apt-get update")
        self.inputs: dict[str, QWidget] = {
            "text field": QLineEdit("alpine", self),
            "radio button": QRadioButton("Run through a shell", self),
            "chosen radio button": chosen,
            "check box": QCheckBox("Keep the .git folder", self),
            "spin box": QSpinBox(self),
            "combo box": combo,
            "text box": text_box,
        }
        layout = QVBoxLayout(self)
        layout.addWidget(self.focus_keeper)
        for widget in self.inputs.values():
            layout.addWidget(widget)
        self.resize(360, 420)

    def show_settled(self, qtbot) -> None:
        self.show()
        qtbot.waitExposed(self)
        self.focus_keeper.setFocus()
        qtbot.wait(20)


def edge_points(widget: QWidget) -> list[QPoint]:
    """Points across the left edge of an input's box (its indicator for radio buttons and check boxes)."""
    if isinstance(widget, QAbstractButton):
        option = QStyleOptionButton()
        option.initFrom(widget)
        element = (
            QStyle.SubElement.SE_RadioButtonIndicator
            if isinstance(widget, QRadioButton)
            else QStyle.SubElement.SE_CheckBoxIndicator
        )
        box = widget.style().subElementRect(element, option, widget)
    else:
        box = widget.rect()
    middle = box.center().y()
    return [widget.mapTo(widget.window(), QPoint(box.left() + dx, middle)) for dx in range(4)]


def edge_contrast(picture: QImage, widget: QWidget, background: QColor) -> float:
    """The strongest contrast, against the window's background, of the pixels across the input's edge."""
    ratio = picture.devicePixelRatio()
    colours = [
        picture.pixelColor(round(point.x() * ratio), round(point.y() * ratio))
        for point in edge_points(widget)
    ]
    return max(contrast_ratio(colour, background) for colour in colours)


def test_dark_inputs_are_outlined_at_three_to_one(theme: Theme, qtbot, tmp_path: Path) -> None:
    theme.set_scheme(Qt.ColorScheme.Dark)
    gallery = Gallery()
    qtbot.addWidget(gallery)
    gallery.show_settled(qtbot)
    picture = gallery.grab().toImage()
    picture.save(str(tmp_path / "dark-inputs.png"))
    background = gallery.palette().color(QPalette.ColorRole.Window)
    contrasts = {name: edge_contrast(picture, w, background) for name, w in gallery.inputs.items()}
    assert min(contrasts.values()) >= WCAG_CONTROL_EDGE, contrasts


def test_dark_inspector_fields_are_outlined(theme: Theme, controller_for, qtbot, tmp_path: Path) -> None:
    # The inspector styles its field frames with a style sheet: the outlines must show under it too.
    theme.set_scheme(Qt.ColorScheme.Dark)
    controller: DocumentController = controller_for("FROM alpine\nRUN apk add curl\n")
    inspector = InspectorWidget(controller)
    qtbot.addWidget(inspector)
    inspector.resize(380, 700)
    inspector.show()
    qtbot.waitExposed(inspector)
    controller.select([controller.document.blocks[1].id])
    qtbot.wait(20)
    inspector.setFocus()
    picture = inspector.grab().toImage()
    picture.save(str(tmp_path / "dark-inspector.png"))
    background = inspector.palette().color(QPalette.ColorRole.Window)
    radios = [r for r in inspector.findChildren(QRadioButton) if r.isVisible()]
    boxes = [b for b in inspector.findChildren(QTextEdit) if b.isVisible()]
    assert radios and boxes
    for widget in [*radios, *boxes]:
        assert edge_contrast(picture, widget, background) >= WCAG_CONTROL_EDGE, widget.objectName()


def test_the_light_scheme_looks_as_fusion_draws_it_even_after_a_dark_spell(theme: Theme, qtbot) -> None:
    theme.set_scheme(Qt.ColorScheme.Dark)
    theme.set_scheme(Qt.ColorScheme.Light)
    shown, plain = Gallery(), Gallery()
    for gallery in (shown, plain):
        qtbot.addWidget(gallery)
    for widget in [plain, *plain.findChildren(QWidget)]:
        widget.setPalette(make_palette(False))  # set on each: nothing of the field palettes can reach it
    for gallery in (shown, plain):
        gallery.show_settled(qtbot)
    assert shown.grab().toImage() == plain.grab().toImage()


def test_the_light_edges_are_fusions_own(theme: Theme, qtbot) -> None:
    theme.set_scheme(Qt.ColorScheme.Light)
    gallery = Gallery()
    qtbot.addWidget(gallery)
    gallery.show_settled(qtbot)
    picture = gallery.grab().toImage()
    ratio = picture.devicePixelRatio()
    # Fusion's outline of a text field: the window colour, 1.4 times darker.
    expected = make_palette(False).color(QPalette.ColorRole.Window).darker(140)
    edge = edge_points(gallery.inputs["text field"])[0]
    colour = picture.pixelColor(round(edge.x() * ratio), round(edge.y() * ratio))
    assert abs(colour.lightness() - expected.lightness()) <= 8, (colour.name(), expected.name())
