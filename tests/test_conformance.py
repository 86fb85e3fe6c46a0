"""The local engine through the real openai SDK, in process and as a ``serve-local`` subprocess.

Every response body, stream event and error body is validated against OpenAI's official OpenAPI
document (tests/data/images-openapi.json), and every image is decoded and measured.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import openai
import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication

from app.core.compiler import compile_prompt
from app.core.cost import image_output_tokens
from app.core.spec import Spec, TextBlock
from app.engine.local import FaultPlan, create_app
from app.engine.transport import local_client
from tests.local_server import serve_local
from tests.openai_schemas import unknown_keys, validate, validate_error

pytestmark = pytest.mark.gui

T = TypeVar("T")
ROOT = Path(__file__).parents[1]
SIZE = "1024x640"
PROMPT = compile_prompt(
    Spec(
        description="Minimal premium tea packaging on a white studio table",
        texts=(TextBlock("headline", "有机绿茶"), TextBlock("subhead", "100g 无添加")),
    )
).text
ClientFactory = Callable[[], openai.AsyncOpenAI]


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """A QApplication exists before the engine asks for a QGuiApplication."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``zi-studio serve-local`` on a free loopback port; its base URL."""
    with serve_local() as base_url:
        yield base_url


@pytest.fixture(params=["in-process", "serve-local"])
def make_client(request: pytest.FixtureRequest) -> ClientFactory:
    if request.param == "in-process":
        app = create_app()
        return lambda: local_client(app, max_retries=0)
    base_url = request.getfixturevalue("server")
    return lambda: openai.AsyncOpenAI(base_url=base_url, api_key="any-key", max_retries=0)


def run(make: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await asyncio.wait_for(make(), 120)

    return asyncio.run(main())


@asynccontextmanager
async def opened(make_client: ClientFactory) -> AsyncIterator[openai.AsyncOpenAI]:
    client = make_client()
    try:
        yield client
    finally:
        await client.close()


def decoded(b64: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(b64, validate=True)))
    image.load()
    return image


def png(width: int, height: int, mode: str = "RGB", colour: Any = "#5b8c5a") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def checked_event(event: Any, schema: str) -> dict[str, Any]:
    data: dict[str, Any] = event.to_dict()
    validate(schema, data)
    assert unknown_keys(schema, data) == set()
    return data


def checked_response(raw: Any) -> dict[str, Any]:
    assert raw.http_response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = json.loads(raw.http_response.content)
    validate("ImagesResponse", body)
    assert unknown_keys("ImagesResponse", body) == set()
    return body


def test_a_stream_sends_each_images_partials_then_its_completed_event(
    make_client: ClientFactory,
) -> None:
    async def main() -> list[dict[str, Any]]:
        async with opened(make_client) as client:
            stream = await client.images.generate(
                prompt=PROMPT, size=SIZE, n=2, stream=True, partial_images=2
            )
            return [checked_event(event, "ImageGenStreamEvent") async for event in stream]

    events = run(main)
    kinds = [event["type"].rsplit(".", 1)[1] for event in events]
    assert kinds == ["partial_image", "partial_image", "completed"] * 2
    assert [event.get("partial_image_index") for event in events] == [0, 1, None, 0, 1, None]
    for event in events:
        assert event["type"].startswith("image_generation.")
        assert decoded(event["b64_json"]).size == (1024, 640)
        assert (event["size"], event["output_format"]) == (SIZE, "png")
    # Each image's tokens and its two partial images' (100 each, as billed: DESIGN §3).
    per_image = image_output_tokens(1024, 640, "medium") + 2 * 100
    usages = [event["usage"] for event in events if "usage" in event]
    assert [usage["output_tokens"] for usage in usages] == [per_image, per_image]
    assert usages[0]["input_tokens"] > 0 and usages[1]["input_tokens"] == 0


