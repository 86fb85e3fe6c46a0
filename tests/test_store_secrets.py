"""The API key: environment first, then the keyring; no keyring is no key, never a crash."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from app.core.redaction import redact
from app.store import secrets
from app.store.files import StoreError
from app.store.settings import Settings, SettingsFile
from tests.memory_keyring import MemoryKeyring

KEY = "sk-proj-SECRETsecretSECRETsecret0123456789"


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError(f"the backend broke while holding {KEY}")


@pytest.fixture(autouse=True)
def _restore_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def no_backend() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]


def test_a_stored_key_is_found_in_the_keyring(memory: MemoryKeyring) -> None:
    assert secrets.load_key({}) is None
    assert secrets.key_source({}) == "none"

    secrets.store_key(f"  {KEY}\n")

    assert memory.passwords == {("zi-studio", "openai-api-key"): KEY}
    assert secrets.load_key({}) == KEY
    assert secrets.key_source({}) == "keyring"
    assert secrets.keyring_available()


def test_the_environment_comes_first(memory: MemoryKeyring) -> None:
    secrets.store_key(KEY)
    env = {"OPENAI_API_KEY": "sk-from-the-environment"}

    assert secrets.load_key(env) == "sk-from-the-environment"
    assert secrets.key_source(env) == "environment"
    assert secrets.load_key({"OPENAI_API_KEY": "  "}) == KEY


def test_the_process_environment_is_the_default(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-process")

    assert secrets.load_key() == "sk-process"
    assert secrets.key_source() == "environment"


def test_deleting_a_key(memory: MemoryKeyring) -> None:
    secrets.store_key(KEY)

    assert secrets.delete_key() is True
    assert secrets.delete_key() is False
    assert secrets.load_key({}) is None


def test_an_empty_key_is_refused(memory: MemoryKeyring) -> None:
    with pytest.raises(StoreError, match="empty"):
        secrets.store_key("   ")
    assert memory.passwords == {}


@pytest.mark.usefixtures("no_backend")
def test_without_a_keyring_there_is_simply_no_stored_key() -> None:
    assert not secrets.keyring_available()
    assert secrets.load_key({}) is None
    assert secrets.key_source({}) == "none"
    assert secrets.delete_key() is False
    assert secrets.load_key({"OPENAI_API_KEY": KEY}) == KEY
    with pytest.raises(StoreError, match=r"no system keyring.*OPENAI_API_KEY"):
        secrets.store_key(KEY)


def test_a_broken_backend_means_no_key_and_logs_no_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    keyring.set_keyring(BrokenKeyring())

    with caplog.at_level(logging.DEBUG):
        assert secrets.load_key({}) is None

    assert caplog.records
    assert KEY not in caplog.text


def test_redact_masks_the_key_and_anything_like_one() -> None:
    message = (
        f"Error 401: Incorrect API key provided: {KEY}. "
        "Header Authorization: Bearer abc.DEF-123456 "
        "sent to https://me:hunter22@proxy.example/v1?api-key=zzz9 "
        "with sk-other0123456789abcdefXYZ"
    )

    redacted = redact(message, KEY)

    for secret in (KEY, "abc.DEF-123456", "hunter22", "zzz9", "sk-other0123456789abcdefXYZ"):
        assert secret not in redacted
    assert "sk-…redacted" in redacted
    assert "https://proxy.example/v1" in redacted
    assert redacted.startswith("Error 401: Incorrect API key provided:")


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "有机绿茶 — task-force poster, 100g 无添加; the desk-lamp is 3 sk-8 units"

    assert redact(text, "sk") == text
    assert redact(text) == text


def test_the_key_never_reaches_the_settings_file(memory: MemoryKeyring, tmp_path: Path) -> None:
    secrets.store_key(KEY)
    path = tmp_path / "settings.json"
    file = SettingsFile(path)
    file.save(file.load().with_value("base_url", "https://images.example.com/v1"))

    settings = SettingsFile(path).load()

    assert secrets.load_key({}) == KEY
    assert settings == Settings(base_url="https://images.example.com/v1")
    assert KEY.encode() not in path.read_bytes()
    assert b"sk-" not in path.read_bytes()
