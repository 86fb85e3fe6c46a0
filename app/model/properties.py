"""Observable properties: a value with a ``<name>_changed`` signal fired only on a real change.

Declared on a QObject subclass next to its signal::

    class Builder(QObject):
        description_changed = Signal(str)
        description = Observable("")

PySide6 builds a class's signals when the class is created, so each signal is written out; the
descriptor checks on first use that it is there. ``bind`` connects a widget both ways and returns
the connections, so a view can drop them when its model is swapped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QMetaObject, QObject, SignalInstance

T = TypeVar("T")


class Observable(Generic[T]):
    """A data descriptor storing its value on the instance and emitting ``<name>_changed``."""

    def __init__(self, default: T) -> None:
        self.default = default
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        if not hasattr(owner, f"{name}_changed"):
            raise TypeError(f"{owner.__name__}.{name} needs a signal {name}_changed")

    @overload
    def __get__(self, instance: None, owner: type) -> Observable[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object | None, owner: type) -> Observable[T] | T:
        if instance is None:
            return self
        value: T = instance.__dict__.get(self.name, self.default)
        return value

    def __set__(self, instance: object, value: T) -> None:
        if instance.__dict__.get(self.name, self.default) == value:
            return
        instance.__dict__[self.name] = value
        signal: SignalInstance = getattr(instance, f"{self.name}_changed")
        signal.emit(value)


def changed_signal(model: QObject, name: str) -> SignalInstance:
    signal: SignalInstance = getattr(model, f"{name}_changed")
    return signal


def bind(
    model: QObject,
    name: str,
    apply: Callable[[Any], object],
    widget_signal: SignalInstance | None = None,
) -> list[QMetaObject.Connection]:
    """Show ``model.name`` through ``apply`` now and on every change; with ``widget_signal``,
    write what the widget emits back to the model. Returns the connections to drop later."""
    apply(getattr(model, name))
    connections = [changed_signal(model, name).connect(apply)]
    if widget_signal is not None:
        connections.append(widget_signal.connect(lambda value: setattr(model, name, value)))
    return connections


def unbind(connections: list[QMetaObject.Connection]) -> None:
    for connection in connections:
        QObject.disconnect(connection)
    connections.clear()
