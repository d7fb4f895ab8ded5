"""Proves the engine harness: a real build and a real run on the private dockerd."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_harness import PrivateEngine


@pytest.mark.engine
def test_build_and_run_an_image(engine: PrivateEngine, engine_labels: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        f"FROM {engine.base_image}\nRUN echo built > /built.txt\nCMD cat /built.txt\n"
    )
    tag = f"dockblocks-test/smoke:{engine_labels['org.dockblocks.test.case']}"
    events = list(engine.api.build(path=str(tmp_path), tag=tag, labels=engine_labels, rm=True, decode=True))
    assert not [e for e in events if "errorDetail" in e], events
    image = engine.client.images.get(tag)
    assert image.labels["org.dockblocks.test"] == "1"

    output = engine.client.containers.run(tag, labels=engine_labels, remove=True)

    assert output == b"built\n"


@pytest.mark.engine
def test_engine_is_private(engine: PrivateEngine) -> None:
    assert engine.base_url.startswith("unix://")
    assert not engine.base_url.endswith("/var/run/docker.sock")
    assert engine.env()["DOCKER_HOST"] == engine.base_url
    assert engine.client.info()["DockerRootDir"].startswith(str(engine.root))
    labels = engine.client.images.get(engine.base_image).labels
    assert labels == {"org.dockblocks.test": "1"}
