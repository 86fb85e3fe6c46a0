"""The strings a widget tree shows a user, for tests of translations and of secrets."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTextEdit,
    QWidget,
)


def _own_texts(widget: QWidget, root: QWidget) -> list[str]:
    texts = [widget.toolTip(), widget.statusTip()]
    texts += [action.text() for action in widget.actions()]  # menus, tool bars, context menus
    texts += [action.toolTip() for action in widget.actions()]
    if widget is root or isinstance(widget, QDockWidget | QMenu):
        texts += [widget.windowTitle()]
    if isinstance(widget, QMenu):
        texts.append(widget.title())
    if isinstance(widget, QLabel | QAbstractButton):
        texts.append(widget.text())
    if isinstance(widget, QGroupBox):
        texts.append(widget.title())
    if isinstance(widget, QLineEdit):
        texts += [widget.placeholderText(), widget.text()]
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        texts.append(widget.placeholderText())
    if isinstance(widget, QAbstractSpinBox):
        texts.append(widget.specialValueText())
    if isinstance(widget, QSpinBox):
        texts += [widget.prefix(), widget.suffix()]
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(index) for index in range(widget.count())]
        texts.append(widget.placeholderText())
    if isinstance(widget, QTabBar):
        texts += [widget.tabText(index) for index in range(widget.count())]
        texts += [widget.tabToolTip(index) for index in range(widget.count())]
    return texts


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """Every user-visible string of a widget tree, with the kind of object it came from."""
    for widget in [root, *root.findChildren(QWidget)]:
        kind = type(widget).__name__
        yield from ((kind, text) for text in _own_texts(widget, root) if text.strip())
