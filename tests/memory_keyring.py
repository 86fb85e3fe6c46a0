"""An in-memory keyring backend for tests (conftest keeps the failing backend as the default)."""

from __future__ import annotations

import threading

import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}
        self.threads: list[str] = []  # the thread of every call, to check none is the GUI's

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.append(threading.current_thread().name)
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.append(threading.current_thread().name)
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.threads.append(threading.current_thread().name)
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not stored")
