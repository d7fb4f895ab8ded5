"""Dockblocks desktop UI: PySide6 widgets and thin Qt item models over the core in ``desktop``."""
