"""One-shot stats of many containers at once over the engine's unix socket, from the event loop itself.

The engine answers ``GET /containers/{id}/stats?stream=false&one-shot=true`` at its stats collector's next
round (rounds are one second apart: Engine 20.10 subscribes the request and waits for one), so a blocking
call holds a thread for half a second on average: a few worker threads take a few samples a second, not a
hundred. Here every request of a tick is in flight at once on the loop (no thread at all), and all of them
are answered by the same collector round. Each request has a connection of its own, closed with the answer
(a local socket connects in microseconds); nothing stays open between ticks.

Only for ``unix://`` engines; others (TCP with TLS, SSH) are sampled by worker threads through docker-py.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

TIMEOUT = 5.0
"""Seconds an answer may take (a collector round is one second; a busy engine is given more)."""


class StatsUnavailable(Exception):
    """The engine did not answer with stats (it is away, or answered an error other than 404)."""


async def one_shot_stats(
    socket_path: str, api_version: str, container: str, timeout: float = TIMEOUT
) -> dict[str, Any] | None:
    """The stats of ``container`` (decoded JSON), or None when the engine no longer knows it (404).

    Raises:
        StatsUnavailable: the socket refused, the answer was not stats, or it took longer than ``timeout``.
    """
    try:
        return await asyncio.wait_for(_fetch(socket_path, api_version, container), timeout)
    # EOFError: asyncio.IncompleteReadError, an engine that went away in the middle of its answer.
    except (TimeoutError, OSError, ValueError, EOFError) as error:
        raise StatsUnavailable(str(error) or type(error).__name__) from error


async def _fetch(socket_path: str, api_version: str, container: str) -> dict[str, Any] | None:
    # The socket is ours until the stream holds it: a cancel (the tick's timeout, the engine going away)
    # between connecting and the stream taking it would otherwise leave it open.
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        await asyncio.get_running_loop().sock_connect(sock, socket_path)
        reader, writer = await asyncio.open_unix_connection(sock=sock)
    except BaseException:
        sock.close()
        raise
    try:
        path = f"/v{api_version}/containers/{container}/stats?stream=false&one-shot=true"
        writer.write(f"GET {path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n".encode("ascii"))
        status_line = await reader.readline()
        parts = status_line.decode("latin-1").split()
        if len(parts) < 2 or not parts[1].isdigit():
            raise ValueError(f"not an HTTP answer: {status_line[:80]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await _read_chunked(reader)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:
            body = await reader.read()
        if status == 404:
            return None
        if status != 200:
            raise ValueError(f"the engine answered {status}: {body[:200]!r}")
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("the stats are not a JSON object")
        return decoded
    finally:
        writer.close()


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readline()
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            return bytes(body)
        body += await reader.readexactly(size)
        await reader.readexactly(2)  # the chunk's closing CRLF
