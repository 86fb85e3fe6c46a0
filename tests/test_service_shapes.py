"""Answers in every shape a compatible service sends, against scripted services on a loopback
socket: each gives the image or one clear line, and what the service cannot do is remembered per
base URL, so the next request to it goes right the first time (service profiles)."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from app.core.request import ImageRequest
from app.core.service_profile import profile_key
from app.engine.errors import MalformedAnswerError, RefusedError
from app.engine.gateway import service_http_client
from app.engine.service import (
    NO_EDITS,
    CompletedImage,
    ImageEvent,
    ImageFailed,
    OpenAIImageService,
    PartialImage,
    ServiceOptions,
)
from app.store.profiles import ServiceProfiles
from tests import fake_service as fake
from tests.cli_process import run_cli

KEY = "sk-test-secret-0123456789"
STREAMED = ImageRequest(kind="generate", prompt="A tea box", size="1024x1024", quality="low",
                        n=2, stream=True, partial_images=2)  # fmt: skip


class Run:
    """One request through the real SDK, with the profiles kept in ``path`` (as across runs)."""

    def __init__(self, base_url: str, path: Path) -> None:
        self.base_url = base_url
        self.path = path
        self.notes: list[str] = []

    def __call__(self, request: ImageRequest) -> list[ImageEvent]:
        async def run() -> list[ImageEvent]:
            options = ServiceOptions(api_key=KEY, base_url=self.base_url, timeout=20,
                                     max_retries=0, on_note=self.notes.append)  # fmt: skip
            profiles = ServiceProfiles(self.path)
            service = OpenAIImageService(
                options, http_client=service_http_client(), profiles=profiles
            )
            try:
                return [event async for event in service.generate(request)]
            finally:
                await service.close()

        return asyncio.run(run())


def images(events: list[ImageEvent]) -> list[int]:
    assert not [e for e in events if isinstance(e, ImageFailed)], events
    return [e.image_index for e in events if isinstance(e, CompletedImage)]


def failure(events: list[ImageEvent]) -> Exception:
    (failed,) = events
    assert isinstance(failed, ImageFailed)
    return failed.error


def sent(service: fake.FakeService) -> list[dict[str, Any]]:
    return [request["body"] for request in service.requests]


def test_a_streaming_request_answered_with_plain_json_uses_it(tmp_path: Path) -> None:
    with fake.fake_service([fake.PLAIN_JSON]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        assert images(run(STREAMED)) == [0, 1]
        assert run.notes == ["this service does not stream: no previews"]
        assert images(run(STREAMED)) == [0, 1]  # the next run asks without streaming
        assert [body.get("stream") for body in sent(service)] == [True, None]
        assert "partial_images" not in sent(service)[1]
    assert run.notes == ["this service does not stream: no previews"]  # said once
    saved = json.loads((tmp_path / "profiles.json").read_text())
    assert saved["services"][profile_key(service.base_url)]["streaming"] is False


def test_a_400_refusing_stream_asks_again_without(tmp_path: Path) -> None:
    with fake.fake_service([fake.REFUSE_STREAM]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        assert images(run(STREAMED)) == [0, 1]
        assert [body.get("stream") for body in sent(service)] == [True, None]
        assert images(run(STREAMED)) == [0, 1]
        assert [body.get("stream") for body in sent(service)] == [True, None, None]
    assert run.notes == ["this service does not stream: no previews"]


def test_a_400_refusing_partial_images_streams_without_them(tmp_path: Path) -> None:
    with fake.fake_service([fake.REFUSE_PARTIAL_IMAGES]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        assert images(run(STREAMED)) == [0, 1]
        assert images(run(STREAMED)) == [0, 1]
        bodies = sent(service)
    assert [(b.get("stream"), b.get("partial_images")) for b in bodies] == [
        (True, 2), (True, None), (True, None),
    ]  # fmt: skip
    assert run.notes == ["this service does not send partial images: no previews"]


def url_answer(service: fake.FakeService, url: str, n: int = 1) -> fake.Answer:
    body = fake.image_body(n)
    service.files["/files/a.png"] = base64.b64decode(body["data"][0]["b64_json"])
    body["data"] = [{"url": url} for _ in range(n)]
    return fake.Answer(200, body, plain_json=True)


def test_a_url_answer_is_fetched_without_the_key(tmp_path: Path) -> None:
    with fake.fake_service([]) as service:
        root = service.base_url.removesuffix("/v1")
        service.script.append(url_answer(service, f"{root}/files/a.png"))
        events = Run(service.base_url, tmp_path / "p.json")(
            ImageRequest(kind="generate", prompt="A tea box", size="1024x1024", quality="low")
        )
        assert images(events) == [0]
        completed = events[0]
        assert isinstance(completed, CompletedImage)
        assert completed.data == service.files["/files/a.png"]
        assert service.requests[0]["authorization"] == f"Bearer {KEY}"
        assert service.gets == [{"path": "/files/a.png", "authorization": None}]


@pytest.mark.parametrize(
    "url", ["http://example.com/a.png", "ftp://127.0.0.1/a.png", "file:///etc/passwd"]
)
def test_a_url_that_is_not_https_or_loopback_is_not_fetched(tmp_path: Path, url: str) -> None:
    with fake.fake_service([]) as service:
        service.script.append(url_answer(service, url))
        events = Run(service.base_url, tmp_path / "p.json")(
            ImageRequest(kind="generate", prompt="A tea box", size="1024x1024", quality="low")
        )
        assert service.gets == []
    error = failure(events)
    assert isinstance(error, MalformedAnswerError)
    assert "not https" in error.message


def test_a_url_that_fails_is_one_clear_line(tmp_path: Path) -> None:
    with fake.fake_service([]) as service:
        root = service.base_url.removesuffix("/v1")
        service.script.append(url_answer(service, f"{root}/files/missing.png"))
        error = failure(Run(service.base_url, tmp_path / "p.json")(STREAMED))
    assert isinstance(error, MalformedAnswerError)
    assert error.message.startswith("The image link the service answered with gave HTTP 404")


def edit_request(tmp_path: Path, *, mask: bool = False) -> ImageRequest:
    image = tmp_path / "in.png"
    image.write_bytes(fake.png_bytes())
    mask_path = None
    if mask:
        mask_path = tmp_path / "mask.png"
        mask_path.write_bytes(fake.png_bytes())
    return ImageRequest(
        kind="edit", prompt="Make it blue", size="1024x1024", quality="low",
        images=(str(image),), mask=None if mask_path is None else str(mask_path),
    )  # fmt: skip


def test_edits_404_is_said_and_not_asked_again(tmp_path: Path) -> None:
    with fake.fake_service([fake.NO_EDITS]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        first = failure(run(edit_request(tmp_path)))
        second = failure(run(edit_request(tmp_path)))
        assert len(service.requests) == 1  # the second is refused before sending
    for error in (first, second):
        assert isinstance(error, RefusedError) and error.answered
        assert error.message == NO_EDITS
    assert run.notes == ["this service does not do edits (/images/edits)"]


def test_a_refused_mask_asks_again_without_it(tmp_path: Path) -> None:
    refusal = fake.Answer(400, fake.error_body("Masks are not supported.", param="mask"))
    with fake.fake_service([refusal]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        assert images(run(edit_request(tmp_path, mask=True))) == [0]
        assert images(run(edit_request(tmp_path, mask=True))) == [0]
        masks = [b'name="mask"' in request["raw"] for request in service.requests]
    assert masks == [True, False, False]
    assert run.notes == ["this service does not take masks: edits are asked without one"]


def test_a_refused_transparent_background_is_remembered(tmp_path: Path) -> None:
    refusal = fake.Answer(
        400, fake.error_body("Transparent background is not supported.", param="background")
    )
    request = ImageRequest(kind="generate", prompt="A badge", size="1024x1024", quality="low",
                           background="transparent")  # fmt: skip
    with fake.fake_service([refusal]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        for _ in range(2):
            error = failure(run(request))
            assert isinstance(error, RefusedError) and error.param == "background"
        assert len(service.requests) == 1  # the job's key-colour fallback follows at once


def test_a_service_without_n_above_1_gets_one_request_per_image(tmp_path: Path) -> None:
    # A plain answer with fewer images than asked (a stream that ends early is a cut stream).
    one_image = fake.Answer(200, fake.image_body(1))
    plain = dataclasses.replace(STREAMED, stream=False, partial_images=0)
    with fake.fake_service([one_image]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        first = run(plain)
        assert images(first) == [0, 1]
        assert images(run(plain)) == [0, 1]
        ns = [body["n"] for body in sent(service)]
    assert ns == [2, 1, 1, 1]  # learned from the first answer; asked one by one after
    usages = [e.usage for e in first if isinstance(e, CompletedImage)]
    assert all(usage is not None for usage in usages)  # each request billed its input
    assert run.notes == [
        "this service makes one image per request: several images are asked one by one, and "
        "the input is billed each time"
    ]


def test_a_stream_that_works_is_remembered_as_working(tmp_path: Path) -> None:
    with fake.fake_service([]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        events = run(STREAMED)
    assert images(events) == [0, 1]
    assert not [e for e in events if isinstance(e, PartialImage)]  # the fake sends none
    profile = ServiceProfiles(tmp_path / "profiles.json").get(service.base_url)
    assert profile.known == {"streaming": True, "multiple_images": True}
    assert ("Streaming", "yes") in profile.rows()
    assert ("Edits (/images/edits)", "not tried yet") in profile.rows()


def test_a_damaged_profiles_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text("{not json")
    profiles = ServiceProfiles(path)
    assert profiles.all() == [] and "damaged" in profiles.warnings[0]
    assert (tmp_path / "profiles.json.damaged").exists()


# --- the command line: one clear line, the contract's exit code, right the second time --------


def generate(home: Path, base_url: str) -> tuple[int, str]:
    result = run_cli(
        home, "generate", "--base-url", base_url, "--text", "headline=有机绿茶",
        "--size", "1024x1024", "--quality", "low", "--max-retries", "0", key=KEY,
    )  # fmt: skip
    return result.returncode, result.stderr


def test_generate_against_a_service_that_does_not_stream(tmp_path: Path) -> None:
    with fake.fake_service([fake.PLAIN_JSON]) as service:
        assert generate(tmp_path, service.base_url) == (
            0, "zi-studio: warning: this service does not stream: no previews\n"
        )  # fmt: skip
        assert generate(tmp_path, service.base_url) == (0, "")
        assert [body.get("stream") for body in sent(service)] == [True, None]


def test_edit_against_a_service_without_edits(tmp_path: Path) -> None:
    image = tmp_path / "in.png"
    image.write_bytes(fake.png_bytes())
    with fake.fake_service([fake.NO_EDITS]) as service:
        for _ in range(2):
            result = run_cli(tmp_path, "edit", str(image), "--instruction", "Make it blue",
                             "--base-url", service.base_url, key=KEY)  # fmt: skip
            assert result.returncode == 3
            assert result.stderr.strip().splitlines()[-1] == f"zi-studio: {NO_EDITS}"
        assert len(service.requests) == 1


def test_a_400_that_only_mentions_upstream_is_not_a_refused_stream(tmp_path: Path) -> None:
    upstream = fake.Answer(400, fake.error_body("The upstream provider rejected the prompt."))
    with fake.fake_service([upstream]) as service:
        run = Run(service.base_url, tmp_path / "profiles.json")
        error = failure(run(STREAMED))
        assert len(service.requests) == 1
    assert isinstance(error, RefusedError) and "upstream provider" in error.message
    assert run.notes == []


def test_a_base_url_that_is_not_a_url_keeps_its_own_profile_key() -> None:
    assert profile_key("http://[::1") == "http://[::1"
    assert profile_key("HTTPS://Gateway.Example/v1/") == "https://gateway.example/v1"
    assert profile_key(None) == "https://api.openai.com/v1"
