"""``dockblocks build`` in a terminal, against the private engine: live steps, the image id, failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.dockerfile import import_text
from desktop.project import Project, save_project

pytestmark = pytest.mark.engine


def _project(tmp_path: Path, text: str) -> Path:
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "hello.txt").write_text("hello from the folder\n")
    path = tmp_path / "app.dockblocks"
    save_project(Project(document=import_text(text), context_dir=context, name="cli app"), path)
    return path


def _dockblocks(engine, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        env=engine.env(),
        capture_output=True,
        text=True,
        timeout=180,
        cwd=Path(__file__).parents[2],
    )


def _labels(engine_labels: dict[str, str]) -> list[str]:
    return [arg for key, value in engine_labels.items() for arg in ("--label", f"{key}={value}")]


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_cli_build_prints_steps_and_the_image_id(engine, engine_labels, tmp_path, classic):
    text = f"FROM {engine.base_image}\nCOPY hello.txt /\nRUN cat /hello.txt\n"
    project = _project(tmp_path, text)
    tag = f"dockblocks-test/cli:{engine_labels['org.dockblocks.test.case']}"

    done = _dockblocks(
        engine, "build", str(project), "--tag", tag, *_labels(engine_labels), *(["--classic"] * classic)
    )

    assert done.returncode == 0, done.stderr
    image_id = done.stdout.strip()
    assert image_id.startswith("sha256:") and engine.client.images.get(tag).id == image_id
    assert "RUN cat /hello.txt" in done.stderr and "    hello from the folder" in done.stderr
    assert engine.client.images.get(tag).labels["org.dockblocks.project"] == "cli app"


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_cli_build_failure_names_the_step_and_exits_non_zero(engine, engine_labels, tmp_path, classic):
    text = f"FROM {engine.base_image}\n# setup\nRUN echo ok\nRUN frobnicate --now\n"
    project = _project(tmp_path, text)

    done = _dockblocks(
        engine,
        "build",
        str(project),
        "--tag",
        "dockblocks-test/cli-fails:1",
        *_labels(engine_labels),
        *(["--classic"] * classic),
    )

    assert done.returncode == 1
    assert done.stdout == ""
    last = done.stderr.strip().splitlines()[-2:]
    assert last[0].startswith("The build failed at ") and "RUN frobnicate --now" in last[0]
    assert "(line 4)" in last[0]
    assert last[1].startswith('Hint: The command "frobnicate" does not exist')
    assert "Traceback" not in done.stderr


def test_cli_build_without_engine_says_so(tmp_path):
    project = _project(tmp_path, "FROM busybox\n")
    env = {"PATH": "/usr/bin:/bin", "DOCKER_HOST": f"unix://{tmp_path / 'none.sock'}", "HOME": str(tmp_path)}

    done = subprocess.run(
        [sys.executable, "-m", "desktop", "build", str(project)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )

    assert done.returncode == 1
    assert "Docker" in done.stderr and "Traceback" not in done.stderr
