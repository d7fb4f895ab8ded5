"""``dockblocks run --dry-run``: the equivalent docker run line and the checks, without an engine."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from desktop.cli import EXIT_OK, EXIT_UNREADABLE, main
from desktop.dockerfile import import_text
from desktop.engine.run_spec import say
from desktop.project import Project, save_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "site.dockblocks"
    save_project(
        Project(document=import_text("FROM nginx\nEXPOSE 80\n"), context_dir=tmp_path, name="My Site"), path
    )
    return path


def test_dry_run_prints_the_docker_run_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["run", str(project), "--dry-run", "-p", "18080:80", "-e", "MODE=demo",
         "-v", "./html:/usr/share/html:ro", "--memory", "256m", "--command", "nginx -g 'daemon off;'"]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == EXIT_OK
    assert shlex.split(out.out) == [
        "docker", "run", "-d", "-p", "18080:80", "-e", "MODE=demo", "-v",
        f"{project.parent}/html:/usr/share/html:ro", "--memory", "256m",
        "--label", "org.dockblocks.created-by=dockblocks", "dockblocks/my-site:latest",
        "nginx", "-g", "daemon off;",
    ]  # fmt: skip
    assert out.err == f"dockblocks: warning: {say('volume.missing_source', path=project.parent / 'html')}\n"


def test_unreadable_settings_are_one_sentence(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(project), "-p", "eighty"]) == EXIT_UNREADABLE
    assert capsys.readouterr().err == f"dockblocks: {say('port.unreadable', text='eighty')}\n"
    assert main(["run", str(project), "--dry-run", "--count", "2", "-p", "18080:80"]) == EXIT_UNREADABLE
    assert say("port.count", port=18080, count=2) in capsys.readouterr().err


def test_no_engine_is_one_sentence_with_what_to_do(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'nobody-listens.sock'}")
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)

    assert main(["run", str(project)]) == EXIT_UNREADABLE

    err = capsys.readouterr().err
    assert err.startswith("dockblocks: ") and err.count("\n") == 1
    assert "Traceback" not in err and "nobody-listens.sock" in err


def test_dry_run_of_a_service_prints_the_docker_service_create_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", str(project), "--service", "--count", "3", "--name", "web", "--dry-run", "-p", "80"])
    out = capsys.readouterr()
    assert code == EXIT_OK
    words = shlex.split(out.out)
    assert words[:3] == ["docker", "service", "create"]
    assert "--replicas" in words and words[words.index("--replicas") + 1] == "3"
    assert words[-1] == "dockblocks/my-site:latest" and "web" in words


def test_a_service_is_not_followed_and_says_how_to_follow_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.engine.services import say as say_service

    assert main(["run", str(project), "--service", "--follow"]) == EXIT_UNREADABLE
    assert capsys.readouterr().err == f"dockblocks: {say_service('cli.no_follow')}\n"
