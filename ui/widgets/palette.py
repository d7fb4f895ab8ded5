"""The palette: every block a beginner can add, grouped by purpose, searchable by what it does.

Drag an entry onto the canvas to add it where the drop indicator shows, or double-click it (or press
Enter on it) to add it after the selected block. Blocks dragged from the canvas onto the palette are
deleted, as in Scratch. Typing in the search field keeps the blocks whose name or description match
("install" finds RUN); Enter there adds the first match, Down goes to the list.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.blocks.kinds import Kind
from ui.controller import DocumentController
from ui.models import block_edits
from ui.models.document_model import BlockRole
from ui.models.palette_model import PaletteModel
from ui.widgets.block_paint import (
    ERROR_COLOUR,
    NOTCH_X,
    bold,
    face_colour,
    face_font,
    paint_body,
    paint_face_two_lines,
    paint_outline,
    paint_tab,
    two_line_height,
)
from ui.widgets.tree_navigation import leaf_after_page, leaf_indexes, leaf_move

AnyIndex = QModelIndex | QPersistentModelIndex
ENTRY_GAP = 8.0
ENTRY_SCALE = 1.0  # the palette's text at the window's size: more entries fit, the canvas stays larger
GROUP_SPACE = 14.0


class PaletteDelegate(QStyledItemDelegate):
    """Paints group headings and entries (small blocks showing the keyword and the plain title)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        if index.data(BlockRole.IS_HEADER):
            metrics = QFontMetrics(bold(face_font(option.font, ENTRY_SCALE)))
            return QSize(160, round(metrics.height() + 10 + (GROUP_SPACE if index.row() > 0 else 2)))
        return QSize(160, round(two_line_height(option.font, ENTRY_SCALE) + 2 + ENTRY_GAP))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(face_font(option.font, ENTRY_SCALE))
        row = QRectF(option.rect)
        colour = face_colour(index)
        if index.data(BlockRole.IS_HEADER):
            self._paint_group(painter, row, index, colour, option)
        else:
            body = QRectF(
                row.left() + 4, row.top() + 2, row.width() - 12, two_line_height(option.font, ENTRY_SCALE)
            )
            hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
            paint_body(painter, body, colour, hovered=hovered)
            tab = (body.bottom() - 1, body.bottom() + ENTRY_GAP - 3)
            paint_tab(painter, body.left() + NOTCH_X, tab, tab, colour)
            paint_face_two_lines(
                painter,
                body,
                colour,
                str(index.data(BlockRole.ICON_NAME) or ""),
                str(index.data(BlockRole.KEYWORD) or ""),
                str(index.data(BlockRole.TITLE) or ""),
            )
            if option.state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus):
                paint_outline(painter, body, option.palette.color(QPalette.ColorRole.Highlight), 3.0)
        painter.restore()

    def _paint_group(
        self, painter: QPainter, row: QRectF, index: AnyIndex, colour: QColor, option: QStyleOptionViewItem
    ) -> None:
        top = row.top() + (GROUP_SPACE if index.row() > 0 else 2)
        area = QRectF(row.left() + 4, top, row.width() - 12, row.bottom() - top)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(area.left(), area.top() + 5, 6, area.height() - 12), 3, 3)
        painter.setFont(bold(painter.font()))
        painter.setPen(option.palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(area.adjusted(14, 0, 0, -2), Qt.AlignmentFlag.AlignVCenter, str(index.data()))


class _PaletteView(QTreeView):
    """The list of entries; a drop of canvas blocks on it deletes them.

    Signals:
        entryChosen(QModelIndex): double-click or Enter on an entry.
        blocksDropped(list): block ids dragged here from the canvas.
    """

    entryChosen = Signal(QModelIndex)
    blocksDropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._deleting = False
        self._doomed = 0  # how many blocks the drag over the palette would delete
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setExpandsOnDoubleClick(False)
        self.setIndentation(0)
        self.setUniformRowHeights(False)
        self.setMouseTracking(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDropIndicatorShown(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QTreeView.Shape.NoFrame)
        self.doubleClicked.connect(self._double_clicked)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.parent().isValid():
            self.entryChosen.emit(index)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        moved = leaf_move(self.model(), self.currentIndex(), cursorAction)
        if moved is None:
            return leaf_after_page(self.model(), super().moveCursor(cursorAction, modifiers))
        return moved

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().parent().isValid():
            self.entryChosen.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    # A canvas block dragged here is deleted; nothing else may be dropped.

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._follow(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._follow(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_deleting(False)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        ids = block_edits.ids_from_mime(event.mimeData())
        self._set_deleting(False)
        if not ids:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.blocksDropped.emit(ids)

    def _follow(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(block_edits.BLOCK_IDS_MIME):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            self._doomed = len(block_edits.ids_from_mime(event.mimeData()))
            self._set_deleting(True)
        else:
            event.ignore()

    def _set_deleting(self, deleting: bool) -> None:
        if deleting != self._deleting:
            self._deleting = deleting
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._deleting:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        veil = QColor(ERROR_COLOUR)
        veil.setAlphaF(0.16)
        area = QRectF(self.viewport().rect()).adjusted(4, 4, -4, -4)
        painter.setBrush(veil)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(area, 12, 12)
        label = QRectF(area.left() + 12, area.center().y() - 40, area.width() - 24, 80)
        painter.setBrush(ERROR_COLOUR)
        painter.drawRoundedRect(label, 12, 12)
        font = QFont(bold(face_font(self.font())))
        font.setPointSizeF(font.pointSizeF() * 1.1)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        if self._doomed > 1:
            text = self.tr("Drop here to delete these {count} blocks").format(count=self._doomed)
        else:
            text = self.tr("Drop here to delete the block")
        painter.drawText(
            label.adjusted(10, 0, -10, 0), int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text
        )
        painter.end()


class PaletteWidget(QWidget):
    """The searchable palette of blocks.

    Signals:
        blockAdded(str): a block was added from the palette by double-click or Enter; its id.
    """

    blockAdded = Signal(str)

    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.setObjectName("Palette")
        self.setAccessibleName(self.tr("Block palette"))
        self.search = QLineEdit(self)
        self.search.setObjectName("PaletteSearch")
        self.search.setPlaceholderText(self.tr("Search blocks: install, copy, port…"))
        self.search.setAccessibleName(self.tr("Search blocks"))
        self.search.setClearButtonEnabled(True)
        self.model = PaletteModel(self)
        self.view = _PaletteView(self)
        self.view.setObjectName("PaletteBlocks")
        self.view.setAccessibleName(self.tr("Blocks to add"))
        self.view.setAccessibleDescription(
            self.tr("Drag a block onto the canvas, or press Enter to add it after the selected block.")
        )
        self.view.setModel(self.model)
        self.delegate = PaletteDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.expandAll()
        self.no_match = QLabel(self)
        self.no_match.setObjectName("PaletteNoMatch")
        self.no_match.setWordWrap(True)
        self.no_match.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.no_match)
        layout.addWidget(self.view, 1)
        self.search.textChanged.connect(self._search)
        self.search.returnPressed.connect(self._add_first_match)
        self.search.installEventFilter(self)
        self.view.entryChosen.connect(self._add_entry)
        self.view.blocksDropped.connect(self._delete_blocks)
        # Another project: the search for the last one's blocks would hide most of the palette from it.
        controller.projectReplaced.connect(self.search.clear)

    def add_kind(self, kind: Kind) -> str:
        """Add a block of ``kind`` after the selected block (at the end when none is); returns its id."""
        block_id = block_edits.insert_kind(
            self._controller, kind, block_edits.index_after_selection(self._controller)
        )
        self.blockAdded.emit(block_id)
        return block_id

    def _search(self, text: str) -> None:
        self.model.set_query(text)
        self.view.expandAll()
        found = bool(self.model.visible_kinds())
        self.no_match.setVisible(not found)
        if not found:
            self.no_match.setText(
                self.tr("No block matches “{text}”: try another word.").format(text=text.strip())
            )

    def _add_first_match(self) -> None:
        kinds = self.model.visible_kinds()
        if kinds and self.search.text().strip():
            self.add_kind(kinds[0])

    def _add_entry(self, index: QModelIndex) -> None:
        kind = self.model.kind_at(index)
        if kind is not None:
            self.add_kind(kind)

    def _delete_blocks(self, ids: list[str]) -> None:
        block_edits.remove_blocks(self._controller, ids)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down in the search field goes on to the first matching entry.
        is_down = isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down
        if watched is self.search and event.type() == QEvent.Type.KeyPress and is_down:
            leaves = leaf_indexes(self.model)
            if leaves:
                self.view.setFocus(Qt.FocusReason.TabFocusReason)
                self.view.setCurrentIndex(leaves[0])
            return True
        return super().eventFilter(watched, event)
