"""The engine stops in the middle of a build: the build says so plainly, and builds again once it is back."""

from __future__ import annotations

import asyncio
import time

import docker
import pytest

from desktop.dockerfile import import_text
from desktop.engine.build import BuildOptions, build
from desktop.engine.build_events import BuildEvent, BuildFailed, BuildFinished, StepLog
from desktop.i18n import load_texts

pytestmark = pytest.mark.engine


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_engine_stopping_mid_build_is_reported_and_the_next_build_works(second_engine, tmp_path, classic):
    labels = dict(second_engine.labels)
    doc = import_text(f"FROM {second_engine.base_image}\nRUN echo started; sleep 60\n")
    sleeper = doc.blocks[1].id

    def factory():
        return docker.APIClient(base_url=second_engine.base_url, version="auto")

    async def build_while_the_engine_stops() -> tuple[list[BuildEvent], float]:
        seen: list[BuildEvent] = []
        stopped_at = 0.0
        async for batch in build(BuildOptions(doc, tmp_path, classic=classic, labels=labels), factory):
            seen.extend(batch)
            if not stopped_at and any(isinstance(e, StepLog) and e.block_id == sleeper for e in batch):
                stopped_at = time.monotonic()
                second_engine.process.terminate()  # dockerd shuts down: the build's connection goes with it
        return seen, time.monotonic() - stopped_at

    seen, took = asyncio.run(build_while_the_engine_stops())
    second_engine.process.wait(60)

    failed = [e for e in seen if isinstance(e, BuildFailed)]
    assert len(failed) == 1 and not [e for e in seen if isinstance(e, BuildFinished)]
    assert took < 30
    # The connection broke, or the engine said first that it cancelled the build or killed its step.
    texts = load_texts("build")
    said = failed[0].message == texts["failed.engine_lost"] or "cancel" in failed[0].message.lower()
    assert said or failed[0].hint == texts["hint.killed"], failed[0]
    assert "Traceback" not in failed[0].message

    second_engine.start_again()
    again = import_text(f"FROM {second_engine.base_image}\nRUN echo back\n")

    async def build_again() -> list[BuildEvent]:
        out: list[BuildEvent] = []
        async for batch in build(BuildOptions(again, tmp_path, classic=classic, labels=labels), factory):
            out.extend(batch)
        return out

    assert [e for e in asyncio.run(build_again()) if isinstance(e, BuildFinished)]
