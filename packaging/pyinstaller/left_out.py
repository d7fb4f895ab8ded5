"""The Python modules the bundle leaves out although a package it carries has them, and why.

dockblocks.spec adds :func:`excluded_modules` to its ``EXCLUDES``. Each was checked against what the
running app imports (``imported_modules.py``: the window, a template rendered, highlighted and linted, the
charts shown and exported) and against lazy imports in pyqtgraph; tests/packaging/test_bundle_excludes.py
runs that check again, so a module the app starts to import cannot stay left out unnoticed.
"""

from __future__ import annotations

import pkgutil

# pyqtgraph 0.14 imports PySide6.QtOpenGL by name with its chart items but uses it only to draw with
# OpenGL, which Dockblocks never does: the bindings (8.9 MB) are left out and the runtime hook
# rthooks/pyi_rth_no_qtopengl.py answers the import with a stand-in. QtOpenGLWidgets stays (pyqtgraph's
# GraphicsView imports it and uses its class), with libQt6OpenGL and libQt6OpenGLWidgets.
STAND_INS = ("PySide6.QtOpenGL",)

NUMPY = (
    "numpy.random",  # pyqtgraph uses it only in pseudoScatter (scatter plot jitter): 2.4 MB of libraries
    "numpy.fft",  # pyqtgraph's FFT transform of a curve, offered only by the chart menu the app turns off
    "numpy.f2py",  # the Fortran wrapper generator
    "numpy.testing",
    "numpy._core._multiarray_tests",  # numpy's own test helpers (PyInstaller's numpy hook adds it)
    "numpy.ma",  # masked arrays, polynomials, matrices: neither the app nor pyqtgraph uses them
    "numpy.polynomial",
    "numpy.matlib",
)

PYQTGRAPH = (
    "pyqtgraph.flowchart",  # its own applications' parts: flowcharts, a Python console, dock areas
    "pyqtgraph.console",
    "pyqtgraph.dockarea",
    "pyqtgraph.exceptionHandling",  # used by the console only
    "pyqtgraph.exporters",  # the chart menu's Export... (off); the panel exports PNG and CSV itself
    "pyqtgraph.GraphicsScene.exportDialog",
    "pyqtgraph.GraphicsScene.exportDialogTemplate_generic",
    "pyqtgraph.configfile",  # read by flowcharts and dock areas
    "pyqtgraph.units",
    "pyqtgraph.functions_numba",  # only with numba, which the bundle does not carry
    "pyqtgraph.multiprocess.bootstrap",  # the child side of remote views, never started
    "pyqtgraph.widgets.MatplotlibWidget",
)

# The highlighter uses pygments' Dockerfile and Bash lexers (ui/highlight.py); the Dockerfile lexer's
# module imports the shell and data lexers. pygments.lexers finds lexers through _mapping, which stays.
# Every other lexer module (1.55 MB of the compressed program archive) is left out.
KEPT_LEXERS = ("_mapping", "configs", "shell", "data")


def excluded_modules() -> list[str]:
    """Every module name (with its submodules) the spec excludes for the reasons above."""
    import pygments.lexers

    lexers = [
        f"pygments.lexers.{module.name}"
        for module in pkgutil.iter_modules(pygments.lexers.__path__)
        if module.name not in KEPT_LEXERS
    ]
    return [*STAND_INS, *NUMPY, *PYQTGRAPH, *sorted(lexers)]


def is_left_out(name: str, excluded: list[str]) -> bool:
    """Whether module ``name`` is one of ``excluded`` or inside one of them."""
    return any(name == left or name.startswith(f"{left}.") for left in excluded)
