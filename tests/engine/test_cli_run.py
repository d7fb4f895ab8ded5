"""``dockblocks run PROJECT`` as a teacher scripts it, in a subprocess, against the real private engine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from engine_harness import PrivateEngine
from local_registry import local_registry, why_no_registry

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


def test_run_of_an_image_from_a_registry_pulls_it_first(
    engine: PrivateEngine, engine_labels: dict[str, str], tmp_path: Path
) -> None:
    reason = why_no_registry()
    if reason is not None:
        pytest.skip(reason)
    path = tmp_path / "tool.dockblocks"
    save_project(Project(document=import_text("FROM scratch\n"), context_dir=tmp_path, name="tool"), path)
    labels = [arg for key, value in engine_labels.items() for arg in ("--label", f"{key}={value}")]
    with local_registry(tmp_path / "registry") as registry:
        reference = f"{registry}/dockblocks-test/echo:{engine_labels['org.dockblocks.test.case'][:8]}"
        context = tmp_path / "context"
        context.mkdir()
        (context / "blob").write_bytes(os.urandom(1024 * 1024))
        (context / "Dockerfile").write_text(f"FROM {engine.base_image}\nCOPY blob /blob\n")
        built = list(
            engine.api.build(path=str(context), tag=reference, labels=engine_labels, rm=True, decode=True)
        )
        assert not [e for e in built if "errorDetail" in e], built
        assert not [e for e in engine.api.push(reference, stream=True, decode=True) if "errorDetail" in e]
        engine.api.remove_image(reference)

        done = dockblocks(
            engine,
            "run",
            str(path),
            "--image",
            reference,
            "--command",
            "echo from the registry",
            "--follow",
            *labels,
        )

    assert done.returncode == 0, done.stderr
    name, output = done.stdout.splitlines()
    assert output == "from the registry"
    err = done.stderr.splitlines()
    assert f"dockblocks: warning: {say('image.will_pull', image=reference)}" in err
    assert any(line.endswith(say("layer.already_exists")) for line in err)  # the base image's layers
    assert any(line.endswith(say("layer.done")) for line in err)  # the blob's, downloaded
    assert say("pull.done", image=reference) in err
    assert say("logs.exited", name=name, code=0) in err
