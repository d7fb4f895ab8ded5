"""Finding and removing the stopped instances Dockblocks started, on the real engine."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import docker
import pytest
from engine_harness import PrivateEngine

from desktop.engine.cleanup import remove_instances, stopped_instances
from desktop.engine.run import run
from desktop.engine.run_spec import RunSpec

pytestmark = pytest.mark.engine


@pytest.fixture
def api_factory(engine: PrivateEngine) -> Callable[[], Any]:
    return lambda: docker.APIClient(base_url=engine.base_url, version="auto")


def test_only_stopped_instances_of_dockblocks_are_found_and_removed(
    engine: PrivateEngine, engine_labels: dict[str, str], api_factory: Callable[[], Any]
) -> None:
    case = engine_labels["org.dockblocks.test.case"][:8]
    engine.api.create_container(  # made by someone else: it has no Dockblocks label
        engine.base_image, "true", name=f"not-ours-{case}", labels=engine_labels
    )

    async def scenario() -> tuple[list[tuple[str, str]], list[str], list[tuple[str, str]]]:
        done = await run(
            RunSpec(engine.base_image, name=f"done-{case}", command="true"), api_factory, engine_labels
        )
        await run(
            RunSpec(engine.base_image, name=f"busy-{case}", command="sleep 300"), api_factory, engine_labels
        )
        await asyncio.to_thread(engine.api.wait, done[0].id, timeout=30)
        found = await stopped_instances(api_factory, engine_labels)
        removed = await remove_instances(api_factory, [i for i, _ in found])
        return found, removed, await stopped_instances(api_factory, engine_labels)

    found, removed, after = asyncio.run(scenario())

    assert [name for _, name in found] == [f"done-{case}"]
    assert removed == [found[0][0]]
    assert after == []
    names = {
        c["Names"][0].lstrip("/")
        for c in engine.api.containers(all=True, filters={"label": "org.dockblocks.test.case"})
    }
    assert {f"busy-{case}", f"not-ours-{case}"} <= names and f"done-{case}" not in names
