"""One-shot stats over the engine's socket when the answer is cut short.

A stand-in server on a unix socket plays an engine that dies in the middle of its answer: a real engine
cannot be made to stop between its headers and the end of its body on demand.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from desktop.engine.stats_http import StatsUnavailable, one_shot_stats

HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


async def _ask_a_server_that_answers(answer: bytes, folder: Path) -> None:
    path = str(folder / "engine.sock")

    async def answer_and_hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_unix_server(answer_and_hang_up, path)
    try:
        await one_shot_stats(path, "1.41", "abc", timeout=5)
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize(
    "answer",
    [
        HEADERS + b"Content-Length: 500\r\n\r\n" + b'{"read": "2026-',  # body shorter than it said
        HEADERS + b"Transfer-Encoding: chunked\r\n\r\n1f4\r\n" + b'{"read": ',  # chunk cut short
        HEADERS + b"Content-Length: 500\r\n",  # gone before the headers ended
    ],
    ids=["content-length", "chunked", "headers"],
)
def test_an_answer_cut_short_is_stats_unavailable_not_an_error(answer: bytes, tmp_path: Path) -> None:
    with pytest.raises(StatsUnavailable):
        asyncio.run(_ask_a_server_that_answers(answer, tmp_path))
