"""Hostile and careless input on the command line: one line on stderr and exit 2, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from app.cli import main
from app.store.settings import Settings, SettingsError, SettingsFile
from tests.cli_process import COMMAND, cli_env


@pytest.fixture(autouse=True)
def studio_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("ZI_STUDIO_HOME", str(home))
    return home


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one line a refused command printed; asserts exit 2 and nothing on stdout."""
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    return err


def spec_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "spec.json"
    path.write_text(text, "utf-8")
    return str(path)


# --- tracebacks that were: each is now one line and exit 2 -------------------------------------


def test_a_lone_surrogate_in_a_spec_is_refused_with_its_position(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = spec_file(tmp_path, '{"texts": [{"text": "有机\\ud800绿茶"}]}')
    err = refused(capsys, "prompt", spec)
    assert "texts[0].text: at position 3, a lone surrogate U+D800" in err


def test_bytes_that_are_not_utf8_in_a_text_flag_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # What Python makes of the byte 0xFF in argv (surrogateescape).
    err = refused(capsys, "prompt", "--description", "tea \udcff")
    assert "--description" in err and "0xFF is not UTF-8" in err


def test_bytes_that_are_not_utf8_in_argv_as_a_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [*(os.fsencode(part) for part in COMMAND), b"prompt", b"--text", b"headline=\xff\xfe"],
        capture_output=True, env=cli_env(tmp_path), timeout=60, check=False,
    )  # fmt: skip
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "0xFF is not UTF-8" in err


def test_an_unknown_path_with_stray_bytes_is_named_without_failing(tmp_path: Path) -> None:
    missing = os.fsencode(tmp_path) + b"/sp\xffec.json"
    result = subprocess.run(
        [*(os.fsencode(part) for part in COMMAND), b"prompt", missing],
        capture_output=True, env=cli_env(tmp_path), timeout=60, check=False,
    )  # fmt: skip
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "sp\\udcffec.json" in err


def test_a_spec_nested_100000_deep_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = spec_file(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in refused(capsys, "estimate", spec)


def test_n_with_5000_digits_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spec = spec_file(tmp_path, '{"description": "x", "n": ' + "9" * 5000 + "}")
    assert "thousands of digits" in refused(capsys, "estimate", spec)
    assert "-n" in refused(capsys, "estimate", "--description", "x", "-n", "9" * 5000)


def test_a_size_with_5000_digits_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, "estimate", "--description", "x", "--size", "1" * 5000 + "x1024")
    assert "far too large" in err and len(err) < 200


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_a_spec_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, constant: str
) -> None:
    spec = spec_file(tmp_path, '{"texts": [{"text": "字", "box": [0, 0, ' + constant + ", 1]}]}")
    assert f"{constant} is not a JSON number" in refused(capsys, "estimate", spec)


def test_a_symlink_loop_given_as_ref_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.png").symlink_to(tmp_path / "b.png")
    (tmp_path / "b.png").symlink_to(tmp_path / "a.png")
    argv = ("--description", "x", "--ref", str(tmp_path / "a.png"))
    err = refused(capsys, "generate", "--engine", "local", *argv)
    assert "--ref" in err and "symbolic links" in err
    code, _, err = run(capsys, "estimate", *argv)  # counts the reference without reading it
    assert "Traceback" not in err and code in (0, 2)


@pytest.mark.parametrize(
    ("url", "problem"),
    [("http://[::1", "Invalid IPv6 URL"), ("http://127.0.0.1:65536/v1", "Port out of range")],
)
def test_a_base_url_that_cannot_be_read_is_refused(
    capsys: pytest.CaptureFixture[str], url: str, problem: str
) -> None:
    err = refused(capsys, "generate", "--description", "x", "--base-url", url)
    assert f"--base-url {url}" in err and problem in err


def test_the_same_base_url_in_the_settings_is_reset_with_a_warning(studio_home: Path) -> None:
    path = studio_home / "settings.json"
    path.parent.mkdir(parents=True)
    for url in ("http://[::1", "http://localhost:99999/v1"):
        path.write_text(json.dumps({"version": 1, "values": {"base_url": url}}), "utf-8")
        settings_file = SettingsFile(path)
        assert settings_file.load().base_url == ""
        (warning,) = settings_file.warnings
        assert "base_url" in warning and "reset" in warning


# --- characters nobody can see ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "named"),
    [
        ("有机\x00绿茶", 3, "U+0000 (NUL)"),
        ("\x1b[2J有机", 1, "U+001B (ESC)"),
        ("价格\u202e98", 3, "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("a\x85b", 2, "U+0085"),
    ],
)
def test_control_characters_in_a_spec_text_are_refused_with_the_position(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, position: int, named: str
) -> None:
    spec = spec_file(tmp_path, json.dumps({"texts": [{"role": "headline", "text": text}]}))
    err = refused(capsys, "prompt", spec)
    assert f"texts[0].text: at position {position}," in err and named in err
    assert "\x1b" not in err and "\u202e" not in err
    err = refused(capsys, "prompt", "--text", f"headline={text}")
    assert "--text" in err and named in err and "\x1b" not in err


def test_control_characters_in_the_description_and_instruction_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = spec_file(tmp_path, json.dumps({"description": "tea\x07box"}))
    assert "description: at position 4, the control character U+0007" in refused(
        capsys, "estimate", spec
    )
    assert "--style" in refused(capsys, "prompt", "--text", "headline=字", "--style", "\u2066x")
    image = tmp_path / "in.png"
    err = refused(capsys, "edit", str(image), "--instruction", "make it \x1b[31mred")
    assert "--instruction" in err and "U+001B (ESC)" in err


def test_zero_width_characters_are_removed_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = "有机\u200b绿茶\ufeff"
    spec = spec_file(tmp_path, json.dumps({"texts": [{"role": "headline", "text": text}]}))
    code, out, err = run(capsys, "prompt", spec)
    assert code == 0
    assert "“有机绿茶”" in out and "\u200b" not in out and "\ufeff" not in out
    removed = "texts[0].text: removed invisible characters: U+200B (ZERO WIDTH SPACE) at position 3"
    assert removed in err
    code, out, err = run(capsys, "prompt", "--text", "headline=" + text)
    assert code == 0 and "“有机绿茶”" in out and "--text: removed invisible characters" in err


def test_an_emoji_keeps_its_zero_width_joiner(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "prompt", "--text", "label=程序员👩\u200d💻")
    assert code == 0 and "👩\u200d💻" in out and err == ""


def test_prompt_never_writes_escape_to_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ("--text", "headline=\x1b]0;owned\x07"),
        ("--description", "x", "--model", "\x1b[2Jgpt"),
        ("--description", "x", "--quality", "\x1b[31mhigh"),
        ("--description", "x", "--ratio", "\x1b:1"),
    ):
        code, out, err = run(capsys, "prompt", *argv)
        assert "\x1b" not in out + err, argv
        assert code == 2 and len(err.splitlines()) == 1, (argv, err)


@pytest.mark.parametrize("constant", ["NaN", "Infinity"])
def test_nan_in_the_settings_does_not_pass_as_a_spending_cap(
    studio_home: Path, constant: str
) -> None:
    path = studio_home / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "values": {"spending_cap_usd": ' + constant + "}}", "utf-8")
    settings_file = SettingsFile(path)
    assert settings_file.load().spending_cap_usd is None
    (warning,) = settings_file.warnings
    assert f"spending_cap_usd cannot be {float(constant)!r}" in warning and "reset" in warning
    with pytest.raises(SettingsError, match="spending_cap_usd"):
        Settings().with_value("spending_cap_usd", float(constant))
