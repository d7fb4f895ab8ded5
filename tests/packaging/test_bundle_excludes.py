"""What the bundle leaves out is never imported by the running app, and the QtOpenGL stand-in works.

packaging/pyinstaller/left_out.py lists the modules dockblocks.spec excludes (numpy.random, numpy.fft,
pyqtgraph's exporters, most pygments lexers ...). packaging/pyinstaller/imported_modules.py runs the real
window offscreen (a template rendered, highlighted and linted, the charts drawn and exported) and prints
``sys.modules``: none of the left-out modules may be among them, or the frozen app would fail where the
app run from source works.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from linux_packages import REPO

sys.path.insert(0, str(REPO / "packaging" / "pyinstaller"))
from left_out import KEPT_LEXERS, STAND_INS, excluded_modules, is_left_out

PYINSTALLER_DIR = REPO / "packaging" / "pyinstaller"
HOOK = PYINSTALLER_DIR / "rthooks" / "pyi_rth_no_qtopengl.py"


@pytest.mark.timeout(300)
def test_the_running_app_imports_nothing_the_bundle_leaves_out() -> None:
    done = subprocess.run(
        [sys.executable, str(PYINSTALLER_DIR / "imported_modules.py")],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    imported = set(done.stdout.split())
    assert {"ui.highlight", "ui.widgets.charts.charts_panel", "pyqtgraph", "numpy"} <= imported
    excluded = [name for name in excluded_modules() if name not in STAND_INS]
    assert sorted(name for name in imported if is_left_out(name, excluded)) == []
    lexers = {
        name.removeprefix("pygments.lexers.") for name in imported if name.startswith("pygments.lexers.")
    }
    assert lexers == set(KEPT_LEXERS)  # also: no lexer kept that the app no longer needs


def test_every_excluded_name_exists() -> None:
    """A name that no longer exists (a renamed numpy module) would exclude nothing and hide that."""
    import importlib.util

    for name in excluded_modules():
        assert importlib.util.find_spec(name) is not None, name


def test_the_qtopengl_stand_in_answers_only_when_the_bindings_are_absent() -> None:
    script = f"""
import runpy, sys
runpy.run_path({str(HOOK)!r})
import PySide6.QtOpenGL as real
assert real.__file__.endswith(".so") or real.__file__.endswith(".pyd"), real
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    absent = f"""
import runpy, sys
runpy.run_path({str(HOOK)!r})
sys.meta_path.insert(0, sys.meta_path.pop())  # asked first: as if the bindings were not there
import numpy as np
from PySide6.QtWidgets import QApplication
app = QApplication(["test"])
sys.path.insert(0, {str(REPO)!r})
from ui.widgets.charts.resource_charts import ResourceChart
import PySide6, PySide6.QtOpenGL as stand_in
assert PySide6.QtOpenGL is stand_in and not hasattr(stand_in, "__file__"), stand_in
assert getattr(stand_in, "__path__", None) is None
chart = ResourceChart("CPU", 1, "Chart")
chart.resize(300, 150)
chart.show_arrays({{"a": np.array([[0.0, 5.0, 1.0], [1.0, 50.0, 2.0]])}}, ["a"], {{"a": "a"}})
assert not chart.grab().isNull()
try:
    stand_in.QOpenGLBuffer
except ImportError as error:
    print(error)
"""
    done = subprocess.run(
        [sys.executable, "-c", absent],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "drawing with OpenGL is not part of this bundle" in done.stdout
    assert "QOpenGLBuffer" in done.stdout
