"""The beginner's mistakes, built for real: each failure is pinned to its block with a hint."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from desktop.dockerfile import import_text
from desktop.engine.build import BuildOptions, build
from desktop.engine.build_events import BuildEvent, BuildFailed
from desktop.i18n import load_texts

pytestmark = pytest.mark.engine

# The busybox base image has no apt-get; this stand-in (a FAKE apt-get, named so) prints what the real one
# prints when "install" asks its question with no terminal to answer, and fails as it does.
FAKE_APT_GET = (
    "RUN printf '#!/bin/sh\\necho \"Do you want to continue? [Y/n] Abort.\"\\nexit 1\\n' > /bin/apt-get"
    " && chmod +x /bin/apt-get"
)

CASES = {
    "install_without_yes": (f"FROM BASE\n{FAKE_APT_GET}\nRUN apt-get install curl\n", 2, "-y"),
    "file_missing": ("FROM BASE\nCOPY settings.ini /etc/app/\n", 1, "settings.ini"),
    "unknown_instruction": ("FROM BASE\nRUNN echo hi\n", 1, "RUNN"),
    # Not on the engine; Docker Hub is out of reach here (elsewhere it answers that there is no such image).
    "base_image_not_local": (
        "FROM BASE\nFROM dockblocks-test/no-such-image:1.0\nRUN true\n",
        1,
        "no-such-image",
    ),
    # The syntax line makes BuildKit fetch a frontend image first; the classic builder ignores it.
    "syntax_frontend": ("# syntax=docker/dockerfile:1\nFROM BASE\nRUN true\n", 0, "docker/dockerfile:1"),
    "command_not_found": ("FROM BASE\nRUN echo ok\nRUN frobnicate --all\n", 2, "frobnicate"),
}


def _failure(engine, labels, folder: Path, text: str, classic: bool) -> tuple[BuildFailed, list[str]]:
    doc = import_text(text.replace("BASE", engine.base_image))

    async def go() -> list[BuildEvent]:
        out: list[BuildEvent] = []
        factory = lambda: docker.APIClient(base_url=engine.base_url, version="auto")  # noqa: E731
        options = BuildOptions(doc, folder, labels=labels, classic=classic)
        async for batch in build(options, factory):
            out.extend(batch)
        return out

    events = asyncio.run(go())
    failed = [e for e in events if isinstance(e, BuildFailed)]
    assert len(failed) == 1, events
    return failed[0], [b.id for b in doc.blocks]


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_common_mistake_gets_its_hint_on_its_block(engine, engine_labels, tmp_path, case, classic):
    text, block_index, mentioned = CASES[case]
    if case == "syntax_frontend" and classic:
        pytest.skip("the classic builder ignores the syntax line")

    failed, blocks = _failure(engine, engine_labels, tmp_path, text, classic)

    assert failed.block_id == blocks[block_index], failed
    assert failed.hint is not None, failed
    assert mentioned in failed.hint
    keys = ("base_image_unreachable", "base_image_missing") if case == "base_image_not_local" else (case,)
    starts = [load_texts("build")[f"hint.{key}"].split("{", 1)[0] for key in keys]
    assert any(failed.hint.startswith(start) for start in starts), failed.hint
    assert failed.message and "Traceback" not in failed.message


REGISTRY = shutil.which("docker-registry") or "/usr/bin/docker-registry"


@pytest.fixture
def empty_registry(tmp_path: Path) -> Iterator[str]:
    """Debian's docker-registry on 127.0.0.1 (trusted without TLS by the engine), holding nothing."""
    if not os.access(REGISTRY, os.X_OK):
        pytest.skip("Debian's docker-registry is not installed (apt-get install docker-registry)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "registry.yml"
    config.write_text(
        "version: 0.1\nlog:\n  level: warn\n"
        f"storage:\n  filesystem:\n    rootdirectory: {tmp_path / 'store'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    process = subprocess.Popen(
        [REGISTRY, "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                assert time.monotonic() < deadline and process.poll() is None, "the registry did not start"
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_base_image_the_registry_does_not_have(engine, engine_labels, tmp_path, empty_registry, classic):
    text = f"FROM BASE\nRUN true\nFROM {empty_registry}/nobody/nothing:2.0\nRUN true\n"

    failed, blocks = _failure(engine, engine_labels, tmp_path, text, classic)

    assert failed.block_id == blocks[2], failed
    template = load_texts("build")["hint.base_image_missing"]
    assert failed.hint is not None and failed.hint.startswith(template.split("{", 1)[0]), failed
    assert "nobody/nothing:2.0" in failed.hint
