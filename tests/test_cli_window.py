"""``zi-studio`` alone opens the window; ``zi-studio FILE`` opens it with FILE; commands stay."""

from __future__ import annotations

from pathlib import Path

import pytest

import app.main
from app.cli import main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    calls: list[Path | None] = []

    def fake_run(path: Path | None = None) -> int:
        calls.append(path)
        return 0

    monkeypatch.setattr(app.main, "run", fake_run)
    return calls


def test_no_arguments_open_the_window(opened: list[Path | None]) -> None:
    assert main([]) == 0
    assert opened == [None]


def test_a_file_opens_in_the_window(opened: list[Path | None], tmp_path: Path) -> None:
    spec = tmp_path / "poster.json"
    spec.write_text('{"description": "x"}', "utf-8")
    assert main([str(spec)]) == 0
    assert opened == [spec]


def test_a_missing_file_is_one_clear_line(
    opened: list[Path | None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "nope.json")]) == 2
    assert opened == []
    assert "no such file" in capsys.readouterr().err


def test_commands_are_unchanged(
    opened: list[Path | None], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["prompt", "--description", "A poster", "--text", "headline=春日"]) == 0
    assert "春日" in capsys.readouterr().out
    assert opened == []
