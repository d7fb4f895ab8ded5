"""The pull view's sentence on top counts the layers in plain words (real pulls: tests/engine)."""

from __future__ import annotations

from typing import Any

from desktop.engine.pull import PullProgress
from ui.widgets.pull_progress import PullView


def _pulling(layers: list[str]) -> PullProgress:
    progress = PullProgress("busybox:1")
    for layer in layers:
        progress.fold({"status": "Pulling fs layer", "progressDetail": {}, "id": layer})
    return progress


def test_the_header_says_one_layer_or_several(qtbot: Any) -> None:
    view = PullView("busybox:1")
    qtbot.addWidget(view)

    view.show_progress(_pulling(["aaa"]))
    assert view.header.text() == "Pulling busybox:1: 1 layer"

    view.show_progress(_pulling(["aaa", "bbb"]))
    assert view.header.text() == "Pulling busybox:1: 2 layers"
    assert sorted(view.bars) == ["aaa", "bbb"]
