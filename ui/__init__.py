"""Dockblocks desktop UI: PySide6 widgets and thin Qt item models over the core in ``desktop``."""

from ui.pyside_imports import quicken_module_checks

# First thing on importing the UI, so every module imported after PySide6 is looked at the quick way.
quicken_module_checks()
