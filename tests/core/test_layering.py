"""The core (desktop/) knows nothing of Qt: it never imports PySide6, shiboken6, qasync or ui.

It also imports and runs without them. The scan reads every .py file under desktop/ on each run, so it
covers modules added later. One door is allowed: desktop/cli.py, the console-script entry, may import the
``ui`` package inside a function to start the GUI (never at module level, never PySide6/qasync directly).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "desktop"
FORBIDDEN = ("PySide6", "shiboken6", "qasync", "ui", "PyQt5", "PyQt6", "pytestqt")
GUI_DOOR = ("desktop/cli.py", "ui")


def _core_files() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class _ImportScan(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str, bool]] = []  # line, module, inside a function
        self._depth = 0

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((node.lineno, alias.name, self._depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            self.found.append((node.lineno, node.module, self._depth > 0))

    def visit_Call(self, node: ast.Call) -> None:
        # importlib.import_module("PySide6.QtCore") and __import__("qasync") count too.
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in ("import_module", "__import__") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self.found.append((node.lineno, first.value, self._depth > 0))
        self.generic_visit(node)


def _violations(path: Path) -> list[str]:
    scan = _ImportScan()
    scan.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    relative = path.relative_to(ROOT).as_posix()
    bad = []
    for line, module, in_function in scan.found:
        top = module.split(".")[0]
        if top not in FORBIDDEN:
            continue
        if (relative, top) == GUI_DOOR and in_function:
            continue
        bad.append(f"{relative}:{line} imports {module}")
    return bad


def test_the_scan_sees_forbidden_imports() -> None:
    code = (
        "import os\nfrom PySide6 import QtCore\n"
        "def f():\n    import qasync\n    importlib.import_module('ui.app')\n"
    )
    scan = _ImportScan()
    scan.visit(ast.parse(code))
    assert [(m, f) for _, m, f in scan.found] == [
        ("os", False),
        ("PySide6", False),
        ("qasync", True),
        ("ui.app", True),
    ]


def test_core_never_imports_qt_or_ui() -> None:
    files = _core_files()
    assert files, "desktop/ has no .py files?"
    problems = [problem for path in files for problem in _violations(path)]
    assert not problems, "desktop/ must not import Qt, qasync or ui:\n" + "\n".join(problems)


BLOCKER = textwrap.dedent(
    """
    import importlib, importlib.abc, sys

    BLOCKED = {blocked!r}

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"{{name}} is blocked: the core must run without Qt", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    sys.path.insert(0, {root!r})
    try:
        import PySide6  # noqa
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit("the blocker does not work")
    failures = []
    for name in {modules!r}:
        try:
            importlib.import_module(name)
        except Exception as error:
            failures.append(f"{{name}}: {{type(error).__name__}}: {{error}}")
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    if failures or leaked:
        raise SystemExit("\\n".join(failures + [f"loaded anyway: {{leaked}}"] if leaked else failures))
    print("imported", len({modules!r}), "modules")
    """
)


@pytest.mark.timeout(120)
def test_every_core_module_imports_without_qt() -> None:
    # __main__ modules run the CLI when imported; the static scan above still covers them.
    modules = [_module_name(path) for path in _core_files() if path.name != "__main__.py"]
    code = BLOCKER.format(blocked=("PySide6", "shiboken6", "qasync", "ui"), root=str(ROOT), modules=modules)
    result = subprocess.run(
        [sys.executable, "-I", "-W", "error", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"imported {len(modules)} modules" in result.stdout
