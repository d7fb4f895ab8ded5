"""Keyboard moves for two-level views whose top-level rows are only headings (stages, palette groups).

The arrow keys go from item to item, stepping over the headings, so the selection never lands on a row
that cannot be selected.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex
from PySide6.QtWidgets import QAbstractItemView

CursorAction = QAbstractItemView.CursorAction


def leaf_indexes(model: QAbstractItemModel) -> list[QModelIndex]:
    """Every second-level index, top to bottom."""
    leaves: list[QModelIndex] = []
    for top in range(model.rowCount()):
        parent = model.index(top, 0)
        leaves.extend(model.index(row, 0, parent) for row in range(model.rowCount(parent)))
    return leaves


def leaf_move(model: QAbstractItemModel, current: QModelIndex, action: CursorAction) -> QModelIndex | None:
    """Where an arrow, Home or End key goes, or None when the view's own move is fine (pages).

    Left and Right stay put: the headings cannot be folded.
    """
    leaves = leaf_indexes(model)
    if not leaves:
        return QModelIndex()
    if action in (CursorAction.MoveHome, CursorAction.MoveEnd):
        return leaves[0] if action == CursorAction.MoveHome else leaves[-1]
    if action in (CursorAction.MoveLeft, CursorAction.MoveRight):
        return current if current.isValid() else leaves[0]
    if action not in (
        CursorAction.MoveUp,
        CursorAction.MoveDown,
        CursorAction.MovePrevious,
        CursorAction.MoveNext,
    ):
        return None
    step = -1 if action in (CursorAction.MoveUp, CursorAction.MovePrevious) else 1
    if not current.isValid():
        return leaves[0]
    if current.parent().isValid():
        at = next((n for n, leaf in enumerate(leaves) if leaf == current), 0)
        return leaves[min(max(at + step, 0), len(leaves) - 1)]
    # On a heading: its first item going down, the item above it going up.
    below = [leaf for leaf in leaves if leaf.parent().row() >= current.row()]
    above = [leaf for leaf in leaves if leaf.parent().row() < current.row()]
    if step > 0:
        return below[0] if below else leaves[-1]
    return above[-1] if above else leaves[0]


def leaf_after_page(model: QAbstractItemModel, landed: QModelIndex) -> QModelIndex:
    """After Page Up/Down landed on a heading, its first item instead."""
    if landed.isValid() and not landed.parent().isValid() and model.rowCount(landed) > 0:
        return model.index(0, 0, landed)
    return landed
