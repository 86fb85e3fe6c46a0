"""How a gallery tile is drawn: its picture, number, favourite mark, and one or two lines below.

The picture is a QImage decoded off the GUI thread (a partial image while it streams in); a tile
with no picture yet shows its state. Finished tiles say size, quality and cost ("local draft" for
the embedded engine); failed or cancelled tiles say why; a rows run's tiles name their row first.
A checked tile carries a badge: exact, or how many characters are off ("checking…" while the text
check runs).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from app.core.fidelity import BlockCheck
from app.model.gallery import TILE_ROLE, Tile
from app.model.gallery_fidelity import FIDELITY_ROLE
from app.model.text_checks import Fidelity
from app.ui.wording import choice_text, problem_text, separator, state_text, usd

TILE_WIDTH = 176
PICTURE_HEIGHT = 150
CAPTION_LINES = 2

Index = QModelIndex | QPersistentModelIndex
BADGE_COLOURS = {"exact": "#15803d", "wrong": "#dc2626", "checking": "#52525b", "failed": "#b45309"}


def badge(fidelity: Fidelity | None) -> tuple[str, str] | None:
    """The text check's badge: its words and its kind (a key of ``BADGE_COLOURS``), or None."""
    if fidelity is None or fidelity.state == "no_text":
        return None
    if fidelity.state == "checking":
        return QCoreApplication.translate("TileDelegate", "checking…"), "checking"
    if fidelity.state == "failed" or fidelity.check is None:
        return QCoreApplication.translate("TileDelegate", "not checked"), "failed"
    if fidelity.check.exact:
        return QCoreApplication.translate("TileDelegate", "✓ exact"), "exact"
    count = fidelity.wrong_count
    if count == 1:
        return QCoreApplication.translate("TileDelegate", "1 character off"), "wrong"
    text = QCoreApplication.translate("TileDelegate", "{count} characters off")
    return text.format(count=count), "wrong"


def badge_tooltip(fidelity: Fidelity | None) -> str:
    """The badge explained: the text asked for and what was read, block by block."""
    if fidelity is None or fidelity.check is None:
        return fidelity.reason if fidelity is not None else ""
    return "\n".join(_block_words(block) for block in fidelity.check.blocks)


def _block_words(block: BlockCheck) -> str:
    if block.exact:
        line = QCoreApplication.translate("TileDelegate", "exact: {text}")
    elif not block.found:
        line = QCoreApplication.translate("TileDelegate", "not found: {text}")
    else:
        line = QCoreApplication.translate("TileDelegate", "{text} — read as {found}")
    return line.format(text=block.text, found=block.found)


def check_description(fidelity: Fidelity | None) -> str:
    """The badge in words for a screen reader, then each block that came out wrong: a tile's
    accessible description (empty without a badge)."""
    shown = badge(fidelity)
    if shown is None:
        return ""
    words = QCoreApplication.translate("TileDelegate", "Text check: {badge}").format(badge=shown[0])
    if fidelity is not None and fidelity.check is not None:
        wrong = [_block_words(block) for block in fidelity.check.blocks if not block.exact]
        words = separator().join([words, *wrong])
    return words


def row_label(tile: Tile) -> str:
    """The table row a rows run made the tile from ("row 3 · 龙井"), or empty."""
    if tile.row is None:
        return ""
    label = QCoreApplication.translate("TileDelegate", "row {number}").format(number=tile.row + 1)
    return f"{label} · {tile.row_name}" if tile.row_name else label


def caption(tile: Tile) -> tuple[str, str]:
    """The tile's two lines of text: for a row's tile, the row, then what its state says most."""
    first, second = state_caption(tile)
    label = row_label(tile)
    if not label:
        return first, second
    if tile.state == "done":
        return label, f"{first}{separator()}{second}"
    return label, second or first


def tooltip_lines(tile: Tile) -> tuple[str, ...]:
    return tuple(part for part in (row_label(tile), *state_caption(tile)) if part)


