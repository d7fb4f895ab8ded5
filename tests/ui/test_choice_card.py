"""The start page's card lays out and paints its own words: they wrap as a label's do, the card is as
tall as its words need at any width, and what is painted is the title, then the softer description."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.theme import contrast_ratio
from ui.widgets.choice_card import ChoiceCard

LONG_NAME = "a-project-whose-name-has-no-space-at-all-and-goes-on-and-on.dockblocks"


_holders: list[QWidget] = []  # kept alive for the test's length (qtbot closes them, not a reference)


def _card(qtbot, title: str, description: str, width: int, framed: bool = True) -> ChoiceCard:
    holder = QWidget()
    _holders[:] = [holder]
    qtbot.addWidget(holder)
    column = QVBoxLayout(holder)
    card = ChoiceCard(title, description, framed=framed)
    column.addWidget(card)
    column.addStretch(1)
    holder.resize(width, 600)
    holder.show()
    qtbot.waitExposed(holder)
    return card


def _inked_columns(image: QImage, background: QColor) -> list[int]:
    """The x of every column holding a pixel clearly unlike the background."""
    return [
        x
        for x in range(image.width())
        if any(
            abs(QColor(image.pixel(x, y)).lightness() - background.lightness()) > 60
            for y in range(image.height())
        )
    ]


def test_the_card_grows_taller_as_it_gets_narrower_and_its_words_fit(qtbot) -> None:
    words = "Start from Alpine, a very small Linux, install Python, copy your program in and run it."
    card = _card(qtbot, "A small Python program", words, 700)
    wide = card.height()
    assert wide >= card.heightForWidth(card.width())
    card.parentWidget().resize(260, 600)
    qtbot.waitUntil(lambda: card.width() <= 260)
    assert card.height() > wide  # the description took more lines
    assert card.height() >= card.heightForWidth(card.width())
    assert card.heightForWidth(260) > card.heightForWidth(700) >= card.minimumSizeHint().height()


def test_a_word_longer_than_the_line_is_broken_inside_the_card(qtbot) -> None:
    card = _card(qtbot, LONG_NAME, "In ~/projects", 320, framed=False)
    one_line = QFontMetrics(card.title_font()).height()
    assert card.heightForWidth(card.width()) > card.icon_side() + one_line  # the name took several lines
    shot = card.grab().toImage()
    background = card.palette().color(card.backgroundRole())
    inked = _inked_columns(shot, background)
    assert inked, "nothing was painted"
    assert max(inked) < shot.width() - 2  # nothing runs past the card's right edge


def test_the_title_is_painted_in_the_text_colour_and_the_description_softer(qtbot) -> None:
    card = _card(qtbot, "Empty project", "Start from nothing and drag in your own blocks.", 600)
    base = card.palette().color(card.palette().ColorRole.Base)
    text = card.palette().color(card.palette().ColorRole.WindowText)
    soft = card.description_colour()
    assert contrast_ratio(text, base) > contrast_ratio(soft, base) >= 7
    shot = card.grab().toImage()
    darkest = min(
        (QColor(shot.pixel(x, y)) for x in range(shot.width()) for y in range(shot.height())),
        key=lambda colour: abs(colour.lightness() - text.lightness()),
    )
    assert abs(darkest.lightness() - text.lightness()) < 20  # the title's ink is there
    title_bottom = card.heightForWidth(card.width()) // 2
    below = [
        QColor(shot.pixel(x, y)).lightness()
        for x in range(shot.width() // 3, shot.width() - 4)
        for y in range(title_bottom, shot.height() - 4)
    ]
    assert min(below) >= text.lightness() - 5 and min(below) < base.lightness() - 60  # softer ink below


def test_a_disabled_card_paints_its_words_greyed(qtbot) -> None:
    card = _card(qtbot, "Open a project…", "Continue a project you saved before.", 500, framed=False)
    background = card.palette().color(card.backgroundRole())

    def strongest_ink() -> int:
        image = card.grab().toImage()
        return max(
            abs(QColor(image.pixel(x, y)).lightness() - background.lightness())
            for x in range(image.width())
            for y in range(image.height())
        )

    enabled = strongest_ink()
    card.setEnabled(False)
    assert strongest_ink() < enabled
