"""The version the program reports is the version it is packaged as."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import desktop

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_version_constant_is_the_packaged_version() -> None:
    packaged = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert desktop.__version__ == packaged, (
        f"desktop.__version__ is {desktop.__version__} but pyproject.toml says {packaged}: "
        "change both together"
    )


def test_importing_the_core_does_not_read_package_metadata() -> None:
    # Reading it costs tens of milliseconds at every start of the window.
    probe = "import sys, desktop; print('importlib.metadata' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
