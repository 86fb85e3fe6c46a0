"""The embedded engine misbehaves as gateways do (fault modes), and the studio copes the same way
as with a scripted service; ``GET /v1/models`` answers connection tests."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from PySide6.QtWidgets import QApplication

from app.core.request import ImageRequest
from app.engine.errors import QuotaExhaustedError, RefusedError
from app.engine.gateway import service_http_client
from app.engine.local import Fault, FaultPlan, create_app
from app.engine.service import (
    CompletedImage,
    ImageEvent,
    ImageFailed,
    OpenAIImageService,
    PartialImage,
    ServiceOptions,
)
from app.engine.transport import LOCAL_BASE_URL, StreamingASGITransport
from app.store.profiles import ServiceProfiles
from tests.fake_service import png_bytes
from tests.local_server import serve_local

pytestmark = pytest.mark.gui
STREAMED = ImageRequest(kind="generate", prompt="A tea box", size="1024x640", quality="low",
                        n=2, stream=True, partial_images=1)  # fmt: skip


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """A QApplication exists before the engine asks for a QGuiApplication."""


def run_twice(
    faults: FaultPlan, request: ImageRequest, profiles: Path
) -> tuple[list[ImageEvent], list[ImageEvent], list[str]]:
    notes: list[str] = []

    async def once() -> list[ImageEvent]:
        options = ServiceOptions(api_key="local", base_url=LOCAL_BASE_URL, timeout=60,
                                 max_retries=2, on_note=notes.append)  # fmt: skip
        http = service_http_client(StreamingASGITransport(create_app(faults=faults)))
        service = OpenAIImageService(options, http_client=http, profiles=ServiceProfiles(profiles))
        try:
            return [event async for event in service.generate(request)]
        finally:
            await service.close()

    return asyncio.run(once()), asyncio.run(once()), notes


def completed(events: list[ImageEvent]) -> list[int]:
    assert not [e for e in events if isinstance(e, ImageFailed)], events
    return [e.image_index for e in events if isinstance(e, CompletedImage)]


@pytest.mark.parametrize(
    ("mode", "note", "requests"),
    [
        ("refuse_stream", "this service does not stream: no previews", 3),
        ("refuse_partial_images", "this service does not send partial images: no previews", 3),
        ("plain_json", "this service does not stream: no previews", 2),
    ],
)
def test_gateway_modes_give_the_images_and_the_second_run_goes_right(
    tmp_path: Path, mode: str, note: str, requests: int
) -> None:
    faults = FaultPlan().queue(Fault.gateway(mode))  # type: ignore[arg-type]
    first, second, notes = run_twice(faults, STREAMED, tmp_path / "p.json")
    assert completed(first) == [0, 1] and completed(second) == [0, 1]
    assert notes == [note]
    assert faults.requests == requests  # one refusal at most, then right the first time
    assert not [e for e in second if isinstance(e, PartialImage)]


def test_a_gateway_without_n_above_1(tmp_path: Path) -> None:
    faults = FaultPlan().queue(Fault.gateway("one_image"))
    first, second, _ = run_twice(faults, STREAMED, tmp_path / "p.json")
    assert completed(first) == [0, 1] and completed(second) == [0, 1]
    assert faults.requests == 1 + 2 + 2


def test_a_gateway_without_edits(tmp_path: Path) -> None:
    image = tmp_path / "in.png"
    image.write_bytes(png_bytes(1024, 640))
    request = ImageRequest(kind="edit", prompt="Make it blue", images=(str(image),), quality="low")
    faults = FaultPlan().queue(Fault.gateway("no_edits"))
    first, second, _ = run_twice(faults, request, tmp_path / "p.json")
    for events in (first, second):
        (failed,) = events
        assert isinstance(failed, ImageFailed) and isinstance(failed.error, RefusedError)
        assert failed.error.status == 404
    assert faults.requests == 1


def test_an_empty_account_on_the_engine_is_not_retried(tmp_path: Path) -> None:
    faults = FaultPlan().queue(*[Fault.insufficient_quota()] * 3)
    first, second, _ = run_twice(faults, STREAMED, tmp_path / "p.json")
    for events in (first, second):
        (failed,) = events
        assert isinstance(failed, ImageFailed) and isinstance(failed.error, QuotaExhaustedError)
    assert faults.requests == 2  # max_retries=2, yet one request each time


def test_url_answers_link_to_images_the_engine_serves() -> None:
    faults = FaultPlan().queue(Fault.gateway("url_answer"))

    async def main() -> tuple[dict[str, Any], bytes]:
        app = create_app(faults=faults)
        async with httpx2.AsyncClient(
            transport=StreamingASGITransport(app), base_url="http://zi-studio.local"
        ) as client:
            answer = await client.post("/v1/images/generations", json={
                "model": "gpt-image-2", "prompt": "“茶”", "size": "1024x640", "stream": True,
            })  # fmt: skip
            body: dict[str, Any] = answer.json()
            link = await client.get(body["data"][0]["url"])
            return body, link.content

    body, image = asyncio.run(main())
    (item,) = body["data"]
    assert item["url"].startswith("http://zi-studio.local/v1/zi/linked/")
    assert "b64_json" not in item
    assert image.startswith(b"\x89PNG")


def test_serve_local_answers_get_models_for_connection_tests() -> None:
    with serve_local() as base_url:
        with openai.OpenAI(api_key="any", base_url=base_url) as client:
            ids = [model.id for model in client.models.list()]

        async def check() -> str | None:
            service = OpenAIImageService(ServiceOptions(api_key="any", base_url=base_url))
            try:
                return await service.check_connection()
            finally:
                await service.close()

        assert asyncio.run(check()) is None
    assert "gpt-image-2" in ids
