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
import io
import json
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx2
import openai
from PIL import Image

from app.core.redaction import redact
from app.core.request import ImageRequest
from app.engine.errors import (
    AuthenticationFailedError,
    MalformedAnswerError,
    ModerationBlockedError,
    RateLimitedError,
    RefusedError,
    ServerFailedError,
    ServiceError,
    TimedOutError,
    UnreachableError,
)

DEFAULT_TIMEOUT_SECONDS = 600.0  # high quality calls can take over 2 minutes
DEFAULT_MAX_RETRIES = 2
KEPT_FORMATS = frozenset({"png", "webp", "jpeg"})
"""What the library keeps; the API answers in these only."""
_TIMED_OUT = "The service did not answer in time. Try again, or raise the timeout."


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


class OpenAIImageService:
    """An ImageService over ``openai.AsyncOpenAI``; ``http_client`` picks the transport."""

    def __init__(self, options: ServiceOptions, *, http_client: httpx2.AsyncClient | None = None):
        self._options = options
        self._client = openai.AsyncOpenAI(
            api_key=options.api_key,
            base_url=options.base_url,
            timeout=options.timeout,
            max_retries=options.max_retries,
            http_client=http_client,
        )

    async def close(self) -> None:
        await self._client.close()

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._run(request)

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._run(request)

    def _params(self, request: ImageRequest) -> dict[str, Any]:
        params = request.api_params()
        if self._options.extra_body:
            params["extra_body"] = dict(self._options.extra_body)
        return params

    async def _run(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        key = self._options.api_key
        completed = 0
        try:
            stream = request.stream or request.partial_images > 0
            async with contextlib.AsyncExitStack() as files:
                params = self._params(request)
                if request.kind == "edit":
                    params["image"] = [
                        files.enter_context(Path(path).open("rb"))  # noqa: SIM115
                        for path in request.images
                    ]
                    if len(params["image"]) == 1:
                        params["image"] = params["image"][0]
                    if request.mask is not None:
                        mask = Path(request.mask).open("rb")  # noqa: SIM115 (closed by the stack)
                        params["mask"] = files.enter_context(mask)
                images = self._client.images
                call: Any = images.edit if request.kind == "edit" else images.generate
                if stream:
                    params["partial_images"] = request.partial_images
                    # Closed explicitly: a consumer that stops early (a full disk) must end the
                    # request now, not leave it to the loop's shutdown.
                    async with contextlib.aclosing(self._streamed(call, params, request)) as events:
                        async for event in events:
                            if isinstance(event, CompletedImage):
                                completed += 1
                            yield event
                else:
                    response = await call(**params)
                    usage = _usage_dict(getattr(response, "usage", None))
                    for index, item in enumerate(response.data or []):
                        data, width, height, fmt = await decode_image(item.b64_json)
                        completed += 1
                        yield CompletedImage(
                            index, data, width, height, fmt or request.output_format,
                            usage if index == 0 else None,
                        )  # fmt: skip
                    if completed == 0:
                        raise MalformedAnswerError(
                            "The service answered without images. Try again."
                        )
        except ServiceError as error:
            yield ImageFailed(error)
        except openai.APIError as error:
            yield ImageFailed(service_error(error, key, completed=completed))
        except httpx2.TransportError as error:
            yield ImageFailed(_dropped(error, completed))
        except json.JSONDecodeError:
            yield ImageFailed(
                MalformedAnswerError("The service's answer was not valid JSON. Try again.")
            )
        except FileNotFoundError as error:
            yield ImageFailed(RefusedError(f"Cannot read {error.filename}.", status=None))

    async def _streamed(
        self, call: Any, params: dict[str, Any], request: ImageRequest
    ) -> AsyncGenerator[ImageEvent, None]:
        image_index = 0
        events = await call(stream=True, **params)
        async with events:
            if _is_json(events.response):
                # A gateway that does not stream answered with the whole body: take it as it is.
                async for image in _json_images(events.response, request):
                    yield image
                return
            async for event in events:
                kind = getattr(event, "type", "")
                if kind.endswith(".partial_image"):
                    data, _, _, _ = await decode_image(event.b64_json)
                    yield PartialImage(image_index, int(event.partial_image_index), data)
                elif kind.endswith(".completed"):
                    data, width, height, fmt = await decode_image(event.b64_json)
                    usage = _usage_dict(getattr(event, "usage", None))
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


def _is_json(response: httpx2.Response) -> bool:
    return response.headers.get("content-type", "").split(";")[0].strip() == "application/json"


async def _json_images(
    response: httpx2.Response, request: ImageRequest
) -> AsyncGenerator[CompletedImage, None]:
    """The images of a plain JSON answer (``json.JSONDecodeError`` when it is not JSON)."""
    body = json.loads(await response.aread())
    items = body.get("data") if isinstance(body, Mapping) else None
    if not isinstance(items, list) or not items:
        raise MalformedAnswerError("The service answered without images. Try again.")
    usage = _usage_dict(body.get("usage"))
    for index, item in enumerate(items):
        b64 = item.get("b64_json") if isinstance(item, Mapping) else None
        data, width, height, fmt = await decode_image(b64)
        yield CompletedImage(
            index, data, width, height, fmt or request.output_format, usage if index == 0 else None
        )


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
