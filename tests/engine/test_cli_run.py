"""``dockblocks run PROJECT`` as a teacher scripts it, in a subprocess, against the real private engine."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from engine_harness import PrivateEngine

from desktop.dockerfile import import_text
from desktop.engine.labels import DOCKBLOCKS_LABEL, PROJECT_LABEL, project_image_tag
from desktop.engine.run_spec import say
from desktop.project import Project, save_project

pytestmark = pytest.mark.engine

SERVE = "mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 8080 -h /www"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dockblocks(engine: PrivateEngine, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        env=engine.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project(engine: PrivateEngine, engine_labels: dict[str, str], tmp_path: Path) -> tuple[Path, str]:
    """A saved project whose image is already built under the project's default tag."""
    name = f"Class Demo {engine_labels['org.dockblocks.test.case'][:8]}"
    dockerfile = f'FROM {engine.base_image}\nCMD ["sh", "-c", "{SERVE}"]\n'
    (tmp_path / "Dockerfile").write_text(dockerfile)
    tag = project_image_tag(name)
    events = list(engine.api.build(path=str(tmp_path), tag=tag, labels=engine_labels, rm=True, decode=True))
    assert not [e for e in events if "errorDetail" in e], events
    path = tmp_path / "demo.dockblocks"
    save_project(Project(document=import_text(dockerfile), context_dir=tmp_path, name=name), path)
    return path, name


def test_run_prints_the_names_and_the_page_is_served(
    engine: PrivateEngine, engine_labels: dict[str, str], project: tuple[Path, str]
) -> None:
    path, name = project
    port = free_port()
    labels = [arg for key, value in engine_labels.items() for arg in ("--label", f"{key}={value}")]

    done = dockblocks(engine, "run", str(path), "--count", "2", "--name", "demo", *labels)
    single = dockblocks(engine, "run", str(path), "-p", f"{port}:8080", *labels)

    assert done.returncode == 0, done.stderr
    names = done.stdout.split()
    assert names[:1] == ["demo-1"] and names[1:] == ["demo-2"]
    assert "docker run -d --name" in done.stderr
    assert single.returncode == 0, single.stderr
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                assert reply.read() == b"served\n"
                break
        except (urllib.error.URLError, OSError):
            assert time.monotonic() < deadline
            time.sleep(0.2)
    details = engine.api.inspect_container(single.stdout.strip())
    assert details["Config"]["Labels"][DOCKBLOCKS_LABEL] == "dockblocks"
    assert details["Config"]["Labels"][PROJECT_LABEL] == name

    clash = dockblocks(engine, "run", str(path), "-p", f"{port}:8080", *labels)
    assert clash.returncode == 2
    owner = single.stdout.strip()
    assert (
        clash.stderr.strip() == f"dockblocks: error: {say('port.used_by_instance', port=port, owner=owner)}"
    )
    assert clash.stdout == ""


def test_run_without_a_built_image_says_to_build_first(engine: PrivateEngine, tmp_path: Path) -> None:
    path = tmp_path / "unbuilt.dockblocks"
    save_project(
        Project(document=import_text("FROM scratch\n"), context_dir=tmp_path, name="never built"), path
    )

    done = dockblocks(engine, "run", str(path))

    assert done.returncode == 2
    image = project_image_tag("never built")
    assert done.stderr.strip() == f"dockblocks: error: {say('image.missing', image=image)}"
    assert "Traceback" not in done.stderr
