"""The canvas: the document's stages and blocks as interlocking puzzle pieces, edited by mouse and keyboard.

Blocks arrive from the palette by drag and drop, move by dragging (to another place or stage), leave by
being dragged onto the palette or out of the window, and every mouse edit has a key: arrows move the
selection, Alt+Up/Down move the selected blocks, Enter asks for the inspector, Del deletes, Ctrl+D
duplicates, Ctrl+C/X/V use the clipboard, Ctrl+A selects all. Each edit is one step on the undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QTreeView,
    QWidget,
)

from desktop.blocks.kinds import Kind
from ui.controller import DocumentController
from ui.models import block_edits
from ui.models.document_model import DocumentModel
from ui.widgets.block_delegate import BlockDelegate, NoRowHighlightStyle
from ui.widgets.block_paint import (
    stage_colour,
)
from ui.widgets.canvas_drop import (
    DragOutWatch,
    drag_picture,
    drop_position,
    empty_hint_ghost,
    indicator_line,
    paint_empty_hint,
    paint_indicator,
)
from ui.widgets.canvas_keys import CTRL, CanvasKey, canvas_key
from ui.widgets.tree_navigation import leaf_after_page, leaf_move

INDENT = 20
_OUR_FORMATS = (block_edits.KIND_MIME, block_edits.BLOCK_IDS_MIME, block_edits.BLOCKS_MIME)


class CanvasWidget(QTreeView):
    """The stages and blocks of the controller's document.

    Signals:
        editRequested(str): Enter on a block, or a block dropped from the palette: the main window should
            focus the inspector's first field of that block.
        statusMessage(str): one sentence for the status bar, e.g. why the clipboard could not be pasted.
    """

    editRequested = Signal(str)
    statusMessage = Signal(str)

    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._syncing = False  # True while the view follows the controller's selection
        self._updating = False  # True while the model changes rows (the view's selection then lies)
        self._drop_at: int | None = None
        self._kept_scroll = 0
        self.setObjectName("Canvas")
        self.setAccessibleName(self.tr("Blocks canvas"))
        self.setAccessibleDescription(
            self.tr(
                "The stages of your Dockerfile and their blocks, in order. Drop blocks from the palette here;"
                " drag a block onto the palette or out of the window to delete it."
            )
        )
        self._model = DocumentModel(controller, self)
        self.setModel(self._model)
        self._delegate = BlockDelegate(self)
        self._delegate.indent = INDENT
        self.setItemDelegate(self._delegate)
        self._configure_view()
        self._model.modelAboutToBeReset.connect(self._before_reset)
        self._model.modelReset.connect(self._after_reset)
        self._model.rowsAboutToBeInserted.connect(self._rows_changing)  # removals: rowsAboutToBeRemoved
        self.selectionModel().selectionChanged.connect(self._view_selection_changed)
        # Connected after the model's own handlers, so they run once the model is up to date.
        controller.changed.connect(self._after_change)
        controller.projectReplaced.connect(self._after_change)
        controller.selectionChanged.connect(self._show_selection)
        self.expandAll()
        self._show_selection(controller.selection())

    def _configure_view(self) -> None:
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setExpandsOnDoubleClick(False)
        self.setIndentation(INDENT)
        self.setUniformRowHeights(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)  # we draw our own, thicker and exactly where the block lands
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setFrameShape(QTreeView.Shape.NoFrame)
        self.setAllColumnsShowFocus(False)
        # The proxy gets its own copy of the application's style (Fusion under the theme): a proxy without
        # a base would make the desktop's default style, and a canvas that looks unlike the rest.
        self._style = NoRowHighlightStyle(QApplication.style().name())
        self._style.setParent(self)
        self.setStyle(self._style)

    # --- reading -------------------------------------------------------------------------------------

    @property
    def document_model(self) -> DocumentModel:
        return self._model

    def selected_ids(self) -> list[str]:
        """The selected block ids, in document order (the controller's selection)."""
        return self._controller.selection()

    def drop_position_at(self, point: QPoint) -> int:
        """The document position a drop at a viewport point inserts at (what the indicator shows)."""
        return drop_position(self, self._model, self._delegate, point)

    def drop_indicator_position(self) -> int | None:
        """The position the drop indicator shows now, None when nothing is being dragged over."""
        return self._drop_at

    # --- edits for the Edit menu ---------------------------------------------------------------------

    def copy_selection(self) -> None:
        """Put the selected blocks on the clipboard, as blocks and as Dockerfile text."""
        ids = self.selected_ids()
        if ids:
            QGuiApplication.clipboard().setMimeData(block_edits.blocks_mime(self._controller.document, ids))

    def cut_selection(self) -> None:
        """Copy the selected blocks, then delete them (one undo step)."""
        self.copy_selection()
        self.delete_selection()

    def paste(self) -> None:
        """Insert the clipboard's blocks (or Dockerfile text) after the selection, and select them."""
        try:
            blocks = block_edits.blocks_from_mime(QGuiApplication.clipboard().mimeData())
        except block_edits.PasteError as error:
            self.statusMessage.emit(str(error))
            return
        block_edits.insert_blocks(
            self._controller, block_edits.index_after_selection(self._controller), blocks
        )

    def duplicate_selection(self) -> None:
        """Copies of the selected blocks right after the last of them; the copies become the selection."""
        block_edits.duplicate_selected(self._controller)

    def delete_selection(self) -> None:
        """Delete the selected blocks; the block after them becomes the selection, to go on from there."""
        block_edits.delete_selected(self._controller)

    def select_all(self) -> None:
        self._controller.select([b.id for b in self._controller.document.blocks])

    def move_selection(self, step: int) -> None:
        """Move the selected blocks one place up (-1) or down (+1), into the next stage at a stage's edge."""
        block_edits.move_selected(self._controller, step)

    # --- selection both ways -------------------------------------------------------------------------

    def _view_selection_changed(self) -> None:
        if self._syncing or self._updating:
            return
        indexes = self.selectionModel().selectedIndexes()
        chosen = {self._model.block_id(i) for i in indexes} - {None}
        self._controller.select([i for i in chosen if i is not None])

    def _show_selection(self, ids: list[str]) -> None:
        indexes = [i for i in (self._model.block_index(b) for b in ids) if i.isValid()]
        shown = {self._model.block_id(i) for i in self.selectionModel().selectedIndexes()}
        if shown == set(ids) and not self._updating:
            return
        selection = QItemSelection()
        for index in indexes:
            selection.select(index, index)
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self.selectionModel().select(selection, flags)
            if indexes:
                current = self.currentIndex()
                if current not in indexes:
                    self.selectionModel().setCurrentIndex(
                        indexes[0], QItemSelectionModel.SelectionFlag.NoUpdate
                    )
                self.scrollTo(indexes[0], QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def _rows_changing(self) -> None:
        self._updating = True

    def rowsAboutToBeRemoved(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:
        # Heard before the selection model drops the rows from the selection (the view connected to the
        # model first): a moved block passes through being removed, and that is not the user's choice.
        self._updating = True
        super().rowsAboutToBeRemoved(parent, start, end)

    def _before_reset(self) -> None:
        self._updating = True
        self._kept_scroll = self.verticalScrollBar().value()

    def _after_reset(self) -> None:
        self.expandAll()
        self.executeDelayedItemsLayout()
        self.verticalScrollBar().setValue(self._kept_scroll)

    def _after_change(self, _change: object = None) -> None:
        self._show_selection(self._controller.selection())
        self._updating = False

    # --- keyboard ------------------------------------------------------------------------------------

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        moved = leaf_move(self._model, self.currentIndex(), cursorAction)
        if moved is None:
            return leaf_after_page(self._model, super().moveCursor(cursorAction, modifiers))
        return moved

    def _run_key(self, command: CanvasKey) -> bool:
        if command is CanvasKey.EDIT:
            block_id = self._model.block_id(self.currentIndex()) or next(iter(self.selected_ids()), None)
            if block_id is None:
                return False
            self.editRequested.emit(block_id)
            return True
        actions = {
            CanvasKey.MOVE_UP: lambda: self.move_selection(-1),
            CanvasKey.MOVE_DOWN: lambda: self.move_selection(1),
            CanvasKey.DELETE: self.delete_selection,
            CanvasKey.DUPLICATE: self.duplicate_selection,
            CanvasKey.COPY: self.copy_selection,
            CanvasKey.CUT: self.cut_selection,
            CanvasKey.PASTE: self.paste,
            CanvasKey.SELECT_ALL: self.select_all,
        }
        actions[command]()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        command = canvas_key(event)
        if command is not None and self._run_key(command):
            event.accept()
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        # Claim our keys before window-wide shortcuts (the Edit menu's Ctrl+C…) can take them, as text
        # fields do: while the canvas has the focus, Ctrl+C copies blocks, not whatever the menu thinks.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and canvas_key(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def selectAll(self) -> None:
        self.select_all()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._ghost_clicked(event):
            return
        # A click on a stage's heading selects the whole stage, so it can be dragged, copied or deleted
        # as one (Ctrl adds it to the selection).
        index = self.indexAt(event.position().toPoint())
        super().mousePressEvent(event)
        if self._model.is_stage(index) and event.button() == Qt.MouseButton.LeftButton:
            stage = self._model.stage_ids(index.row())
            keep = self.selected_ids() if event.modifiers() & CTRL else []
            self._controller.select(keep + stage)

    def _ghost_clicked(self, event: QMouseEvent) -> bool:
        """A click on the empty canvas's faded FROM block adds a FROM, ready to fill in."""
        if self._model.rowCount() or event.button() != Qt.MouseButton.LeftButton:
            return False
        ghost = empty_hint_ghost(self.viewport().rect().toRectF(), self.font())
        if ghost is None or not ghost.contains(event.position()):
            return False
        block_id = block_edits.insert_kind(self._controller, Kind.FROM, 0)
        self.editRequested.emit(block_id)
        return True

    # --- dragging ------------------------------------------------------------------------------------

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        drag = QDrag(self)
        drag.setMimeData(block_edits.ids_mime(ids))
        picture = drag_picture(self, self._model, self._delegate, ids)
        if picture is not None:
            drag.setPixmap(picture)
            drag.setHotSpot(QPoint(20, round(picture.deviceIndependentSize().height() / 2)))
        # The drop target does the work: the canvas moves (or with Ctrl copies), the palette deletes.
        # Let go outside the window, nothing takes the drop: then the canvas deletes the blocks itself.
        watch = DragOutWatch(drag, self.font(), len(ids))
        result = drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)
        if watch.finish(result):
            block_edits.remove_blocks(self._controller, ids)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        super().dragEnterEvent(event)
        self._follow_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)  # scrolls when the mouse nears an edge
        self._follow_drag(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        super().dragLeaveEvent(event)
        self._drop_at = None
        self.viewport().update()

    def dropEvent(self, event: QDropEvent) -> None:
        action = self._drop_action(event)
        if action is None:
            event.ignore()
            return
        position = self._into_a_stage(event.mimeData(), self.drop_position_at(event.position().toPoint()))
        self._drop_at = None
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        event.setDropAction(action)
        event.accept()
        new_kind = block_edits.kind_from_mime(event.mimeData()) is not None
        self._model.drop_at(event.mimeData(), action, position)
        chosen = self._controller.selection()
        if new_kind and len(chosen) == 1:
            # A block just taken from the palette has empty fields: what the user types next fills them.
            self.editRequested.emit(chosen[0])
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _drop_action(self, event: QDropEvent) -> Qt.DropAction | None:
        mime = event.mimeData()
        if not any(mime.hasFormat(f) for f in _OUR_FORMATS):
            return None
        if mime.hasFormat(block_edits.BLOCK_IDS_MIME) and not event.modifiers() & CTRL:
            return Qt.DropAction.MoveAction
        return Qt.DropAction.CopyAction

    def _follow_drag(self, event: QDragMoveEvent) -> None:
        action = self._drop_action(event)
        if action is None:
            event.ignore()
            return
        event.setDropAction(action)
        event.accept()
        position = self._into_a_stage(event.mimeData(), self.drop_position_at(event.position().toPoint()))
        if position != self._drop_at:
            self._drop_at = position
            self.viewport().update()

    def _into_a_stage(self, mime: QMimeData, position: int) -> int:
        """Where a drop goes: blocks Docker refuses before the first FROM (a RUN, a WORKDIR …), dropped
        above it, go to the start of its stage instead, and the indicator shows them there."""
        blocks = self._controller.document.blocks
        first = next((i for i, b in enumerate(blocks) if b.kind is Kind.FROM), None)
        if first is None or position > first:
            return position
        kind = block_edits.kind_from_mime(mime)
        if kind is not None:
            kinds = {kind}
        else:
            moving = set(block_edits.ids_from_mime(mime))
            kinds = {b.kind for b in blocks if b.id in moving}
        if not kinds or Kind.FROM in kinds or all(k.fits_before_stages for k in kinds):
            return position
        return first + 1

    # --- painting ------------------------------------------------------------------------------------

    def drawBranches(
        self, painter: QPainter, rect: QRect, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """The stage container's side bar beside each block, and its foot under the last one."""
        # Asked of the model straight, not through parent(): a round trip into Qt and back for every row.
        if not index.isValid() or self._model.is_stage(index) or rect.width() <= 0:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(stage_colour(self.palette()))
        painter.drawRect(self._delegate.container_bar(rect))
        if self._model.is_last_in_stage(index):
            painter.drawRoundedRect(self._delegate.container_foot(rect), 6, 6)
        painter.restore()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        empty = self._model.rowCount() == 0
        if not empty and self._drop_at is None:
            return  # nothing to draw over the rows: no second painter on the viewport
        painter = QPainter(self.viewport())
        if empty:
            paint_empty_hint(
                painter,
                self.viewport().rect().toRectF(),
                self.palette(),
                self.font(),
                self._drop_at is not None,
            )
        elif self._drop_at is not None:
            line = indicator_line(self, self._model, self._delegate, self._drop_at)
            if line is not None:
                halo = self.palette().color(self.viewport().backgroundRole())
                paint_indicator(painter, line, self.palette().color(QPalette.ColorRole.Highlight), halo)
        painter.end()
