"""How much of a request body the engine reads: JSON bodies are small, edits carry images.

The image API takes a JSON body of a prompt (at most 32,000 characters) and a few fields, and an
edit of up to 16 images of 50 MB each and a 4 MB mask. Beyond those, a body is refused with 413 and
the API's error shape: at once when its Content-Length says so, else as soon as the bytes read pass
the limit (a chunked body is never read to its end first). What follows is read and dropped, up to
``DISCARD_BYTES``, so that a client that sends its whole body before reading the answer (most do)
gets the 413 instead of a reset connection.
"""

from __future__ import annotations

from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.models import MAX_INPUT_IMAGES
from app.engine.local.errors import ApiError
from app.engine.local.inputs import MAX_IMAGE_BYTES, MAX_MASK_BYTES
from app.engine.local.wire import error_response

MAX_JSON_BODY: Final = 8 * 1024 * 1024
"""A prompt, the studio's spec and some fields: far below this."""
MAX_FORM_BODY: Final = MAX_INPUT_IMAGES * MAX_IMAGE_BYTES + MAX_MASK_BYTES + 1024 * 1024
"""Sixteen images at their limit, a mask at its limit, and a megabyte for the fields."""
DISCARD_BYTES: Final = 64 * 1024 * 1024
"""How much of a refused body is read (and dropped, never kept) so that the client hears why."""


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        f"The request body is larger than the {limit // (1024 * 1024):,} MB this endpoint "
        "accepts. Send smaller images or fewer of them.",
        code="request_too_large",
    )


class BodyLimit:
    """ASGI middleware: refuses (413) a request body over its limit without reading the rest."""

    def __init__(
        self, app: ASGIApp, *, json_bytes: int = MAX_JSON_BODY, form_bytes: int = MAX_FORM_BODY
    ) -> None:
        self.app = app
        self.json_bytes = json_bytes
        self.form_bytes = form_bytes

    def _limit(self, headers: dict[bytes, bytes]) -> int:
        content_type = headers.get(b"content-type", b"").lower()
        return self.form_bytes if content_type.startswith(b"multipart/") else self.json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        limit = self._limit(headers)
        declared = headers.get(b"content-length", b"").strip()
        if declared.isdigit() and len(declared) < 20 and int(declared) > limit:
            if int(declared) <= limit + DISCARD_BYTES:
                await _discard(receive, DISCARD_BYTES + limit)
            await error_response(too_large(limit))(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if message.get("more_body", False):
                        await _discard(receive, DISCARD_BYTES)
                    raise too_large(limit)  # answered by the app's ApiError handler
            return message

        await self.app(scope, limited, send)


async def _discard(receive: Receive, at_most: int) -> None:
    """Read and drop the rest of a body, up to ``at_most`` bytes."""
    dropped = 0
    while dropped <= at_most:
        message = await receive()
        if message["type"] != "http.request":
            return
        dropped += len(message.get("body", b""))
        if not message.get("more_body", False):
            return
