from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core.compiler import parse_prompt

EXAMPLES = Path(__file__).parents[1] / "resources" / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("size", "quality", "n", "tokens"),
    [
        ("1024x1024", "low", 1, 196),
        ("1024x1024", "medium", 1, 1756),
        ("1024x1024", "high", 1, 7024),
        ("1536x1024", "high", 1, 5488),
        ("1024x1536", "medium", 1, 1372),
        ("1024x1024", "high", 4, 28096),
    ],
)
def test_estimate_output_tokens(
    capsys: pytest.CaptureFixture[str], size: str, quality: str, n: int, tokens: int
) -> None:
    code, out, err = run(
        capsys, "estimate", "--text", "headline=字", "--size", size, "--quality", quality,
        "-n", str(n), "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["output_tokens"] == tokens
    assert result["size"] == size
    assert result["input_tokens"] > 0
    assert result["usd"] == pytest.approx(
        result["output_tokens"] * 30e-6 + result["input_tokens"] * 5e-6
    )


def test_estimate_counts_input_once_and_output_n_times(capsys: pytest.CaptureFixture[str]) -> None:
    one = json.loads(run(capsys, "estimate", "--text", "headline=字", "--json")[1])
    four = json.loads(run(capsys, "estimate", "--text", "headline=字", "-n", "4", "--json")[1])
    assert four["input_tokens"] == one["input_tokens"]
    assert four["output_tokens"] == 4 * one["output_tokens"]


def test_ratio_three_to_one_is_1440x480(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "estimate", "--text", "headline=字", "--ratio", "3:1", "--json")
    assert code == 0
    assert json.loads(out)["size"] == "1440x480"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (("--size", "1000x1000"), "1008x1008"),
        (("--size", "1000x1000"), "992x992"),
        (("--quality", "hd"), 'use quality "high"'),
        (("--ratio", "4:1"), "1:3"),
        (("--ratio", "1:1", "--size", "1024x1024"), "not both"),
        (("-n", "11"), "1..10"),
        (("--model", "dall-e-3"), "gpt-image-2"),
        (("--text", "title=字"), "ROLE=TEXT"),
        (("--tier", "8k"), "1k"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], expected: str
) -> None:
    code, out, err = run(capsys, "estimate", "--text", "headline=字", *flags)
    assert code == 2
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1 and err.startswith("zi-studio: ")
    assert "Traceback" not in err


def test_prompt_keeps_four_blocks_verbatim(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    texts = ["有机绿茶", "他说：「明前新茶」\n限量 500 盒", "¥89 · 包邮", "2026-11-21"]
    roles = ["headline", "body", "price", "date"]
    spec = tmp_path / "four.json"
    spec.write_text(
        json.dumps({"description": "Tea poster", "texts": [
            {"role": r, "text": t} for r, t in zip(roles, texts, strict=True)
        ]}, ensure_ascii=False),
        "utf-8",
    )  # fmt: skip
    code, out, _ = run(capsys, "prompt", str(spec))
    assert code == 0
    for text in texts:
        assert out.count(text) == 1
    assert [b.text for b in parse_prompt(out.rstrip("\n")).blocks] == texts


def test_flags_override_the_spec_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "estimate", str(EXAMPLES / "tea-packaging.json"), "-n", "1", "--quality", "low",
        "--json",
    )  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert (result["n"], result["quality"], result["size"]) == (1, "low", "768x1024")


def test_missing_spec_file_is_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "prompt", str(tmp_path / "nope.json"))
    assert code == 2
    assert "cannot read the spec" in err


def test_unknown_flag_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "estimate", "--colour", "red")
    assert code == 2
    assert err.count("\n") == 1


def test_installed_command_prints_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("zi-studio ")


def test_an_over_long_prompt_is_refused_before_sending(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "estimate", "--description", "x" * 32_001)
    assert code == 2
    assert "32,000" in err and err.count("\n") <= 2  # the warning, then the one-line error
