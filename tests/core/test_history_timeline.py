"""The state timeline: event sequences as the engine sends them, inspect results, replays, bounds."""

from __future__ import annotations

import datetime

from history_events import T0, bands, engine_time, event, inspected, marks

from desktop.history.model import MarkerKind, State, parse_engine_time
from desktop.history.timeline import Timeline


def test_a_lifecycle_of_events_makes_bands_and_markers() -> None:
    timeline = Timeline()
    for item in [
        event("create", "a", T0),
        event("start", "a", T0 + 1),
        event("pause", "a", T0 + 5),
        event("unpause", "a", T0 + 7),
        event("kill", "a", T0 + 9, signal="15"),
        event("die", "a", T0 + 10, exitCode="3"),
        event("destroy", "a", T0 + 20),
    ]:
        assert timeline.apply_event(item)
    assert bands(timeline, "a") == [
        ("created", T0, T0 + 1, None),
        ("running", T0 + 1, T0 + 5, None),
        ("paused", T0 + 5, T0 + 7, None),
        ("running", T0 + 7, T0 + 10, None),
        ("exited", T0 + 10, T0 + 20, 3),
        ("removed", T0 + 20, None, None),
    ]
    assert marks(timeline, "a") == [
        ("kill", T0 + 9, None, "15"),
        ("exit", T0 + 10, 3, ""),
        ("removed", T0 + 20, None, ""),
    ]
    assert timeline.containers["a"].name == "n-a"
    assert timeline.running() == []


def test_an_oom_kill_is_marked_once_and_health_splits_the_running_band() -> None:
    timeline = Timeline()
    timeline.apply_event(event("create", "b", T0))
    timeline.apply_event(event("start", "b", T0 + 1))
    timeline.apply_event(event("health_status: healthy", "b", T0 + 3))
    timeline.apply_event(event("health_status: unhealthy", "b", T0 + 6))
    timeline.apply_event(event("oom", "b", T0 + 8))
    timeline.apply_event(event("die", "b", T0 + 8.001, exitCode="137"))
    running = [(i.start, i.health) for i in timeline.containers["b"].intervals if i.state is State.RUNNING]
    assert running == [(T0 + 1, ""), (T0 + 3, "healthy"), (T0 + 6, "unhealthy")]
    # The inspect after a reconnect says the same: OOMKilled, exit 137. Nothing new.
    assert not timeline.reconcile(
        [inspected("b", "exited", T0 + 1, T0 + 8, ExitCode=137, OOMKilled=True)], T0 + 30
    )
    kinds = [m.kind for m in timeline.containers["b"].markers]
    assert kinds.count(MarkerKind.OOM) == 1
    assert kinds.count(MarkerKind.EXIT) == 1


def test_replayed_and_older_events_change_nothing() -> None:
    timeline = Timeline()
    sequence = [
        event("create", "c", T0),
        event("start", "c", T0 + 1),
        event("die", "c", T0 + 2, exitCode="0"),
    ]
    for item in sequence:
        timeline.apply_event(item)
    before = bands(timeline, "c"), marks(timeline, "c")
    assert not any(timeline.apply_event(item) for item in sequence)
    assert (bands(timeline, "c"), marks(timeline, "c")) == before
    # Events of other kinds and actions the timeline does not follow are ignored.
    assert not timeline.apply_event({**event("start", "c", T0 + 3), "Type": "network"})
    assert not timeline.apply_event(event("exec_create: sh", "c", T0 + 3))


def test_an_exit_missed_while_away_gets_the_engines_finish_time() -> None:
    timeline = Timeline()
    timeline.apply_event(event("create", "d", T0))
    timeline.apply_event(event("start", "d", T0 + 1))
    # The engine was away; meanwhile the container exited with code 3 at T0 + 50.
    assert timeline.reconcile([inspected("d", "exited", T0 + 1, T0 + 50, ExitCode=3)], T0 + 100)
    assert bands(timeline, "d")[-1] == ("exited", T0 + 50, None, 3)
    assert marks(timeline, "d") == [("exit", T0 + 50, 3, "")]
    # The replayed die event (a hair later than FinishedAt) is the same exit.
    assert not timeline.apply_event(event("die", "d", T0 + 50.0004, exitCode="3"))


