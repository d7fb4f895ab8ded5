"""The engine stops in the middle of a build: the build says so plainly, and builds again once it is back."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import engine_harness
import pytest

from desktop.dockerfile import import_text
from desktop.engine.build import BuildOptions, build
from desktop.engine.build_events import BuildEvent, BuildFailed, BuildFinished, StepLog
from desktop.i18n import load_texts

pytestmark = pytest.mark.engine


@pytest.fixture
def own_engine(engine: engine_harness.PrivateEngine) -> Iterator[engine_harness.PrivateEngine]:
    """A second private engine for this test alone: stopping it leaves the session's engine alone."""
    del engine  # started first: it checks that engines can run here, and skips with the reason if not
    started = engine_harness.start_engine()
    try:
        yield started
    finally:
        started.stop()


def _restart(engine: engine_harness.PrivateEngine) -> None:
    """The same dockerd again, same socket and data (what `systemctl start docker` does)."""
    with engine.log_path.open("ab") as log:
        engine.process = subprocess.Popen(
            list(engine.process.args),  # type: ignore[arg-type]
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=engine_harness._die_with_parent,
        )
    socket = Path(engine.base_url.removeprefix("unix://"))
    deadline = time.monotonic() + 60
    while True:
        try:
            if engine_harness._ping(socket):
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "the engine did not come back"
        time.sleep(0.2)


@pytest.mark.parametrize("classic", [False, True], ids=["buildkit", "classic"])
def test_engine_stopping_mid_build_is_reported_and_the_next_build_works(own_engine, tmp_path, classic):
    labels = dict(own_engine.labels)
    doc = import_text(f"FROM {own_engine.base_image}\nRUN echo started; sleep 60\n")
    sleeper = doc.blocks[1].id

    def factory():
        return docker.APIClient(base_url=own_engine.base_url, version="auto")

    async def build_while_the_engine_stops() -> tuple[list[BuildEvent], float]:
        seen: list[BuildEvent] = []
        stopped_at = 0.0
        async for batch in build(BuildOptions(doc, tmp_path, classic=classic, labels=labels), factory):
            seen.extend(batch)
            if not stopped_at and any(isinstance(e, StepLog) and e.block_id == sleeper for e in batch):
                stopped_at = time.monotonic()
                own_engine.process.terminate()  # dockerd shuts down: the build's connection goes with it
        return seen, time.monotonic() - stopped_at

    seen, took = asyncio.run(build_while_the_engine_stops())
    own_engine.process.wait(60)

    failed = [e for e in seen if isinstance(e, BuildFailed)]
    assert len(failed) == 1 and not [e for e in seen if isinstance(e, BuildFinished)]
    assert took < 30
    # The connection broke, or the engine said first that it cancelled the build or killed its step.
    texts = load_texts("build")
    said = failed[0].message == texts["failed.engine_lost"] or "cancel" in failed[0].message.lower()
    assert said or failed[0].hint == texts["hint.killed"], failed[0]
    assert "Traceback" not in failed[0].message

    _restart(own_engine)
    again = import_text(f"FROM {own_engine.base_image}\nRUN echo back\n")

    async def build_again() -> list[BuildEvent]:
        out: list[BuildEvent] = []
        async for batch in build(BuildOptions(again, tmp_path, classic=classic, labels=labels), factory):
            out.extend(batch)
        return out

    assert [e for e in asyncio.run(build_again()) if isinstance(e, BuildFinished)]
