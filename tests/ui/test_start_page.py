"""The start page: template cards, open and import buttons, recent files; choosing any of them opens a
project and says so. Also a screenshot at 1280x800, light and dark, with the pixels we expect checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from desktop.dockerfile import render
from desktop.project import Project, save_project
from desktop.templates import list_templates, load_template_document
from ui.controller import DocumentController
from ui.files import ProjectFiles
from ui.theme import contrast_ratio, current_theme
from ui.widgets.choice_card import ChoiceCard
from ui.widgets.start_page import RECENT_SHOWN, StartPage


def never(name: str) -> Callable[..., object]:
    def fail(*_args: object, **_kwargs: object) -> object:
        raise AssertionError(f"{name} was not expected here")

    return fail


@pytest.fixture
def files(qtbot, tmp_path: Path) -> Iterator[ProjectFiles]:
    controller = DocumentController()
    window = QWidget()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    made = ProjectFiles(
        controller,
        window,
        settings=settings,
        autosave_dir=tmp_path / "autosave",
        projects_dir=tmp_path / "new",
    )
    made.errors = []  # type: ignore[attr-defined]
    made.show_error = lambda title, text, detail="": made.errors.append(text)  # type: ignore[attr-defined]
    made.ask_save_changes = never("ask_save_changes")
    made.choose_open_path = never("choose_open_path")
    made.choose_import_path = never("choose_import_path")
    yield made
    made.autosaver.stop()
    controller.wait_for_lint()


@pytest.fixture
def page(qtbot, files: ProjectFiles) -> StartPage:
    made = StartPage(files._controller, files)
    qtbot.addWidget(made)
    made.resize(1280, 800)
    made.show()
    qtbot.waitExposed(made)
    return made


def test_every_template_has_a_card_with_its_words_and_an_empty_project_card(page: StartPage) -> None:
    templates = list_templates()

    assert list(page.cards) == [t.id for t in templates] + ["empty"]
    for info in templates:
        card = page.findChild(ChoiceCard, f"TemplateCard-{info.id}")
        assert card is page.cards[info.id]
        assert card.accessibleName() == info.title and card.accessibleDescription() == info.description
        assert card.text() == info.title and card.description() == info.description
        assert card.isVisible() and card.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert page.objectName() == "StartPage" and page.accessibleName()


def test_cards_show_a_pointing_hand_and_react_to_hovering_once_painted(qtbot, page: StartPage) -> None:
    """Both are set without a ``Qt`` enum before the first picture: Fusion turns a button's hover on, and the
    hand comes with the card's first paint (see ChoiceCard)."""
    for card in [*page.cards.values(), page.open_button, page.import_button]:
        qtbot.waitUntil(lambda card=card: card.cursor().shape() == Qt.CursorShape.PointingHandCursor)
        assert card.testAttribute(Qt.WidgetAttribute.WA_Hover)


