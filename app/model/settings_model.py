"""The settings as a QObject: a signal per setting, and saves debounced off the GUI thread.

Each setting of ``app.store.settings.Settings`` has a ``<name>_changed`` signal here, fired only
when its value really changes, and ``changed`` fires once after any change. Writing the file
fsyncs, so it runs on a worker thread a moment after the last change; ``flush`` writes at once
(on exit).
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    QThread,
    QTimer,
    Signal,
    SignalInstance,
)

from app.store.files import StoreError
from app.store.settings import SCHEMA, Setting, Settings, SettingsError, SettingsFile

SAVE_DELAY_MS = 400


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: Settings
    file: SettingsFile
    warnings: tuple[str, ...]


def load_settings(path: Path) -> LoadedSettings:
    """Read the settings file (it reads the disk: call it off the GUI thread if you can)."""
    file = SettingsFile(path)
    settings = file.load()
    return LoadedSettings(settings, file, file.warnings)


class SettingsModel(QObject):
    """The studio's settings for the window; widgets read and change them only through this."""

    changed = Signal()
    engine_changed = Signal(object)
    base_url_changed = Signal(object)
    model_changed = Signal(object)
    default_quality_changed = Signal(object)
    default_tier_changed = Signal(object)
    spending_cap_usd_changed = Signal(object)
    monthly_budget_usd_changed = Signal(object)
    timeout_seconds_changed = Signal(object)
    max_retries_changed = Signal(object)
    partial_images_changed = Signal(object)
    prices_changed = Signal(object)
    concurrency_changed = Signal(object)
    language_changed = Signal(object)
    theme_changed = Signal(object)
    check_text_after_generation_changed = Signal(object)
    rows_at_once_changed = Signal(object)
    batch_max_requests_changed = Signal(object)
    batch_max_bytes_changed = Signal(object)

    saved = Signal()
    save_failed = Signal(str)  # why, from the system (the window words the message around it)
    _save_finished = Signal(object)  # from the worker thread: None, or the OSError's text

    def __init__(
        self,
        settings: Settings,
        file: SettingsFile,
        *,
        save_delay_ms: int = SAVE_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._file = file
        self._saver = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="zi-settings")
        self._pending: concurrent.futures.Future[None] | None = None
        self._timer = QTimer(self, singleShot=True, interval=save_delay_ms)
        self._timer.timeout.connect(self._save_now)
        self._save_finished.connect(self._on_save_finished)

    @property
    def settings(self) -> Settings:
        return self._settings

    @staticmethod
    def schema() -> tuple[Setting, ...]:
        return SCHEMA

    @staticmethod
    def declared(name: str) -> Setting:
        for setting in SCHEMA:
            if setting.name == name:
                return setting
        raise KeyError(name)

    def value(self, name: str) -> Any:
        return self._settings.value(name)

    def signal(self, name: str) -> SignalInstance:
        """The ``<name>_changed`` signal of a setting."""
        self.declared(name)
        instance: SignalInstance = getattr(self, f"{name}_changed")
        return instance

    def reload(self, settings: Settings) -> None:
        """Take settings read from the file: the signals fire, nothing is written back."""
        self._replace(settings)

    def set_value(self, name: str, value: Any) -> None:
        """Change one setting; ``SettingsError`` (nothing changes) when it is not allowed."""
        self.apply({name: value})

    def apply(self, values: Mapping[str, Any]) -> None:
        """Change several settings together; ``SettingsError`` (nothing changes) on a problem."""
        if self._replace(self._settings.with_values(values)):
            self._timer.start()

    def _replace(self, updated: Settings) -> bool:
        differing = [s.name for s in SCHEMA if updated.value(s.name) != self.value(s.name)]
        if not differing:
            return False
        self._settings = updated
        for name in differing:
            self.signal(name).emit(updated.value(name))
        self.changed.emit()
        return True

    def problems(self, values: Mapping[str, Any]) -> dict[str, SettingsError]:
        """Every problem ``values`` would meet, by setting name (empty when all are fine)."""
        found: dict[str, SettingsError] = {}
        for name, value in values.items():
            try:
                self.declared(name).validate(value)
            except SettingsError as error:
                found[name] = error
        if not found:
            try:
                self._settings.with_values(values)
            except SettingsError as error:
                found[error.name] = error
        return found

    def save_now(self) -> None:
        """Start writing a pending change at once, without waiting (on the GUI thread)."""
        if self._timer.isActive():
            self._timer.stop()
            self._save_now()

    def flush(self, timeout: float = 10.0) -> None:
        """Write a pending change now and wait for it (on exit)."""
        if QThread.currentThread() is self.thread():
            self.save_now()
        if self._pending is not None:
            self._pending.result(timeout)

    def close(self) -> None:
        """Flush, then stop the worker. From another thread, call ``save_now`` first."""
        self.flush()
        self._saver.shutdown(wait=True)

    def _save_now(self) -> None:
        snapshot = self._settings
        self._pending = self._saver.submit(self._write, snapshot)

    def _write(self, snapshot: Settings) -> None:  # on the worker thread
        try:
            self._file.save(snapshot)
        except (StoreError, OSError) as error:
            self._save_finished.emit(getattr(error, "strerror", None) or str(error))
        else:
            self._save_finished.emit(None)

    def _on_save_finished(self, problem: str | None) -> None:
        if problem is None:
            self.saved.emit()
        else:
            self.save_failed.emit(problem)


# Worded here, in the window's language; app.store.settings words the same codes in English.
_PROBLEM_WORDS: Final[dict[str, object]] = {
    "type": QT_TRANSLATE_NOOP("SettingsProblem", "This value is not allowed."),
    "choice": QT_TRANSLATE_NOOP("SettingsProblem", "Choose one of: {0}."),
    "minimum": QT_TRANSLATE_NOOP("SettingsProblem", "Enter at least {0}."),
    "maximum": QT_TRANSLATE_NOOP("SettingsProblem", "Enter at most {0}."),
    "empty": QT_TRANSLATE_NOOP("SettingsProblem", "This cannot be empty."),
    "url_shape": QT_TRANSLATE_NOOP("SettingsProblem", "Enter a base URL like https://host/v1."),
    "url_unreadable": QT_TRANSLATE_NOOP(
        "SettingsProblem", "This base URL cannot be read: enter one like https://host/v1."
    ),
    "url_credentials": QT_TRANSLATE_NOOP(
        "SettingsProblem",
        "Leave the user name and password out of the URL: enter the API key below instead.",
    ),
    "url_not_https": QT_TRANSLATE_NOOP(
        "SettingsProblem",
        "A service on another computer needs https://, so the API key is not sent openly.",
    ),
    "custom_needs_url": QT_TRANSLATE_NOOP(
        "SettingsProblem", "Enter the base URL of the custom service."
    ),
}


def describe_problem(error: SettingsError) -> str:
    """A settings problem in the window's language."""
    limit = error.limit
    if isinstance(limit, tuple):
        shown = ", ".join(map(str, limit))
    elif isinstance(limit, float):
        shown = f"{limit:g}"
    else:
        shown = str(limit)
    words = _PROBLEM_WORDS.get(error.code, _PROBLEM_WORDS["type"])
    return QCoreApplication.translate("SettingsProblem", str(words)).format(shown)
