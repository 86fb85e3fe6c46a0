"""The command line honours the settings: a flag, then the spec file, then the settings, then the
built-in default (CONTRACTS §2); and the estimate counts partial images and names its prices."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.cli.service_flags import opened_service
from app.store.paths import StudioPaths
from app.store.settings import Settings
from tests import fake_service as fake
from tests.cli_process import run_cli

LOW_1K, MEDIUM_1K, HIGH_1K = 196, 1756, 7024  # output tokens of one 1024x1024 image (DESIGN §3)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZI_STUDIO_HOME", str(tmp_path))
    return tmp_path


def save_settings(home: Path, **values: Any) -> None:
    path = StudioPaths.under(home).settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "values": values}), encoding="utf-8")


def spec_file(home: Path, **fields: Any) -> str:
    path = home / "spec.json"
    path.write_text(json.dumps({"texts": [{"role": "headline", "text": "字"}], **fields}))
    return str(path)


def estimate(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code = main(["estimate", "--size", "1024x1024", *argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def test_without_settings_the_built_in_defaults_apply(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = estimate(capsys, "--text", "headline=字")
    assert (result["model"], result["quality"]) == ("gpt-image-2", "medium")
    assert (result["partial_images"], result["output_tokens"]) == (0, MEDIUM_1K)
    assert result["price_source"] == "built-in table 2026-11"


def test_settings_beat_the_built_in_defaults(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(home, default_quality="high", partial_images=1, model="gpt-image-2-2026-04-21")
    result = estimate(capsys, "--text", "headline=字")
    assert (result["model"], result["quality"]) == ("gpt-image-2-2026-04-21", "high")
    assert result["partial_images"] == 1
    assert result["partial_image_tokens"] == 100
    assert result["output_tokens"] == HIGH_1K + 100


def test_a_spec_file_beats_the_settings_field_by_field(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(home, default_quality="high", model="gpt-image-2-2026-04-21")
    result = estimate(capsys, spec_file(home, quality="low"))
    assert result["quality"] == "low"  # from the spec
    assert result["model"] == "gpt-image-2-2026-04-21"  # the spec does not say: the settings
    assert result["output_tokens"] == LOW_1K
    # A spec that writes out the default value still beats the settings.
    assert estimate(capsys, spec_file(home, quality="medium"))["quality"] == "medium"


def test_a_flag_beats_the_spec_file_and_the_settings(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(home, default_quality="high", partial_images=3)
    result = estimate(capsys, spec_file(home, quality="low"), "--quality", "medium",
                      "--partial-images", "0")  # fmt: skip
    assert (result["quality"], result["partial_images"]) == ("medium", 0)
    assert result["output_tokens"] == MEDIUM_1K


def test_partial_images_add_100_output_tokens_each_per_image(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = estimate(capsys, "--text", "headline=字", "-n", "2", "--quality", "low")
    streamed = estimate(capsys, "--text", "headline=字", "-n", "2", "--quality", "low",
                        "--partial-images", "3")  # fmt: skip
    assert streamed["output_tokens"] == plain["output_tokens"] + 2 * 3 * 100
    assert streamed["usd"] == pytest.approx(plain["usd"] + 600 * 30e-6)
    code = main(["estimate", "--text", "headline=字", "--partial-images", "4"])
    assert code == 2
    assert "--partial-images 4: give 0 to 3" in capsys.readouterr().err


def test_prices_from_the_settings_are_used_and_named(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    built_in = estimate(capsys, "--text", "headline=字", "--quality", "low")
    save_settings(home, prices={"gpt-image-2": {"image_out": 40, "text_in": 6}})
    mine = estimate(capsys, "--text", "headline=字", "--quality", "low")
    assert mine["price_source"] == "your settings"
    assert mine["usd"] == pytest.approx((mine["input_tokens"] * 6 + LOW_1K * 40) / 1e6)
    assert mine["usd"] != pytest.approx(built_in["usd"])
    main(["estimate", "--text", "headline=字"])
    assert "(prices: your settings)" in capsys.readouterr().out


def test_bad_prices_in_the_settings_are_refused_with_a_warning(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(home, prices={"gpt-image-2": {"image_out": -1}})
    code = main(["estimate", "--text", "headline=字", "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "image_out cannot be negative" in err
    assert json.loads(out)["price_source"] == "built-in table 2026-11"


@pytest.mark.parametrize(
    ("prices", "problem"),
    [
        ({"gpt-image-9": {"image_out": 1}}, "not a model"),
        ({"gpt-image-2": {"image_output": 1}}, "unknown price 'image_output'"),
        ({"gpt-image-2": {"image_out": "30"}}, "must be a number"),
        ({"gpt-image-1.5": {"image_out": 30}}, "give text_in, image_in too"),
        ({"gpt-image-2": {}}, "give prices as"),
    ],
)
def test_price_settings_are_validated(prices: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match="prices") as caught:
        Settings().with_value("prices", prices)
    assert problem in str(caught.value)


def test_a_price_for_a_model_without_one_makes_it_priced(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert estimate(capsys, "--text", "headline=字", "--model", "gpt-image-1.5")["usd"] is None
    save_settings(home, prices={"gpt-image-1.5": {"text_in": 5, "image_in": 8, "image_out": 32}})
    priced = estimate(capsys, "--text", "headline=字", "--model", "gpt-image-1.5")
    assert priced["usd"] is not None and priced["price_source"] == "your settings"


def service_args(**flags: Any) -> argparse.Namespace:
    values = {"engine": None, "base_url": None, "timeout": None, "max_retries": None}
    return argparse.Namespace(**{**values, **flags})


def test_timeout_and_retries_come_from_a_flag_else_the_settings_else_the_default() -> None:
    def options(args: argparse.Namespace, settings: Settings) -> tuple[float, int]:
        service = opened_service(args, settings).service
        client = service._client  # the SDK client the service sends with
        return float(client.timeout), client.max_retries  # type: ignore[arg-type]

    saved = Settings(timeout_seconds=90.0, max_retries=5)
    remote = {"base_url": "http://127.0.0.1:9/v1"}  # nothing is sent
    assert options(service_args(**remote), Settings()) == (600.0, 2)
    assert options(service_args(**remote), saved) == (90.0, 5)
    assert options(service_args(**remote, timeout=30.0, max_retries=0), saved) == (30.0, 0)


def test_engine_and_base_url_from_the_settings(tmp_path: Path) -> None:
    text = ("--text", "headline=字", "--size", "1024x1024", "--quality", "low")
    with fake.fake_service([fake.SERVER_ERROR, fake.SERVER_ERROR]) as service:
        save_settings(tmp_path, base_url=service.base_url, max_retries=0)
        # A base URL in the settings means the service, with the settings' retries: one request.
        failed = run_cli(tmp_path, "generate", *text)
        assert failed.returncode == 4 and len(service.requests) == 1
        assert "local engine" not in failed.stderr
        # The flag beats the setting: one retry.
        done = run_cli(tmp_path, "generate", *text, "--max-retries", "1")
        assert done.returncode == 0, done.stderr
        assert len(service.requests) == 3
        # The engine setting beats the base URL; --engine beats the engine setting.
        save_settings(tmp_path, base_url=service.base_url, engine="local")
        local = run_cli(tmp_path, "generate", *text)
        assert local.returncode == 0, local.stderr
        assert len(service.requests) == 3
        # The base URL counts while the engine is custom; a flag gives it back.
        remote = run_cli(
            tmp_path, "generate", *text, "--engine", "remote", "--base-url", service.base_url
        )
        assert remote.returncode == 0, remote.stderr
        assert len(service.requests) == 4
    # OpenAI's service without a key: the local engine, and it says so.
    save_settings(tmp_path, engine="openai")
    local_again = run_cli(tmp_path, "generate", *text)
    assert local_again.returncode == 0, local_again.stderr
    assert "no API key" in local_again.stderr
    assert len(service.requests) == 4
