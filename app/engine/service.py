"""ImageService: generate and edit as an async stream of events, over the official openai SDK.

The same class talks to OpenAI, to any OpenAI-compatible service and to the embedded local engine
(through an in-process HTTP transport), so the code that is tested is the code that ships.

Events: ``PartialImage`` (zero or more per image), ``CompletedImage`` (one per image, bytes already
decoded and checked off the event loop), and at most one ``ImageFailed`` that ends the stream.
Images completed before a failure have been yielded already: nothing received is lost. Cancelling
the consuming task cancels the request at once.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import copy
import dataclasses
import io
import json
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx2
import openai
from PIL import Image

from app.core.redaction import redact
from app.core.request import ImageRequest
from app.core.service_profile import LACKING, ProfileBook, ServiceProfile
from app.engine.answers import fetch_image, item_field, refused_capability
from app.engine.errors import (
    AuthenticationFailedError,
    GatewayCutError,
    MalformedAnswerError,
    ModerationBlockedError,
    QuotaExhaustedError,
    RateLimitedError,
    RefusedError,
    ServerFailedError,
    ServiceError,
    TimedOutError,
    UnreachableError,
)
from app.engine.gateway import gateway_cut_seconds, is_out_of_credit

DEFAULT_TIMEOUT_SECONDS = 600.0  # high quality calls can take over 2 minutes
DEFAULT_MAX_RETRIES = 2
KEPT_FORMATS = frozenset({"png", "webp", "jpeg"})
"""What the library keeps; the API answers in these only."""
_TIMED_OUT = "The service did not answer in time. Try again, or raise the timeout."
NO_EDITS = (
    "This service does not do edits (/images/edits): use another service, or the local engine "
    "(--engine local)."
)
NO_TRANSPARENT = "This service does not make transparent backgrounds."
OUT_OF_CREDIT = "The account is out of credit: add credit or use the local engine (--engine local)."


@dataclass(frozen=True, slots=True)
class PartialImage:
    image_index: int
    partial_index: int
    data: bytes


@dataclass(frozen=True, slots=True)
class CompletedImage:
    image_index: int
    data: bytes
    width: int
    height: int
    output_format: str
    usage: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ImageFailed:
    error: ServiceError


ImageEvent = PartialImage | CompletedImage | ImageFailed


class ImageService(Protocol):
    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]: ...

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]: ...


@dataclass(frozen=True, slots=True)
class ServiceOptions:
    api_key: str
    base_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    max_retries: int = DEFAULT_MAX_RETRIES
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    on_note: Callable[[str], None] | None = field(default=None, compare=False)
    """Told, once, what a service turned out not to do ("this service does not stream...")."""


_B64_CHUNK = 1 << 20  # characters; a multiple of 4, so only the last chunk has padding


def b64decode_chunked(text: str) -> bytes:
    """``base64.b64decode(text, validate=True)`` in pieces of about 1 MiB.

    One call on a 17 MB image holds the interpreter lock for ~40 ms wherever it runs, which
    the window's GUI thread feels as a frozen frame (DESIGN §2); pieces let it run in between.
    """
    if len(text) <= _B64_CHUNK:
        return base64.b64decode(text, validate=True)
    return b"".join(
        base64.b64decode(text[start : start + _B64_CHUNK], validate=True)
        for start in range(0, len(text), _B64_CHUNK)
    )


def _decode_image(b64: str | None) -> tuple[bytes, int, int, str]:
    """Base64 to bytes, checked to be an image; runs in a worker thread."""
    if not b64:
        raise MalformedAnswerError("The service answered without an image. Try again.")
    try:
        data = b64decode_chunked(b64)
    except (binascii.Error, ValueError):
        raise MalformedAnswerError(
            "The service sent an image that is not valid base64. Try again."
        ) from None
    return _check_image(data)


def _check_image(data: bytes) -> tuple[bytes, int, int, str]:
    """The image's bytes, size and format, checked to be an image; in a worker thread."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height = image.size
            fmt = (image.format or "").lower().replace("jpg", "jpeg")
    except Exception:  # Pillow raises many types for broken data
        raise MalformedAnswerError(
            "The service sent data that is not a readable image. Try again."
        ) from None
    if fmt not in KEPT_FORMATS:
        raise MalformedAnswerError(
            f"The service sent a {fmt.upper() or 'strange'} image, not PNG, WebP or JPEG: the "
            "images received before it are kept. Try again, or use another service."
        )
    return data, width, height, fmt