def state_caption(tile: Tile) -> tuple[str, str]:
    """The state's two lines of text."""
    if tile.state == "done":
        local = QCoreApplication.translate("TileDelegate", "local draft")
        cost = local if tile.local else usd(tile.actual_usd)
        return f"{tile.width}x{tile.height}{separator()}{choice_text(tile.quality)}", cost
    if tile.state in ("failed", "cancelled"):
        reason = problem_text(*tile.reason) if tile.reason else state_text(tile.state)
        return state_text(tile.state), reason
    if tile.state == "streaming":
        text = QCoreApplication.translate("TileDelegate", "arriving… preview {count}")
        return text.format(count=tile.partials), ""
    waiting = QCoreApplication.translate("TileDelegate", "Variation {number}")
    return waiting.format(number=tile.number), state_text(tile.state)


class TileDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        lines = option.fontMetrics.lineSpacing() * CAPTION_LINES
        return QSize(TILE_WIDTH, PICTURE_HEIGHT + lines + 16)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        tile = index.data(TILE_ROLE)
        if not isinstance(tile, Tile):
            return
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        card = QRectF(rect).adjusted(4, 4, -4, -4)
        path = QPainterPath()
        path.addRoundedRect(card, 6, 6)
        painter.fillPath(path, palette.color(QPalette.ColorRole.Base))
        border = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Mid)
        painter.setPen(border)
        painter.drawPath(path)
        if selected:
            painter.setPen(border)
            painter.drawRoundedRect(card.adjusted(1, 1, -1, -1), 5, 5)

        picture_box = QRectF(card.left() + 6, card.top() + 6, card.width() - 12, PICTURE_HEIGHT - 8)
        picture = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(picture, QImage) and not picture.isNull():
            size = QSize(picture.width(), picture.height()).scaled(
                picture_box.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio
            )
            target = QRectF(0, 0, size.width(), size.height())
            target.moveCenter(picture_box.center())
            painter.drawImage(target, picture)
        else:
            painter.fillRect(picture_box, palette.color(QPalette.ColorRole.AlternateBase))
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(picture_box, Qt.AlignmentFlag.AlignCenter, state_text(tile.state))

        badge = QRectF(picture_box.left() + 4, picture_box.top() + 4, 22, 20)
        badge_path = QPainterPath()
        badge_path.addRoundedRect(badge, 4, 4)
        painter.fillPath(badge_path, QColor(0, 0, 0, 150))
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(tile.number))
        if tile.favourite:
            star = QRectF(picture_box.right() - 26, picture_box.top() + 4, 22, 20)
            painter.setPen(QColor("#f59e0b"))
            painter.drawText(star, Qt.AlignmentFlag.AlignCenter, "★")

        self._paint_badge(painter, picture_box, index.data(FIDELITY_ROLE))

        first, second = caption(tile)
        metrics = painter.fontMetrics()
        line = metrics.lineSpacing()
        text_box = QRectF(card.left() + 8, picture_box.bottom() + 4, card.width() - 16, line)
        failed = tile.state in ("failed", "cancelled")
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            text_box,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(first, Qt.TextElideMode.ElideRight, int(text_box.width())),
        )
        text_box.translate(0, line)
        colour = QColor("#dc2626") if failed else palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(colour)
        painter.drawText(
            text_box,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(second, Qt.TextElideMode.ElideRight, int(text_box.width())),
        )
        painter.restore()

    def _paint_badge(self, painter: QPainter, picture_box: QRectF, fidelity: object) -> None:
        shown = badge(fidelity if isinstance(fidelity, Fidelity) else None)
        if shown is None:
            return
        text, kind = shown
        metrics = painter.fontMetrics()
        width = min(picture_box.width() - 8, metrics.horizontalAdvance(text) + 12.0)
        height = metrics.height() + 4.0
        box = QRectF(picture_box.left() + 4, picture_box.bottom() - height - 4, width, height)
        path = QPainterPath()
        path.addRoundedRect(box, height / 2, height / 2)
        painter.fillPath(path, QColor(BADGE_COLOURS[kind]))
        painter.setPen(QColor("white"))
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(box.width()) - 8)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, elided)

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        tile = index.data(TILE_ROLE)
        if isinstance(tile, Tile) and event.type() == QEvent.Type.ToolTip:
            fidelity = index.data(FIDELITY_ROLE)
            check = badge_tooltip(fidelity if isinstance(fidelity, Fidelity) else None)
            text = "\n".join(part for part in (*tooltip_lines(tile), check) if part)
            QToolTip.showText(event.globalPos(), text, view)
            return True
        return super().helpEvent(event, view, option, index)
