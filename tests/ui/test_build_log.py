"""The build log: its model (steps and their lines, fed a frame at a time), the search and the view."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.engine.build_events import StepLog, StepState, StepUpdate
from ui.models import build_log_model
from ui.models.build_log_model import BuildLogModel, LogRole, clean_line
from ui.widgets.build_log import BuildLogView
from ui.widgets.build_log_paint import heading_title

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _events(steps: int = 3, lines: int = 5) -> list:
    out: list = []
    for s in range(steps):
        sid = f"step{s}"
        out.append(
            StepUpdate(sid, f"[stage-0 {s + 1}/{steps}] RUN echo {s}", f"block{s}", StepState.RUNNING, 100.0)
        )
        out.append(StepLog(sid, f"block{s}", tuple(f"step {s} line {i}" for i in range(lines))))
        out.append(StepUpdate(sid, "", None, StepState.DONE, None, 101.5))
    return out


def test_model_groups_lines_by_step_and_passes_the_model_tester(qtbot, qtmodeltester):
    model = BuildLogModel()
    qtmodeltester.check(model)
    model.feed(_events())
    model.flush()
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    step = model.index(1, 0)
    assert step.data() == "[stage-0 2/3] RUN echo 1"
    assert step.data(LogRole.STATE) == "done"
    assert step.data(LogRole.BLOCK_ID) == "block1"  # kept when a later update names no block
    assert step.data(LogRole.STARTED) == 100.0 and step.data(LogRole.COMPLETED) == 101.5
    assert model.rowCount(step) == 5
    line = model.index(4, 0, step)
    assert line.data() == "step 1 line 4"
    assert line.data(LogRole.IS_STEP) is False
    assert line.parent() == step
    assert model.line_count() == 15


def test_lines_before_their_step_was_announced_make_the_step(qtbot):
    model = BuildLogModel()
    model.feed([StepLog("7", None, ("Step 7/9 : RUN make", "compiling"))])
    model.flush()
    assert model.rowCount() == 1
    assert model.step(0).state is StepState.RUNNING
    assert model.rowCount(model.index(0, 0)) == 2


def test_feeding_only_queues_and_each_frame_does_bounded_work(qtbot, monkeypatch):
    model = BuildLogModel()
    inserted: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(last - first + 1))
    big = StepLog("s", None, tuple(f"line {i}" for i in range(50_000)))
    model.feed([StepUpdate("s", "RUN seq", None, StepState.RUNNING), big])
    assert model.rowCount() == 0  # nothing applied yet: the window goes on first
    started = time.perf_counter()
    model.drain(budget_s=0.0)  # the smallest budget still applies one event: the step
    model.drain(budget_s=0.0)  # then one slice of its lines
    assert time.perf_counter() - started < 0.05
    assert model.rowCount() == 1
    assert model.rowCount(model.index(0, 0)) == build_log_model.SLICE_LINES
    assert model.pending() > 0
    with qtbot.waitSignal(model.caughtUp, timeout=10_000):
        pass
    assert model.rowCount(model.index(0, 0)) == 50_000
    assert sum(inserted) == 50_001
    assert len(inserted) >= 3  # told in frames: neither once per line nor all at once


def test_lines_past_the_limit_are_counted_not_kept(qtbot, monkeypatch):
    monkeypatch.setattr(build_log_model, "MAX_LINES", 10)
    model = BuildLogModel()
    model.feed([StepLog("s", None, tuple(str(i) for i in range(25)))])
    model.flush()
    assert model.rowCount(model.index(0, 0)) == 10
    assert model.index(0, 0).data(LogRole.LINE_COUNT) == 25


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain", "plain"),
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("10%\r50%\r100%", "100%"),
        ("done\r", "done"),
    ],
)
def test_clean_line(raw, shown):
    assert clean_line(raw) == shown


def test_clear_forgets_everything(qtbot, qtmodeltester):
    model = BuildLogModel()
    model.feed(_events())
    model.flush()
    model.clear()
    assert model.rowCount() == 0 and model.line_count() == 0
    qtmodeltester.check(model)


def test_search_counts_and_walks_matches_across_steps(qtbot):
    view = BuildLogView()
    qtbot.addWidget(view)
    view.feed(_events(steps=3, lines=20))
    view.model.flush()
    view.field.setText("LINE 1")  # case does not matter: "line 1", "line 10" … "line 19" in each step
    view.search.finish()
    assert view.search.count() == 3 * 11
    assert view.search.matches_of(0)[:3] == [1, 10, 11]
    view.go_to_match()
    assert view.lines.current_match == (0, 1)
    assert view.lines.is_expanded(0)  # a done step folds away, but going to a match opens it
    view.go_to_match(backwards=True)
    assert view.lines.current_match == (2, 19)  # round the end
    view.only.setChecked(True)
    assert view.lines.row_count() == 3 + 3 * 11  # headings + every matching line
    view.lines.set_expanded(1, False)
    assert view.lines.row_count() == 3 + 2 * 11
    view.field.setText("no such text")
    view.search.finish()
    view._show_count()
    assert view.count.text() == "No line holds this text."


def test_search_keeps_up_with_lines_that_arrive(qtbot):
    view = BuildLogView()
    qtbot.addWidget(view)
    view.field.setText("needle")
    view.feed([StepLog("s", None, ("hay", "a needle", "hay"))])
    view.model.flush()
    qtbot.waitUntil(lambda: view.search.count() == 1 and view.search.is_complete())
    view.feed([StepLog("s", None, ("needle again",))])
    view.model.flush()
    qtbot.waitUntil(lambda: view.search.count() == 2)
    assert view.search.matches_of(0) == [1, 3]


def test_the_view_follows_the_end_and_folds_finished_steps(qtbot):
    view = BuildLogView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    view.feed([StepUpdate("a", "RUN seq 1 500", "b1", StepState.RUNNING, time.time() - 3)])
    view.feed([StepLog("a", "b1", tuple(str(i) for i in range(500)))])
    view.model.flush()
    bar = view.lines.verticalScrollBar()
    assert view.lines.row_count() == 501
    assert bar.value() == bar.maximum() > 0  # the newest line is in view
    view.feed([StepUpdate("a", "", None, StepState.DONE, None, time.time())])
    view.model.flush()
    assert view.lines.row_count() == 1  # a finished step folds itself away
    view.lines.set_expanded(0, True)
    assert view.lines.row_count() == 501
    assert view.lines.place_at_row(0) == (0, -1) and view.lines.place_at_row(5) == (0, 4)


def test_double_click_on_a_heading_asks_for_its_block(qtbot):
    view = BuildLogView()
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.show()
    view.feed(_events(steps=2, lines=2))
    view.model.flush()
    with qtbot.waitSignal(view.blockRequested) as signal:
        y = view.lines._row_height // 2
        qtbot.mouseDClick(view.lines.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(200, y))
    assert signal.args == ["block0"]


def test_a_screenshot_of_a_log_with_every_state(qtbot, artifacts_dir):
    view = BuildLogView()
    qtbot.addWidget(view)
    view.resize(900, 420)
    now = time.time()
    events = [
        StepUpdate(
            "i", "[internal] load build definition from Dockerfile", None, StepState.DONE, now - 9, now - 8.9
        ),
        StepUpdate("1", "[stage-0 1/4] FROM dockblocks-test/busybox", "b1", StepState.CACHED),
        StepUpdate("2", "[stage-0 2/4] COPY app.py /app/", "b2", StepState.DONE, now - 8, now - 7.6),
        StepUpdate("3", "[stage-0 3/4] RUN apk add python3", "b3", StepState.FAILED, now - 7, now - 2),
        StepLog(
            "3",
            "b3",
            (
                "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz",
                "ERROR: unable to select packages:",
                "  python3 (no such package)",
            ),
        ),
        StepUpdate("4", "[stage-0 4/4] RUN seq 1 100000", "b4", StepState.RUNNING, now - 12),
        StepLog("4", "b4", tuple(str(i) for i in range(1, 40))),
        StepUpdate("5", "[stage-0 5/5] CMD", "b5", StepState.WAITING),
    ]
    view.feed(events)
    view.model.flush()
    view.field.setText("python")
    view.search.finish()
    view._show_count()
    view.show()
    qtbot.waitExposed(view)
    view.lines.verticalScrollBar().setValue(0)
    picture = view.grab()
    picture.save(str(artifacts_dir / "build_log.png"))
    assert not picture.isNull()
    assert view.count.text() == "1 match"  # lines are searched, not the steps' names


def test_the_engines_own_steps_are_headed_in_plain_words_and_copied_with_their_names(qtbot) -> None:
    view = BuildLogView()
    qtbot.addWidget(view)
    view.feed(
        [
            StepUpdate(
                "m", "[internal] load metadata for docker.io/library/alpine:latest", None, StepState.DONE
            ),
            StepUpdate("1", "[1/2] FROM docker.io/library/alpine:latest", "b1", StepState.CACHED),
        ]
    )
    view.model.flush()
    engine_step, dockerfile_step = view.model.step(0), view.model.step(1)

    assert heading_title(engine_step) == "Looking up the image alpine:latest"
    assert heading_title(dockerfile_step) == "[1/2] FROM docker.io/library/alpine:latest"  # the line itself
    assert (
        view.model.step_title(engine_step) == "[internal] load metadata for docker.io/library/alpine:latest"
    )
