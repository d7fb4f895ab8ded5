"""A unix-socket relay to a test engine that can be cut and restored (reconnection tests)."""

from __future__ import annotations

import asyncio
from pathlib import Path


class SocketProxy:
    """A unix-socket relay to the engine that can be cut and restored: to the app, the engine stops and
    comes back (connections drop, new ones are refused), while the engine itself keeps running."""

    def __init__(self, path: Path, target: str) -> None:
        self.path = path
        self.target = target
        self._server: asyncio.AbstractServer | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self._server = await asyncio.start_unix_server(self._relay, path=str(self.path))

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        self._writers.clear()
        self.path.unlink(missing_ok=True)
        await asyncio.wait_for(self._server.wait_closed(), 10)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_unix_connection(self.target)
        self._writers += [writer, upstream_writer]

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
