"""The settings model: signals on real change, saves off the GUI thread, the key in a keyring."""

from __future__ import annotations

import concurrent.futures
import threading
from pathlib import Path
from typing import Any

import httpx2
import pytest
from pytestqt.qtbot import QtBot

from app.engine.probe import ProbeResult, probe_service
from app.engine.runner import EngineRunner
from app.model.api_key_model import ApiKeyModel
from app.model.connection_test import ConnectionTester
from app.model.settings_model import SettingsModel, describe_problem, load_settings
from app.store.settings import SCHEMA, Settings, SettingsError, SettingsFile
from tests.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.gui

KEY = "sk-proj-PASTEDpastedPASTED0123456789"


def _model(path: Path, delay_ms: int = 50) -> SettingsModel:
    loaded = load_settings(path)
    return SettingsModel(loaded.settings, loaded.file, save_delay_ms=delay_ms)


def test_each_setting_has_its_own_changed_signal() -> None:
    declared = {name for name in dir(SettingsModel) if name.endswith("_changed")}
    assert declared == {f"{setting.name}_changed" for setting in SCHEMA}


def test_signals_fire_only_on_a_real_change(qtbot: QtBot, tmp_path: Path) -> None:
    model = _model(tmp_path / "settings.json")
    seen: list[tuple[str, Any]] = []
    for setting in SCHEMA:
        model.signal(setting.name).connect(lambda v, n=setting.name: seen.append((n, v)))
    model.changed.connect(lambda: seen.append(("changed", None)))

    model.set_value("engine", "openai")  # already the value
    model.apply({"concurrency": 3, "theme": "dark", "language": "system"})

    assert seen == [("concurrency", 3), ("theme", "dark"), ("changed", None)]
    assert model.settings.concurrency == 3
    model.close()


def test_saves_are_debounced_and_written_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[tuple[str, Settings]] = []
    real_save = SettingsFile.save

    def recording_save(self: SettingsFile, settings: Settings) -> None:
        writes.append((threading.current_thread().name, settings))
        real_save(self, settings)

    monkeypatch.setattr(SettingsFile, "save", recording_save)
    model = _model(tmp_path / "settings.json")
    with qtbot.waitSignal(model.saved, timeout=5000):
        for retries in (3, 4, 5):
            model.set_value("max_retries", retries)

    assert len(writes) == 1
    assert writes[0][0] != threading.main_thread().name
    assert writes[0][1].max_retries == 5
    model.close()


