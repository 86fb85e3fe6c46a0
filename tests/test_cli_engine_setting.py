"""The engine chosen in the settings is the one the command line uses, unless a flag says other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests import fake_service as fake
from tests.cli_process import run_cli

ARGS = ("generate", "--text", "headline=有机绿茶", "--size", "1024x1024", "--quality", "low")


def _settings(home: Path, values: dict[str, Any]) -> None:
    (home / "config").mkdir(parents=True)
    document = {"version": 2, "values": values}
    (home / "config" / "settings.json").write_text(json.dumps(document), "utf-8")


def test_a_custom_engine_in_the_settings_is_used_without_a_key(tmp_path: Path) -> None:
    with fake.fake_service([]) as service:
        _settings(tmp_path, {"engine": "custom", "base_url": service.base_url})
        result = run_cli(tmp_path, *ARGS, "--max-retries", "0", timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(service.requests) == 1
    assert "local engine" not in result.stderr


def test_the_local_engine_in_the_settings_wins_over_a_key(tmp_path: Path) -> None:
    with fake.fake_service([]) as service:
        _settings(tmp_path, {"engine": "local", "base_url": service.base_url})
        result = run_cli(tmp_path, *ARGS, "--json", key="sk-test-never-sent-0123456789")
    assert result.returncode == 0, result.stderr
    assert service.requests == []
    assert "no API key" not in result.stderr  # asked for, so not announced
    assert json.loads(result.stdout.splitlines()[0])["actual_usd"] == 0
