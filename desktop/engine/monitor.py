"""One engine's instances followed once for the whole window: history, samples, saved history.

:class:`Monitor` puts together what the instances panel and the charts both need, so that they share it
instead of each following the engine on its own:

- a :class:`~desktop.engine.events.HistoryFeed`: one events stream, reconciled by an inspect at start and
  after every reconnect, keeping one :class:`~desktop.history.timeline.Timeline`;
- the saved history (:class:`~desktop.history.store.HistoryStore`): read once before the stream opens, so
  what happened before the application started is shown at once, then written as it changes;
- a :class:`~desktop.engine.sampler.Sampler` taking CPU and memory of the running instances, only while
  someone looks at them (:meth:`Monitor.want_samples`): an app nobody charts costs the engine nothing.

Views subscribe (:meth:`Monitor.subscribe`) and are told when the timeline changed and which instances got
a new sample; they read :attr:`Monitor.timeline` and :attr:`Monitor.series` themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from desktop.engine.events import ApiFactory, HistoryFeed
from desktop.engine.sampler import ONE_SHOT_API, Sampler
from desktop.engine.threads import run_blocking
from desktop.history.series import ResourceSeries
from desktop.history.store import HistoryStore
from desktop.history.timeline import Timeline

_log = logging.getLogger(__name__)

SAMPLER_WORKERS = 2
"""Threads taking samples: a one-shot sample takes a few milliseconds of the engine's time, so two take a
hundred instances a second, and the whole application stays within eight threads while it monitors."""


@dataclass(frozen=True)
class Subscription:
    """What one view wants to hear: the timeline changed; these instances got a new sample."""

    on_change: Callable[[], None]
    on_samples: Callable[[list[str]], None] | None = None


class Monitor:
    """The shared follower of one engine (one scope: the app's own instances, or every one).

    Attributes:
        timeline: the state history (the saved one, once loaded, kept up to date).
        feed: the events stream and its reconcile.
        sampler: the CPU and memory samples.
        loaded: whether the saved history has been read.
    """

    def __init__(
        self,
        api_factory: ApiFactory,
        store: HistoryStore | None = None,
        every_container: bool = False,
        url: str = "",
        sampler_workers: int = SAMPLER_WORKERS,
        sample_interval: float = 1.0,
        api_version: str = "",
    ) -> None:
        """Follows the engine ``api_factory`` reaches (at ``url``, speaking ``api_version``: a local engine
        of API 1.41 or newer is sampled on the loop, without threads); saves to ``store`` (None: memory only).
        """
        self.timeline = Timeline()
        self.store = store
        self.loaded = store is None
        self._subscriptions: list[Subscription] = []
        self._sampling = 0
        on_loop = url.startswith("unix://") and _at_least(api_version, ONE_SHOT_API)
        self.sampler = Sampler(
            api_factory,
            interval=sample_interval,
            workers=sampler_workers,
            on_samples=self._sampled,
            socket_path=url.removeprefix("unix://") if on_loop else "",
            api_version=api_version if on_loop else ONE_SHOT_API,
            local_cgroups=url.startswith("unix://"),  # the engine may run here: its cgroups are looked for
        )
        self.feed = HistoryFeed(
            self.timeline, api_factory, store, every_container, on_change=self._changed, url=url
        )

    @property
    def series(self) -> Mapping[str, ResourceSeries]:
        """CPU and memory over time, by container id (read only)."""
        return self.sampler.series

    @property
    def every_container(self) -> bool:
        """Whether every container of the engine is followed, not just the app's own."""
        return self.feed.every_container

    @property
    def events_streams_opened(self) -> int:
        """How many times an events stream was opened (once, and once more per reconnect)."""
        return self.feed.streams_opened

    def subscribe(
        self, on_change: Callable[[], None], on_samples: Callable[[list[str]], None] | None = None
    ) -> Callable[[], None]:
        """Calls ``on_change`` (in the loop) after the timeline changed, and ``on_samples`` with the ids
        sampled at each tick; returns what ends the subscription."""
        subscription = Subscription(on_change, on_samples)
        self._subscriptions.append(subscription)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscriptions.remove(subscription)

        return unsubscribe

    def want_samples(self, wanted: bool = True) -> None:
        """A view showing CPU and memory opened (True) or closed (False): sampling runs while any is open."""
        self._sampling = max(self._sampling + (1 if wanted else -1), 0)
        self._watch()

    async def run(self) -> None:
        """Reads the saved history (once), then follows the engine and samples until cancelled.

        Running it again after a cancel resumes: the timeline is kept, the stream starts from the last event.
        """
        if not self.loaded and self.store is not None:
            try:
                rows = await run_blocking(self.store.read_rows)
                if not self.timeline.containers:  # into the timeline the views already hold
                    self.timeline.load(*rows)
            except Exception as error:  # an unreadable file (or rows of a newer version) must not stop it
                _log.warning("history: the saved history could not be read: %s", error)
            self.loaded = True
            self._changed_only()
        await asyncio.gather(self.feed.run(), self.sampler.run())

    async def close(self) -> None:
        """Writes what is not saved yet and closes the file (after :meth:`run` ended). The write is awaited
        here: the one :meth:`run` starts as it is cancelled may itself be cut short by a second cancel."""
        if self.store is not None:
            await self.feed.save()
            await run_blocking(self.store.close)  # waits for a write still under way in a worker

    def _watch(self) -> None:
        self.sampler.watch(self.timeline.running() if self._sampling else ())

    def _changed(self) -> None:
        self._watch()  # only running instances cost a sample
        self._changed_only()

    def _changed_only(self) -> None:
        for subscription in list(self._subscriptions):
            subscription.on_change()

    def _sampled(self, containers: list[str]) -> None:
        for subscription in list(self._subscriptions):
            if subscription.on_samples is not None:
                subscription.on_samples(containers)


def _at_least(version: str, minimum: str) -> bool:
    """Whether an API version (``1.41``) is at least ``minimum``; False for none or an unreadable one."""
    try:
        return tuple(int(part) for part in version.split(".")) >= tuple(int(p) for p in minimum.split("."))
    except ValueError:
        return False
