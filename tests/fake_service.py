"""A small scripted image service on a loopback port: each request takes the next scripted answer.

It answers like a real service would fail: 429 with retry-after, 500, a moderation block, 401,
malformed JSON, invalid base64, a body cut short, or a good image. Tests and command-line
subprocesses reach it through the real SDK and a real socket.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image


def png_bytes(width: int = 1024, height: int = 1024, color: str = "#c0d8c0") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


USAGE = {
    "input_tokens": 50,
    "input_tokens_details": {"text_tokens": 50, "image_tokens": 0},
    "output_tokens": 196,
    "total_tokens": 246,
}


def image_body(n: int = 1, width: int = 1024, height: int = 1024) -> dict[str, Any]:
    data = base64.b64encode(png_bytes(width, height)).decode()
    return {
        "created": int(time.time()),
        "data": [{"b64_json": data} for _ in range(n)],
        "size": f"{width}x{height}",
        "quality": "low",
        "background": "opaque",
        "output_format": "png",
        "usage": USAGE,
    }


def error_body(message: str, *, kind: str = "invalid_request_error", code: str | None = None,
               param: str | None = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"error": {"message": message, "type": kind, "param": param, "code": code, **extra}}


@dataclass
class Answer:
    status: int = 200
    body: Any = None  # dict → JSON, bytes → sent as is
    headers: dict[str, str] = field(default_factory=dict)
    cut_short: bool = False  # announce the full length, send half, close
    hang_up: bool = False  # close the connection without answering at all
    plain_json: bool = False  # a JSON body even when the request asked for a stream


OK = Answer(200, None)
RATE_LIMITED = Answer(
    429, error_body("Rate limit reached", kind="requests", code="rate_limit_exceeded"),
    {"retry-after": "0"},
)  # fmt: skip
SERVER_ERROR = Answer(500, error_body("The server had an error", kind="server_error"))
MODERATION = Answer(
    400,
    error_body(
        "Your request was rejected by the safety system.",
        kind="image_generation_user_error",
        code="moderation_blocked",
        moderation_details={"moderation_stage": "input", "categories": ["violence"]},
    ),
)
UNAUTHORIZED = Answer(
    401,
    error_body("Incorrect API key provided: sk-test-secret-0123456789.", code="invalid_api_key"),
)
MALFORMED_JSON = Answer(200, b'{"created": 1, "data": [')
INVALID_BASE64 = Answer(200, {"created": 1, "data": [{"b64_json": "@@not base64@@"}]})
CUT_SHORT = Answer(200, None, cut_short=True)
HANG_UP = Answer(hang_up=True)
PLAIN_JSON = Answer(plain_json=True)
REFUSE_STREAM = Answer(
    400,
    error_body("Unsupported parameter: 'stream'.", param="stream", code="unsupported_parameter"),
)
REFUSE_PARTIAL_IMAGES = Answer(
    400,
    error_body("Unknown parameter: 'partial_images'.", param="partial_images",
               code="unknown_parameter"),
)  # fmt: skip
NO_EDITS = Answer(404, error_body("Invalid URL (POST /v1/images/edits)"))
OUT_OF_CREDIT = Answer(
    429,
    error_body(
        "You exceeded your current quota, please check your plan and billing details.",
        kind="insufficient_quota",
        code="insufficient_quota",
    ),
)


def sse_events(payload: dict[str, Any] | bytes) -> bytes:
    """A 200 answer as the stream a service sends: one completed event per image."""
    if isinstance(payload, bytes):  # malformed: send it as the event's data
        return b"event: image_generation.completed\ndata: " + payload + b"\n\n"
    chunks = []
    for item in payload["data"]:
        event = {
            "type": "image_generation.completed",
            "created_at": payload.get("created", 0),
            "b64_json": item["b64_json"],
            "size": payload.get("size", "1024x1024"),
            "quality": payload.get("quality", "low"),
            "background": payload.get("background", "opaque"),
            "output_format": payload.get("output_format", "png"),
            "usage": payload.get("usage", USAGE),
        }
        chunks.append(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode())
    return b"".join(chunks)


class FakeService:
    """Serves ``script`` in order; after the script, answers with good images."""

    def __init__(self, script: list[Answer]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}  # served to GET, e.g. images answered as a url
        self.gets: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def _next(self) -> Answer:
        with self.lock:
            return self.script.pop(0) if self.script else OK

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                service.gets.append(
                    {"path": self.path, "authorization": self.headers.get("authorization")}
                )
                if self.path.endswith("/models"):
                    data = json.dumps({"object": "list", "data": []}).encode()
                    status = 200
                elif self.path in service.files:
                    data, status = service.files[self.path], 200
                else:
                    data, status = json.dumps(error_body("Not found")).encode(), 404
                self.send_response(status)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw) if raw.startswith(b"{") else {}
                except ValueError:
                    body = {}
                service.requests.append(
                    {
                        "path": self.path,
                        "body": body,
                        "authorization": self.headers.get("authorization"),
                        "raw": raw,
                    }
                )
                answer = service._next()
                if answer.hang_up:
                    self.close_connection = True
                    return
                payload = answer.body
                if payload is None:
                    payload = image_body(int(body.get("n", 1)))
                streamed = bool(body.get("stream")) and answer.status == 200
                streamed = streamed and not answer.plain_json
                if streamed:
                    data = sse_events(payload)
                else:
                    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(answer.status)
                kind = "text/event-stream" if streamed else "application/json"
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(data)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if answer.cut_short:
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                # A cancelled request: the client has gone.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

        return Handler


@contextmanager
def fake_service(script: list[Answer]) -> Iterator[FakeService]:
    service = FakeService(script)
    service.thread.start()
    try:
        yield service
    finally:
        service.server.shutdown()
        service.server.server_close()
