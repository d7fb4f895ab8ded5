"""Dialogs of the main window: opened with open() and their finished signal awaited, never exec()."""
