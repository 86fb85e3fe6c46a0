"""Bodies on the wire: JSON answers, Server-Sent Events, and the faults that spoil them.

Events are sent as the API sends them: ``event: <type>`` and one ``data:`` line of JSON, then a
blank line; no ``[DONE]``. A body "cut short" sends part of itself and then ends the response
without completing it, which a server turns into a dropped connection.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, Final

from starlette.responses import Response, StreamingResponse
from starlette.types import Send

from app.engine.local.errors import ApiError
from app.engine.local.faults import Fault

BAD_BASE64: Final = "%%this is not base64%%"
EVENT_STREAM: Final = "text/event-stream; charset=utf-8"


class ConnectionDropped(Exception):
    """Raised by a body iterator to end the response without completing it."""


class DroppableResponse(StreamingResponse):
    """A streamed response whose body may stop mid-way, as a dropped connection does."""

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        except ConnectionDropped:
            return  # no final body message: the server closes the connection unfinished


def fault_error(fault: Fault, model: str) -> ApiError | None:
    """The error answer of a status fault; None for faults that spoil a 200 answer."""
    if fault.kind == "rate_limit":
        headers = {}
        if fault.retry_after is not None:
            headers["retry-after"] = str(max(1, math.ceil(fault.retry_after)))
            headers["retry-after-ms"] = str(round(fault.retry_after * 1000))
        return ApiError(
            429,
            f"Rate limit reached for {model} (images per minute). Please try again later.",
            type="requests",
            code="rate_limit_exceeded",
            headers=headers,
        )
    if fault.kind == "server_error":
        return ApiError(
            fault.status,
            "The server had an error while processing your request. Sorry about that!",
            type="server_error",
        )
    if fault.kind == "too_large":
        return ApiError(413, "Request too large: the body is over the size limit.")
    if fault.kind == "moderation":
        details = {"moderation_stage": fault.stage, "categories": list(fault.categories)}
        return ApiError(
            400,
            "Your request was rejected by the safety system. If you believe this is an error, "
            "contact us at help.openai.com and include the request ID.",
            type="image_generation_user_error",
            code="moderation_blocked",
            extra={"moderation_details": details},
        )
    if fault.kind == "unauthorized":
        return ApiError(
            401,
            "Incorrect API key provided. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            code="invalid_api_key",
        )
    return None


def error_response(error: ApiError) -> Response:
    return Response(
        json.dumps(error.body(), ensure_ascii=False),
        status_code=error.status,
        headers=error.headers,
        media_type="application/json",
    )


def _spoiled(payload: Mapping[str, Any], fault: Fault | None) -> dict[str, Any]:
    data = dict(payload)
    if fault is not None and fault.kind == "stream_ends" and "data" in data:
        data["data"] = []  # the answer's equivalent of a stream that ends before any image
    if fault is not None and fault.kind == "bad_base64":
        if "b64_json" in data:
            data["b64_json"] = BAD_BASE64
        if isinstance(data.get("data"), list):
            data["data"] = [{**item, "b64_json": BAD_BASE64} for item in data["data"]]
    return data


def json_response(payload: Mapping[str, Any], fault: Fault | None) -> Response:
    """The 200 answer, spoiled by ``fault`` if it is a body fault."""
    body = json.dumps(_spoiled(payload, fault)).encode()
    if fault is not None and fault.kind == "malformed_json":
        body = body[: len(body) // 2]  # complete on the wire, but not JSON
    if fault is None or fault.kind != "cut_short":
        return Response(body, media_type="application/json")

    async def half() -> AsyncIterator[bytes]:
        yield body[: len(body) // 2]
        raise ConnectionDropped

    headers = {"content-length": str(len(body))}
    return DroppableResponse(half(), headers=headers, media_type="application/json")


def sse_event(payload: Mapping[str, Any]) -> bytes:
    return f"event: {payload['type']}\ndata: {json.dumps(payload)}\n\n".encode()


async def _sse(
    events: AsyncGenerator[dict[str, Any], None], fault: Fault | None, images: int
) -> AsyncIterator[bytes]:
    sent = completed = 0
    async with contextlib.aclosing(events):
        async for payload in events:
            if str(payload.get("type", "")).endswith(".completed"):
                completed += 1
                if fault is not None and fault.kind == "stream_ends" and completed == images:
                    return  # a clean end, one image short
            chunk = sse_event(_spoiled(payload, fault))
            if fault is not None and fault.kind == "malformed_json" and sent == 0:
                header, _, data = chunk.partition(b"data: ")
                chunk = header + b"data: " + data[: len(data) // 2] + b"\n\n"
            if fault is not None and fault.kind == "cut_short" and sent >= fault.after_events:
                yield chunk[: len(chunk) // 2]
                raise ConnectionDropped
            yield chunk
            sent += 1
    if fault is not None and fault.kind == "cut_short":
        raise ConnectionDropped


def sse_response(
    events: AsyncGenerator[dict[str, Any], None], fault: Fault | None, images: int
) -> Response:
    """The event stream of ``images`` images, spoiled by ``fault`` if it is a body fault."""
    headers = {"cache-control": "no-cache"}
    return DroppableResponse(_sse(events, fault, images), headers=headers, media_type=EVENT_STREAM)
