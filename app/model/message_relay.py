"""Hands the message bridge's messages to the GUI thread, whichever thread posted them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.core.messages import Message, MessageBridge


class MessageRelay(QObject):
    """Create on the GUI thread: ``posted`` then arrives there (queued from other threads)."""

    posted = Signal(object)

    def __init__(self, bridge: MessageBridge) -> None:
        super().__init__()
        self._bridge = bridge

    def start(self) -> None:
        """Listen from now on; messages cached before arrive first."""
        self._bridge.connect(self._post)

    def stop(self) -> None:
        self._bridge.disconnect(self._post)

    def _post(self, message: Message) -> None:
        self.posted.emit(message)
