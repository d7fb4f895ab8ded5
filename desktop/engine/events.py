"""Following the engine's events stream into the instances' state history, through reconnections.

:class:`HistoryFeed` keeps a :class:`~desktop.history.timeline.Timeline` true to the engine:

1. it reads the engine's clock (``/info``'s ``SystemTime``), inspects every container in scope and
   reconciles the timeline with what it finds (what happened while nobody listened);
2. it follows ``/events`` (containers only) from that moment on, or from the last event it applied when
   it resumes after a reconnect, so the events the engine still remembers are replayed at their own times;
   both steps are idempotent, so the overlap changes nothing;
3. when the stream breaks (the engine stopped), it tries again every few seconds, from step 1.

The timeline is saved to the store every couple of seconds in a worker thread. The stream runs in a thread
of its own with a client of its own; cancelling the feed closes that client, which ends the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from desktop.engine.connection import PROBE_TIMEOUT, reach_socket
from desktop.engine.labels import DOCKBLOCKS_LABEL, DOCKBLOCKS_LABEL_VALUE
from desktop.engine.threads import run_blocking, stream_blocking
from desktop.history.model import event_time, parse_engine_time
from desktop.history.store import HistoryStore, save
from desktop.history.timeline import Timeline

_log = logging.getLogger(__name__)

ApiFactory = Callable[[], Any]
"""Makes a fresh ``docker.APIClient`` (the caller closes it)."""

RETRY_INTERVAL = 2.0  # seconds between attempts while the engine does not answer
SAVE_INTERVAL = 2.0  # seconds between writes of the history: one transaction per batch of changes


def container_filters(every_container: bool) -> dict[str, list[str]]:
    """The ``filters`` for containers in scope: the app's own (labelled), or every one on the engine."""
    filters = {"type": ["container"]}
    if not every_container:
        filters["label"] = [f"{DOCKBLOCKS_LABEL}={DOCKBLOCKS_LABEL_VALUE}"]
    return filters


def since_value(moment: float) -> str:
    """A time as the engine's ``since`` parameter wants it: ``seconds.nanoseconds``."""
    seconds = int(moment)
    return f"{seconds}.{round((moment - seconds) * 1e9):09d}"


def inspect_in_scope(client: Any, every_container: bool) -> tuple[float, list[dict[str, Any]]]:
    """The engine's clock and the inspect results of the containers in scope (blocking).

    The clock is read first: events from that moment on are replayed afterwards, so nothing that
    happens while the containers are inspected is missed.
    """
    now = parse_engine_time(client.info().get("SystemTime")) or time.time()
    label_filter = {k: v for k, v in container_filters(every_container).items() if k == "label"}
    inspected = []
    for summary in client.containers(all=True, filters=label_filter):
        try:
            inspected.append(client.inspect_container(summary["Id"]))
        except Exception as error:  # removed between the listing and the inspect: reconciled as removed
            if getattr(getattr(error, "response", None), "status_code", None) != 404:
                raise
    return now, inspected


class HistoryFeed:
    """Keeps a timeline up to date with one engine, and saved.

    Attributes:
        timeline: the history it feeds.
        last_event: the engine time of the last event applied (where a resumed stream starts), or None.
        connected: whether the events stream is open now.
        streams_opened: how many events streams were opened (one per connection: what a test counts).
    """

    def __init__(
        self,
        timeline: Timeline,
        api_factory: ApiFactory,
        store: HistoryStore | None = None,
        every_container: bool = False,
        on_change: Callable[[], None] | None = None,
        retry_interval: float = RETRY_INTERVAL,
        save_interval: float = SAVE_INTERVAL,
        url: str = "",
    ) -> None:
        """Feeds ``timeline`` from the engine ``api_factory`` reaches.

        Args:
            timeline: the history to keep up to date (loaded from ``store`` by the caller, or empty).
            api_factory: makes a new client for each connection.
            store: where to save the history, or None to keep it in memory only.
            every_container: follow every container of the engine, not just the app's own.
            on_change: called in the loop after the timeline changed (once per batch of events).
            retry_interval: seconds between attempts while the engine does not answer.
            save_interval: seconds between writes to the store.
            url: the engine's address; a unix socket is tried first with a socket that is always closed
                (docker-py leaks one when it cannot connect), so an engine that is away costs nothing.
        """
        self.timeline = timeline
        self.last_event: float | None = None
        self.connected = False
        self.streams_opened = 0
        self._api_factory = api_factory
        self._store = store
        self._every = every_container
        self._on_change = on_change
        self._retry_interval = retry_interval
        self._save_interval = save_interval
        self._url = url

    @property
    def every_container(self) -> bool:
        """Whether every container of the engine is followed, not just the app's own."""
        return self._every

    async def run(self) -> None:
        """Follows the engine until cancelled, connecting again whenever it comes back; saves meanwhile."""
        saver = asyncio.ensure_future(self._save_regularly()) if self._store is not None else None
        try:
            while True:
                try:
                    await self.follow_once()
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # the engine went away or does not answer: try again later
                    _log.info("history: engine events stopped: %s", error)
                self.connected = False
                await asyncio.sleep(self._retry_interval)
        finally:
            self.connected = False
            if saver is not None:
                saver.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await saver
                await self.save()

    async def follow_once(self) -> None:
        """Reconciles with an inspect, then follows the events until the stream ends (raises if it broke)."""
        if self._url:
            await run_blocking(reach_socket, self._url, PROBE_TIMEOUT)
        client = self._api_factory()
        try:
            now, inspected = await run_blocking(inspect_in_scope, client, self._every)
        finally:
            client.close()
        if self.timeline.reconcile(inspected, now):
            self._changed()
        since = now if self.last_event is None else min(now, self.last_event)
        await self.follow_events(since)

    async def follow_events(self, since: float) -> None:
        """Applies the events from ``since`` (engine time) on, until the stream ends (raises if it broke)."""
        client = self._api_factory()
        filters = container_filters(self._every)

        opened: list[Any] = []

        def open_stream() -> Any:
            stream = client.events(decode=True, filters=filters, since=since_value(since))
            opened.append(stream)
            return stream

        def close() -> None:
            # Closing the client leaves a streamed answer open (its connection is out of the pool): the
            # stream's own close shuts its socket, so the blocked read in the thread ends now.
            for stream in opened:
                with contextlib.suppress(Exception):
                    stream.close()
            client.close()

        batches = stream_blocking(open_stream, close)
        try:
            self.connected = True
            self.streams_opened += 1
            async for batch in batches:
                changed = self.timeline.apply_events(batch)
                for event in batch:
                    moment = event_time(event)
                    if moment is not None and (self.last_event is None or moment > self.last_event):
                        self.last_event = moment
                if changed:
                    self._changed()
        finally:
            self.connected = False
            await batches.aclose()  # at once, not when collected: the thread is told nobody listens
            close()

    async def save(self) -> None:
        """Writes what changed to the store now (in a worker thread)."""
        if self._store is not None:
            await save(self._store, self.timeline)

    async def _save_regularly(self) -> None:
        while True:
            await asyncio.sleep(self._save_interval)
            try:
                await self.save()
            except Exception as error:  # a full disk must not stop the history in memory
                _log.warning("history: could not save: %s", error)

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()
