"""The window half of ``dockblocks --smoke-test``: the core checks, every icon drawn by Qt, and the verdict.

:func:`ui.app.main` runs :func:`check_before_window` before it opens the window, opens and closes the
window, then prints :func:`verdict`'s lines. The core checks (resources, templates, hadolint) are in
:mod:`desktop.smoke`; drawing the icons proves the bundle carries Qt's SVG support, which a frozen
build loses silently when its plugins are left out (the window would only show blank buttons), and
drawing a chart proves pyqtgraph and numpy work (the window makes its charts only when they are shown).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from desktop.smoke import SmokeReport, check_everything, say, smoke_root
from ui.mainwindow import MainWindow
from ui.window_texts import say as say_window

_ICON_SIZE = QSize(32, 32)


def check_before_window(root: Path | None = None) -> SmokeReport:
    """The core checks and the icons, on the program's resources or ``DOCKBLOCKS_SMOKE_RESOURCES``."""
    folder = smoke_root() if root is None else root
    report = check_everything(folder)
    if folder.is_dir():
        for path in sorted(folder.rglob("*.svg")):
            report.count("icons")
            if not _draws(path):
                report.fail("icon_broken", file=path.relative_to(folder).as_posix())
    _check_charts(report)
    return report


def verdict(report: SmokeReport, window: MainWindow, errors_logged: str | None) -> tuple[int, list[str]]:
    """The exit code and the lines to print (stdout on success, stderr otherwise).

    Args:
        report: what :func:`check_before_window` found.
        window: the window that was opened and closed.
        errors_logged: the log file's path when an unexpected error was reported meanwhile, else None.
    """
    failures = list(report.failures)
    missing = window.missing_panels()
    if missing:
        names = ", ".join(say_window(f"panel.{name}") for name in missing)
        failures.append(say_window("launch.smoke_missing", panels=names))
    if errors_logged is not None:
        failures.append(say_window("launch.smoke_error", log=errors_logged))
    if failures:
        return 1, failures
    counts = {kind: str(report.checked.get(kind, 0)) for kind in ("files", "templates")}
    return 0, [say("passed", **counts), say_window("launch.smoke_ok")]


def _check_charts(report: SmokeReport) -> None:
    """A CPU chart with one line is drawn: pyqtgraph and numpy (made only when the charts are first shown)
    work in this build."""
    report.count("charts")
    try:
        import numpy as np

        from ui.widgets.charts.resource_charts import ResourceChart

        chart = ResourceChart("CPU", 1, "SmokeTestChart")
        try:
            chart.resize(320, 160)
            rows = np.array([[0.0, 5.0, 1.0], [1.0, 50.0, 2.0], [2.0, 25.0, 3.0]])
            chart.show_arrays({"smoke": rows}, ["smoke"], {"smoke": "smoke"})
            if chart.grab().isNull():
                raise RuntimeError("nothing was drawn")
        finally:
            chart.deleteLater()
    except Exception as error:  # any failure here is a broken build: name it, never raise
        report.fail("charts_broken", reason=f"{type(error).__name__}: {error}")


def _draws(path: Path) -> bool:
    renderer = QSvgRenderer(str(path))
    if not renderer.isValid():
        return False
    picture = QImage(_ICON_SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    renderer.render(painter)
    return painter.end()