def test_clicking_a_card_opens_that_template(qtbot, page: StartPage, files: ProjectFiles) -> None:
    card = page.cards["static-nginx"]

    with qtbot.waitSignal(page.projectOpened):
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(card.width() // 2, card.height() - 8))

    controller = files._controller
    assert render(controller.document).text == render(load_template_document("static-nginx")).text
    assert controller.path is not None and controller.path.parent.name == "static-nginx"


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_a_card_is_chosen_with_the_keyboard(qtbot, page: StartPage, files: ProjectFiles, key) -> None:
    card = page.cards["node-app"]
    card.setFocus()

    with qtbot.waitSignal(page.projectOpened, timeout=2000):
        qtbot.keyClick(card, key)

    assert files._controller.project.context_dir == files.projects_dir / "node-app"


def test_tab_walks_through_the_cards_in_reading_order(qtbot, page: StartPage) -> None:
    ids = list(page.cards)
    page.cards[ids[0]].setFocus()
    reached = [ids[0]]
    for _ in ids[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        reached.append(next(i for i, c in page.cards.items() if c is focused))

    assert reached == ids


def test_the_empty_card_starts_an_empty_project(qtbot, page: StartPage, files: ProjectFiles) -> None:
    files._controller.replace_project(Project(document=load_template_document("python-alpine")), None)

    with qtbot.waitSignal(page.projectOpened):
        page.cards["empty"].click()

    assert files._controller.document.blocks == [] and files._controller.path is None


def test_open_and_import_buttons_open_what_was_chosen(qtbot, page: StartPage, files, tmp_path: Path) -> None:
    project = tmp_path / "saved.dockblocks"
    save_project(Project(name="saved"), project)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\n")
    files.choose_open_path = lambda start: project
    files.choose_import_path = lambda start: dockerfile
    assert page.open_button.accessibleName() == "Open a project"

    with qtbot.waitSignal(page.projectOpened):
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert files._controller.path == project
    with qtbot.waitSignal(page.projectOpened):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert files._controller.rendered.text == "FROM alpine:3.20\n"


def test_a_failed_open_does_not_say_a_project_was_opened(
    qtbot, page: StartPage, files, tmp_path: Path
) -> None:
    (tmp_path / "bad.dockblocks").write_text("not json at all")
    files.choose_open_path = lambda start: tmp_path / "bad.dockblocks"
    files.choose_import_path = lambda start: None

    with qtbot.assertNotEmitted(page.projectOpened):
        page.open_button.click()
        page.import_button.click()

    assert len(files.errors) == 1


def test_recent_files_are_listed_and_open_with_one_click(
    qtbot, page: StartPage, files, tmp_path: Path
) -> None:
    none = page.findChild(QLabel, "RecentNone")
    assert none.isVisible() and none.text()
    paths = []
    for number in range(RECENT_SHOWN + 2):
        path = tmp_path / f"project{number}.dockblocks"
        save_project(Project(), path)
        files.open_project(path)
        paths.append(path)

    buttons = page.recent_buttons()

    assert [b.text() for b in buttons] == [p.name for p in reversed(paths)][:RECENT_SHOWN]
    assert all(isinstance(b, ChoiceCard) and b.accessibleName() for b in buttons)
    assert not none.isVisible()
    with qtbot.waitSignal(page.projectOpened):
        qtbot.mouseClick(buttons[3], Qt.MouseButton.LeftButton)
    assert files._controller.path == paths[-4]
    assert page.recent_buttons()[0].text() == paths[-4].name


def test_without_the_files_module_the_page_still_shows_but_offers_nothing(qtbot) -> None:
    controller = DocumentController()
    made = StartPage(controller, None)
    qtbot.addWidget(made)

    assert not any(card.isEnabled() for card in made.cards.values())
    assert not made.open_button.isEnabled() and made.recent_buttons() == []
    controller.wait_for_lint()


@pytest.mark.parametrize("scheme", [Qt.ColorScheme.Light, Qt.ColorScheme.Dark])
def test_screenshot_reads_well_in_light_and_dark(
    qtbot, page: StartPage, files, tmp_path, artifacts_dir: Path, scheme
) -> None:
    for name in ("classroom-demo.dockblocks", "flask-shop.dockblocks"):
        save_project(Project(), tmp_path / name)
        files.open_project(tmp_path / name)
    theme = current_theme()
    theme.set_scheme(scheme)
    try:
        qtbot.wait(50)
        shot = page.grab()
        (artifacts_dir / "ui").mkdir(parents=True, exist_ok=True)
        shot.save(str(artifacts_dir / "ui" / f"start_page-{scheme.name.lower()}.png"))
        image = shot.toImage()
        background = QColor(image.pixel(5, page.height() - 5))
        assert (background.lightness() < 80) is (scheme == Qt.ColorScheme.Dark)
        for card in page.cards.values():
            # Every card fits on the page without scrolling at 1280x800, and its words are not cut off.
            corner = card.mapTo(page, card.rect().bottomRight())
            assert corner.y() < page.viewport().height(), card.objectName()
            assert card.height() >= card.heightForWidth(card.width())
            text, base = (
                card.palette().color(card.foregroundRole()),
                card.palette().color(card.backgroundRole()),
            )
            assert contrast_ratio(card.description_colour(), base) >= 4.5
            assert contrast_ratio(text, base) >= 7
    finally:
        theme.set_scheme(Qt.ColorScheme.Unknown)


def test_the_words_grow_with_the_window_zoom(qtbot, page: StartPage) -> None:
    # The theme's zoom sets the application font; do the same here without touching saved settings.
    card = page.cards["python-alpine"]
    before = (card.title_font().pointSizeF(), card.font().pointSizeF())
    heading = page.findChild(QLabel, "StartWelcome")
    heading_before = heading.font().pointSizeF()
    normal = QApplication.font()
    bigger = QFont(normal)
    bigger.setPointSizeF(normal.pointSizeF() * 1.5)
    try:
        QApplication.setFont(bigger)
        qtbot.wait(10)

        after = (card.title_font().pointSizeF(), card.font().pointSizeF())
        assert after[0] > before[0] * 1.3 and after[1] > before[1] * 1.3
        assert heading.font().pointSizeF() > heading_before * 1.3
        assert card.icon_side() > QFontMetrics(card.title_font()).height()
    finally:
        QApplication.setFont(normal)


def test_zoomed_far_in_the_cards_stand_in_one_column_and_keep_their_words_whole(
    qtbot, page: StartPage
) -> None:
    # At the biggest zoom two columns squeezed the cards until titles broke mid-word ("Pyt / hon").
    cards = list(page.cards.values())
    assert len({card.x() for card in cards}) == 2
    normal = QApplication.font()
    bigger = QFont(normal)
    bigger.setPointSizeF(normal.pointSizeF() * 2.2)
    try:
        QApplication.setFont(bigger)
        qtbot.waitUntil(lambda: len({card.x() for card in cards}) == 1)
        for card in cards:
            assert card.width() >= card.minimumSizeHint().width()
            assert card.height() >= card.heightForWidth(card.width())
    finally:
        QApplication.setFont(normal)
    qtbot.waitUntil(lambda: len({card.x() for card in cards}) == 2)
