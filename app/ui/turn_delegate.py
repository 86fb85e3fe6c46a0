"""How one turn of the edit conversation is drawn: the instruction as a chat bubble, then the
versions it made as thumbnails with their numbers, then its cost (or why it failed, in red)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from app.model.conversation import TURN_ROLE, ConversationModel, TurnRow
from app.ui.edit_wording import changes_text, edit_problem_text
from app.ui.wording import usd

THUMB = 64
PAD = 6
Index = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate


def heading(row: TurnRow) -> str:
    """The turn's first line: what was asked, with its kind where it is not a typed instruction."""
    if row.kind == "replace_text":
        return translate("TurnDelegate", "Replace text: {change}").format(change=row.instruction)
    if row.kind == "finalize":
        return translate("TurnDelegate", "Finalize: {how}").format(how=row.instruction)
    if row.kind == "retypeset":
        what = changes_text(row.changes) if row.changes else row.instruction
        return translate("TurnDelegate", "Text set again — {what}").format(what=what)
    return row.instruction


def spoken_turn(row: TurnRow) -> str:
    """The turn as a screen reader says it: its heading, then its footer."""
    return f"{heading(row)}. {footer(row)[0]}"


def tree_label(row: TurnRow) -> str:
    """How the version a turn made is labelled in the tree (its heading is the tooltip): a text
    set again by what changed, which is what tells it apart in a narrow dock."""
    if row.kind == "retypeset":
        return changes_text(row.changes) if row.changes else row.instruction
    return heading(row)


def footer(row: TurnRow) -> tuple[str, bool]:
    """The last line and whether it reports a failure."""
    source = translate("TurnDelegate", "on {version}").format(version=row.source_label)
    if row.state == "pending":
        cost = "" if row.local else f" · ≈ {usd(row.estimated_usd)}"
        return translate("TurnDelegate", "{source} · sending…").format(source=source) + cost, False
    if row.failure is not None:
        return edit_problem_text(*row.failure), True
    if row.state in ("cancelled", "interrupted"):
        return ended_early(row, source), False
    if row.kind == "retypeset":
        cost = translate("TurnDelegate", "no cost")
    elif row.actual_usd == 0:
        cost = translate("TurnDelegate", "local draft, no cost")
    else:
        cost = translate("TurnDelegate", "≈ {estimate} est., {actual} actual").format(
            estimate=usd(row.estimated_usd), actual=usd(row.actual_usd)
        )
    text = f"{source} · {cost}"
    if row.changed_outside_pct is not None:
        text += " · " + translate(
            "TurnDelegate", "the model had changed {pct}% outside the mask (pasted back)"
        ).format(pct=f"{row.changed_outside_pct:.1f}")
    return text, False


def ended_early(row: TurnRow, source: str) -> str:
    """A turn cancelled or interrupted: what it kept and what it cost so far."""
    kept = len(row.image_ids)
    if row.state == "cancelled" and kept:
        how = translate("TurnDelegate", "cancelled, {count} version(s) kept").format(count=kept)
    elif row.state == "cancelled":
        how = translate("TurnDelegate", "cancelled before a version arrived")
    elif kept:
        how = translate(
            "TurnDelegate", "interrupted when the studio closed, {count} version(s) kept"
        ).format(count=kept)
    else:
        how = translate("TurnDelegate", "interrupted when the studio closed; nothing was made")
    text = f"{source} · {how}"
    if row.actual_usd == 0:
        return f"{text} · " + translate("TurnDelegate", "local draft, no cost")
    if row.actual_usd is not None:
        return f"{text} · " + translate("TurnDelegate", "{actual} spent so far").format(
            actual=usd(row.actual_usd)
        )
    return text


class TurnDelegate(QStyledItemDelegate):
    def _text_rect(self, width: int) -> QRect:
        return QRect(0, 0, max(40, width - 4 * PAD), 10_000)

    def _lines(self, option: QStyleOptionViewItem, row: TurnRow, width: int) -> tuple[int, int]:
        flags = int(Qt.TextFlag.TextWordWrap)
        metrics = option.fontMetrics
        head = metrics.boundingRect(self._text_rect(width), flags, heading(row)).height()
        foot = metrics.boundingRect(self._text_rect(width), flags, footer(row)[0]).height()
        return head, foot

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        row = index.data(TURN_ROLE)
        if not isinstance(row, TurnRow):
            return QSize(0, 0)
        width = option.rect.width() or 300
        head, foot = self._lines(option, row, width)
        thumbs = THUMB + option.fontMetrics.height() + PAD if row.image_ids else 0
        return QSize(width, head + foot + thumbs + 5 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(TURN_ROLE)
        model = index.model()
        if not isinstance(row, TurnRow):
            return
        palette: QPalette = option.palette
        rect: QRect = option.rect
        head, foot = self._lines(option, row, rect.width())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bubble = QRect(rect.left() + PAD, rect.top() + PAD, rect.width() - 2 * PAD, head + PAD * 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
        painter.drawRoundedRect(bubble, 8, 8)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        flags = int(Qt.TextFlag.TextWordWrap)
        painter.drawText(bubble.adjusted(PAD, PAD, -PAD, -PAD), flags, heading(row))
        y = bubble.bottom() + PAD
        if row.image_ids and isinstance(model, ConversationModel):
            x = rect.left() + PAD
            for image_id, label in zip(row.image_ids, row.image_labels, strict=False):
                frame = QRect(x, y, THUMB, THUMB)
                picture = model.thumbnail(image_id)
                if picture is not None:
                    scaled = picture.size().scaled(frame.size(), Qt.AspectRatioMode.KeepAspectRatio)
                    target = QRect(0, 0, scaled.width(), scaled.height())
                    target.moveCenter(frame.center())
                    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                    painter.drawImage(target, picture)
                else:
                    painter.fillRect(frame, palette.color(QPalette.ColorRole.Midlight))
                painter.setPen(palette.color(QPalette.ColorRole.Text))
                label_rect = QRect(x, y + THUMB, THUMB, option.fontMetrics.height())
                painter.drawText(label_rect, int(Qt.AlignmentFlag.AlignCenter), label)
                x += THUMB + PAD
            y += THUMB + option.fontMetrics.height() + PAD
        text, failed = footer(row)
        colour = QColor("#c62828") if failed else palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(colour)
        painter.drawText(QRect(rect.left() + 2 * PAD, y, rect.width() - 4 * PAD, foot), flags, text)
        painter.restore()
