"""Where Dockblocks finds its bundled resources and keeps per-user files.

The ``resources`` package is found through :mod:`importlib.resources`, so the same code works from a
checkout (or an editable install), an installed wheel and a frozen PyInstaller bundle (``sys._MEIPASS``).
Pure Python: no Qt here, so the CLI and the tests can use it too.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

APP_NAME = "Dockblocks"
"""Folder name on macOS and Windows, where folder names are capitalised."""

APP_SLUG = "dockblocks"
"""Folder name under the XDG base directories on Linux and other Unixes."""

PROJECT_SUFFIX = ".dockblocks"
"""A project file's suffix (``desktop.project.SUFFIX``): here, so the start page needs no project code."""

_RESOURCES_PACKAGE = "resources"


@functools.cache
def resources_root() -> Path:
    """Returns the real directory that holds the bundled resource files.

    Returns:
        An existing directory: ``resources/`` of the checkout, of site-packages, or of the frozen bundle.

    Raises:
        FileNotFoundError: no ``resources`` package or folder can be found.
    """
    folder = _package_folder()
    if folder is not None:
        return folder
    from importlib import resources  # ~4 ms to import: only for packages that are not plain folders

    try:
        root = resources.files(_RESOURCES_PACKAGE)
    except ModuleNotFoundError:
        root = None
    if isinstance(root, Path) and root.is_dir():
        return root.resolve()
    if root is not None and root.is_dir():
        # A zip import or another loader without real files: copy them out once, for Qt and subprocesses.
        return _extract(root)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        # A frozen bundle where the data files were collected but the package module was not.
        frozen = Path(bundle) / _RESOURCES_PACKAGE
        if frozen.is_dir():
            return frozen.resolve()
    raise FileNotFoundError(
        f"Dockblocks resources not found: no importable package {_RESOURCES_PACKAGE!r}"
        + (f" and no folder {Path(bundle) / _RESOURCES_PACKAGE}" if bundle else "")
    )


def _package_folder() -> Path | None:
    """The resources package's folder when it is a plain folder of files (a checkout, site-packages, a
    frozen bundle with its files collected), found without ``importlib.resources``; else None."""
    try:
        spec = importlib.util.find_spec(_RESOURCES_PACKAGE)
    except (ImportError, ValueError):
        return None
    places = list(spec.submodule_search_locations or ()) if spec is not None else []
    if len(places) == 1 and spec is not None and spec.origin and Path(spec.origin).is_file():
        folder = Path(places[0])
        if folder.is_dir():
            return folder.resolve()
    return None


def resource_path(*parts: str) -> Path:
    """Returns the path of one bundled resource file or folder.

    Args:
        *parts: path segments below ``resources/``, e.g. ``"blocks", "catalog.json"`` or ``"icons/a.svg"``.

    Returns:
        The existing path.

    Raises:
        ValueError: a segment is absolute or climbs out with ``..``.
        FileNotFoundError: no such resource; the message names it and where it was looked for.
    """
    relative = PurePosixPath(*(p.replace("\\", "/") for p in parts))
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"resource path must be relative and stay inside resources/: {relative}")
    root = resources_root()
    path = root.joinpath(*relative.parts)
    if not path.exists():
        raise FileNotFoundError(f"Dockblocks resource not found: {relative} (looked for {path})")
    return path


def user_data_dir(*, platform: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Returns the per-user folder for data Dockblocks makes (history, caches of builds). Not created here.

    Linux and other Unixes: ``$XDG_DATA_HOME/dockblocks`` (default ``~/.local/share/dockblocks``);
    macOS: ``~/Library/Application Support/Dockblocks``; Windows: ``%LOCALAPPDATA%\\Dockblocks``.

    Args:
        platform: a ``sys.platform`` value; the running one by default.
        environ: the environment to read; ``os.environ`` by default.
    """
    return _user_dir("data", platform or sys.platform, os.environ if environ is None else environ)


def user_config_dir(*, platform: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Returns the per-user folder for settings. Not created here.

    Linux and other Unixes: ``$XDG_CONFIG_HOME/dockblocks`` (default ``~/.config/dockblocks``);
    macOS: ``~/Library/Application Support/Dockblocks``; Windows: ``%APPDATA%\\Dockblocks`` (roaming).

    Args:
        platform: a ``sys.platform`` value; the running one by default.
        environ: the environment to read; ``os.environ`` by default.
    """
    return _user_dir("config", platform or sys.platform, os.environ if environ is None else environ)


def _user_dir(kind: str, platform: str, environ: Mapping[str, str]) -> Path:
    home = _home(environ)
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP_NAME
    if platform in ("win32", "cygwin"):
        variable, fallback = ("LOCALAPPDATA", "Local") if kind == "data" else ("APPDATA", "Roaming")
        base = environ.get(variable)
        return (Path(base) if base else home / "AppData" / fallback) / APP_NAME
    variable, fallback_parts = (
        ("XDG_DATA_HOME", (".local", "share")) if kind == "data" else ("XDG_CONFIG_HOME", (".config",))
    )
    base = environ.get(variable, "")
    # The XDG spec says to ignore relative paths in these variables.
    root = Path(base) if base and os.path.isabs(base) else home.joinpath(*fallback_parts)
    return root / APP_SLUG


def _home(environ: Mapping[str, str]) -> Path:
    for variable in ("HOME", "USERPROFILE"):
        value = environ.get(variable)
        if value:
            return Path(value)
    return Path.home()


def _extract(root: Traversable) -> Path:
    target = Path(tempfile.mkdtemp(prefix="dockblocks-resources-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    _copy_tree(root, target)
    return target


def _copy_tree(source: Traversable, target: Path) -> None:
    for child in source.iterdir():
        if child.name == "__pycache__":
            continue
        if child.is_dir():
            (target / child.name).mkdir()
            _copy_tree(child, target / child.name)
        else:
            (target / child.name).write_bytes(child.read_bytes())
