"""The state timeline of every instance, driven by the engine's events and corrected by inspecting.

:meth:`Timeline.apply_event` takes one item of the engine's events stream (``create``, ``start``, ``die``
with its ``exitCode``, ``oom``, ``kill``, ``pause``, ``unpause``, ``restart``, ``destroy``,
``health_status: …``). :meth:`Timeline.reconcile` takes what inspecting the containers answered, at start and
after every reconnect: what happened while nobody listened is filled in at the times the engine reports
(an exit at ``State.FinishedAt``, a start at ``State.StartedAt``); a container that vanished is marked
removed. Both are idempotent: an event replayed after a reconnect (``since``), or one that an inspect
already accounted for, changes nothing.

The timeline is bounded: past :data:`MAX_INTERVALS` intervals (or :data:`MAX_MARKERS` markers) the oldest
finished ones are dropped, here and in the store. What changed since the last :meth:`take_changes` is
handed to the store as plain rows, so the store can write them from another thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.history.model import (
    ContainerHistory,
    Interval,
    Marker,
    MarkerKind,
    State,
    event_time,
    parse_engine_time,
)

MAX_INTERVALS = 50_000
"""Intervals kept (in memory and in the store). A busy instance changes state a few times an hour: this is
weeks of history for a hundred instances, and about 10 MB of memory at most."""

MAX_MARKERS = 50_000
"""Markers kept, for the same reason."""

TRIM_SLACK = 0.1
"""Trimming starts past the limit plus this share of it and goes back to the limit, so it runs rarely."""

OOM_SAME_WINDOW = 2.0
"""Seconds within which two OOM marks of one instance are the same kill (an event and an inspect)."""

START_LAG = 1.0
"""Seconds a ``start`` event may come after its run already ended. A process that dies while the engine
starts it is reported ``die`` first and ``start`` after (and its inspect has a ``FinishedAt`` before its
``StartedAt``): such a start is the start of the run that just ended, not a new run."""

_LIVE = (State.RUNNING, State.PAUSED)

IntervalRow = tuple[int, str, str, float, float | None, int | None, str]
MarkerRow = tuple[int, str, str, float, int | None, str]
ContainerRow = tuple[str, str, str]


@dataclass
class Changes:
    """What changed since the last :meth:`Timeline.take_changes`, as rows (copies, safe in another thread).

    Attributes:
        containers: (id, name, image) of instances new or renamed.
        intervals: (key, container, state, start, end, exit_code, health), new or changed.
        markers: (key, container, kind, time, code, detail), new.
        oldest_interval_kept: intervals with a smaller key that have ended (or are removals) were dropped
            (0: none).
        oldest_marker_kept: markers with a smaller key were dropped (0: none).
    """

    containers: list[ContainerRow] = field(default_factory=list)
    intervals: list[IntervalRow] = field(default_factory=list)
    markers: list[MarkerRow] = field(default_factory=list)
    oldest_interval_kept: int = 0
    oldest_marker_kept: int = 0

    def __bool__(self) -> bool:
        return bool(
            self.containers
            or self.intervals
            or self.markers
            or self.oldest_interval_kept
            or self.oldest_marker_kept
        )


class Timeline:
    """The histories of all instances, oldest interval first in each.

    Attributes:
        containers: histories by container id.
        max_intervals: the bound on intervals kept.
        max_markers: the bound on markers kept.
    """

    def __init__(self, max_intervals: int = MAX_INTERVALS, max_markers: int = MAX_MARKERS) -> None:
        self.containers: dict[str, ContainerHistory] = {}
        self.max_intervals = max_intervals
        self.max_markers = max_markers
        self._next_interval = 1
        self._next_marker = 1
        self._interval_count = 0
        self._marker_count = 0
        self._changed_intervals: dict[int, Interval] = {}
        self._new_markers: list[Marker] = []
        self._changed_containers: set[str] = set()
        self._oldest_interval_kept = 0
        self._oldest_marker_kept = 0
        # Containers whose last run ended before its start event came: container -> the end of that run.
        self._start_owed: dict[str, float] = {}
        self._last_start: dict[str, float] = {}  # the newest start event applied, per container: replays

    # -- reading -------------------------------------------------------------------------------------

    @property
    def interval_count(self) -> int:
        """Intervals held now."""
        return self._interval_count

    @property
    def marker_count(self) -> int:
        """Markers held now."""
        return self._marker_count

    def running(self) -> list[str]:
        """Ids of the instances whose current state is running (the ones worth sampling)."""
        return [c.id for c in self.containers.values() if c.current and c.current.state is State.RUNNING]

    # -- events ----------------------------------------------------------------------------------------

    def apply_events(self, events: Iterable[Mapping[str, Any]]) -> bool:
        """Applies a batch of events in the order of their engine times (``timeNano``); returns whether
        anything changed. The engine stamps an event before it publishes it, so two events logged at
        once (an instance's ``start`` and its immediate ``die``) can arrive in the other order."""
        timed = [(event_time(dict(event)), index, event) for index, event in enumerate(events)]
        changed = False
        for _, _, event in sorted(timed, key=lambda item: (item[0] or 0.0, item[1])):
            changed |= self.apply_event(event)
        return changed

    def apply_event(self, event: Mapping[str, Any]) -> bool:
        """Applies one decoded item of the engine's events stream; returns whether anything changed.

        Events of other types (images, networks…), unknown actions, and events older than what is
        already known are ignored.
        """
        if str(event.get("Type", "container")) != "container":
            return False
        actor = event.get("Actor") or {}
        container = str(actor.get("ID") or event.get("id") or "")
        time = event_time(dict(event))
        if not container or time is None:
            return False
        attributes: Mapping[str, str] = actor.get("Attributes") or {}
        verb, _, rest = str(event.get("Action") or event.get("status") or "").partition(":")
        verb, rest = verb.strip(), rest.strip()
        if verb not in _HANDLED:
            return False
        history = self._history(container, attributes.get("name", ""), attributes.get("image", ""))
        if verb == "create":
            return self._enter(history, State.CREATED, time)
        if verb == "start":
            return self._start(history, time)
        if verb == "unpause":
            return self._enter(history, State.RUNNING, time, health=self._health_before_pause(history))
        if verb == "pause":
            return self._enter(history, State.PAUSED, time)
        if verb == "die":
            return self._die(history, time, _int_or_none(attributes.get("exitCode")))
        if verb == "oom":
            return self._mark_oom(history, time)
        if verb == "kill":
            return self._mark(history, MarkerKind.KILL, time, detail=attributes.get("signal", ""))
        if verb == "restart":
            return self._mark(history, MarkerKind.RESTART, time)
        if verb == "destroy":
            return self._remove(history, time, missed=False)
        # health_status: healthy / unhealthy / starting
        return self._set_health(history, time, rest)

    # -- inspect ---------------------------------------------------------------------------------------

    def reconcile(self, inspected: Iterable[Mapping[str, Any]], now: float, complete: bool = True) -> bool:
        """Corrects the timeline with what inspecting the containers answered; returns whether it changed.

        Args:
            inspected: ``inspect_container`` results (the engine's ``GET /containers/{id}/json``).
            now: the time of the inspection; used where the engine keeps no time (a pause, a removal).
            complete: ``inspected`` holds every container in scope, so a known one missing from it was
                removed while nobody listened.
        """
        changed = False
        seen: set[str] = set()
        for info in inspected:
            container = str(info.get("Id", ""))
            if not container:
                continue
            seen.add(container)
            config = info.get("Config") or {}
            history = self._history(container, str(info.get("Name", "")).lstrip("/"), config.get("Image", ""))
            changed |= self._reconcile_one(history, info.get("State") or {}, info, now)
        if complete:
            for history in list(self.containers.values()):
                current = history.current
                if history.id not in seen and current is not None and current.state is not State.REMOVED:
                    changed |= self._remove(history, max(now, current.start), missed=True)
        return changed

    def _reconcile_one(
        self, history: ContainerHistory, state: Mapping[str, Any], info: Mapping[str, Any], now: float
    ) -> bool:
        status = str(state.get("Status", ""))
        started = parse_engine_time(state.get("StartedAt"))
        finished = parse_engine_time(state.get("FinishedAt"))
        health = str((state.get("Health") or {}).get("Status", ""))
        changed = False
        entered_run = False
        if history.current is None:
            changed |= self._enter(history, State.CREATED, parse_engine_time(info.get("Created")) or now)
        current = history.current
        assert current is not None
        if (
            started is not None
            and started > current.start
            and (current.state not in _LIVE or (finished is not None and current.start < finished < started))
        ):
            # A start we missed; if the run we knew of ended before it, that exit was missed too (its code
            # is gone: the engine keeps the last exit only).
            if current.state in _LIVE and finished is not None and current.start < finished < started:
                changed |= self._exit(history, finished, None, oom=False)
            entered_run = self._enter(history, State.RUNNING, started, health=health)
            changed |= entered_run
        current = history.current
        assert current is not None
        if current.start > now:
            return changed  # events newer than this inspect said more: an older answer changes nothing
        if status in ("running", "restarting"):
            if current.state is State.PAUSED or (current.state is State.RUNNING and current.health != health):
                changed |= self._enter(history, State.RUNNING, max(now, current.start), health=health)
        elif status == "paused":
            changed |= self._enter(history, State.PAUSED, max(now, current.start))
        elif status in ("exited", "dead") and current.state in _LIVE:
            # A process that dies while starting has a FinishedAt a hair before its StartedAt.
            when = max(finished, current.start) if finished is not None else max(now, current.start)
            exited = self._exit(
                history, when, _int_or_none(state.get("ExitCode")), bool(state.get("OOMKilled"))
            )
            changed |= exited
            short = finished is not None and started is not None and finished - started < START_LAG
            if exited and entered_run and short:  # its start event may still come, after this exit
                self._start_owed[history.id] = when
        if status == "dead" and history.current is not None and history.current.state is State.EXITED:
            changed |= self._enter(
                history, State.DEAD, max(now, history.current.start), exit_code=history.current.exit_code
            )
        return changed

    # -- changes for the store -------------------------------------------------------------------------

    def take_changes(self) -> Changes:
        """What changed since the last call, as rows for the store; the record starts empty again."""
        changes = Changes(
            containers=[
                (c, self.containers[c].name, self.containers[c].image)
                for c in self._changed_containers
                if c in self.containers
            ],
            intervals=[
                (i.key, i.container, i.state.value, i.start, i.end, i.exit_code, i.health)
                for i in self._changed_intervals.values()
            ],
            markers=[(m.key, m.container, m.kind.value, m.time, m.code, m.detail) for m in self._new_markers],
            oldest_interval_kept=self._oldest_interval_kept,
            oldest_marker_kept=self._oldest_marker_kept,
        )
        self._changed_intervals.clear()
        self._new_markers.clear()
        self._changed_containers.clear()
        self._oldest_interval_kept = self._oldest_marker_kept = 0
        return changes

    def load(
        self,
        containers: Iterable[ContainerRow],
        intervals: Iterable[IntervalRow],
        markers: Iterable[MarkerRow],
    ) -> None:
        """Fills an empty timeline with rows read from the store (oldest first); nothing is marked changed.

        A row with a state or mark this version does not know (written by a newer one) is passed over; its
        key is still taken, so nothing written later replaces it in the file.
        """
        known_states = {state.value for state in State}
        known_marks = {kind.value for kind in MarkerKind}
        for container, name, image in containers:
            self.containers[container] = ContainerHistory(container, name, image)
        for key, container, state, start, end, exit_code, health in intervals:
            self._next_interval = max(self._next_interval, key + 1)
            if state not in known_states:
                continue
            history = self.containers.setdefault(container, ContainerHistory(container))
            history.intervals.append(Interval(key, container, State(state), start, end, exit_code, health))
            self._interval_count += 1
        for key, container, kind, time, code, detail in markers:
            self._next_marker = max(self._next_marker, key + 1)
            if kind not in known_marks:
                continue
            history = self.containers.setdefault(container, ContainerHistory(container))
            history.markers.append(Marker(key, container, MarkerKind(kind), time, code, detail))
            self._marker_count += 1

    # -- the state machine -----------------------------------------------------------------------------

    def _history(self, container: str, name: str, image: str) -> ContainerHistory:
        history = self.containers.get(container)
        if history is None:
            history = self.containers[container] = ContainerHistory(container, name, image)
            self._changed_containers.add(container)
        elif (name and name != history.name) or (image and image != history.image):
            history.name, history.image = name or history.name, image or history.image
            self._changed_containers.add(container)
        return history

    def _enter(
        self,
        history: ContainerHistory,
        state: State,
        time: float,
        exit_code: int | None = None,
        health: str = "",
    ) -> bool:
        current = history.current
        if current is not None:
            if current.state is State.REMOVED or time < current.start:
                return False  # nothing follows a removal; an older event is already accounted for
            same_exit = exit_code is None or current.exit_code == exit_code
            if current.state is state and current.health == health and same_exit:
                return False
            current.end = time
            self._changed_intervals[current.key] = current
        interval = Interval(self._next_interval, history.id, state, time, None, exit_code, health)
        self._next_interval += 1
        history.intervals.append(interval)
        self._changed_intervals[interval.key] = interval
        self._interval_count += 1
        if self._interval_count > self.max_intervals * (1 + TRIM_SLACK):
            self._trim_intervals()
        return True

    def _start(self, history: ContainerHistory, time: float) -> bool:
        if time <= self._last_start.get(history.id, float("-inf")):
            return False  # a replayed start event, already applied
        self._last_start[history.id] = time
        owed = self._start_owed.pop(history.id, None)
        current = history.current
        if (
            owed is not None
            and current is not None
            and current.state in (State.EXITED, State.DEAD)
            and time <= owed + START_LAG
        ):
            return self._add_missed_run(history, owed)  # the start of the run that already ended
        return self._enter(history, State.RUNNING, time)

    def _die(self, history: ContainerHistory, time: float, code: int | None) -> bool:
        current = history.current
        without_run = current is not None and current.state not in _LIVE
        if not self._exit(history, time, code, oom=False):
            return False
        if without_run:  # an exit without a run: its start event comes after it (it died while starting)
            self._start_owed[history.id] = time
        return True

    def _add_missed_run(self, history: ContainerHistory, ended: float) -> bool:
        """Puts the run that ended at ``ended`` before its exit (shorter than its events could show)."""
        exit_at = len(history.intervals) - 1
        while exit_at > 0 and history.intervals[exit_at].start > ended:
            exit_at -= 1
        before = history.intervals[exit_at - 1] if exit_at > 0 else None
        if before is not None and before.state is State.RUNNING:
            return False  # the run is already there (a replayed start)
        # A microsecond before its exit: the saved history, read back in order of time, keeps it there.
        run = Interval(self._next_interval, history.id, State.RUNNING, ended - 1e-6, ended)
        self._next_interval += 1
        history.intervals.insert(exit_at, run)
        if before is not None and before.end is not None and before.end > run.start:
            before.end = run.start
            self._changed_intervals[before.key] = before
        self._changed_intervals[run.key] = run
        self._interval_count += 1
        return True

    def _exit(self, history: ContainerHistory, time: float, code: int | None, oom: bool) -> bool:
        if not self._enter(history, State.EXITED, time, exit_code=code):
            return False
        self._mark(history, MarkerKind.EXIT, time, code=code)
        if oom:
            self._mark_oom(history, time)
        return True

    def _remove(self, history: ContainerHistory, time: float, missed: bool) -> bool:
        if not self._enter(history, State.REMOVED, time):
            return False
        return self._mark(history, MarkerKind.REMOVED, time, detail="missed" if missed else "")

    def _set_health(self, history: ContainerHistory, time: float, health: str) -> bool:
        current = history.current
        if current is None or current.state is not State.RUNNING or current.health == health:
            return False
        if not self._enter(history, State.RUNNING, time, health=health):
            return False
        return self._mark(history, MarkerKind.HEALTH, time, detail=health)

    def _health_before_pause(self, history: ContainerHistory) -> str:
        for interval in reversed(history.intervals):
            if interval.state is State.RUNNING:
                return interval.health
        return ""

    def _mark_oom(self, history: ContainerHistory, time: float) -> bool:
        for marker in reversed(history.markers[-8:]):
            if marker.kind is MarkerKind.OOM and abs(marker.time - time) <= OOM_SAME_WINDOW:
                return False  # the same kill, seen by an event and by an inspect
        return self._mark(history, MarkerKind.OOM, time)

    def _mark(
        self,
        history: ContainerHistory,
        kind: MarkerKind,
        time: float,
        code: int | None = None,
        detail: str = "",
    ) -> bool:
        for marker in history.markers[-8:]:
            if marker.kind is kind and marker.time == time and marker.detail == detail:
                return False  # a replayed event
        marker = Marker(self._next_marker, history.id, kind, time, code, detail)
        self._next_marker += 1
        history.markers.append(marker)
        self._new_markers.append(marker)
        self._marker_count += 1
        if self._marker_count > self.max_markers * (1 + TRIM_SLACK):
            self._trim_markers()
        return True

    # -- bounds ----------------------------------------------------------------------------------------

    def _trim_intervals(self) -> None:
        ended = sorted(i.key for h in self.containers.values() for i in h.intervals if _droppable(i))
        excess = self._interval_count - self.max_intervals
        if excess <= 0 or not ended:
            return
        first_kept = ended[min(excess, len(ended)) - 1] + 1
        for history in list(self.containers.values()):
            before = len(history.intervals)
            history.intervals = [i for i in history.intervals if not _droppable(i) or i.key >= first_kept]
            self._interval_count -= before - len(history.intervals)
            if not history.intervals:
                self._forget(history)
        for key in [k for k, i in self._changed_intervals.items() if _droppable(i) and k < first_kept]:
            del self._changed_intervals[key]
        self._oldest_interval_kept = max(self._oldest_interval_kept, first_kept)

    def _trim_markers(self) -> None:
        keys = sorted(m.key for h in self.containers.values() for m in h.markers)
        excess = self._marker_count - self.max_markers
        if excess <= 0:
            return
        first_kept = keys[excess - 1] + 1
        for history in self.containers.values():
            before = len(history.markers)
            history.markers = [m for m in history.markers if m.key >= first_kept]
            self._marker_count -= before - len(history.markers)
        self._new_markers = [m for m in self._new_markers if m.key >= first_kept]
        self._oldest_marker_kept = max(self._oldest_marker_kept, first_kept)

    def _forget(self, history: ContainerHistory) -> None:
        self._marker_count -= len(history.markers)
        del self.containers[history.id]
        self._changed_containers.discard(history.id)
        self._start_owed.pop(history.id, None)
        self._last_start.pop(history.id, None)


_HANDLED = frozenset(
    {"create", "start", "unpause", "pause", "die", "oom", "kill", "restart", "destroy", "health_status"}
)


def _droppable(interval: Interval) -> bool:
    # An interval that ended, or the removal that ends a history: trimming never cuts what still lasts.
    return interval.end is not None or interval.state is State.REMOVED


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
