"""A pull's progress: one bar per layer, with what the layer is doing (waiting, downloading, extracting…).

Fed with :class:`desktop.engine.pull.PullProgress` snapshots, one per batch of engine lines; a row is made
the first time a layer is named and only updated afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QScrollArea, QVBoxLayout, QWidget

from desktop.engine.run_spec import say, say_count

if TYPE_CHECKING:
    from desktop.engine.pull import LayerProgress, PullProgress

STEPS = 1000


class PullView(QWidget):
    """The layers of one pull, each with its bar, and a sentence about the whole pull on top."""

    def __init__(self, image: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PullView")
        self.setAccessibleName(say("pull.title", image=image))
        self.image = image
        self.header = QLabel(say("pull.starting", image=image), self)
        self.header.setObjectName("PullHeader")
        self.header.setWordWrap(True)
        self.total = QProgressBar(self)
        self.total.setObjectName("PullTotal")
        self.total.setAccessibleName(say("pull.title", image=image))
        self.total.setRange(0, STEPS)
        holder = QWidget(self)
        self.grid = QGridLayout(holder)
        self.grid.setColumnStretch(1, 1)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.total)
        layout.addWidget(scroll, 1)
        self.bars: dict[str, tuple[QProgressBar, QLabel]] = {}

    def show_progress(self, progress: PullProgress) -> None:
        """Bring the rows up to date with a snapshot."""
        for layer in progress.layers.values():
            bar, state = self.bars.get(layer.layer_id) or self._add_row(layer.layer_id)
            bar.setValue(round(layer.fraction * STEPS))
            state.setText(_layer_text(layer))
        self.total.setValue(round(progress.fraction * STEPS))
        self.header.setText(say_count("pull.running", len(progress.layers), image=self.image))

    def finished(self, sentence: str, ok: bool) -> None:
        """The pull ended: say how (the bars stay as they were)."""
        self.header.setText(sentence)
        if ok:
            self.total.setValue(STEPS)

    def _add_row(self, layer_id: str) -> tuple[QProgressBar, QLabel]:
        row = len(self.bars)
        name = QLabel(layer_id, self)
        name.setObjectName("PullLayerId")
        bar = QProgressBar(self)
        bar.setObjectName("PullLayerBar")
        bar.setAccessibleName(say("pull.layer", layer=layer_id))
        bar.setRange(0, STEPS)
        bar.setTextVisible(False)
        state = QLabel(self)
        state.setObjectName("PullLayerState")
        state.setMinimumWidth(self.fontMetrics().horizontalAdvance("extracting 100.0 MB of 100.0 MB"))
        self.grid.addWidget(name, row, 0)
        self.grid.addWidget(bar, row, 1)
        self.grid.addWidget(state, row, 2)
        self.bars[layer_id] = (bar, state)
        return bar, state


def _layer_text(layer: LayerProgress) -> str:
    state = say(f"layer.{layer.state.value.replace(' ', '_')}")
    if layer.state.value == "downloading" and layer.download_total:
        return f"{state} {_size(layer.downloaded)} / {_size(layer.download_total)}"
    if layer.state.value == "extracting" and layer.extract_total:
        return f"{state} {_size(layer.extracted)} / {_size(layer.extract_total)}"
    return state


def _size(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    if count >= 1024**2:
        return f"{count / 1024**2:.1f} MB"
    return f"{count / 1024:.0f} kB"
