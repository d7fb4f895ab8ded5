"""The main window's layout kept between runs: its place and size, the panel sizes, the findings dock and
which panels are shown, in QSettings under ``window/``; and the first layout for a new user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

if TYPE_CHECKING:
    from ui.mainwindow import MainWindow

LAYOUT_VERSION = 1  # bump when the docks change so an old saved state is not forced onto new ones
DEFAULT_SIZE = (1280, 800)
HIDEABLE = ("palette", "inspector", "preview", "findings")
GROUP = "window"


def save_layout(window: MainWindow) -> None:
    """Remember the window's place, size, panel sizes and which panels are shown.

    A window closed before its editor was made keeps the editor's layout of the time before.
    """
    s = window.settings
    s.setValue(f"{GROUP}/geometry", window.saveGeometry())
    if window.is_editor_ready():
        s.setValue(f"{GROUP}/state", window.saveState(LAYOUT_VERSION))
        s.setValue(f"{GROUP}/editor_splitter", window.editor.saveState())
        s.setValue(f"{GROUP}/side_splitter", window.side_splitter.saveState())
        for name in HIDEABLE:
            s.setValue(f"{GROUP}/panels/{name}", window.menu_actions[f"show_{name}"].isChecked())
    s.sync()


def restore_layout(window: MainWindow) -> bool:
    """Put the window back as it was saved; False when nothing was saved (or it could not be read).

    The editor's part waits for :func:`restore_editor_layout` when the editor is not made yet.
    """
    geometry = window.settings.value(f"{GROUP}/geometry")
    if not isinstance(geometry, QByteArray) or not window.restoreGeometry(geometry):
        return False
    if window.is_editor_ready():
        restore_editor_layout(window)
    return True


def restore_editor_layout(window: MainWindow) -> bool:
    """Put the docks, the panel sizes and which panels are shown back as saved; False when none were."""
    s = window.settings
    if not isinstance(s.value(f"{GROUP}/geometry"), QByteArray):
        return False  # nothing saved, or a damaged file: the first layout
    for key, restore in (
        ("state", lambda data: window.restoreState(data, LAYOUT_VERSION)),
        ("editor_splitter", window.editor.restoreState),
        ("side_splitter", window.side_splitter.restoreState),
    ):
        data = s.value(f"{GROUP}/{key}")
        if isinstance(data, QByteArray):  # anything else is a damaged or hand-edited file: keep the default
            restore(data)
    for name in HIDEABLE:
        window.set_panel_visible(name, bool(s.value(f"{GROUP}/panels/{name}", True, type=bool)))
    return True


def forget_layout(window: MainWindow) -> None:
    """Drop the saved layout (Reset Layout)."""
    window.settings.remove(GROUP)


def apply_default_sizes(window: MainWindow) -> None:
    """The first layout: the palette a fifth of the width, settings over Dockerfile a third, the canvas the
    rest; the findings a sixth of the height."""
    width = max(window.width(), 900)
    palette, side = round(width * 0.22), round(width * 0.33)
    window.editor.setSizes([palette, width - palette - side, side])
    height = max(window.side_splitter.height(), 400)
    settings = round(height * 0.55)  # a form needs more room than a short Dockerfile
    window.side_splitter.setSizes([settings, height - settings])
    findings = max(110, round(window.height() * 0.16))
    from PySide6.QtCore import Qt  # here: Qt's enums are built on first use, not before the first picture

    window.resizeDocks([window.findings_dock], [findings], Qt.Orientation.Vertical)


def default_size(window: MainWindow) -> tuple[int, int]:
    """1280 x 800, or the screen's free room when it is smaller."""
    room = window.screen().availableGeometry()
    return min(DEFAULT_SIZE[0], room.width()), min(DEFAULT_SIZE[1], room.height())
