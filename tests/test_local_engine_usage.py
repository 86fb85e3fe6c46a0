"""The local engine's usage counts streamed partial images as the official pricing does (DESIGN §3):
100 output tokens each, on the completed event of the image they preview."""

from __future__ import annotations

import asyncio
from typing import Any

import openai
import pytest
from PySide6.QtWidgets import QApplication

from app.core.cost import PARTIAL_IMAGE_TOKENS, estimate
from app.engine.local import create_app
from app.engine.transport import StreamingASGITransport

pytestmark = pytest.mark.gui

SIZE = "1024x640"  # the fewest pixels the API allows: quick drafts


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """A QApplication exists before the engine asks for a QGuiApplication."""


def _client() -> openai.AsyncOpenAI:
    import httpx2

    http = httpx2.AsyncClient(transport=StreamingASGITransport(create_app()))
    return openai.AsyncOpenAI(
        api_key="local", base_url="http://zi-studio.local/v1", http_client=http
    )


def _usages(**params: Any) -> list[dict[str, Any]]:
    async def main() -> list[dict[str, Any]]:
        client = _client()
        try:
            if not params.get("stream"):
                answer = await client.images.generate(
                    prompt="p", size=SIZE, quality="low", **params
                )
                assert answer.usage is not None
                return [answer.usage.model_dump()]
            stream = await client.images.generate(prompt="p", size=SIZE, quality="low", **params)
            return [
                event.usage.model_dump()
                async for event in stream
                if event.type == "image_generation.completed" and event.usage is not None
            ]
        finally:
            await client.close()

    return asyncio.run(asyncio.wait_for(main(), 120))


def test_partial_images_add_their_output_tokens_to_each_image() -> None:
    plain = _usages(stream=True, n=2, partial_images=0)
    previewed = _usages(stream=True, n=2, partial_images=2)

    assert len(plain) == len(previewed) == 2
    for without, with_partials in zip(plain, previewed, strict=True):
        added = with_partials["output_tokens"] - without["output_tokens"]
        assert added == 2 * PARTIAL_IMAGE_TOKENS
        assert with_partials["total_tokens"] == (
            with_partials["input_tokens"] + with_partials["output_tokens"]
        )
    expected = estimate(
        model="gpt-image-2", prompt="p", width=1024, height=640, quality="low", n=2,
        partial_images=2,
    )  # fmt: skip
    assert sum(u["output_tokens"] for u in previewed) == expected.output_tokens


def test_a_request_without_streaming_counts_no_partial_images() -> None:
    (usage,) = _usages(n=2)
    (streamed_one, streamed_two) = _usages(stream=True, n=2, partial_images=0)
    assert usage["output_tokens"] == streamed_one["output_tokens"] + streamed_two["output_tokens"]
