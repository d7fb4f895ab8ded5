"""The widgets of the composer window: palette, canvas, inspector, preview and their helpers."""
