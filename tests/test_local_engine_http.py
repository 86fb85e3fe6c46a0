"""The local engine over HTTP, in process: wire format, refusals of bad inputs, injected faults,
and the streaming transport (chunks as sent, dropped bodies, timeouts, disconnects)."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx2
import openai
import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication
from starlette.applications import Starlette

from app.engine.local import Fault, FaultPlan, create_app
from app.engine.transport import StreamingASGITransport, local_client
from tests.openai_schemas import validate_error

pytestmark = pytest.mark.gui

T = TypeVar("T")
SIZE = "1024x640"  # the fewest pixels the API allows: quick drafts


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """A QApplication exists before the engine asks for a QGuiApplication."""


@pytest.fixture
def faults() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
def engine(faults: FaultPlan) -> Starlette:
    return create_app(faults=faults)


def run(make: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await asyncio.wait_for(make(), 120)

    return asyncio.run(main())


def http(app: Starlette) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        transport=StreamingASGITransport(app), base_url="http://zi-studio.local"
    )


def image_bytes(
    width: int = 1024,
    height: int = 640,
    fmt: str = "PNG",
    mode: str = "RGB",
    colour: Any = "#88aacc",
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), colour).save(buffer, fmt)
    return buffer.getvalue()


def refused(response: httpx2.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    validate_error(body)
    error: dict[str, Any] = body["error"]
    return error


# --- routes and wire format ----------------------------------------------------------------------


def test_other_routes_are_404_and_other_methods_405(engine: Starlette) -> None:
    async def main() -> None:
        async with http(engine) as client:
            missing = await client.post("/v1/images/variations", json={})
            assert "Invalid URL" in refused(missing, 404)["message"]
            wrong = await client.get("/v1/images/generations")
            refused(wrong, 405)

    run(main)


def test_any_bearer_token_or_none_is_accepted(engine: Starlette) -> None:
    async def main() -> None:
        async with http(engine) as client:
            for headers in ({"authorization": "Bearer whatever"}, {}):
                body = {"prompt": "p", "size": SIZE}
                response = await client.post("/v1/images/generations", json=body, headers=headers)
                assert response.status_code == 200

    run(main)


def test_a_body_that_is_not_json_is_refused(engine: Starlette) -> None:
    async def main() -> None:
        async with http(engine) as client:
            response = await client.post("/v1/images/generations", content=b"{oops")
            assert refused(response)["type"] == "invalid_request_error"

    run(main)


def test_edits_must_be_multipart(engine: Starlette) -> None:
    async def main() -> None:
        async with http(engine) as client:
            response = await client.post("/v1/images/edits", json={"prompt": "p"})
            refused(response)

    run(main)


def test_stream_events_are_sent_as_the_api_sends_them(engine: Starlette) -> None:
    async def main() -> list[str]:
        body = {"prompt": "p", "size": SIZE, "stream": True, "partial_images": 1}
        async with (
            http(engine) as client,
            client.stream("POST", "/v1/images/generations", json=body) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            return [line async for line in response.aiter_lines()]

    lines = run(main)
    assert lines[0] == "event: image_generation.partial_image"
    assert lines[1].startswith("data: {")
    assert lines[2] == ""
    assert lines[3] == "event: image_generation.completed"
    assert json.loads(lines[4].removeprefix("data: "))["type"] == "image_generation.completed"
    assert lines[5:] == [""]  # no [DONE]


# --- edit inputs ---------------------------------------------------------------------------------


def edit(
    app: Starlette, files: list[tuple[str, tuple[str, bytes, str]]], **data: str
) -> httpx2.Response:
    async def main() -> httpx2.Response:
        async with http(app) as client:
            fields = {"prompt": "p", **data}
            return await client.post("/v1/images/edits", data=fields, files=files)

    return run(main)


def png(name: str = "a.png", **kwargs: Any) -> tuple[str, bytes, str]:
    return (name, image_bytes(**kwargs), "image/png")


def test_an_edit_needs_an_image(engine: Starlette) -> None:
    response = edit(engine, [("mask", png())])
    assert refused(response)["code"] == "missing_required_parameter"


def test_more_than_16_images_are_refused(engine: Starlette) -> None:
    small = png(width=32, height=32)
    error = refused(edit(engine, [("image[]", small)] * 17))
    assert (error["param"], error["code"]) == ("image", "array_above_max_length")


def test_sixteen_images_are_accepted(engine: Starlette) -> None:
    small = png(width=32, height=32)
    response = edit(engine, [("image[]", png())] + [("image[]", small)] * 15)
    assert response.status_code == 200, response.text
    assert response.json()["size"] == SIZE


@pytest.mark.parametrize(
    ("part", "code"),
    [
        (("a.gif", image_bytes(fmt="GIF"), "image/gif"), "invalid_image_format"),
        (("a.bmp", image_bytes(fmt="BMP"), "application/octet-stream"), "invalid_image_format"),
        (("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "image/png"), "invalid_image"),
        (("a.txt", b"hello", "text/plain"), "invalid_image_format"),
    ],
)
def test_images_that_are_not_png_webp_or_jpeg_are_refused(
    engine: Starlette, part: tuple[str, bytes, str], code: str
) -> None:
    error = refused(edit(engine, [("image", part)]))
    assert (error["param"], error["code"]) == ("image", code)


def test_webp_and_jpeg_images_are_accepted(engine: Starlette) -> None:
    for fmt, kind in (("WEBP", "image/webp"), ("JPEG", "image/jpeg")):
        part = ("a", image_bytes(fmt=fmt), kind)
        assert edit(engine, [("image", part)]).status_code == 200


def test_an_image_over_50_mb_is_refused(engine: Starlette) -> None:
    huge = image_bytes() + b"\x00" * (50 * 1024 * 1024)
    error = refused(edit(engine, [("image", ("big.png", huge, "image/png"))]))
    assert (error["param"], error["code"]) == ("image", "image_too_large")


@pytest.mark.parametrize(
    ("mask", "code"),
    [
        (("m.jpg", image_bytes(fmt="JPEG"), "image/jpeg"), "invalid_image_format"),
        (
            png("m.png", width=512, height=512, mode="RGBA", colour=(0, 0, 0, 0)),
            "invalid_mask_size",
        ),
        (png("m.png", mode="RGB"), "invalid_image_format"),
    ],
)
def test_bad_masks_are_refused(engine: Starlette, mask: tuple[str, bytes, str], code: str) -> None:
    error = refused(edit(engine, [("image", png()), ("mask", mask)]))
    assert (error["param"], error["code"]) == ("mask", code)


def test_an_rgb_mask_that_looks_grey_is_refused_as_the_api_does(engine: Starlette) -> None:
    mask = png("m.png", mode="RGB", colour=(128, 128, 128))
    error = refused(edit(engine, [("image", png()), ("mask", mask)]))
    assert (error["param"], error["code"]) == ("mask", "invalid_image_format")


def test_an_image_of_12000_pixels_square_is_refused_with_the_limit(engine: Starlette) -> None:
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    huge = ("huge.png", buffer.getvalue(), "image/png")
    error = refused(edit(engine, [("image", huge)]))
    assert (error["param"], error["code"]) == ("image", "image_too_large")
    assert "12000x12000" in error["message"] and "(8192x8192)" in error["message"]


def test_a_grey_mask_is_accepted(engine: Starlette) -> None:
    mask = png("m.png", mode="L", colour=0)
    assert edit(engine, [("image", png()), ("mask", mask)]).status_code == 200


def test_a_transparent_image_stays_transparent_with_background_auto(engine: Starlette) -> None:
    clear = png(mode="RGBA", colour=(255, 0, 0, 0))
    assert edit(engine, [("image", clear)]).json()["background"] == "transparent"
    opaque = edit(engine, [("image", clear)], output_format="jpeg")
    assert opaque.json()["background"] == "opaque"


# --- faults --------------------------------------------------------------------------------------


def generate(app: Starlette, **kwargs: Any) -> Any:
    """``images.generate`` through the SDK with no retries unless asked."""
    options = {"max_retries": kwargs.pop("max_retries", 0), "timeout": kwargs.pop("timeout", 60)}

    async def main() -> Any:
        async with local_client(app, **options) as client:
            return await client.images.generate(prompt="p", size=SIZE, **kwargs)

    return run(main)


def test_a_rate_limit_is_429_with_retry_after(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.rate_limit(retry_after=2.5))
    with pytest.raises(openai.RateLimitError) as caught:
        generate(engine)
    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "3"
    assert caught.value.response.headers["retry-after-ms"] == "2500"
    validate_error(caught.value.response.json())


def test_the_sdk_retries_after_a_rate_limit(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.rate_limit(retry_after=0.01), Fault.server_error())
    response = generate(engine, max_retries=2)
    assert len(response.data) == 1
    assert faults.requests == 3
    assert faults.pending == 0


def test_none_in_the_queue_answers_normally(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(None, Fault.server_error())
    assert len(generate(engine).data) == 1
    with pytest.raises(openai.InternalServerError):
        generate(engine)


def test_a_moderation_block_has_its_details(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.moderation(stage="output", categories=("sexual", "violence")))
    with pytest.raises(openai.BadRequestError) as caught:
        generate(engine)
    body = caught.value.response.json()
    validate_error(body)
    assert body["error"]["type"] == "image_generation_user_error"
    assert body["error"]["code"] == "moderation_blocked"
    assert body["error"]["moderation_details"] == {
        "moderation_stage": "output",
        "categories": ["sexual", "violence"],
    }


def test_unauthorized_is_401(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.unauthorized())
    with pytest.raises(openai.AuthenticationError) as caught:
        generate(engine)
    assert caught.value.status_code == 401


def test_a_malformed_json_body(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.malformed_json())
    with pytest.raises(json.JSONDecodeError):
        generate(engine)


def test_invalid_base64(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.bad_base64())
    response = generate(engine, n=2)
    import base64
    import binascii

    for item in response.data:
        with pytest.raises(binascii.Error):
            base64.b64decode(item.b64_json, validate=True)


def test_a_body_cut_short_is_a_dropped_connection(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.cut_short())

    async def main() -> None:
        async with http(engine) as client:
            body = {"prompt": "p", "size": SIZE}
            async with client.stream("POST", "/v1/images/generations", json=body) as response:
                assert response.status_code == 200
                with pytest.raises(httpx2.RemoteProtocolError):
                    await response.aread()

    run(main)
    faults.queue(Fault.cut_short())
    with pytest.raises(openai.APIConnectionError) as caught:
        generate(engine)
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)


def test_a_stream_cut_short_keeps_the_events_before(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.cut_short(after_events=3))
    received: list[str] = []

    async def main() -> None:
        async with local_client(engine, max_retries=0) as client:
            stream = await client.images.generate(
                prompt="p", size=SIZE, n=2, stream=True, partial_images=2
            )
            async for event in stream:
                received.append(event.type)

    with pytest.raises(openai.APIConnectionError) as caught:
        run(main)
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)
    assert received == [
        "image_generation.partial_image",
        "image_generation.partial_image",
        "image_generation.completed",
    ]


def test_a_malformed_stream_event(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.malformed_json())

    async def main() -> None:
        async with local_client(engine, max_retries=0) as client:
            stream = await client.images.generate(prompt="p", size=SIZE, stream=True)
            async for _ in stream:
                pass

    with pytest.raises(json.JSONDecodeError):
        run(main)


def test_a_delay_longer_than_the_timeout_times_out(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.delay(30))
    with pytest.raises(openai.APITimeoutError):
        generate(engine, timeout=0.2)
    assert faults.requests == 1


def test_a_short_delay_then_the_answer(engine: Starlette, faults: FaultPlan) -> None:
    faults.queue(Fault.delay(0.05))
    assert len(generate(engine).data) == 1


def test_concurrent_requests_are_drafted_side_by_side(engine: Starlette) -> None:
    async def main() -> list[Any]:
        async with local_client(engine, max_retries=0) as client:
            calls = [client.images.generate(prompt=f"“第{i}张”", size=SIZE, n=2) for i in range(4)]
            return await asyncio.gather(*calls)

    responses = run(main)
    images = {item.b64_json for response in responses for item in response.data}
    assert len(images) == 8


# --- the transport -------------------------------------------------------------------------------


def engine_tasks() -> list[asyncio.Task[Any]]:
    return [task for task in asyncio.all_tasks() if "_Exchange._run" in repr(task.get_coro())]


def test_closing_a_stream_early_stops_the_engine(engine: Starlette, faults: FaultPlan) -> None:
    async def main() -> None:
        faults.hold_final = asyncio.Event()  # never set: the engine would wait forever
        body = {"prompt": "p", "size": SIZE, "stream": True, "partial_images": 1}
        async with (
            http(engine) as client,
            client.stream("POST", "/v1/images/generations", json=body) as response,
        ):
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    assert engine_tasks() != []  # held before the final image
                    break
        assert engine_tasks() == []

    run(main)


def test_an_app_that_never_starts_a_response_is_a_protocol_error() -> None:
    async def silent(scope: Any, receive: Any, send: Any) -> None:
        return None

    async def main() -> None:
        async with httpx2.AsyncClient(transport=StreamingASGITransport(silent)) as client:
            with pytest.raises(httpx2.RemoteProtocolError):
                await client.get("http://zi-studio.local/")

    run(main)


def test_chunks_arrive_as_the_app_sends_them() -> None:
    release = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await release.wait()
        await send({"type": "http.response.body", "body": b"second", "more_body": False})

    async def main() -> list[bytes]:
        chunks = []
        async with (
            httpx2.AsyncClient(transport=StreamingASGITransport(app)) as client,
            client.stream("GET", "http://zi-studio.local/") as response,
        ):
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                release.set()  # only reached if "first" came before the app finished
        return chunks

    assert run(main) == [b"first", b"second"]
