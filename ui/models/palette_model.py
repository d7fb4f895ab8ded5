"""The palette as a tree: the catalog's groups, in their order, each holding the kinds a beginner can add.

Left out: unknown instructions and deprecated ones (MAINTAINER), which the catalog keeps out of the palette;
blank lines, which the canvas does not need to separate blocks; and parser directives, which only make sense
at the very top of a file and are for experts.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from desktop.blocks.catalog import GroupInfo, catalog_entry, kinds_in_group, palette_groups, search_kinds
from desktop.blocks.kinds import Kind
from ui.models.block_edits import KIND_MIME
from ui.models.block_roles import AnyIndex
from ui.models.document_model import BlockRole, keyword_of, kind_decoration
from ui.models.two_level_model import TwoLevelModel

LEFT_OUT = frozenset({Kind.BLANK, Kind.DIRECTIVE})


def palette_kinds() -> list[Kind]:
    """Every kind the palette offers, in group order."""
    return [k for g in palette_groups() for k in kinds_in_group(g.id) if k not in LEFT_OUT]


class PaletteModel(TwoLevelModel):
    """Groups at the top level, kinds under them; ``set_query`` keeps only the kinds a search finds."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._query = ""
        self._rows: list[tuple[GroupInfo, list[Kind]]] = self._filtered("")

    # --- searching -----------------------------------------------------------------------------------

    @property
    def query(self) -> str:
        return self._query

    def set_query(self, query: str) -> None:
        """Show only the kinds ``search_kinds(query)`` finds (every palette kind for an empty query)."""
        if query == self._query:
            return
        self.beginResetModel()
        self._query = query
        self._rows = self._filtered(query)
        self.endResetModel()

    def visible_kinds(self) -> list[Kind]:
        """The kinds shown now, top to bottom."""
        return [kind for _group, kinds in self._rows for kind in kinds]

    def kind_at(self, index: AnyIndex) -> Kind | None:
        """The kind of an entry row, None for a group row or an invalid index."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._rows[index.internalId() - 1][1][index.row()]

    def index_of(self, kind: Kind) -> QModelIndex:
        """The index of a kind's entry, invalid when the search hides it."""
        for group_row, (_group, kinds) in enumerate(self._rows):
            if kind in kinds:
                return self.createIndex(kinds.index(kind), 0, group_row + 1)
        return QModelIndex()

    def _filtered(self, query: str) -> list[tuple[GroupInfo, list[Kind]]]:
        found = [k for k in search_kinds(query) if k not in LEFT_OUT and catalog_entry(k).in_palette]
        rank = {kind: n for n, kind in enumerate(found)}
        rows = []
        for group in palette_groups():
            kinds = sorted((k for k in kinds_in_group(group.id) if k in rank), key=rank.__getitem__)
            if not query.strip():
                kinds = [k for k in kinds_in_group(group.id) if k in rank]  # the catalog's order
            if kinds:
                rows.append((group, kinds))
        return rows

    # --- QAbstractItemModel (index, parent and the counts: TwoLevelModel) ------------------------------

    def group_count(self) -> int:
        return len(self._rows)

    def item_count(self, group_row: int) -> int:
        return len(self._rows[group_row][1])

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(self._rows[index.row()][0], role)
        kind = self._rows[index.internalId() - 1][1][index.row()]
        return self._kind_data(kind, role)

    def _group_data(self, group: GroupInfo, role: int) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return group.title
        if role == BlockRole.IS_HEADER:
            return True
        if role == BlockRole.COLOUR:
            return QColor(group.colour)
        if role == BlockRole.GROUP:
            return group.id
        return None

    def _kind_data(self, kind: Kind, role: int) -> object:
        info = catalog_entry(kind)
        keyword = keyword_of(kind) if kind.is_instruction else info.title
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{keyword} — {info.title}" if kind.is_instruction else info.title
        if role == Qt.ItemDataRole.ToolTipRole:
            head = html.escape(f"{keyword} — {info.title}" if kind.is_instruction else info.title)
            example = f"<br><br><code>{html.escape(info.example)}</code>" if info.example else ""
            return f"<b>{head}</b><br>{html.escape(info.explanation)}{example}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{keyword} — {info.title}: {info.what}" if kind.is_instruction else info.what
        if role == Qt.ItemDataRole.StatusTipRole:
            return info.what
        if role == BlockRole.KIND:
            return kind.value
        if role == BlockRole.KEYWORD:
            return keyword_of(kind)
        if role == BlockRole.TITLE:
            return info.title
        if role == BlockRole.COLOUR:
            return QColor(info.colour)
        if role == BlockRole.ICON_NAME:
            return info.icon
        if role == Qt.ItemDataRole.DecorationRole:
            return kind_decoration(kind)
        if role == BlockRole.GROUP:
            return info.group
        if role == BlockRole.IS_HEADER:
            return False
        return None

    # --- dragging out --------------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [KIND_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        kinds = [k for k in (self.kind_at(i) for i in indexes) if k is not None]
        if kinds:
            mime.setData(KIND_MIME, kinds[0].value.encode("utf-8"))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction
