"""``dockblocks --smoke-test`` as release checks run it: a fresh process, Qt's offscreen platform.

The failing cases point the self-check at a real copy of the resources with one real defect
(``DOCKBLOCKS_SMOKE_RESOURCES``) and expect exit 1 with a sentence naming exactly what broke.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.paths import resources_root
from desktop.smoke import ROOT_VARIABLE

REPO = Path(__file__).resolve().parents[2]


def smoke_test(tmp_path: Path, resources: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    env.pop(ROOT_VARIABLE, None)
    if resources is not None:
        env[ROOT_VARIABLE] = str(resources)
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--smoke-test"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def resources_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "resources"
    shutil.copytree(resources_root(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_smoke_test_passes_and_says_so(tmp_path: Path) -> None:
    done = smoke_test(tmp_path)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first.startswith("The self-check passed: ")
    assert first.endswith("5 templates rendered, hadolint ran, the icons and a chart drawn.")
    assert second == "The Dockblocks window opened and closed normally."


def test_a_broken_template_fails_the_smoke_test_by_name(tmp_path: Path, resources_copy: Path) -> None:
    (resources_copy / "templates" / "multi-stage" / "Dockerfile").write_text("FROM golang\nENV PATH\n")
    (resources_copy / "icons" / "cmd.svg").write_text("<svg")
    done = smoke_test(tmp_path, resources_copy)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert any("template multi-stage cannot be used" in line for line in lines), done.stderr
    assert any("icons/cmd.svg" in line for line in lines), done.stderr
    assert "Traceback" not in done.stderr and "self-check passed" not in done.stdout
