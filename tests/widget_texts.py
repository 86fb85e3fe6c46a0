"""The strings a widget tree shows a user, for tests of translations and of secrets."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """Every user-visible string of a widget tree, with the object it came from."""
    for widget in [root, *root.findChildren(QWidget)]:
        kind = type(widget).__name__
        texts = [widget.windowTitle() if widget is root else "", widget.toolTip()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit):
            texts += [widget.placeholderText(), widget.text()]
        if isinstance(widget, QSpinBox):
            texts += [widget.prefix(), widget.suffix(), widget.specialValueText()]
        if isinstance(widget, QComboBox) and not widget.isEditable():
            texts += [widget.itemText(index) for index in range(widget.count())]
        yield from ((kind, text) for text in texts if text.strip())
