"""Build marks on the canvas: each block's state painted on its face, failures explained on hover."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from desktop.blocks.operations import SetParams
from desktop.engine.build_events import BuildFailed, StepState, StepUpdate
from ui.widgets.build_marks import BuildMarks, BuildMarksOverlay, follow_document
from ui.widgets.build_states import state_colour
from ui.widgets.canvas import CanvasWidget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def canvas_with_marks(qtbot, controller):
    canvas = CanvasWidget(controller)
    qtbot.addWidget(canvas)
    canvas.resize(640, 700)
    marks = BuildMarks()
    overlay = BuildMarksOverlay(canvas, marks)
    controller.changed.connect(lambda change: follow_document(marks, change))
    canvas.show()
    qtbot.waitExposed(canvas)
    return canvas, marks, overlay


def _ids(controller):
    return [b.id for b in controller.document.blocks if b.kind.value not in ("blank", "comment")]


def _close_to(found: QColor, wanted: QColor) -> bool:
    return all(abs(a - b) <= 24 for a, b in zip(found.getRgb()[:3], wanted.getRgb()[:3], strict=True))


def test_each_state_is_painted_on_its_block(qtbot, controller, canvas_with_marks, artifacts_dir):
    canvas, marks, overlay = canvas_with_marks
    ids = _ids(controller)
    now = time.time()
    states = [StepState.CACHED, StepState.DONE, StepState.RUNNING, StepState.FAILED, StepState.WAITING]
    marks.apply(
        [
            StepUpdate(f"s{i}", "step", ids[i], state, now - 5, now if state is StepState.DONE else None)
            for i, state in enumerate(states)
        ]
    )
    marks.apply([BuildFailed("exit code 127: curl: not found", ids[3], "s3", "Install curl first.")])
    picture = canvas.grab().toImage()
    picture.save(str(artifacts_dir / "build_marks.png"))
    ratio = picture.devicePixelRatio()
    for i, state in enumerate(states):
        mark = marks.mark(ids[i])
        assert mark is not None and mark.state is state
        face = overlay.face_of(ids[i])
        pill = overlay.pill_of(face, mark.text(time.time()))
        probe = QPoint(round((pill.left() + 5) * ratio), round(pill.center().y() * ratio))
        assert _close_to(picture.pixelColor(probe), state_colour(state, canvas.palette())), state
    assert marks.mark(ids[2]).text(now + 0.5).startswith("Running")
    assert marks.mark(ids[1]).text(now) == "Done in 5.0 s"


def test_a_failure_is_explained_where_the_mouse_rests(qtbot, controller, canvas_with_marks):
    _canvas, marks, overlay = canvas_with_marks
    ids = _ids(controller)
    marks.apply([StepUpdate("s", "[stage-0 3/3] RUN pip install", ids[3], StepState.RUNNING, time.time())])
    marks.apply([BuildFailed("pip: not found", ids[3], "s", "Install pip in an earlier step.")])
    face = overlay.face_of(ids[3])
    found = overlay.mark_at(face.center().toPoint())
    assert found is not None and found[0] == ids[3]
    text = overlay.tooltip(found[1])
    assert "pip: not found" in text and "Install pip in an earlier step." in text
    assert overlay.mark_at(QPoint(2, 2)) is None


def test_editing_a_block_forgets_its_mark_and_a_new_build_clears_all(qtbot, controller, canvas_with_marks):
    _canvas, marks, _overlay = canvas_with_marks
    ids = _ids(controller)
    marks.apply(
        [StepUpdate("a", "x", ids[1], StepState.DONE), StepUpdate("b", "y", ids[2], StepState.FAILED)]
    )
    controller.apply(SetParams(ids[2], {"path": "/srv"}))
    assert marks.mark(ids[2]) is None and marks.mark(ids[1]) is not None
    marks.clear()
    assert marks.marked_ids() == []


def test_a_stopped_build_leaves_no_block_running(qtbot, controller):
    marks = BuildMarks()
    block = _ids(controller)[0]
    marks.apply(
        [StepUpdate("a", "x", block, StepState.RUNNING, 1.0), StepUpdate("b", "y", "other", StepState.DONE)]
    )
    marks.stop_running()
    assert marks.mark(block) is None and marks.mark("other") is not None


def test_a_block_with_several_steps_shows_the_one_that_matters(qtbot):
    marks = BuildMarks()
    marks.apply(
        [StepUpdate("a", "x", "b", StepState.DONE), StepUpdate("c", "y", "b", StepState.RUNNING, 2.0)]
    )
    assert marks.mark("b").state is StepState.RUNNING
    marks.apply([StepUpdate("c", "y", "b", StepState.DONE, None, 3.0)])
    assert marks.mark("b").state is StepState.DONE
    assert marks.mark("b").started is None or marks.mark("b").started in (2.0,)


def test_the_overlay_stays_over_the_viewport_when_scrolled(qtbot, controller_for):
    controller = controller_for("FROM alpine\n" + "RUN echo hi\n" * 60)
    canvas = CanvasWidget(controller)
    qtbot.addWidget(canvas)
    canvas.resize(500, 300)
    marks = BuildMarks()
    overlay = BuildMarksOverlay(canvas, marks)
    canvas.show()
    qtbot.waitExposed(canvas)
    last = controller.document.blocks[-1].id
    marks.apply([StepUpdate("z", "RUN", last, StepState.DONE)])
    assert overlay.face_of(last) is None or not overlay.rect().toRectF().intersects(overlay.face_of(last))
    canvas.verticalScrollBar().setValue(canvas.verticalScrollBar().maximum())
    qtbot.wait(10)
    assert overlay.geometry() == canvas.viewport().geometry()
    assert overlay.rect().toRectF().intersects(overlay.face_of(last))


def test_when_the_image_is_made_blocks_without_a_step_of_their_own_are_done(qtbot, controller_for):
    controller = controller_for("FROM a AS unused\nRUN x\n\nFROM b\n# note\nENV A=1\nRUN y\nCMD z\n")
    blocks = controller.document.blocks
    assert [b.kind.value for b in blocks] == ["FROM", "RUN", "blank", "FROM", "comment", "ENV", "RUN", "CMD"]
    marks = BuildMarks()
    marks.apply(
        [
            StepUpdate("f", "FROM b", blocks[3].id, StepState.CACHED),
            StepUpdate("r", "RUN y", blocks[6].id, StepState.DONE),
        ]
    )
    marks.finish_stages(controller.document)
    assert marks.mark(blocks[5].id).state is StepState.DONE  # ENV
    assert marks.mark(blocks[7].id).state is StepState.DONE  # CMD
    assert marks.mark(blocks[4].id) is None  # a comment is no step
    assert marks.mark(blocks[0].id) is None and marks.mark(blocks[1].id) is None  # a stage not built


def test_the_overlay_is_hidden_while_no_block_has_a_mark(qtbot, controller, canvas_with_marks):
    _canvas, marks, overlay = canvas_with_marks
    assert overlay.isHidden()  # edits then repaint the canvas as if it were not there
    marks.apply([StepUpdate("a", "x", _ids(controller)[1], StepState.DONE)])
    assert overlay.isVisible()
    marks.clear()
    assert overlay.isHidden()
