"""A message bridge any layer can call: structured messages, worded where they are shown.

A message is a code and its values (``Message("job.failed", {"reason": ...})``), so the window can
word it in the user's language and the command line in English. Messages posted before anyone
listens (while the window is still being built) are kept and handed to the first listener.
Thread-safe: the engine's thread and worker threads post here too.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

Level = Literal["info", "warning", "error"]
Listener = Callable[["Message"], object]

MAX_PENDING: Final = 100  # a window that never connects must not grow this without bound


@dataclass(frozen=True, slots=True)
class Message:
    """What happened, as a code with values; ``action`` names what would help (``retry``...)."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)
    level: Level = "info"
    action: str | None = None


class MessageBridge:
    """Posts messages to listeners; caches them until the first listener connects."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._pending: deque[Message] = deque(maxlen=MAX_PENDING)

    def post(self, message: Message) -> None:
        with self._lock:
            listeners = list(self._listeners)
            if not listeners:
                self._pending.append(message)
        for listener in listeners:
            listener(message)

    def info(self, code: str, *, action: str | None = None, **values: Any) -> None:
        self.post(Message(code, values, "info", action))

    def warning(self, code: str, *, action: str | None = None, **values: Any) -> None:
        self.post(Message(code, values, "warning", action))

    def error(self, code: str, *, action: str | None = None, **values: Any) -> None:
        self.post(Message(code, values, "error", action))

    def connect(self, listener: Listener) -> None:
        """Listen from now on; the first listener also receives what was posted before."""
        with self._lock:
            self._listeners.append(listener)
            pending = list(self._pending)
            self._pending.clear()
        for message in pending:
            listener(message)

    def disconnect(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)
