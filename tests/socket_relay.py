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
        self._relays: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._cut = True  # no connection is relayed until start, nor once stop began

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._cut = False
        self._server = await asyncio.start_unix_server(self._relay, path=str(self.path))

    async def stop(self) -> None:
        assert self._server is not None
        self._cut = True
        self._server.close()
        for writer in self._writers:
            writer.close()
        self._writers.clear()
        self.path.unlink(missing_ok=True)
        await asyncio.wait_for(self._server.wait_closed(), 10)
        # Each connection's relay ends here, in the loop: one left to the test's end is cancelled there,
        # which Python 3.11's streams report as an error of the connection callback.
        if self._relays:
            await asyncio.wait(list(self._relays), timeout=10)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task(self._loop)  # the loop named: Qt may step this outside it (see below)
        if task is not None:
            self._relays.add(task)
            task.add_done_callback(self._relays.discard)
        # A connection accepted just before the relay was cut, or handled by Qt once the test's loop had
        # stopped (qasync steps tasks from Qt's events), is dropped as a cut relay drops it.
        if self._cut:
            writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_unix_connection(self.target)
        except (OSError, RuntimeError):  # RuntimeError: no running loop (see above)
            writer.close()
            return
        if self._cut:  # cut while the engine's side was being reached
            writer.close()
            upstream_writer.close()
            return
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
