"""The API key for the settings page: where it comes from, storing and removing it.

The key itself never comes back to the window: the page only learns where the key is found
("keyring", "environment" or "none"). Every keyring call can block (a locked keyring asks for a
password, D-Bus may hang), so each runs on a worker thread and reports back with a signal.
"""

from __future__ import annotations

import concurrent.futures
import os
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.store.files import StoreError

UNKNOWN = "unknown"  # before the first look at the keyring has come back


def void(_: object) -> None:
    """Drops a result the caller does not need."""


def _secrets() -> types.ModuleType:
    """The keyring module, loaded on the worker thread at first use (not before the window)."""
    from app.store import secrets

    return secrets


@dataclass(frozen=True, slots=True)
class _Outcome:
    source: str
    problem: str | None = None  # a KeyStoreError code, or "other"


class ApiKeyModel(QObject):
    """Where the key is found, with ``store`` and ``remove`` run off the GUI thread."""

    source_changed = Signal(str)
    busy_changed = Signal(bool)
    failed = Signal(str)  # a sentence for the user, in the window's language
    _finished = Signal(object)  # an _Outcome, from the worker thread

    def __init__(
        self, *, env: Mapping[str, str] = os.environ, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._env = env
        self._source = UNKNOWN
        self._busy = 0
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="zi-keyring")
        self._finished.connect(self._on_finished)

    @property
    def source(self) -> str:
        """ "keyring", "environment", "none", or "unknown" until ``refresh`` has answered."""
        return self._source

    @property
    def busy(self) -> bool:
        return self._busy > 0

    def refresh(self) -> concurrent.futures.Future[None]:
        return self._run(lambda: None)

    def store(self, key: str) -> concurrent.futures.Future[None]:
        """Keep ``key`` in the system keyring (it is not kept anywhere in this object)."""
        return self._run(lambda: _secrets().store_key(key))

    def remove(self) -> concurrent.futures.Future[None]:
        return self._run(lambda: void(_secrets().delete_key()))

    def close(self) -> None:
        self._worker.shutdown(wait=True)

    def _run(self, action: Callable[[], None]) -> concurrent.futures.Future[None]:
        self._set_busy(+1)
        return self._worker.submit(self._work, action)

    def _work(self, action: Callable[[], None]) -> None:  # on the worker thread
        secrets = _secrets()
        problem: str | None = None
        try:
            action()
        except secrets.KeyStoreError as error:
            problem = error.code
        except StoreError:
            problem = "other"
        self._finished.emit(_Outcome(secrets.key_source(self._env), problem))

    def _on_finished(self, outcome: _Outcome) -> None:
        self._set_busy(-1)
        if outcome.source != self._source:
            self._source = outcome.source
            self.source_changed.emit(outcome.source)
        if outcome.problem is not None:
            self.failed.emit(self._describe(outcome.problem))

    def _set_busy(self, step: int) -> None:
        was = self.busy
        self._busy += step
        if self.busy != was:
            self.busy_changed.emit(self.busy)

    def _describe(self, code: str) -> str:
        if code == "empty":
            return self.tr("The API key is empty: paste the whole key and try again.")
        if code == "no_keyring":
            return self.tr(
                "This computer has no system keyring to keep the API key in: set the "
                "OPENAI_API_KEY environment variable instead."
            )
        if code == "locked":
            return self.tr(
                "The system keyring refused the change (is it locked?): unlock it and try again."
            )
        return self.tr("The system keyring could not be used: try again.")
