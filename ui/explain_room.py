"""Room for the explanations: switching "Explain" on gives the Dockerfile more of the window.

At 1280x800 the settings and the Dockerfile share a third of the width, the Dockerfile under the settings:
the code and the explanation beside it then get ~200 pixels each and a dozen lines, and every explanation
ends in "…" (the teaching the mode is for, cut off on a projector). Switched on, the column grows to half the
editor's width, taken from the canvas, and the Dockerfile to most of the column's height, taken from the
settings, never below what they still read in; switched off, each gets its old size back, unless the user
moved that divider meanwhile (their choice stays).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractButton, QSplitter

SIDE_SHARE = 0.5  # of the editor's width, for the settings and the Dockerfile while explaining
CANVAS_LEAST = 320  # pixels the canvas keeps: a block's keyword and the start of its summary
PREVIEW_SHARE = 0.62  # of the side column's height, for the Dockerfile while explaining
SETTINGS_LEAST = 160  # pixels the settings keep: a block's title and its first field


@dataclass
class Widening:
    """One splitter's part in making room: ``grows`` takes from ``gives`` up to ``share`` of the whole."""

    splitter: QSplitter
    grows: int
    gives: int
    share: float
    least: int  # what ``gives`` keeps
    before: list[int] | None = None  # the sizes before widening
    after: list[int] | None = None  # the sizes widening made

    def widen(self) -> None:
        sizes = self.splitter.sizes()
        room = min(round(sum(sizes) * self.share) - sizes[self.grows], sizes[self.gives] - self.least)
        if room <= 0 or not self.splitter.isVisible():
            self.before = self.after = None  # wide enough already (or not shown: nothing to measure)
            return
        self.before = sizes
        widened = list(sizes)
        widened[self.grows] += room
        widened[self.gives] -= room
        self.splitter.setSizes(widened)
        self.after = self.splitter.sizes()

    def give_back(self) -> None:
        before, after = self.before, self.after
        self.before = self.after = None
        if before is not None and self.splitter.sizes() == after:
            self.splitter.setSizes(before)


class ExplainRoom(QObject):
    """Makes room for the Dockerfile while the "Explain" toggle is on.

    Args:
        editor: the editor's splitter: palette, canvas, side column.
        side: the side column's splitter: settings over the Dockerfile.
        toggle: the preview's "Explain" button.
    """

    def __init__(self, editor: QSplitter, side: QSplitter, toggle: QAbstractButton) -> None:
        super().__init__(editor)
        self.widenings = (
            Widening(editor, grows=2, gives=1, share=SIDE_SHARE, least=CANVAS_LEAST),
            Widening(side, grows=1, gives=0, share=PREVIEW_SHARE, least=SETTINGS_LEAST),
        )
        toggle.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        for widening in self.widenings:
            if on:
                widening.widen()
            else:
                widening.give_back()
