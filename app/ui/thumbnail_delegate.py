"""Draws a thumbnail list's cell: the picture fitted into a square, its caption below.

Every cell has the same size, known before its row's data arrives, so a virtualised list lays out
10,000 rows without asking each one, and a picture that arrives later fills its place.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

CAPTION_GAP = 2


class ThumbnailDelegate(QStyledItemDelegate):
    def __init__(self, cell: QSize, picture: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cell = cell
        self.picture = picture

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return self.cell

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect
        state = option.state
        palette: QPalette = option.palette
        painter.save()
        selected = bool(state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect.adjusted(1, 1, -1, -1), palette.highlight())
        side = self.picture
        frame = QRect(rect.x() + (rect.width() - side.width()) // 2, rect.y() + 4, side.width(),
                      side.height())  # fmt: skip
        image = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(image, QImage) and not image.isNull():
            fitted = image.size().scaled(frame.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, fitted.width(), fitted.height())
            target.moveCenter(frame.center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        else:
            painter.fillRect(frame, palette.alternateBase())
        caption = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        text_rect = QRect(rect.x() + 2, frame.bottom() + CAPTION_GAP, rect.width() - 4,
                          rect.bottom() - frame.bottom() - CAPTION_GAP)  # fmt: skip
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        metrics = painter.fontMetrics()
        elided = metrics.elidedText(caption, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, elided
        )
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()