def test_reloaded_settings_signal_but_are_not_written_back(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    model = _model(path, delay_ms=10)
    with qtbot.waitSignal(model.theme_changed) as changed:
        model.reload(Settings(theme="dark"))
    assert changed.args == ["dark"] and model.settings.theme == "dark"
    with qtbot.assertNotEmitted(model.saved, wait=100):
        pass
    assert not path.exists()
    model.close()


def test_settings_survive_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    model = _model(path, delay_ms=10_000)
    values = {
        "engine": "custom", "base_url": "http://127.0.0.1:8765/v1", "timeout_seconds": 90,
        "concurrency": 2, "spending_cap_usd": 1.5, "language": "zh_CN", "theme": "dark",
        "check_text_after_generation": False, "model": "gpt-image-1.5",
    }  # fmt: skip
    model.apply(values)
    model.close()  # the exit path: a pending save is written at once

    again = _model(path)
    assert again.settings == Settings().with_values(values)
    again.close()


def test_an_invalid_value_is_refused_with_a_message_and_changes_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    model = _model(tmp_path / "settings.json")
    with qtbot.assertNotEmitted(model.changed), pytest.raises(SettingsError) as refused:
        model.apply({"max_retries": 1, "concurrency": 9})
    assert model.settings == Settings()
    assert describe_problem(refused.value) == "Enter at most 4."

    problems = model.problems(
        {"spending_cap_usd": -2, "base_url": "http://images.example.com/v1", "model": " "}
    )
    assert {name: describe_problem(error) for name, error in problems.items()} == {
        "spending_cap_usd": "Enter at least 0.",
        "base_url": "A service on another computer needs https://, so the API key is not "
        "sent openly.",
        "model": "This cannot be empty.",
    }
    assert describe_problem(model.problems({"engine": "custom"})["base_url"]) == (
        "Enter the base URL of the custom service."
    )
    unreadable = model.problems({"base_url": "http://[::1"})["base_url"]
    assert describe_problem(unreadable) == (
        "This base URL cannot be read: enter one like https://host/v1."
    )
    model.close()


def test_a_failed_save_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    blocked = tmp_path / "settings.json"
    blocked.mkdir()  # a folder where the file should be: the write fails
    model = SettingsModel(Settings(), SettingsFile(blocked), save_delay_ms=10)
    with qtbot.waitSignal(model.save_failed, timeout=5000) as failed:
        model.set_value("theme", "light")
    assert "directory" in failed.args[0]  # the system's reason, for the message around it
    assert model.settings.theme == "light"  # still in use
    model.close()


def test_the_key_is_stored_off_the_gui_thread_and_survives_a_restart(
    qtbot: QtBot, memory: MemoryKeyring
) -> None:
    keys = ApiKeyModel(env={})
    words: list[str] = []
    keys.failed.connect(words.append)
    keys.source_changed.connect(words.append)
    with qtbot.waitSignal(keys.source_changed):
        keys.refresh()
    assert keys.source == "none"

    with qtbot.waitSignal(keys.source_changed):
        keys.store(f"  {KEY}\n")
    assert keys.source == "keyring"
    assert memory.passwords == {("zi-studio", "openai-api-key"): KEY}
    keys.close()

    restarted = ApiKeyModel(env={})
    with qtbot.waitSignal(restarted.source_changed):
        restarted.refresh()
    assert restarted.source == "keyring"
    with qtbot.waitSignal(restarted.source_changed):
        restarted.remove()
    assert restarted.source == "none" and memory.passwords == {}
    restarted.close()

    assert memory.threads and threading.main_thread().name not in memory.threads
    assert all(KEY not in said and "0123456789" not in said for said in words)


def test_the_environment_key_is_reported_and_a_missing_keyring_is_explained(
    qtbot: QtBot,
) -> None:
    keys = ApiKeyModel(env={"OPENAI_API_KEY": KEY})  # conftest's failing keyring backend
    with qtbot.waitSignal(keys.failed) as failed:
        keys.store(KEY)
    assert keys.source == "environment"
    assert "no system keyring" in failed.args[0] and KEY not in failed.args[0]
    with qtbot.waitSignal(keys.failed) as empty:
        keys.store("   ")
    assert "empty" in empty.args[0]
    keys.close()


def test_the_connection_test_runs_on_the_engine_loop_with_the_stored_key(
    qtbot: QtBot, memory: MemoryKeyring, engine_runner: EngineRunner
) -> None:
    memory.passwords[("zi-studio", "openai-api-key")] = KEY
    seen: list[tuple[str, str, str]] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        thread = threading.current_thread().name
        seen.append((str(request.url), request.headers.get("authorization", ""), thread))
        return httpx2.Response(200, json={"object": "list", "data": [{"id": "a"}, {"id": "b"}]})

    async def probe(base_url: str | None, key: str | None) -> ProbeResult:
        return await probe_service(base_url, key, transport=httpx2.MockTransport(answer))

    tester = ConnectionTester(engine_runner.submit, probe=probe)
    with qtbot.waitSignal(tester.finished, timeout=5000) as finished:
        tester.test("http://127.0.0.1:8765/v1/")
    assert finished.args == [True, "Connected: the service offers 2 model(s)."]
    assert seen == [("http://127.0.0.1:8765/v1/models", f"Bearer {KEY}", "test-engine")]
    assert not tester.running


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (401, {"error": {"message": "bad key"}}, "refused the API key (HTTP 401)"),
        (404, {}, "ends in /v1"),
        (503, {}, "error (HTTP 503)"),
        (200, ["not", "a", "list object"], "not like an OpenAI-compatible service"),
    ],
)
def test_a_failed_connection_test_says_what_to_check(
    qtbot: QtBot, engine_runner: EngineRunner, status: int, body: object, words: str
) -> None:
    transport = httpx2.MockTransport(lambda request: httpx2.Response(status, json=body))

    async def probe(base_url: str | None, key: str | None) -> ProbeResult:
        return await probe_service(base_url, key, transport=transport)

    tester = ConnectionTester(engine_runner.submit, probe=probe, read_key=lambda: None)
    with qtbot.waitSignal(tester.finished, timeout=5000) as finished:
        tester.test(None)
    assert finished.args[0] is False
    assert words in finished.args[1]


def test_an_unreachable_service_is_reported_in_words(
    qtbot: QtBot, engine_runner: EngineRunner
) -> None:
    tester = ConnectionTester(engine_runner.submit, read_key=lambda: None)  # the real request
    with qtbot.waitSignal(tester.finished, timeout=15000) as finished:
        tester.test("http://127.0.0.1:9/v1")  # the discard port: nothing listens
    assert finished.args == [
        False,
        "The service could not be reached: check the base URL and your network.",
    ]


def test_a_test_that_has_finished_before_it_is_watched_still_ends_in_order(qtbot: QtBot) -> None:
    def finished_at_once(coroutine: Any) -> concurrent.futures.Future[ProbeResult]:
        coroutine.close()
        future: concurrent.futures.Future[ProbeResult] = concurrent.futures.Future()
        future.set_result(ProbeResult("ok", 200, 3))
        return future

    tester = ConnectionTester(finished_at_once)
    events: list[object] = []
    tester.running_changed.connect(events.append)
    tester.finished.connect(lambda ok, words: events.append(words))
    tester.test(None)

    assert events == [True, False, "Connected: the service offers 3 model(s)."]
    assert not tester.running