def test_a_restart_and_an_exit_missed_while_away_are_both_filled_in() -> None:
    timeline = Timeline()
    timeline.apply_event(event("create", "e", T0))
    timeline.apply_event(event("start", "e", T0 + 1))
    # Meanwhile: it stopped (code lost), started again at T0 + 40, and is running.
    assert timeline.reconcile([inspected("e", "running", T0 + 40, T0 + 30)], T0 + 100)
    assert bands(timeline, "e") == [
        ("created", T0, T0 + 1, None),
        ("running", T0 + 1, T0 + 30, None),
        ("exited", T0 + 30, T0 + 40, None),
        ("running", T0 + 40, None, None),
    ]
    assert timeline.running() == ["e"]


def test_first_sight_builds_a_history_from_the_inspect_alone() -> None:
    timeline = Timeline()
    assert timeline.reconcile(
        [
            inspected("f", "exited", T0 + 10, T0 + 20, ExitCode=1),
            inspected("g", "paused", T0 + 5, None),
            inspected("h", "created", None, None),
            inspected("i", "running", T0 + 2, None, health="healthy"),
        ],
        T0 + 60,
    )
    assert [i.state.value for i in timeline.containers["f"].intervals] == ["created", "running", "exited"]
    assert bands(timeline, "f")[-1] == ("exited", T0 + 20, None, 1)
    assert [i.state.value for i in timeline.containers["g"].intervals] == ["created", "running", "paused"]
    assert bands(timeline, "g")[-1][1] == T0 + 60  # when it was paused is unknown: seen paused now
    assert bands(timeline, "h") == [("created", T0 - 100, None, None)]
    assert timeline.containers["i"].current is not None
    assert timeline.containers["i"].current.health == "healthy"


def test_a_container_gone_while_away_is_marked_removed_and_stays_removed() -> None:
    timeline = Timeline()
    timeline.apply_event(event("create", "j", T0))
    timeline.apply_event(event("start", "j", T0 + 1))
    assert timeline.reconcile([], T0 + 100)
    assert bands(timeline, "j")[-1] == ("removed", T0 + 100, None, None)
    assert marks(timeline, "j") == [("removed", T0 + 100, None, "missed")]
    assert not timeline.apply_event(event("start", "j", T0 + 200))
    assert not timeline.reconcile([], T0 + 300)


def test_a_partial_reconcile_leaves_unlisted_containers_alone() -> None:
    timeline = Timeline()
    timeline.apply_event(event("create", "k", T0))
    assert not timeline.reconcile([], T0 + 100, complete=False)
    assert bands(timeline, "k") == [("created", T0, None, None)]


def test_the_timeline_is_bounded_and_keeps_what_still_lasts() -> None:
    timeline = Timeline(max_intervals=100, max_markers=50)
    timeline.apply_event(event("create", "long", T0))
    timeline.apply_event(event("start", "long", T0 + 0.5))  # lasts the whole test
    for n in range(400):
        at = T0 + 1 + n * 10
        timeline.apply_event(event("start", f"s{n}", at))
        timeline.apply_event(event("die", f"s{n}", at + 1, exitCode="0"))
        timeline.apply_event(event("destroy", f"s{n}", at + 2))
    assert timeline.interval_count <= 110
    assert timeline.marker_count <= 55
    assert sum(len(h.intervals) for h in timeline.containers.values()) == timeline.interval_count
    assert timeline.containers["long"].current is not None
    assert timeline.containers["long"].current.state is State.RUNNING
    assert "s0" not in timeline.containers  # the oldest histories went whole
    assert "s399" in timeline.containers


def test_engine_times_parse_with_nanoseconds_and_zero_means_never() -> None:
    assert parse_engine_time("0001-01-01T00:00:00Z") is None
    assert parse_engine_time("") is None
    parsed = parse_engine_time("2027-01-15T08:00:00.123456789Z")
    assert parsed is not None
    whole = datetime.datetime(2027, 1, 15, 8, tzinfo=datetime.UTC).timestamp()
    assert abs(parsed - (whole + 0.123456789)) < 1e-6
    assert parse_engine_time("2027-01-15T10:00:00+02:00") == parse_engine_time("2027-01-15T08:00:00Z")
    assert parse_engine_time(engine_time(T0 + 0.25)) == T0 + 0.25
