"""Settings: one declaration, versioned JSON, forgiving reads, atomic saves."""

from __future__ import annotations

import dataclasses
import errno
import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest

from app.store.files import StoreError
from app.store.settings import (
    MIGRATIONS,
    SCHEMA,
    SETTINGS_VERSION,
    Settings,
    SettingsError,
    SettingsFile,
    check_base_url,
)


def _write(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


def _document(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_the_schema_declares_each_setting_once_with_a_description() -> None:
    names = [setting.name for setting in SCHEMA]
    assert names == [field.name for field in dataclasses.fields(Settings)]
    assert set(names) == {
        "engine", "base_url", "model", "default_quality", "default_tier", "spending_cap_usd",
        "monthly_budget_usd", "timeout_seconds", "max_retries", "partial_images", "prices",
        "concurrency", "language", "theme", "check_text_after_generation",
        "rows_at_once", "batch_max_requests", "batch_max_bytes",
    }  # fmt: skip
    assert all(setting.description.endswith(".") for setting in SCHEMA)
    defaults = Settings()
    assert defaults.to_values() == {setting.name: setting.default for setting in SCHEMA}
    assert (defaults.model, defaults.default_quality, defaults.default_tier) == (
        "gpt-image-2", "medium", "1k",
    )  # fmt: skip
    assert (defaults.spending_cap_usd, defaults.timeout_seconds) == (None, 600.0)
    assert (defaults.max_retries, defaults.partial_images, defaults.base_url) == (2, 2, "")
    assert (defaults.engine, defaults.concurrency, defaults.language, defaults.theme) == (
        "openai", 1, "system", "system",
    )  # fmt: skip
    assert defaults.check_text_after_generation is True


def test_a_missing_file_gives_the_defaults_and_creates_nothing(tmp_path: Path) -> None:
    file = SettingsFile(tmp_path / "config" / "settings.json")

    assert file.load() == Settings()
    assert file.warnings == ()
    assert not (tmp_path / "config").exists()


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    changed = (
        Settings()
        .with_values({"engine": "custom", "base_url": "https://images.example.com/v1"})
        .with_value("spending_cap_usd", 5)
        .with_value("timeout_seconds", 120)
        .with_value("default_quality", "high")
    )
    SettingsFile(path).save(changed)

    document = _document(path)
    assert document["version"] == SETTINGS_VERSION
    assert document["values"]["spending_cap_usd"] == 5.0
    loaded = SettingsFile(path).load()
    assert loaded == changed
    assert isinstance(loaded.timeout_seconds, float)
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


def test_values_of_the_wrong_type_go_back_to_their_defaults_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    bad = {
        "timeout_seconds": "fast", "max_retries": True, "partial_images": 9,
        "default_quality": "ultra", "spending_cap_usd": -1, "model": "gpt-image-2.5-flare",
        "base_url": "http://images.example.com/v1",
    }  # fmt: skip
    _write(path, {"version": 1, "values": bad})
    file = SettingsFile(path)

    with caplog.at_level(logging.WARNING):
        settings = file.load()

    assert settings == Settings(model="gpt-image-2.5-flare")
    assert len(file.warnings) == 6
    for name in ("timeout_seconds", "max_retries", "partial_images", "default_quality",
                 "spending_cap_usd", "base_url"):  # fmt: skip
        assert any(name in warning for warning in file.warnings), name
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 6


def test_integral_numbers_are_accepted_where_they_make_sense() -> None:
    settings = Settings().with_value("timeout_seconds", 30).with_value("max_retries", 3.0)

    assert settings.timeout_seconds == 30.0 and isinstance(settings.timeout_seconds, float)
    assert settings.max_retries == 3 and isinstance(settings.max_retries, int)
    with pytest.raises(SettingsError, match="max_retries"):
        settings.with_value("max_retries", 2.5)
    with pytest.raises(SettingsError, match="at most 3"):
        settings.with_value("partial_images", 4)
    with pytest.raises(SettingsError, match="no setting called"):
        settings.with_value("colour", "red")
    with pytest.raises(SettingsError):
        Settings(default_tier="8k")
    assert settings.with_value("spending_cap_usd", None).spending_cap_usd is None


def test_base_urls_must_be_safe() -> None:
    assert check_base_url("") is None
    assert check_base_url("https://images.example.com/v1") is None
    assert check_base_url("http://127.0.0.1:8765/v1") is None
    assert check_base_url("http://localhost:8765/v1") is None
    assert check_base_url("http://[::1]:8765/v1") is None
    assert "https" in (check_base_url("http://images.example.com/v1") or "")
    assert "password" in (check_base_url("https://me:secret@images.example.com/v1") or "")
    assert check_base_url("images.example.com") is not None
    with pytest.raises(SettingsError):
        Settings().with_value("base_url", "https://me:secret@images.example.com/v1")


def test_unknown_settings_are_kept_but_credentials_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    values = {"max_retries": 4, "future_option": [1, 2], "api_key": "sk-should-not-be-here-123456"}
    _write(path, {"version": 1, "values": values})
    file = SettingsFile(path)

    settings = file.load()
    file.save(settings.with_value("max_retries", 5))

    saved = _document(path)["values"]
    assert saved["future_option"] == [1, 2]
    assert saved["max_retries"] == 5
    assert "api_key" not in saved
    assert any("api_key" in warning for warning in file.warnings)
    assert b"sk-should-not-be-here" not in path.read_bytes()


def test_a_file_from_a_newer_release_is_read_and_keeps_its_version(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    _write(path, {"version": 7, "values": {"model": "gpt-image-3", "new_thing": True}})
    file = SettingsFile(path)

    settings = file.load()
    file.save(settings)

    assert settings.model == "gpt-image-3"
    assert any("newer Zi Studio" in warning for warning in file.warnings)
    assert _document(path) == {"version": 7, "values": {**settings.to_values(), "new_thing": True}}


def test_an_older_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    _write(path, {"version": 0, "values": {"quality": "high", "retries": 5}})

    def from_0(values: dict[str, Any]) -> dict[str, Any]:
        return {"default_quality": values.pop("quality"), "max_retries": values.pop("retries")}

    file = SettingsFile(path, migrations={**MIGRATIONS, 0: from_0})
    settings = file.load()

    assert (settings.default_quality, settings.max_retries) == ("high", 5)
    assert file.warnings == ()


def test_an_unknown_older_version_keeps_what_it_can(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    _write(path, {"version": 0, "values": {"max_retries": 1}})
    file = SettingsFile(path)

    assert file.load().max_retries == 1
    assert any("version 0" in warning for warning in file.warnings)


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'["a list"]', b'{"values": {}}', b'{"version": "1", "values": {}}',
     b'{"version": 1, "values": []}', b"\xff\xfe"],
)  # fmt: skip
def test_a_damaged_file_gives_the_defaults_and_is_kept_aside(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    file = SettingsFile(path)

    assert file.load() == Settings()
    assert len(file.warnings) == 1 and "damaged" in file.warnings[0]
    assert (tmp_path / "settings.json.damaged").read_bytes() == content
    assert not path.exists()


def test_a_failed_save_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    file = SettingsFile(path)
    file.save(Settings(max_retries=1))
    before = path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StoreError, match="disk is full"):
        file.save(Settings(max_retries=3))

    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_problems_carry_a_code_and_the_limit_for_a_window_to_word() -> None:
    with pytest.raises(SettingsError) as too_many:
        Settings().with_value("concurrency", 5)
    assert (too_many.value.name, too_many.value.code, too_many.value.limit) == (
        "concurrency", "maximum", 4,
    )  # fmt: skip
    assert "at most 4" in str(too_many.value)
    with pytest.raises(SettingsError) as bad_theme:
        Settings().with_value("theme", "blue")
    assert (bad_theme.value.code, bad_theme.value.limit) == ("choice", ("system", "light", "dark"))
    with pytest.raises(SettingsError) as not_https:
        Settings().with_value("base_url", "http://images.example.com/v1")
    assert not_https.value.code == "url_not_https"
    with pytest.raises(SettingsError) as flag:
        Settings().with_value("check_text_after_generation", "yes")
    assert flag.value.code == "type"


def test_a_custom_engine_needs_a_base_url_and_only_it_sends_there() -> None:
    with pytest.raises(SettingsError) as missing:
        Settings().with_value("engine", "custom")
    assert (missing.value.name, missing.value.code) == ("base_url", "custom_needs_url")
    url = "https://images.example.com/v1"
    custom = Settings().with_values({"engine": "custom", "base_url": url})
    assert custom.service_base_url == url
    assert custom.with_value("engine", "openai").service_base_url is None
    assert custom.with_value("engine", "openai").base_url == url  # kept for switching back


def test_a_version_1_file_with_a_base_url_becomes_a_custom_engine(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    _write(path, {"version": 1, "values": {"base_url": "http://127.0.0.1:8765/v1"}})
    file = SettingsFile(path)

    settings = file.load()
    file.save(settings)

    assert (settings.engine, settings.service_base_url) == ("custom", "http://127.0.0.1:8765/v1")
    assert file.warnings == ()
    assert _document(path)["version"] == SETTINGS_VERSION == 2
    _write(path, {"version": 1, "values": {"base_url": ""}})
    assert SettingsFile(path).load().engine == "openai"


def test_a_custom_engine_whose_url_was_refused_falls_back_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    values = {"engine": "custom", "base_url": "ftp://images.example.com"}
    _write(path, {"version": 2, "values": values})
    file = SettingsFile(path)

    settings = file.load()

    assert (settings.engine, settings.base_url) == ("openai", "")
    assert len(file.warnings) == 2
    assert "engine was reset" in file.warnings[1]