def test_a_response_matches_the_official_schema(make_client: ClientFactory) -> None:
    async def main() -> Any:
        async with opened(make_client) as client:
            return await client.images.with_raw_response.generate(
                prompt=PROMPT, size="1024x1024", n=2, quality="low"
            )

    body = checked_response(run(main))
    assert len(body["data"]) == 2
    assert [decoded(item["b64_json"]).size for item in body["data"]] == [(1024, 1024)] * 2
    assert (body["size"], body["quality"], body["background"]) == ("1024x1024", "low", "opaque")
    usage = body["usage"]
    assert usage["output_tokens"] == 2 * 196  # the published count for 1024x1024 low
    assert usage["input_tokens"] == usage["input_tokens_details"]["text_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_an_edit_of_two_images_with_a_mask_keeps_the_size(make_client: ClientFactory) -> None:
    first, second = png(1024, 1536), png(512, 512, colour="#aa3344")
    mask = png(1024, 1536, mode="RGBA", colour=(0, 0, 0, 0))

    async def main() -> Any:
        async with opened(make_client) as client:
            return await client.images.with_raw_response.edit(
                image=[("first.png", first, "image/png"), ("second.png", second, "image/png")],
                mask=("mask.png", mask, "image/png"),
                prompt=PROMPT,
            )

    body = checked_response(run(main))
    assert body["size"] == "1024x1536"
    assert decoded(body["data"][0]["b64_json"]).size == (1024, 1536)
    assert body["usage"]["input_tokens_details"]["image_tokens"] > 0


def test_an_edit_stream_sends_edit_events(make_client: ClientFactory) -> None:
    async def main() -> list[dict[str, Any]]:
        async with opened(make_client) as client:
            stream = await client.images.edit(
                image=("a.png", png(1024, 640), "image/png"),
                prompt=PROMPT,
                stream=True,
                partial_images=1,
                output_format="webp",
            )
            return [checked_event(event, "ImageEditStreamEvent") async for event in stream]

    events = run(main)
    assert [event["type"] for event in events] == [
        "image_edit.partial_image",
        "image_edit.completed",
    ]
    assert all(decoded(event["b64_json"]).format == "WEBP" for event in events)


@pytest.mark.parametrize(
    ("arguments", "param"),
    [
        ({"n": 11}, "n"),
        ({"size": "1000x1000"}, "size"),
        ({"prompt": "字" * 32_001}, "prompt"),
        ({"background": "transparent", "output_format": "jpeg"}, "output_format"),
        ({"model": "no-such-model"}, "model"),
    ],
)
def test_bad_requests_are_refused_with_the_official_error_body(
    make_client: ClientFactory, arguments: dict[str, Any], param: str
) -> None:
    async def main() -> None:
        async with opened(make_client) as client:
            await client.images.generate(**{"prompt": PROMPT, **arguments})

    with pytest.raises(openai.BadRequestError) as caught:
        run(main)
    assert caught.value.status_code == 400
    body = caught.value.response.json()
    validate_error(body)
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["param"] == param


def test_a_transparent_png_has_transparent_pixels(make_client: ClientFactory) -> None:
    async def main() -> Any:
        async with opened(make_client) as client:
            return await client.images.generate(
                prompt=PROMPT, size="1024x1024", background="transparent", output_format="png"
            )

    response = run(main)
    assert response.background == "transparent"
    image = decoded(response.data[0].b64_json).convert("RGBA")
    low, high = image.getchannel("A").getextrema()
    assert (low, high) == (0, 255)  # a transparent background and opaque text


@pytest.mark.parametrize(
    ("size", "output_format"),
    [("1536x1024", "png"), ("768x1024", "webp"), ("2048x864", "jpeg"), ("1440x480", "png")],
)
def test_drafts_have_the_requested_size(
    make_client: ClientFactory, size: str, output_format: str
) -> None:
    async def main() -> Any:
        async with opened(make_client) as client:
            options: dict[str, Any] = {"size": size, "output_format": output_format}
            return await client.images.generate(prompt=PROMPT, quality="low", **options)

    response = run(main)
    image = decoded(response.data[0].b64_json)
    assert f"{image.width}x{image.height}" == size == response.size
    assert image.format == {"png": "PNG", "webp": "WEBP", "jpeg": "JPEG"}[output_format]


def test_partials_reach_the_client_before_the_final_image_is_drawn() -> None:
    """The engine is held before each final image until the client has the partials before it:
    a transport or engine that buffered the stream would never deliver them, and time out."""
    faults = FaultPlan()
    app = create_app(faults=faults)

    async def main() -> list[str]:
        faults.hold_final = asyncio.Event()
        order: list[str] = []
        async with local_client(app, max_retries=0) as client:
            stream = await client.images.generate(
                prompt=PROMPT, size=SIZE, n=2, stream=True, partial_images=2
            )
            events = aiter(stream)
            while True:
                try:
                    event = await asyncio.wait_for(anext(events), 30)
                except StopAsyncIteration:
                    break
                order.append(event.type.rsplit(".", 1)[1])
                if (
                    isinstance(event, openai.types.ImageGenPartialImageEvent)
                    and event.partial_image_index == 1
                ):
                    assert not faults.hold_final.is_set()  # the final image is not drawn yet
                    faults.hold_final.set()
                elif event.type.endswith("completed"):
                    faults.hold_final.clear()
        return order

    assert run(main) == ["partial_image", "partial_image", "completed"] * 2


def test_the_sync_client_against_serve_local(server: str) -> None:
    with openai.OpenAI(base_url=server, api_key="sk-anything", max_retries=0) as client:
        stream = client.images.generate(prompt=PROMPT, size=SIZE, stream=True, partial_images=1)
        events = [checked_event(event, "ImageGenStreamEvent") for event in stream]
        assert [event["type"] for event in events] == [
            "image_generation.partial_image",
            "image_generation.completed",
        ]
        raw = client.images.with_raw_response.edit(
            image=("a.png", png(1024, 640), "image/png"), prompt=PROMPT
        )
        body = checked_response(raw)
        assert decoded(body["data"][0]["b64_json"]).size == (1024, 640)
        with pytest.raises(openai.BadRequestError) as caught:
            client.images.generate(prompt=PROMPT, n=11)
        validate_error(caught.value.response.json())


def test_serve_local_on_a_busy_port_says_so_and_exits_2(server: str) -> None:
    port = server.rsplit(":", 1)[1].split("/")[0]
    result = subprocess.run(
        [sys.executable, "-m", "app.engine.server", "--port", port],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "cannot serve" in result.stderr


def test_serve_local_exits_0_on_ctrl_c() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "app.engine.server", "--port", "0"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("serving on http://127.0.0.1:")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out == ""
