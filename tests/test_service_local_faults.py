"""ImageService on the embedded engine with its fault modes: the same outcomes as a real service."""

from __future__ import annotations

import asyncio

import httpx2
import pytest
from PySide6.QtWidgets import QApplication

from app.core.plan import plan_generation
from app.core.spec import Spec, TextBlock
from app.engine.errors import (
    AuthenticationFailedError,
    MalformedAnswerError,
    ModerationBlockedError,
    RateLimitedError,
    ServerFailedError,
    ServiceError,
    TimedOutError,
    UnreachableError,
)
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

pytestmark = pytest.mark.gui

SPEC = Spec(
    description="Tea box", texts=(TextBlock("headline", "有机绿茶"),), n=2, size="1024x1024"
)


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """The engine draws with Qt: a QApplication exists first."""


def events_with(
    faults: FaultPlan, *, partials: int = 1, retries: int = 0, timeout: float = 60
) -> list[ImageEvent]:
    request = plan_generation(SPEC, partial_images=partials, stream=True).request

    async def run() -> list[ImageEvent]:
        client = httpx2.AsyncClient(transport=StreamingASGITransport(create_app(faults=faults)))
        options = ServiceOptions(
            api_key="local", base_url=LOCAL_BASE_URL, timeout=timeout, max_retries=retries
        )
        service = OpenAIImageService(options, http_client=client)
        try:
            return [event async for event in service.generate(request)]
        finally:
            await service.close()

    return asyncio.run(run())


def test_partials_then_completed_per_image() -> None:
    events = events_with(FaultPlan(), partials=2)
    kinds = [(type(e).__name__, getattr(e, "image_index", None)) for e in events]
    assert kinds == [
        ("PartialImage", 0), ("PartialImage", 0), ("CompletedImage", 0),
        ("PartialImage", 1), ("PartialImage", 1), ("CompletedImage", 1),
    ]  # fmt: skip
    completed = [e for e in events if isinstance(e, CompletedImage)]
    assert all((e.width, e.height) == (1024, 1024) for e in completed)
    assert isinstance(events[0], PartialImage) and events[0].data.startswith(b"\x89PNG")


def test_rate_limit_is_retried_by_the_sdk() -> None:
    faults = FaultPlan().queue(Fault.rate_limit(retry_after=0.01))
    events = events_with(faults, retries=1)
    assert sum(isinstance(e, CompletedImage) for e in events) == 2
    assert faults.requests == 2


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [
        (Fault.rate_limit(retry_after=0.01), RateLimitedError),
        (Fault.server_error(), ServerFailedError),
        (Fault.moderation("output", ("violence",)), ModerationBlockedError),
        (Fault.unauthorized(), AuthenticationFailedError),
        (Fault.malformed_json(), MalformedAnswerError),
        (Fault.bad_base64(), MalformedAnswerError),
        (Fault.cut_short(after_events=3), UnreachableError),
        (Fault.delay(5), TimedOutError),
    ],
)
def test_each_fault_becomes_its_typed_outcome(fault: Fault, outcome: type[ServiceError]) -> None:
    events = events_with(FaultPlan().queue(fault), timeout=1)
    failure = events[-1]
    assert isinstance(failure, ImageFailed)
    assert type(failure.error) is outcome
    assert failure.error.message.endswith(".")


def test_a_stream_cut_after_the_first_image_keeps_it() -> None:
    events = events_with(FaultPlan().queue(Fault.cut_short(after_events=2)))
    assert isinstance(events[1], CompletedImage)
    failure = events[-1]
    assert isinstance(failure, ImageFailed)
    assert "1 image(s) received before are kept" in failure.error.message
