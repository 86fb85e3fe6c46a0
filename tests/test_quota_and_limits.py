"""Quota and limits: an empty account is said plainly and not retried, a rate limit keeps its
wait, a gateway that cuts a long request is named, and a prompt near the limit is warned about."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.request import ImageRequest
from app.engine.errors import GatewayCutError, QuotaExhaustedError, UnreachableError
from app.engine.gateway import service_http_client
from app.engine.service import ImageEvent, ImageFailed, OpenAIImageService, ServiceOptions
from tests import fake_service as fake
from tests.cli_process import run_cli

KEY = "sk-test-secret-0123456789"
REQUEST = ImageRequest(kind="generate", prompt="A tea box", size="1024x1024", quality="low")


def collect(base_url: str, *, retries: int, seconds_per_call: float = 0.0) -> list[ImageEvent]:
    """The events of one request; ``seconds_per_call`` is how far the clock moves between the
    transport's two readings (sent, failed), so a long wait needs no real waiting."""

    def ticks() -> Iterator[float]:
        now = 0.0
        while True:
            yield now
            now += seconds_per_call

    clock = ticks()

    async def run() -> list[ImageEvent]:
        options = ServiceOptions(api_key=KEY, base_url=base_url, timeout=20, max_retries=retries)
        http = service_http_client(clock=lambda: next(clock))
        service = OpenAIImageService(options, http_client=http)
        try:
            return [event async for event in service.generate(REQUEST)]
        finally:
            await service.close()

    return asyncio.run(run())


def generate(home: Path, base_url: str, *extra: str) -> tuple[int, str]:
    result = run_cli(
        home, "generate", "--base-url", base_url, "--text", "headline=有机绿茶", "--size",
        "1024x1024", "--quality", "low", "--timeout", "30", *extra, key=KEY,
    )  # fmt: skip
    return result.returncode, result.stderr


def test_out_of_credit_is_said_plainly_and_not_retried(tmp_path: Path) -> None:
    with fake.fake_service([fake.OUT_OF_CREDIT] * 3) as service:
        code, err = generate(tmp_path, service.base_url, "--max-retries", "2")
        assert len(service.requests) == 1  # the SDK would have tried three times
    assert code == 3
    assert err.strip().splitlines() == [
        "zi-studio: The account is out of credit: add credit or use the local engine "
        "(--engine local)."
    ]


def test_a_rate_limit_is_still_retried_and_keeps_its_wait(tmp_path: Path) -> None:
    with fake.fake_service([fake.RATE_LIMITED]) as service:
        code, err = generate(tmp_path, service.base_url, "--max-retries", "1")
        assert (code, len(service.requests)) == (0, 2), err
    waiting = fake.Answer(429, fake.RATE_LIMITED.body, {"retry-after": "7"})
    with fake.fake_service([waiting]) as service:
        code, err = generate(tmp_path, service.base_url, "--max-retries", "0")
    assert code == 3
    assert "rate-limiting" in err and "Try again in 7 s" in err


def test_a_gateway_cut_after_90_s_is_named_and_not_retried() -> None:
    with fake.fake_service([fake.HANG_UP] * 3) as service:
        events = collect(service.base_url, retries=2, seconds_per_call=100.0)
        assert len(service.requests) == 1
    (failed,) = events
    assert isinstance(failed, ImageFailed)
    assert isinstance(failed.error, GatewayCutError)
    assert failed.error.seconds == 100
    assert failed.error.message.startswith(
        "The gateway closed the connection after 100 s without an answer"
    )
    assert "streaming" in failed.error.message and "lower quality" in failed.error.message
    assert not failed.error.answered  # exit 4: no usable answer


def test_a_quick_hang_up_is_a_dropped_connection_and_retried() -> None:
    with fake.fake_service([fake.HANG_UP, fake.HANG_UP]) as service:
        events = collect(service.base_url, retries=1, seconds_per_call=5.0)
        assert len(service.requests) == 2
    (failed,) = events
    assert isinstance(failed, ImageFailed)
    assert isinstance(failed.error, UnreachableError)
    assert not isinstance(failed.error, GatewayCutError)


def test_a_quick_hang_up_on_the_command_line_is_exit_4(tmp_path: Path) -> None:
    # A real clock: the hang-up comes at once, so this is a dropped connection, said as such.
    with fake.fake_service([fake.HANG_UP]) as service:
        code, err = generate(tmp_path, service.base_url, "--max-retries", "0")
    assert code == 4
    assert "connection" in err


def test_quota_error_type() -> None:
    with fake.fake_service([fake.OUT_OF_CREDIT]) as service:
        (failed,) = collect(service.base_url, retries=2)
    assert isinstance(failed, ImageFailed)
    assert isinstance(failed.error, QuotaExhaustedError) and failed.error.answered


@pytest.mark.parametrize(("length", "code"), [(29_000, 0), (33_000, 2)])
def test_a_prompt_near_the_limit_is_warned_about_before_sending(
    tmp_path: Path, length: int, code: int
) -> None:
    result = run_cli(
        tmp_path, "generate", "--engine", "local", "--description", "茶" * length,
        "--text", "headline=有机绿茶", "--size", "1024x640", "--quality", "low",
    )  # fmt: skip
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    if code == 0:
        assert "warning: the prompt has" in result.stderr
        assert "near the limit of 32,000" in result.stderr
    else:
        assert "over the 32,000 limit" in result.stderr
