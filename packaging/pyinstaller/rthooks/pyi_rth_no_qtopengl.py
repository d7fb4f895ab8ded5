"""Runtime hook of the frozen Dockblocks: a stand-in for PySide6.QtOpenGL, which the bundle leaves out.

pyqtgraph 0.14 imports ``PySide6.QtOpenGL`` by a computed name (``importlib.import_module``) when its
chart items are imported (PlotCurveItem, PColorMeshItem, Qt/OpenGLHelpers, RawImageWidget), but it uses
the module's classes only inside its OpenGL paint paths, which Dockblocks never turns on (no
``useOpenGL``, no ``enableExperimental``). The bindings weigh 8.9 MB, so the spec excludes them and this
hook answers the import instead: a module whose every attribute raises an ImportError that says so.

The finder is appended to ``sys.meta_path``, so it answers only when no other finder found the real
module: a bundle (or a run from source) that has the real bindings gets them. QtOpenGLWidgets, which
pyqtgraph's GraphicsView imports, is the real module and stays in the bundle with its libraries.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types

LEFT_OUT = "PySide6.QtOpenGL"
MESSAGE = (
    "drawing with OpenGL is not part of this bundle of Dockblocks: PySide6.QtOpenGL was left out "
    "(packaging/pyinstaller/dockblocks.spec), so PySide6.QtOpenGL.{name} cannot be used"
)


def _missing(name: str) -> object:
    if name.startswith("__") and name.endswith("__"):
        # Introspection (copy, pickle, inspect, the import system) asks with getattr(..., default).
        raise AttributeError(name)
    raise ImportError(MESSAGE.format(name=name), name=LEFT_OUT)


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = types.ModuleType(spec.name, "Stand-in for PySide6.QtOpenGL, left out of this bundle.")
        module.__getattr__ = _missing  # type: ignore[method-assign]
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


class _StandInFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != LEFT_OUT:
            return None
        return importlib.machinery.ModuleSpec(fullname, _StandInLoader(), origin="left out of the bundle")


sys.meta_path.append(_StandInFinder())
