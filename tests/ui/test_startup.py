"""Start-up stays short (bench/ui_cold_start.py): importing the window leaves asyncio and the editor panels
for later, the first picture is painted by Qt's own loop before asyncio starts, and the theme and the
garbage collector are found without asking Qt for the application's children."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ui import app as gui
from ui.controller import DocumentController
from ui.gc_guard import MainThreadCollector, collector_of
from ui.mainwindow import MainWindow
from ui.theme import Theme, current_theme, find_theme

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]

# Modules the first picture does not need; each costs start-up time (see bench/README.md).
LATER = (
    "asyncio",
    "qasync",
    "pygments",
    "importlib.metadata",
    "desktop.lint.api",
    "desktop.lint.hadolint",
    "desktop.blocks.validate",
    "ui.testing_probe",
    "ui.widgets.canvas",
    "ui.widgets.inspector",
    "ui.widgets.palette",
    "ui.widgets.preview",
    "ui.widgets.findings",
    "ui.highlight",
    "ui.models.document_model",
    "ui.controller",
    "desktop.blocks.model",
    "desktop.dockerfile",
    "desktop.project",
)


def test_importing_the_window_leaves_what_the_first_picture_does_not_need() -> None:
    probe = (
        "import sys, desktop.cli, ui.app\n"
        f"print(','.join(name for name in {LATER!r} if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"imported before the first picture: {done.stdout.strip()}"


def test_the_app_knows_the_end_to_end_probes_variable() -> None:
    from ui import testing_probe

    assert gui.PROBE_VARIABLE == testing_probe.ENV_VAR


def _window(qtbot, controller: DocumentController, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = gui.create_main_window(controller, settings, defer_editor=True)
    qtbot.addWidget(window)
    return window


def test_the_first_picture_comes_from_qts_own_loop(
    qtbot, qapp: QApplication, controller_for, tmp_path: Path
) -> None:
    quit_on_close = qapp.quitOnLastWindowClosed()
    window = _window(qtbot, controller_for(""), tmp_path)
    painted: list[bool] = []
    window.firstPainted.connect(lambda: painted.append(True))
    try:
        assert gui.show_first_picture(window)
        assert painted == [True] and window.isVisible()
        assert window.is_editor_ready(), "the editor panels are made right after the first picture"
        assert window.is_showing_start_page()
        assert not qapp.quitOnLastWindowClosed(), "the asyncio loop, not Qt, ends the program"
    finally:
        qapp.setQuitOnLastWindowClosed(quit_on_close)
        window.close()


def test_a_window_closed_before_its_first_picture_ends_the_start(
    qtbot, qapp: QApplication, controller_for, tmp_path: Path
) -> None:
    quit_on_close = qapp.quitOnLastWindowClosed()
    window = _window(qtbot, controller_for(""), tmp_path)
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    QTimer.singleShot(0, window.close)  # before the window server has shown it
    try:
        assert gui.show_first_picture(window, wait_ms=3000) is False
        assert closed == [True]
    finally:
        qapp.setQuitOnLastWindowClosed(quit_on_close)


def test_the_theme_is_the_first_one_made_and_found_without_qt(qapp: QApplication) -> None:
    theme = current_theme()
    assert find_theme(qapp) is theme
    assert qapp.findChild(Theme) is theme, "the same one Qt would find"
    another = Theme(qapp, None)
    try:
        assert current_theme() is theme, "a later theme does not take over"
    finally:
        another.setParent(None)
        another.deleteLater()
    assert find_theme(QObject()) is None, "an object without a theme has none"


def test_the_collector_of_a_parent_is_found(qtbot) -> None:
    parent = QObject()
    assert collector_of(parent) is None
    collector = MainThreadCollector(parent)
    try:
        assert collector_of(parent) is collector
    finally:
        parent.deleteLater()
        del parent, collector
        qtbot.waitUntil(gc.isenabled, timeout=2000)


def test_pyside6s_look_at_imported_modules_is_the_quick_one_with_the_same_answers() -> None:
    """As the application starts (a process of its own: under pytest, ``ui`` may be found as a folder of
    tests first, and ``ui/__init__.py`` is then not run)."""
    probe = (
        "import json, shutil, sys\n"
        "import desktop.cli, ui.app\n"
        "import desktop.paths, PySide6.QtSvg, ui.pyside_imports\n"
        "feature = sys.modules.get('shibokensupport.feature')\n"
        "if feature is None or not hasattr(feature, '_mod_uses_pyside'):\n"
        "    print('absent'); raise SystemExit\n"
        "quick = feature._mod_uses_pyside\n"
        "original = quick.__closure__[0].cell_contents if quick.__closure__ else quick\n"
        "again = ui.pyside_imports.quicken_module_checks() and feature._mod_uses_pyside is quick\n"
        "modules = [ui.app, ui.pyside_imports, desktop.paths, json, shutil, sys, PySide6.QtSvg]\n"
        "print(getattr(quick, 'dockblocks_quick_check', False), again)\n"
        "print(*[quick(m) for m in modules])\n"
        "print(*[original(m) for m in modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    if done.stdout.strip() == "absent":
        pytest.skip("this PySide6 does not look at the modules imported after it")
    installed, quick, original = done.stdout.splitlines()
    assert installed == "True True", "installed by importing the window's modules, and only once"
    assert quick == original == "True True False False False False False", "the same answers as PySide6's"


def test_the_start_page_builds_no_enum_it_does_not_use() -> None:
    """Drawing the start page's icons builds no gradient presets (PySide6 builds an enum at first use)."""
    probe = (
        "import enum, sys\n"
        "made = []\n"
        "create = enum.EnumType._create_\n"
        "def watched(cls, name, names, *args, **kwargs):\n"
        "    made.append(name)\n"
        "    return create(cls, name, names, *args, **kwargs)\n"
        "enum.EnumType._create_ = watched\n"
        "from PySide6.QtCore import QSize\n"
        "from PySide6.QtGui import QColor\n"
        "from ui.app import create_application\n"
        "from ui.icons import tinted_pixmap\n"
        "from ui.widgets.choice_card import tinted_svg\n"
        "from desktop.paths import resource_path\n"
        "app = create_application([])\n"
        "tinted_pixmap('run.svg', QSize(16, 16), QColor('red'))\n"
        "tinted_svg(resource_path('icons/run.svg'), 16, QColor('red'), 1.0)\n"
        "print('Preset' in made, len(made) > 0, flush=True)\n"
        "import os; os._exit(0)\n"
    )
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=environment
    )
    assert done.stdout.split() == ["False", "True"], done.stderr


