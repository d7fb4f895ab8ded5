""".dockerignore end to end: what our build sends equals what the docker CLI itself sends.

The docker CLI (28.x, /usr/local/bin/docker) with its classic builder applies .dockerignore on the client
(moby/patternmatcher), exactly the rules desktop.engine.dockerignore copies. Both build the same folder
with ``COPY . /ctx``; the files that arrive in the image must be the same.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import docker
import pytest
from engine_harness import PrivateEngine

from desktop.dockerfile import import_text
from desktop.engine.build import BuildOptions, build
from desktop.engine.build_events import BuildEvent, BuildFailed, BuildFinished

pytestmark = pytest.mark.engine

DOCKER_CLI = shutil.which("docker") or "/usr/local/bin/docker"

TREE = [
    "app.py",
    "README.md",
    "CHANGES.md",
    "notes.txt",
    "docs/guide.md",
    "docs/keep/important.md",
    "src/main.go",
    "src/pkg/util.go",
    "src/pkg/util_test.go",
    "node_modules/lib/index.js",
    "web/node_modules/lib/index.js",
    "web/index.html",
    "logs/today.log",
    "important/keep.log",
    "build/out/app.bin",
    "temp1",
    "tempdir/temporary.txt",
    "data[1].csv",
]

IGNORE = """\
# build output and dependencies
/build/
**/node_modules
*.md
!README.md
docs
!docs/keep
**/*.log
!important/*.log
src/**/*_test.go
temp?
*/temp*
"""

DOCKERFILE = "FROM BASE\nCOPY . /ctx\nCMD find /ctx -type f\n"


def _make_tree(root: Path) -> None:
    for name in TREE:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    (root / ".dockerignore").write_text(IGNORE)
    (root / "Dockerfile").write_text(DOCKERFILE)


def _files_in(engine: PrivateEngine, tag: str, labels: dict[str, str]) -> set[str]:
    output = engine.client.containers.run(tag, labels=labels, remove=True).decode()
    return {line.removeprefix("/ctx/") for line in output.split()} - {"Dockerfile", ".dockerignore"}


def _build_with_app(engine, labels, folder: Path, tag: str, classic: bool) -> None:
    doc = import_text(DOCKERFILE.replace("BASE", engine.base_image))

    async def go() -> list[BuildEvent]:
        out: list[BuildEvent] = []
        factory = lambda: docker.APIClient(base_url=engine.base_url, version="auto")  # noqa: E731
        async for batch in build(BuildOptions(doc, folder, tag=tag, classic=classic, labels=labels), factory):
            out.extend(batch)
        return out

    events = asyncio.run(go())
    failures = [e for e in events if isinstance(e, BuildFailed)]
    assert [e for e in events if isinstance(e, BuildFinished)], failures


@pytest.mark.skipif(not os.access(DOCKER_CLI, os.X_OK), reason="no docker CLI to compare with")
def test_dockerignore_sends_what_the_docker_cli_sends(engine, engine_labels, tmp_path):
    folder = tmp_path / "ctx"
    folder.mkdir()
    _make_tree(folder)
    (folder / "Dockerfile").write_text(DOCKERFILE.replace("BASE", engine.base_image))
    case = engine_labels["org.dockblocks.test.case"]
    label_args = [arg for key, value in engine_labels.items() for arg in ("--label", f"{key}={value}")]
    cli_tag = f"dockblocks-test/ignore-cli:{case}"
    env = {**engine.env(), "DOCKER_BUILDKIT": "0"}
    done = subprocess.run(
        [DOCKER_CLI, "build", "-q", "-t", cli_tag, *label_args, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    expected = _files_in(engine, cli_tag, engine_labels)
    # What the rules say, so a change in the CLI shows up as a readable difference.
    assert expected == {
        "app.py",
        "README.md",
        "notes.txt",
        "docs/keep/important.md",
        "src/main.go",
        "src/pkg/util.go",
        "web/index.html",
        "important/keep.log",
        "data[1].csv",
    }

    for classic in (False, True):
        tag = f"dockblocks-test/ignore-app-{'classic' if classic else 'buildkit'}:{case}"
        _build_with_app(engine, engine_labels, folder, tag, classic)
        assert _files_in(engine, tag, engine_labels) == expected, f"classic={classic}"
