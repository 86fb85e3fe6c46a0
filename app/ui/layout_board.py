"""The layout board: the canvas at the chosen size, a box per text block over it.

Drag a box to move it, drag one of its handles to resize it; both snap to the canvas's edges,
safe margins, thirds and centre lines and to the other boxes (hold Alt to place freely). Arrow
keys nudge the selected box by one canvas pixel, with Shift by ten. Each box shows its text as the
typesetter sets it, drawn off the GUI thread and shown when it arrives. Scene coordinates are the
canvas's pixels; the spec's boxes are fractions of it.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.core.snapping import SAFE_MARGIN, Guide, snap_move, snap_resize
from app.core.spec import Box
from app.model.layout_board import BlockPreview, LayoutBoardModel
from app.ui.wording import role_text

HANDLE_PX: Final = 9  # on screen, whatever the zoom
SNAP_PX: Final = 8  # snapping reaches this far on screen
VIEW_MARGIN_PX: Final = 16
SELECTED: Final = QColor("#2563eb")
GUIDE: Final = QColor("#db2777")

_CURSORS: Final = {
    frozenset({"left"}): Qt.CursorShape.SizeHorCursor,
    frozenset({"right"}): Qt.CursorShape.SizeHorCursor,
    frozenset({"top"}): Qt.CursorShape.SizeVerCursor,
    frozenset({"bottom"}): Qt.CursorShape.SizeVerCursor,
    frozenset({"left", "top"}): Qt.CursorShape.SizeFDiagCursor,
    frozenset({"right", "bottom"}): Qt.CursorShape.SizeFDiagCursor,
    frozenset({"right", "top"}): Qt.CursorShape.SizeBDiagCursor,
    frozenset({"left", "bottom"}): Qt.CursorShape.SizeBDiagCursor,
}


class BoxItem(QGraphicsObject):
    """One text block's box; its geometry is ``rect`` in canvas pixels (the item sits at 0,0)."""

    def __init__(self, board: LayoutBoard, row: int) -> None:
        super().__init__()
        self._board = board
        self.row = row
        self.rect = QRectF()
        self.label = ""
        self._preview: QPixmap | None = None
        self._preview_at = QPointF()
        self._drag: tuple[frozenset[str], QPointF, QRectF] | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable, True)
        self.setAcceptHoverEvents(True)

    @property
    def dragging(self) -> bool:
        return self._drag is not None

    def set_rect(self, rect: QRectF) -> None:
        if rect != self.rect:
            self.prepareGeometryChange()
            self.rect = QRectF(rect)

    def set_preview(self, pixmap: QPixmap | None, at: QPointF) -> None:
        self.prepareGeometryChange()
        self._preview, self._preview_at = pixmap, QPointF(at) - self.rect.topLeft()

    # Geometry
    def _handle(self) -> float:
        return HANDLE_PX / max(self._board.scale_factor(), 1e-6)

    def boundingRect(self) -> QRectF:
        grow = self._handle()
        tag = 16 / max(self._board.scale_factor(), 1e-6)
        area = self.rect.adjusted(-grow, -grow - tag, grow, grow)
        if self._preview is not None:
            drawn = QRectF(self.rect.topLeft() + self._preview_at, self._preview.size().toSizeF())
            area = area.united(drawn)
        return area

    def shape(self) -> QPainterPath:
        """Where a press picks the box: the box and its handles, not the ink past it."""
        grow = self._handle() / 2
        path = QPainterPath()
        path.addRect(self.rect.adjusted(-grow, -grow, grow, grow))
        return path

    def edges_at(self, point: QPointF) -> frozenset[str]:
        """Which edges a press at ``point`` would drag: none (a move) unless near a handle."""
        if not self.isSelected():
            return frozenset()
        reach = self._handle()
        r = self.rect
        edges = set()
        xs = {"left": r.left(), "right": r.right()}
        ys = {"top": r.top(), "bottom": r.bottom()}
        near_x = [name for name, x in xs.items() if abs(point.x() - x) <= reach]
        near_y = [name for name, y in ys.items() if abs(point.y() - y) <= reach]
        mid_x = abs(point.x() - r.center().x()) <= reach
        mid_y = abs(point.y() - r.center().y()) <= reach
        if near_x and (near_y or mid_y):
            edges.add(near_x[0])
        if near_y and (near_x or mid_x):
            edges.add(near_y[0])
        return frozenset(edges)

    # Painting
    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        scale = max(self._board.scale_factor(), 1e-6)
        selected = self.isSelected()
        fill = QColor(SELECTED if selected else QColor("#64748b"))
        fill.setAlpha(28 if selected else 14)
        painter.fillRect(self.rect, fill)
        if self._preview is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawPixmap(self.rect.topLeft() + self._preview_at, self._preview)
        pen = QPen(SELECTED if selected else QColor("#64748b"), (2 if selected else 1) / scale)
        if not selected:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect)
        font = painter.font()
        font.setPixelSize(max(1, round(11 / scale)))
        painter.setFont(font)
        # The number and role on a light tag above the box, readable over any underlay.
        width = painter.fontMetrics().horizontalAdvance(self.label) + 8 / scale
        tag = QRectF(self.rect.left(), self.rect.top() - 15 / scale, width, 14 / scale)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 200))
        painter.drawRoundedRect(tag, 3 / scale, 3 / scale)
        painter.restore()
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, self.label)
        if selected:
            size = self._handle()
            painter.setPen(QPen(SELECTED, 1 / scale))
            painter.setBrush(QBrush(QColor("#ffffff")))
            r = self.rect
            for x in (r.left(), r.center().x(), r.right()):
                for y in (r.top(), r.center().y(), r.bottom()):
                    if (x, y) != (r.center().x(), r.center().y()):
                        painter.drawRect(QRectF(x - size / 2, y - size / 2, size, size))

    # Dragging
    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        edges = self.edges_at(event.pos())
        self.setCursor(_CURSORS.get(edges, Qt.CursorShape.SizeAllCursor))

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self._board.board.select(self.row)
        self.setFocus()
        self._drag = (self.edges_at(event.pos()), event.scenePos(), QRectF(self.rect))
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag is None:
            return
        edges, start, rect = self._drag
        delta = event.scenePos() - start
        free = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        self.set_rect(self._board.dragged(self.row, rect, delta, edges, snap=not free))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag is None:
            return
        start_rect = self._drag[2]
        self._drag = None
        self._board.set_guides(())
        if self.rect != start_rect:
            self._board.commit(self.row, self.rect)