async def decode_image(b64: str | None) -> tuple[bytes, int, int, str]:
    return await asyncio.to_thread(_decode_image, b64)


def _usage_dict(usage: Any) -> dict[str, Any] | None:
    if usage is None:
        return None
    if hasattr(usage, "model_dump"):
        return dict(usage.model_dump(exclude_none=True))
    return dict(usage) if isinstance(usage, Mapping) else None


class _Progress:
    """What one call has yielded so far: a refusal after images cannot be asked again."""

    def __init__(self) -> None:
        self.completed = 0
        self.events = 0


def _shifted(event: ImageEvent, offset: int) -> ImageEvent:
    if offset and isinstance(event, PartialImage | CompletedImage):
        return dataclasses.replace(event, image_index=event.image_index + offset)
    return event


class OpenAIImageService:
    """An ImageService over ``openai.AsyncOpenAI``; ``http_client`` picks the transport.

    ``profiles`` keeps what each base URL can do (learned from its answers, so the next request
    goes right the first time); ``options.on_note`` is told, once, what a service turned out not
    to do.
    """

    def __init__(
        self,
        options: ServiceOptions,
        *,
        http_client: httpx2.AsyncClient | None = None,
        profiles: ProfileBook | None = None,
    ):
        self._options = options
        self._profiles = profiles if profiles is not None else ProfileBook()
        self._client = openai.AsyncOpenAI(
            api_key=options.api_key,
            base_url=options.base_url,
            timeout=options.timeout,
            max_retries=options.max_retries,
            http_client=http_client,
        )

    async def close(self) -> None:
        await self._client.close()

    def with_extra_body(self, extra: Mapping[str, Any]) -> OpenAIImageService:
        """This service (the same client and profiles) sending ``extra`` with each request:
        the studio's own engine gets each job's spec this way. Close the original, not this."""
        view = copy.copy(self)
        view._options = dataclasses.replace(self._options, extra_body=dict(extra))
        return view

    @property
    def profile(self) -> ServiceProfile:
        return self._profiles.get(self._options.base_url)

    async def check_connection(self) -> str | None:
        """A free ``GET /models``: None when the service answers, else one sentence."""
        try:
            await self._client.models.list()
        except openai.APIError as error:
            return service_error(error, self._options.api_key).message
        except httpx2.TransportError as error:
            return _dropped(error, 0).message
        return None

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._run(request)

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._run(request)

    def _params(self, request: ImageRequest) -> dict[str, Any]:
        params = request.api_params()
        if self._options.extra_body:
            params["extra_body"] = dict(self._options.extra_body)
        return params

    def _learn(self, capability: str, supported: bool) -> None:
        learned = self._profiles.learn(self._options.base_url, capability, supported)
        if learned and not supported and self._options.on_note is not None:
            self._options.on_note(LACKING[capability])

    async def _run(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        key = self._options.api_key
        progress = _Progress()
        try:
            async with contextlib.aclosing(self._adapted(request, progress)) as events:
                async for event in events:
                    yield event
        except ServiceError as error:
            yield ImageFailed(error)
        except openai.APIError as error:
            yield ImageFailed(service_error(error, key, completed=progress.completed))
        except httpx2.TransportError as error:
            yield ImageFailed(_dropped(error, progress.completed))
        except json.JSONDecodeError:
            yield ImageFailed(
                MalformedAnswerError("The service's answer was not valid JSON. Try again.")
            )
        except FileNotFoundError as error:
            yield ImageFailed(RefusedError(f"Cannot read {error.filename}.", status=None))

    async def _adapted(
        self, request: ImageRequest, progress: _Progress
    ) -> AsyncGenerator[ImageEvent, None]:
        """The request as this service can take it, from what it is known to lack."""
        profile = self.profile
        if request.kind == "edit" and profile.lacks("edits"):
            raise RefusedError(NO_EDITS, status=404)
        if request.background == "transparent" and profile.lacks("transparent"):
            raise RefusedError(NO_TRANSPARENT, status=400, param="background")
        if request.n > 1 and profile.lacks("multiple_images"):
            events = self._one_by_one(request, progress, start=0)
        else:
            events = self._with_fallbacks(request, progress)
        async with contextlib.aclosing(events) as adapted:
            async for event in adapted:
                yield event

    async def _one_by_one(
        self, request: ImageRequest, progress: _Progress, *, start: int
    ) -> AsyncGenerator[ImageEvent, None]:
        """Images ``start``..n-1 as requests of one image each."""
        single = dataclasses.replace(request, n=1)
        for index in range(start, request.n):
            async with contextlib.aclosing(self._with_fallbacks(single, progress)) as events:
                async for event in events:
                    yield _shifted(event, index)

    async def _with_fallbacks(
        self, request: ImageRequest, progress: _Progress
    ) -> AsyncGenerator[ImageEvent, None]:
        """Send; when the service refuses a capability before any image, ask again without it."""
        dropped = {
            name for name in ("streaming", "partial_images", "masks") if self.profile.lacks(name)
        }
        while True:
            before, events_before = progress.completed, progress.events
            try:
                async with contextlib.aclosing(self._send(request, dropped, progress)) as events:
                    async for event in events:
                        yield event
            except openai.APIStatusError as error:
                capability = refused_capability(error, request)
                answered = progress.events > events_before
                if answered or capability is None or capability in dropped:
                    raise
                self._learn(capability, False)
                if capability == "edits":
                    raise RefusedError(NO_EDITS, status=404) from None
                if capability == "transparent":
                    raise  # the job asks again with a key colour
                if capability == "multiple_images":
                    async with contextlib.aclosing(
                        self._one_by_one(request, progress, start=0)
                    ) as events:
                        async for event in events:
                            yield event
                    return
                dropped.add(capability)
                continue
            received = progress.completed - before
            if 0 < received < request.n:  # n > 1 answered with fewer: one request per image
                self._learn("multiple_images", False)
                async with contextlib.aclosing(
                    self._one_by_one(request, progress, start=received)
                ) as events:
                    async for event in events:
                        yield event
            elif request.n > 1:
                self._learn("multiple_images", True)
            if request.kind == "edit":
                self._learn("edits", True)
                if request.mask is not None and "masks" not in dropped:
                    self._learn("masks", True)
            return

    async def _send(
        self, request: ImageRequest, dropped: set[str], progress: _Progress
    ) -> AsyncGenerator[ImageEvent, None]:
        stream = (request.stream or request.partial_images > 0) and "streaming" not in dropped
        async with contextlib.AsyncExitStack() as files:
            params = self._params(request)
            if request.kind == "edit":
                params["image"] = [
                    files.enter_context(Path(path).open("rb"))  # noqa: SIM115
                    for path in request.images
                ]
                if len(params["image"]) == 1:
                    params["image"] = params["image"][0]
                if request.mask is not None and "masks" not in dropped:
                    mask = Path(request.mask).open("rb")  # noqa: SIM115 (closed by the stack)
                    params["mask"] = files.enter_context(mask)
            raw_images = self._client.images.with_raw_response
            call: Any = raw_images.edit if request.kind == "edit" else raw_images.generate
            if not stream:
                answer = (await call(**params)).parse()
                items, usage = answer.data or [], getattr(answer, "usage", None)
            else:
                if "partial_images" not in dropped:
                    params["partial_images"] = request.partial_images
                raw = await call(stream=True, **params)
                if not _is_json(raw.http_response):
                    # Closed explicitly: a consumer that stops early (a full disk) must end the
                    # request now, not leave it to the loop's shutdown.
                    streamed = self._streamed(raw.parse(), request, progress)
                    async with contextlib.aclosing(streamed) as events:
                        async for event in events:
                            yield event
                    return
                # A plain JSON answer to a streaming request: the service does not stream.
                body = json.loads(await raw.http_response.aread())
                self._learn("streaming", False)
                if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                    raise MalformedAnswerError(
                        "The service's answer was not in the expected shape."
                    )
                items, usage = body["data"], body.get("usage")
            usage_dict = _usage_dict(usage)
            for index, item in enumerate(items):
                data, width, height, fmt = await self._image_of(item)
                progress.completed += 1
                progress.events += 1
                yield CompletedImage(
                    index, data, width, height, fmt or request.output_format,
                    usage_dict if index == 0 else None,
                )  # fmt: skip
            if not items:
                raise MalformedAnswerError("The service answered without images. Try again.")

    async def _image_of(self, item: Any) -> tuple[bytes, int, int, str]:
        """One answered image: its base64, or the bytes behind its link."""
        b64 = item_field(item, "b64_json")
        url = item_field(item, "url")
        if not b64 and isinstance(url, str) and url:
            data = await fetch_image(url, self._options.timeout)
            return await asyncio.to_thread(_check_image, data)
        return await decode_image(b64)

    async def _streamed(
        self, events: Any, request: ImageRequest, progress: _Progress
    ) -> AsyncGenerator[ImageEvent, None]:
        image_index = 0
        partials = False
        async with events:
            async for event in events:
                kind = getattr(event, "type", "")
                if kind.endswith(".partial_image"):
                    data, _, _, _ = await decode_image(event.b64_json)
                    partials = True
                    progress.events += 1
                    yield PartialImage(image_index, int(event.partial_image_index), data)
                elif kind.endswith(".completed"):
                    data, width, height, fmt = await decode_image(event.b64_json)
                    usage = _usage_dict(getattr(event, "usage", None))
                    progress.completed += 1
                    progress.events += 1
                    yield CompletedImage(
                        image_index, data, width, height, fmt or request.output_format, usage
                    )
                    image_index += 1
        if image_index == 0:
            raise MalformedAnswerError("The stream ended without an image. Try again.")
        if image_index < request.n:
            raise MalformedAnswerError(
                f"The stream ended after {image_index} of {request.n} images; those are kept. "
                "Try again for the rest."
            )
        self._learn("streaming", True)
        if partials:
            self._learn("partial_images", True)


def _is_json(response: httpx2.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip() == "application/json"


def _dropped(error: Exception, completed: int) -> ServiceError:
    if isinstance(error, httpx2.TimeoutException):
        return TimedOutError(_TIMED_OUT)
    kept = f" The {completed} image(s) received before are kept." if completed else ""
    return UnreachableError(
        f"The connection dropped before the answer was complete.{kept} Check the network and "
        "try again."
    )


def _error_body(error: openai.APIStatusError) -> dict[str, Any]:
    body = error.body
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        return dict(body["error"])
    return dict(body) if isinstance(body, Mapping) else {}


def service_error(
    error: openai.APIError, key: str | None = None, *, completed: int = 0
) -> ServiceError:
    """The typed outcome for an exception raised by the SDK, with the key redacted.

    ``completed``: images already received, which a dropped connection's message says are kept.
    """
    if isinstance(error, openai.APITimeoutError):
        return TimedOutError(_TIMED_OUT)
    if isinstance(error, openai.APIConnectionError):
        cause = error.__cause__
        if isinstance(cause, httpx2.TransportError) and not isinstance(cause, httpx2.ConnectError):
            return _dropped(cause, completed)
        return UnreachableError(
            "Cannot reach the image service. Check the network and the base URL, then try again."
        )
    if isinstance(error, openai.APIResponseValidationError):
        return MalformedAnswerError("The service's answer was not in the expected shape.")
    if not isinstance(error, openai.APIStatusError):
        return MalformedAnswerError(redact(str(error), key))
    details = _error_body(error)
    reason = redact(str(details.get("message") or error.message), key).strip()
    status = error.status_code
    if details.get("code") == "moderation_blocked":
        moderation = details.get("moderation_details") or {}
        stage = moderation.get("moderation_stage") if isinstance(moderation, Mapping) else None
        categories = tuple(moderation.get("categories") or ()) if stage else ()
        what = "the image it made" if stage == "output" else "the prompt"
        return ModerationBlockedError(
            f"The service's safety system blocked {what}"
            + (f" ({', '.join(categories)})" if categories else "")
            + ": change the description or the texts and try again.",
            stage=stage,
            categories=categories,
        )
    if status in (401, 403):
        return AuthenticationFailedError(
            f"The service refused the API key ({status}): check the key in Settings or "
            "OPENAI_API_KEY.",
            status=status,
        )
    if status == 429 and is_out_of_credit(details):
        return QuotaExhaustedError(OUT_OF_CREDIT)
    if (waited := gateway_cut_seconds(error.response)) is not None:
        return GatewayCutError(
            f"The gateway closed the connection after {waited:.0f} s without an answer: it cuts "
            "long requests. Turn on streaming (partial images) or choose a lower quality, then "
            "try again.",
            seconds=waited,
        )
    if status == 429:
        retry = error.response.headers.get("retry-after")
        retry_after = float(retry) if retry and retry.replace(".", "", 1).isdigit() else None
        wait = f" Try again in {retry_after:g} s." if retry_after else " Try again later."
        return RateLimitedError(
            f"The service is rate-limiting requests: {reason.rstrip('.!')}.{wait}",
            retry_after=retry_after,
        )
    if status >= 500:
        return ServerFailedError(
            f"The service failed ({status}) after retries: {reason.rstrip('.!')}. Try again later.",
            status=status,
        )
    param = details.get("param")
    return RefusedError(
        f"The service refused the request ({status}): {reason}",
        status=status,
        param=param if isinstance(param, str) else None,
        code=details.get("code") if isinstance(details.get("code"), str) else None,
    )
