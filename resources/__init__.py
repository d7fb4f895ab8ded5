"""Data-only package: block catalog texts, templates, icons, styles and translations.

It holds no code. It is a package so that ``importlib.resources`` finds the same files from a
checkout, an installed wheel and a frozen bundle; use ``desktop.paths.resource_path`` to reach them.
"""
