"""A one-column item model of two levels: groups at the top, their items as children.

The canvas's model (stages and their blocks) and the palette's (groups and their block kinds) have this
shape. Qt asks a model for an index's parent from the index alone, so the index carries it: a group row's
internal id is 0, an item's is its group's row + 1. The subclasses read that encoding directly where views
ask many times per paint (``internalId() == 0`` is a group), so it is fixed here once for both.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex

from ui.models.block_roles import AnyIndex

ROOT = QModelIndex()  # the invisible root, as a default argument


class TwoLevelModel(QAbstractItemModel):
    """Groups at the top level, items under them, one column. Subclasses say how many of each there are."""

    def group_count(self) -> int:
        """How many top-level rows there are."""
        raise NotImplementedError

    def item_count(self, group_row: int) -> int:
        """How many items the group at ``group_row`` holds."""
        raise NotImplementedError

    def is_group(self, index: AnyIndex) -> bool:
        """Whether the index is a top-level row (False for an item or an invalid index)."""
        return index.isValid() and index.internalId() == 0

    def index(self, row: int, column: int, parent: AnyIndex = ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1 if parent.isValid() else 0)

    def parent(self, child: AnyIndex = ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        if not parent.isValid():
            return self.group_count()
        if parent.column() == 0 and parent.internalId() == 0:
            return self.item_count(parent.row())
        return 0

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 1
