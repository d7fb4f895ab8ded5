"""Prints, one a line, every module the running app imports while doing what users do with it.

The spec leaves out modules the app never imports (``EXCLUDES`` in dockblocks.spec). This is how that is
checked: the real window opens offscreen in a private home folder, a starter template becomes a project
(rendered, highlighted, linted with hadolint, a block selected), the charts dock is shown, then a charts
panel with three instances' timelines and CPU/memory lines is drawn and exported to PNG and CSV; then the
window closes and ``sys.modules`` is printed. tests/packaging/test_bundle_excludes.py runs it.

    .venv/bin/python packaging/pyinstaller/imported_modules.py > modules.txt
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
T0 = 1_700_000_000.0


def _timeline() -> object:
    from desktop.history.timeline import Timeline

    timeline = Timeline()
    for container, action, at, extra in [
        ("a", "create", 0, {}),
        ("a", "start", 1, {}),
        ("a", "die", 11, {"exitCode": "3"}),
        ("b", "create", 2, {}),
        ("b", "start", 3, {}),
        ("b", "oom", 20, {}),
        ("b", "die", 20.1, {"exitCode": "137"}),
        ("c", "create", 4, {}),
        ("c", "start", 5, {}),
        ("c", "pause", 15, {}),
        ("c", "unpause", 25, {}),
    ]:
        attributes = {"name": container, "image": "busybox", **extra}
        timeline.apply_event(
            {
                "Type": "container",
                "Action": action,
                "Actor": {"ID": container, "Attributes": attributes},
                "timeNano": int((T0 + at) * 1e9),
            }
        )
    return timeline


async def _use(window: object, folder: Path) -> None:
    from PySide6.QtWidgets import QApplication, QDockWidget

    from desktop.history.series import ResourceSeries
    from ui.charts_feed import ChartsFeed
    from ui.mainwindow import MainWindow
    from ui.widgets.charts.charts_panel import ChartsPanel

    assert isinstance(window, MainWindow)
    window.show()
    window.start_session()
    await asyncio.sleep(0.3)
    assert window.files is not None and window.files.new_project("python-alpine")
    window.show_editor()
    await asyncio.sleep(0.3)
    controller = window.controller
    controller.select([controller.document.blocks[1].id])
    controller.schedule_lint(immediately=True)
    controller.wait_for_lint()
    dock = getattr(window, "charts_dock", None)
    if isinstance(dock, QDockWidget):
        dock.show()
    series: dict[str, ResourceSeries] = {}
    for index, container in enumerate("abc"):
        one = series.setdefault(container, ResourceSeries())
        for second in range(20):
            one.add(T0 + 5 + second, 10.0 * (index + 1), 1024 * 1024 * (index + 5))
    panel = ChartsPanel(ChartsFeed(_timeline(), series, clock=lambda: T0 + 30, interval_ms=20))  # type: ignore[arg-type]
    panel.resize(900, 600)
    panel.show()
    await asyncio.sleep(0.3)
    QApplication.processEvents()
    panel.grab()
    panel.save_png(folder / "charts.png")
    panel.save_csv(folder / "charts.csv")
    panel.close()
    panel.deleteLater()
    await asyncio.sleep(0.1)
    window.close()


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="dockblocks-modules-") as home:
        os.environ["HOME"] = home
        os.environ["XDG_CONFIG_HOME"] = str(Path(home, ".config"))
        os.environ["XDG_DATA_HOME"] = str(Path(home, ".local", "share"))
        sys.path.insert(0, str(ROOT))
        from ui.app import create_application, create_main_window, run

        create_application(["dockblocks"])
        window = create_main_window()
        run(_use(window, Path(home)))
    print("\n".join(sorted(sys.modules)))


if __name__ == "__main__":
    main()
