"""Connecting to a real engine: who it is, found through DOCKER_HOST or a Docker context, and connected
again by itself after a second private engine is stopped (in the middle of a stream) and started again."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import engine_harness
import pytest

from desktop.engine import contexts
from desktop.engine.connection import (
    EngineAddress,
    EngineInfo,
    EngineProblem,
    EngineUnavailable,
    connect_first,
    open_api_client,
    parse_address,
    probe_blocking,
)
from desktop.engine.problems import ProblemKind, classify
from desktop.engine.threads import stream_blocking
from desktop.engine.watcher import EngineWatcher

pytestmark = [pytest.mark.engine, pytest.mark.timeout(240)]


def test_the_engine_says_who_it_is(engine: engine_harness.PrivateEngine) -> None:
    info = probe_blocking(parse_address(engine.base_url))
    version = engine.api.version()
    assert info.url == engine.base_url
    assert info.version == version["Version"]  # 20.10.24 from Debian's docker.io here
    assert info.engine_api_version == version["ApiVersion"]
    assert info.api_version == min(version["ApiVersion"], "1.45", key=lambda v: tuple(map(int, v.split("."))))
    assert info.os == "linux" and info.arch == version["Arch"]
    assert info.buildkit is True  # Linux engine, API >= 1.39: /build?version=2 is there
    assert info.swarm_manager is False
    assert info.product == "Docker Engine"


def test_a_client_for_the_engine_speaks_its_api_version(engine: engine_harness.PrivateEngine) -> None:
    info = probe_blocking(parse_address(engine.base_url))
    client = open_api_client(info)
    try:
        assert client.api_version == info.api_version
        assert client.version()["Version"] == info.version
        assert any(engine.base_image in (image.get("RepoTags") or []) for image in client.images())
    finally:
        client.close()


def test_docker_host_finds_the_engine(engine: engine_harness.PrivateEngine) -> None:
    found = contexts.candidates(engine.env(), platform="linux")
    assert [(a.url, a.source.value) for a in found] == [(engine.base_url, "env")]
    info = asyncio.run(connect_first(found))
    assert info.url == engine.base_url and info.address.source.value == "env"


def test_a_docker_context_finds_the_engine(engine: engine_harness.PrivateEngine, tmp_path: Path) -> None:
    config = tmp_path / "docker-config"
    meta = config / "contexts" / "meta" / hashlib.sha256(b"classroom").hexdigest()
    meta.mkdir(parents=True)
    endpoints = {"docker": {"Host": engine.base_url, "SkipTLSVerify": False}}
    (meta / "meta.json").write_text(json.dumps({"Name": "classroom", "Metadata": {}, "Endpoints": endpoints}))
    (config / "config.json").write_text(json.dumps({"currentContext": "classroom"}))
    env = {"DOCKER_CONFIG": str(config), "HOME": str(tmp_path)}
    found = contexts.candidates(env, home=tmp_path, platform="linux")
    assert found[0] == EngineAddress(engine.base_url, contexts.Source.CONTEXT, "classroom")
    info = asyncio.run(connect_first(found))
    assert info.url == engine.base_url and info.address.name == "classroom"


def test_a_missing_socket_before_the_engine_is_passed_over(
    engine: engine_harness.PrivateEngine, tmp_path: Path
) -> None:
    candidates = [EngineAddress(f"unix://{tmp_path}/gone.sock"), parse_address(engine.base_url)]
    assert asyncio.run(connect_first(candidates)).url == engine.base_url


def test_when_none_answers_the_most_telling_reason_is_given(tmp_path: Path) -> None:
    stale = tmp_path / "stale.sock"
    import socket

    left_over = socket.socket(socket.AF_UNIX)
    left_over.bind(str(stale))
    try:
        with pytest.raises(EngineUnavailable) as raised:
            asyncio.run(
                connect_first(
                    [EngineAddress(f"unix://{tmp_path}/none.sock"), EngineAddress(f"unix://{stale}")]
                )
            )
    finally:
        left_over.close()
    assert raised.value.problem.kind is ProblemKind.STALE_SOCKET  # more telling than "not started"


# --- stopped and started again --------------------------------------------------------------------------


def _stop_dockerd(engine: engine_harness.PrivateEngine) -> None:
    engine.process.terminate()
    engine.process.wait(60)


async def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        await asyncio.sleep(0.05)


def test_the_watcher_reconnects_when_a_stopped_engine_starts_again(
    second_engine: engine_harness.PrivateEngine,
) -> None:
    address = parse_address(second_engine.base_url)
    changes: list[tuple[EngineInfo | None, EngineProblem | None]] = []
    watcher = EngineWatcher(lambda: [address], lambda i, p: changes.append((i, p)), 0.2, 0.3)

    async def scenario() -> list[str]:
        watch = asyncio.ensure_future(watcher.run())
        seen: list[str] = []
        try:
            await _until(lambda: watcher.info is not None, 30, "the first connection")
            seen.append("connected")
            client = open_api_client(watcher.info)  # a stream owns its client (closing it ends the stream)
            opened: list[Any] = []

            def open_events() -> Any:
                opened.append(client.events(decode=True))
                return opened[-1]

            async def follow_events() -> str:
                try:
                    async for _batch in stream_blocking(open_events, client.close):
                        pass  # dockerd says nothing more: the stream ends or fails when it goes
                except Exception as error:  # the stream's failure, read as a plain reason
                    return f"stream: {classify(error, address.url).kind.value}"
                return "stream ended"

            follower = asyncio.ensure_future(follow_events())
            try:
                await _until(lambda: bool(opened), 30, "the events stream to open")
                await asyncio.to_thread(_stop_dockerd, second_engine)
                seen.append(await follower)
            finally:
                client.close()
            await _until(lambda: watcher.problem is not None, 30, "the engine to be missed")
            assert watcher.problem is not None
            seen.append(watcher.problem.kind.value)
            second_engine.start_again(wait=False)
            await _until(lambda: watcher.info is not None, 90, "the engine to be found again")
            seen.append("connected again")
            assert watcher.info is not None and watcher.info.url == second_engine.base_url
            second_engine.client.ping()
        finally:
            watch.cancel()
            await asyncio.gather(watch, return_exceptions=True)
        return seen

    seen = asyncio.run(scenario())
    assert seen[0] == "connected" and seen[-1] == "connected again"
    missed = [s for s in seen if s in (ProblemKind.NOT_STARTED.value, ProblemKind.STALE_SOCKET.value)]
    assert missed, f"a stopped engine reads as not started: {seen}"
    assert [info is not None for info, _problem in changes] == [True, False, True]
    assert changes[1][1] is not None and "not running" in changes[1][1].message
