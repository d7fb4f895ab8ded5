"""Dockblocks core: block model, Dockerfile render/parse, lint, project files and the engine service.

Pure Python and asyncio. Nothing in this package imports PySide6, qasync or ``ui``
(tests/core/test_layering.py enforces it), so the core runs and tests without Qt.
"""

# A constant, not importlib.metadata: reading the installed metadata costs ~40 ms at every start of the
# window and the command, and a frozen bundle has none. tests/core/test_version.py keeps it equal to
# the version in pyproject.toml.
__version__ = "0.1.0"
