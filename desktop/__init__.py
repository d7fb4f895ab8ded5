"""Dockblocks core: block model, Dockerfile render/parse, lint, project files and the engine service.

Pure Python and asyncio. Nothing in this package imports PySide6, qasync or ``ui``
(tests/core/test_layering.py enforces it), so the core runs and tests without Qt.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__: str = version("dockblocks")
except PackageNotFoundError:  # a bare checkout or a frozen bundle without metadata
    __version__ = "0+unknown"
