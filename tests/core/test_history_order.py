"""The timeline when the engine's events and inspects come out of order: never running again after a death.

The orders here are the engine's own: it stamps an event (``timeNano``) before it publishes it, so two
events logged at once can arrive swapped; a process that dies while the engine starts it is reported
``die`` first and ``start`` after, and its inspect has a ``FinishedAt`` before its ``StartedAt``; an inspect
answered before the latest events may be applied after them.
"""

from __future__ import annotations

from pathlib import Path

from history_events import T0, bands, event, inspected

from desktop.history.store import HistoryStore
from desktop.history.timeline import START_LAG, Timeline


def test_a_batch_is_applied_in_the_order_of_the_engines_times() -> None:
    timeline = Timeline()
    timeline.apply_event(event("create", "a", T0))
    # Published swapped: the die (stamped later) arrives before the start (stamped earlier).
    assert timeline.apply_events([event("die", "a", T0 + 2, exitCode="3"), event("start", "a", T0 + 1)])
    assert bands(timeline, "a") == [
        ("created", T0, T0 + 1, None),
        ("running", T0 + 1, T0 + 2, None),
        ("exited", T0 + 2, None, 3),
    ]
    assert timeline.running() == []


def test_a_start_that_comes_after_its_own_die_is_not_a_new_run() -> None:
    timeline = Timeline()
    timeline.apply_event(event("create", "b", T0))
    # The process died while the engine started it: die first, start 20 ms later (in time and in order).
    timeline.apply_events([event("die", "b", T0 + 1.00, exitCode="3")])
    assert timeline.apply_events([event("start", "b", T0 + 1.02)])
    states = [state for state, *_ in bands(timeline, "b")]
    assert states == ["created", "running", "exited"]
    assert bands(timeline, "b")[-1] == ("exited", T0 + 1.0, None, 3)
    assert timeline.running() == []
    # Replayed after a reconnect, the same two events change nothing.
    assert not timeline.apply_events(
        [event("die", "b", T0 + 1.00, exitCode="3"), event("start", "b", T0 + 1.02)]
    )
    assert len(bands(timeline, "b")) == 3


def test_a_real_start_later_is_a_new_run() -> None:
    timeline = Timeline()
    timeline.apply_event(event("create", "c", T0))
    timeline.apply_events([event("die", "c", T0 + 1, exitCode="1"), event("start", "c", T0 + 1.01)])
    timeline.apply_events([event("start", "c", T0 + 1 + START_LAG + 5)])  # started again by the user
    assert timeline.running() == ["c"]
    assert [state for state, *_ in bands(timeline, "c")] == ["created", "running", "exited", "running"]


def test_a_reconciled_instant_death_then_its_replayed_start_stays_exited() -> None:
    timeline = Timeline()
    # Seen first by inspecting: FinishedAt a hair before StartedAt.
    assert timeline.reconcile([inspected("d", "exited", T0 + 1.001, T0 + 1.000, ExitCode=3)], T0 + 10)
    assert bands(timeline, "d")[-1][0] == "exited"
    # The events since then are replayed: its die, then its start (stamped after FinishedAt).
    timeline.apply_events([event("die", "d", T0 + 1.0005, exitCode="3"), event("start", "d", T0 + 1.003)])
    assert timeline.running() == []
    assert [state for state, *_ in bands(timeline, "d")] == ["created", "running", "exited"]


def test_an_inspect_older_than_the_events_applied_changes_nothing() -> None:
    timeline = Timeline()
    timeline.apply_events([event("create", "e", T0), event("start", "e", T0 + 1)])
    timeline.apply_events([event("die", "e", T0 + 20, exitCode="137")])
    # An inspect answered at T0 + 15 (still running, or paused) is applied only now.
    assert not timeline.reconcile([inspected("e", "running", T0 + 1, None)], T0 + 15)
    assert not timeline.reconcile([inspected("e", "paused", T0 + 1, None)], T0 + 15)
    assert bands(timeline, "e")[-1] == ("exited", T0 + 20, None, 137)
    assert timeline.running() == []


def test_the_saved_history_keeps_a_late_run_in_its_place(tmp_path: Path) -> None:
    timeline = Timeline()
    store = HistoryStore(tmp_path / "history.sqlite3")
    timeline.apply_events([event("create", "f", T0), event("die", "f", T0 + 1, exitCode="2")])
    timeline.apply_events([event("start", "f", T0 + 1.01)])
    store.write(timeline.take_changes())
    again = store.load()
    store.close()
    assert bands(again, "f") == bands(timeline, "f")
    assert again.running() == []