def test_the_start_freezes_what_it_made_and_gives_the_window_its_icon_after_the_first_picture(
    tmp_path: Path,
) -> None:
    """The real start (``dockblocks``): automatic collection is off until the window closes, what the
    start made is frozen, so the window's first collection goes through only what came after, and the
    window's icon (drawn at every size on X11) comes once the first picture is up."""
    probe = (
        "import gc, sys, desktop.cli\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "seen = []\n"
        "def look():\n"
        "    seen.append((gc.get_freeze_count(), gc.isenabled(), QApplication.windowIcon().isNull()))\n"
        "    for window in QApplication.topLevelWidgets():\n"
        "        if window.objectName() == 'MainWindow':\n"
        "            seen.append(window.windowIcon().isNull())\n"
        "            window.close()\n"
        "import ui.app\n"
        "show = ui.app.show_first_picture\n"
        "def shown(window, *args):\n"
        "    seen.append(QApplication.windowIcon().isNull())\n"
        "    done = show(window, *args)\n"
        "    QTimer.singleShot(300, look)\n"
        "    return done\n"
        "ui.app.show_first_picture = shown\n"
        "code = desktop.cli.main([])\n"
        "iconless_at_first, (frozen, collecting, iconless_later), window_iconless = seen\n"
        "print(code, frozen > 10000, collecting, gc.isenabled(), iconless_at_first, iconless_later,"
        " window_iconless)\n"
    )
    done = _start_in_a_home_of_its_own(probe, tmp_path)
    said, errors = done.stdout.split(), done.stderr[-2000:]
    assert said == ["0", "True", "False", "True", "True", "False", "False"], errors


def test_the_real_start_builds_none_of_qts_enums_before_its_first_picture(tmp_path: Path) -> None:
    """The first ``Qt`` enum PySide6 makes builds all ~95 of the namespace (~35 ms of a ~300 ms start):
    the start page, its cards and icons, the menus and the theme do without them until the first
    picture is up (a start after the first one: the settings know the desktop's light or dark)."""
    probe = (
        "import sys, desktop.cli\n"
        "import PySide6.QtCore as core\n"
        "from PySide6.QtCore import QTimer\n"
        "import ui.app\n"
        "seen = []\n"
        "make = ui.app.create_main_window\n"
        "def made(*args, **kwargs):\n"
        "    window = make(*args, **kwargs)\n"
        "    window.firstPainted.connect(lambda: seen.append('Qt' in core.__dict__))\n"
        "    QTimer.singleShot(1000, window.close)\n"
        "    return window\n"
        "ui.app.create_main_window = made\n"
        "code = desktop.cli.main([])\n"
        "print(code, *seen, 'Qt' in core.__dict__)\n"
    )
    first, again = (_start_in_a_home_of_its_own(probe, tmp_path) for _start in range(2))
    # The first start ever asks the desktop at once, and keeps its answer for the next.
    assert first.stdout.split() == ["0", "True", "True"], first.stderr[-2000:]
    assert again.stdout.split() == ["0", "False", "True"], again.stderr[-2000:]


def _start_in_a_home_of_its_own(probe: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Runs ``probe`` (Python) in a new process whose home, settings and data folders are in ``folder``."""
    home = {name: str(folder / name) for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    environment = {**os.environ, **home, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environment, timeout=120
    )
