"""ImageService over the real SDK against a scripted service on a loopback socket."""

from __future__ import annotations

import asyncio

import pytest

from app.core.request import ImageRequest
from app.engine.errors import (
    AuthenticationFailedError,
    MalformedAnswerError,
    ModerationBlockedError,
    RateLimitedError,
    ServerFailedError,
    UnreachableError,
)
from app.engine.service import (
    CompletedImage,
    ImageEvent,
    ImageFailed,
    OpenAIImageService,
    ServiceOptions,
)
from tests import fake_service as fake

KEY = "sk-test-secret-0123456789"
REQUEST = ImageRequest(kind="generate", prompt="A tea box", size="1024x1024", quality="low", n=2)


def collect(
    base_url: str, *, retries: int = 0, request: ImageRequest = REQUEST
) -> list[ImageEvent]:
    async def run() -> list[ImageEvent]:
        service = OpenAIImageService(
            ServiceOptions(api_key=KEY, base_url=base_url, timeout=20, max_retries=retries)
        )
        try:
            return [event async for event in service.generate(request)]
        finally:
            await service.close()

    return asyncio.run(run())


def test_images_arrive_decoded_with_usage() -> None:
    with fake.fake_service([]) as service:
        events = collect(service.base_url)
    assert [type(e) for e in events] == [CompletedImage, CompletedImage]
    first = events[0]
    assert isinstance(first, CompletedImage)
    assert (first.width, first.height, first.output_format) == (1024, 1024, "png")
    assert first.data.startswith(b"\x89PNG")
    assert first.usage is not None and first.usage["output_tokens"] == 196
    assert service.requests[0]["body"]["n"] == 2
    assert service.requests[0]["authorization"] == f"Bearer {KEY}"


def test_rate_limit_then_success_is_retried_by_the_sdk() -> None:
    with fake.fake_service([fake.RATE_LIMITED]) as service:
        events = collect(service.base_url, retries=2)
    assert [type(e) for e in events] == [CompletedImage, CompletedImage]
    assert len(service.requests) == 2


@pytest.mark.parametrize(
    ("answer", "error_type", "words"),
    [
        (fake.RATE_LIMITED, RateLimitedError, "rate-limiting"),
        (fake.SERVER_ERROR, ServerFailedError, "failed (500)"),
        (fake.MODERATION, ModerationBlockedError, "blocked the prompt (violence)"),
        (fake.UNAUTHORIZED, AuthenticationFailedError, "refused the API key"),
        (fake.MALFORMED_JSON, MalformedAnswerError, "not valid JSON"),
        (fake.INVALID_BASE64, MalformedAnswerError, "not valid base64"),
        (fake.CUT_SHORT, UnreachableError, "connection"),
    ],
)
def test_failures_become_typed_outcomes_without_the_key(
    answer: fake.Answer, error_type: type[Exception], words: str
) -> None:
    with fake.fake_service([answer]) as service:
        events = collect(service.base_url)
    assert len(events) == 1
    failure = events[0]
    assert isinstance(failure, ImageFailed)
    assert type(failure.error) is error_type
    assert words in failure.error.message
    assert KEY not in failure.error.message
    assert "0123456789" not in str(failure.error)


def test_nothing_listening_is_unreachable() -> None:
    events = collect("http://127.0.0.1:9/v1")
    assert isinstance(events[0], ImageFailed)
    assert isinstance(events[0].error, UnreachableError)
    assert "Cannot reach" in events[0].error.message


def test_cancelling_stops_the_request() -> None:
    slow = fake.Answer(200, None)

    async def run() -> None:
        with fake.fake_service([slow]) as service:
            original = service._next

            def delayed() -> fake.Answer:
                import time

                time.sleep(2)
                return original()

            service._next = delayed  # type: ignore[method-assign]
            options = ServiceOptions(api_key=KEY, base_url=service.base_url, max_retries=0)
            image_service = OpenAIImageService(options)

            async def consume() -> list[ImageEvent]:
                return [e async for e in image_service.generate(REQUEST)]

            task = asyncio.create_task(consume())
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await image_service.close()

    asyncio.run(run())


def test_chunked_base64_decoding_matches_one_call() -> None:
    import base64
    import os

    from app.engine.service import b64decode_chunked

    for size in (0, 1, 1 << 20, 3 * (1 << 20) + 7):
        data = os.urandom(size)
        text = base64.b64encode(data).decode()
        assert b64decode_chunked(text) == data
    with pytest.raises(ValueError):
        b64decode_chunked("A" * (1 << 20) + "!!!!" + "A" * 8)
