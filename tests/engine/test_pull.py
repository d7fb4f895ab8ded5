"""Pulling from a real registry on 127.0.0.1 (Debian's docker-registry), with progress for each layer.

An image of two layers of random bytes (so no layer is present on the engine when pulled back) is built,
pushed to the registry, removed from the engine and pulled again.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docker
import pytest
from engine_harness import PrivateEngine
from local_registry import free_port, local_registry, why_no_registry

from desktop.engine.pull import LayerState, PullError, PullProgress, pull, say

pytestmark = pytest.mark.engine

LAYER_BYTES = 6 * 1024 * 1024


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[str]:
    """A private registry on 127.0.0.1 (the engine trusts 127.0.0.0/8 without TLS); yields host:port."""
    reason = why_no_registry()
    if reason is not None:
        pytest.skip(reason)
    with local_registry(tmp_path / "registry") as address:
        yield address


@pytest.fixture
def api_factory(engine: PrivateEngine) -> Callable[[], Any]:
    return lambda: docker.APIClient(base_url=engine.base_url, version="auto")


def push_random_image(engine: PrivateEngine, labels: dict[str, str], context: Path, reference: str) -> str:
    context.mkdir()
    (context / "one.bin").write_bytes(os.urandom(LAYER_BYTES))
    (context / "two.bin").write_bytes(os.urandom(LAYER_BYTES // 2))
    (context / "Dockerfile").write_text("FROM scratch\nCOPY one.bin /one.bin\nCOPY two.bin /two.bin\n")
    events = list(engine.api.build(path=str(context), tag=reference, labels=labels, rm=True, decode=True))
    assert not [e for e in events if "errorDetail" in e], events
    pushed = list(engine.api.push(reference, stream=True, decode=True))
    assert not [e for e in pushed if "errorDetail" in e], pushed
    image_id = str(engine.api.inspect_image(reference)["Id"])
    engine.api.remove_image(image_id, force=True)
    return image_id


def test_pull_reports_each_layer_from_a_local_registry(
    engine: PrivateEngine,
    engine_labels: dict[str, str],
    registry: str,
    api_factory: Callable[[], Any],
    tmp_path: Path,
) -> None:
    reference = f"{registry}/dockblocks-test/random:{engine_labels['org.dockblocks.test.case'][:8]}"
    image_id = push_random_image(engine, engine_labels, tmp_path / "context", reference)
    snapshots: list[dict[str, tuple[LayerState, int, int]]] = []
    last: list[PullProgress] = []

    async def pull_all() -> None:
        async for progress in pull(reference, api_factory):
            snapshots.append(
                {k: (v.state, v.downloaded, v.download_total) for k, v in progress.layers.items()}
            )
            last[:] = [progress]

    asyncio.run(pull_all())

    final = last[0]
    assert len(final.layers) == 2
    assert all(layer.state is LayerState.DONE for layer in final.layers.values())
    assert final.fraction == 1.0
    assert final.digest.startswith("sha256:")
    assert "Downloaded newer image" in final.status
    # The bigger layer was seen part-way: downloading with a known total, before it was done.
    seen_states = {state for snapshot in snapshots for state, _, _ in snapshot.values()}
    assert LayerState.DONE in seen_states
    totals = [total for snapshot in snapshots for _, _, total in snapshot.values()]
    assert max(totals) >= LAYER_BYTES * 0.9
    assert str(engine.api.inspect_image(reference)["Id"]) == image_id


def test_pulling_an_image_the_registry_does_not_have_says_so(
    engine: PrivateEngine, registry: str, api_factory: Callable[[], Any]
) -> None:
    reference = f"{registry}/dockblocks-test/never-pushed:latest"

    async def pull_all() -> None:
        async for _progress in pull(reference, api_factory):
            pass

    with pytest.raises(PullError) as caught:
        asyncio.run(pull_all())
    assert caught.value.message == say("pull.not_found", image=reference)


def test_pulling_from_a_registry_that_is_not_there_says_so(
    engine: PrivateEngine, api_factory: Callable[[], Any]
) -> None:
    reference = f"127.0.0.1:{free_port()}/dockblocks-test/nowhere:latest"

    async def pull_all() -> None:
        async for _progress in pull(reference, api_factory):
            pass

    with pytest.raises(PullError) as caught:
        asyncio.run(pull_all())
    assert caught.value.message == say("pull.unreachable", image=reference)