class LayoutBoard(QGraphicsView):
    """The board. ``board`` is the model; the widget only shows it and reports what is done."""

    box_committed = Signal(int)

    def __init__(self, board: LayoutBoardModel) -> None:
        super().__init__()
        self.board = board
        self.setAccessibleName("Layout board")
        self.setToolTip(
            self.tr(
                "Drag a box to move it, its handles to resize it; it snaps to the centre lines, "
                "thirds, margins and other boxes (Alt: no snapping). Arrow keys nudge it "
                "(Shift: ten pixels)."
            )
        )
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 160)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self._items: list[BoxItem] = []
        self._guides: tuple[Guide, ...] = ()
        self._syncing = False

        blocks = board.blocks
        for signal in (blocks.rowsInserted, blocks.rowsRemoved, blocks.rowsMoved):
            signal.connect(self._rebuild)
        blocks.modelReset.connect(self._rebuild)
        board.boxes_changed.connect(self._place)
        board.canvas_changed.connect(lambda _: self._canvas_changed())
        board.preview_ready.connect(self._show_preview)
        board.underlay_changed.connect(self._show_underlay)
        self._underlay: QPixmap | None = None
        board.selection.selectionChanged.connect(lambda *_: self._show_selection())
        self._scene.selectionChanged.connect(self._scene_selection)
        self._canvas_changed()
        self._rebuild()

    # Reading
    def items_by_row(self) -> list[BoxItem]:
        return list(self._items)

    def scale_factor(self) -> float:
        return self.transform().m11()

    def canvas_rect(self) -> QRectF:
        size = self.board.canvas
        return QRectF(0, 0, size.width, size.height)

    def box_rect(self, box: Box) -> QRectF:
        size = self.board.canvas
        x, y, w, h = box
        return QRectF(x * size.width, y * size.height, w * size.width, h * size.height)

    def rect_box(self, rect: QRectF) -> Box:
        size = self.board.canvas
        return (rect.x() / size.width, rect.y() / size.height,
                rect.width() / size.width, rect.height() / size.height)  # fmt: skip

    # Building
    def _canvas_changed(self) -> None:
        self._scene.setSceneRect(self.canvas_rect())
        self._fit()
        self._place()

    def _rebuild(self, *_: object) -> None:
        for item in self._items:
            self._scene.removeItem(item)
        self._items = [BoxItem(self, row) for row in range(self.board.blocks.rowCount())]
        for item in self._items:
            self._scene.addItem(item)
        self._place()
        self._show_selection()
        self.board.forget_previews()

    def _place(self) -> None:
        blocks = self.board.blocks.blocks()
        for item, block, box in zip(self._items, blocks, self.board.boxes(), strict=False):
            item.label = f"{item.row + 1} · {role_text(block.role)}"
            if not item.dragging:
                item.set_rect(self.box_rect(box))
            item.update()

    def _show_preview(self, preview: object) -> None:
        if not isinstance(preview, BlockPreview) or preview.row >= len(self._items):
            return
        item = self._items[preview.row]
        if item.dragging:
            return
        x, y = preview.offset
        item.set_preview(QPixmap.fromImage(preview.image), QPointF(x, y))

    def _show_underlay(self, image: object) -> None:
        self._underlay = QPixmap.fromImage(image) if isinstance(image, QImage) else None
        self.viewport().update()

    # Selection, both ways
    def _scene_selection(self) -> None:
        if self._syncing:
            return
        chosen = [item.row for item in self._items if item.isSelected()]
        self.board.select(chosen[0] if chosen else None)

    def _show_selection(self) -> None:
        row = self.board.selected_row()
        self._syncing = True
        try:
            for item in self._items:
                item.setSelected(item.row == row)
                item.setZValue(1 if item.row == row else 0)
        finally:
            self._syncing = False

    # Moving
    def _threshold(self) -> tuple[float, float]:
        size, scale = self.board.canvas, max(self.scale_factor(), 1e-6)
        return (SNAP_PX / scale / size.width, SNAP_PX / scale / size.height)

    def _others(self, row: int) -> list[Box]:
        return [box for index, box in enumerate(self.board.boxes()) if index != row]

    def dragged(
        self, row: int, start: QRectF, delta: QPointF, edges: frozenset[str], *, snap: bool
    ) -> QRectF:
        """Where a box dragged from ``start`` by ``delta`` goes, snapped unless ``snap`` is off."""
        rect = QRectF(start)
        if not edges:
            rect.translate(delta)
        else:
            if "left" in edges:
                rect.setLeft(rect.left() + delta.x())
            if "right" in edges:
                rect.setRight(rect.right() + delta.x())
            if "top" in edges:
                rect.setTop(rect.top() + delta.y())
            if "bottom" in edges:
                rect.setBottom(rect.bottom() + delta.y())
        threshold = self._threshold() if snap else (0.0, 0.0)
        box = self.rect_box(rect.normalized())
        others = self._others(row)
        if edges:
            snapped = snap_resize(box, edges, others, threshold)
        else:
            snapped = snap_move(box, others, threshold)
        self.set_guides(snapped.guides)
        return self.box_rect(snapped.box)

    def commit(self, row: int, rect: QRectF) -> None:
        self.board.set_box(row, self.rect_box(rect))
        self.box_committed.emit(row)

    def set_guides(self, guides: tuple[Guide, ...]) -> None:
        if guides != self._guides:
            self._guides = guides
            self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        row = self.board.selected_row()
        step = steps.get(Qt.Key(event.key()))
        if step is None or row is None or row >= len(self._items):
            super().keyPressEvent(event)
            return
        pixels = 10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        item = self._items[row]
        moved = item.rect.translated(step[0] * pixels, step[1] * pixels)
        box = snap_move(self.rect_box(moved), (), (0.0, 0.0)).box  # kept inside the canvas
        self.board.set_box(row, box, nudge=True)
        event.accept()

    # Painting and size
    def _fit(self) -> None:
        rect = self.canvas_rect()
        view = (
            self.viewport()
            .rect()
            .adjusted(VIEW_MARGIN_PX, VIEW_MARGIN_PX + 6, -VIEW_MARGIN_PX, -VIEW_MARGIN_PX)
        )
        if rect.isEmpty() or view.width() <= 0 or view.height() <= 0:
            return
        scale = min(view.width() / rect.width(), view.height() / rect.height())
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.fillRect(QRectF(rect), self.palette().color(QPalette.ColorRole.Mid))
        canvas = self.canvas_rect()
        if self._underlay is not None:
            painter.drawPixmap(canvas, self._underlay, QRectF(self._underlay.rect()))
        else:
            painter.fillRect(canvas, QColor("#ffffff"))
        scale = max(self.scale_factor(), 1e-6)
        thirds = QPen(QColor("#cbd5e1"), 1 / scale, Qt.PenStyle.DashLine)
        painter.setPen(thirds)
        w, h = canvas.width(), canvas.height()
        for f in (1 / 3, 2 / 3):
            painter.drawLine(QPointF(w * f, 0), QPointF(w * f, h))
            painter.drawLine(QPointF(0, h * f), QPointF(w, h * f))
        painter.setPen(QPen(QColor("#94a3b8"), 1 / scale, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(w / 2, 0), QPointF(w / 2, h))
        painter.drawLine(QPointF(0, h / 2), QPointF(w, h / 2))
        painter.setPen(QPen(QColor("#fca5a5"), 1 / scale, Qt.PenStyle.DotLine))
        painter.drawRect(canvas.adjusted(w * SAFE_MARGIN, h * SAFE_MARGIN,
                                         -w * SAFE_MARGIN, -h * SAFE_MARGIN))  # fmt: skip

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        if not self._guides:
            return
        canvas = self.canvas_rect()
        painter.setPen(QPen(GUIDE, 1.5 / max(self.scale_factor(), 1e-6)))
        for guide in self._guides:
            if guide.axis == "x":
                x = guide.at * canvas.width()
                painter.drawLine(QPointF(x, 0), QPointF(x, canvas.height()))
            else:
                y = guide.at * canvas.height()
                painter.drawLine(QPointF(0, y), QPointF(canvas.width(), y))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        if not any(item.isSelected() for item in self._items):
            self.board.select(None)
