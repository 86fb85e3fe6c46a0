"""serve-local against hostile bodies: 400 or 413 with the API's error body, never a 500, and a
warning when it can be reached from other machines."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any, TypeVar

import httpx2
import pytest
from PySide6.QtWidgets import QApplication
from starlette.applications import Starlette

from app.engine.local import create_app
from app.engine.local.limits import DISCARD_BYTES, MAX_FORM_BODY, MAX_JSON_BODY
from app.engine.server import is_loopback
from app.engine.transport import StreamingASGITransport
from tests.local_server import serve_local
from tests.openai_schemas import validate_error

pytestmark = pytest.mark.gui
T = TypeVar("T")
GENERATIONS = "/v1/images/generations"
EDITS = "/v1/images/edits"


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """A QApplication exists before the engine asks for a QGuiApplication."""


@pytest.fixture
def engine() -> Starlette:
    return create_app()


def run(make: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await asyncio.wait_for(make(), 120)

    return asyncio.run(main())


def post(app: Starlette, path: str, **kwargs: Any) -> httpx2.Response:
    async def main() -> httpx2.Response:
        transport = StreamingASGITransport(app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://local") as client:
            return await client.post(path, **kwargs)

    return run(main)


def error_of(response: httpx2.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    validate_error(body)
    error: dict[str, Any] = body["error"]
    return error


# --- 400, not 500 --------------------------------------------------------------------------------


def test_a_body_nested_100000_deep_is_400(engine: Starlette) -> None:
    body = b'{"prompt": "p", "zi_spec": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    error = error_of(post(engine, GENERATIONS, content=body), 400)
    assert "could not parse the JSON body" in error["message"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"prompt": "\\ud800"}',
        b'{"prompt": "p", "\\udfff": 1}',
        b'{"prompt": "p", "zi_spec": {"texts": [{"text": "\\ud83d"}]}}',
    ],
)
def test_a_lone_surrogate_in_a_json_body_is_400(engine: Starlette, body: bytes) -> None:
    error = error_of(post(engine, GENERATIONS, content=body), 400)
    assert error["type"] == "invalid_request_error"


def test_bytes_that_are_not_utf8_in_a_form_field_are_400(engine: Starlette) -> None:
    boundary = b"zi-boundary"
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="prompt"\r\n\r\n'
        b"tea \xff\xfe\r\n"
        b"--" + boundary + b"--\r\n"
    )
    headers = {"content-type": f"multipart/form-data; boundary={boundary.decode()}"}
    error = error_of(post(engine, EDITS, content=body, headers=headers), 400)
    assert error["type"] == "invalid_request_error"


def test_a_prompt_with_control_characters_is_drawn_not_a_500(engine: Starlette) -> None:
    body = {"prompt": 'Poster with the text "a\x00\x1b\u202eb"', "size": "1024x640"}
    assert post(engine, GENERATIONS, json=body).status_code == 200


# --- 413 beyond the limits -----------------------------------------------------------------------


def test_the_limits_follow_the_api() -> None:
    assert 1_000_000 < MAX_JSON_BODY <= 16 * 1024 * 1024  # a 32,000-character prompt and a spec
    assert MAX_FORM_BODY >= 16 * 50 * 1024 * 1024 + 4 * 1024 * 1024  # 16 images and a mask


def test_a_json_body_over_the_limit_is_413(engine: Starlette) -> None:
    body = b'{"prompt": "' + b"x" * MAX_JSON_BODY + b'"}'
    error = error_of(post(engine, GENERATIONS, content=body), 413)
    assert error["code"] == "request_too_large" and "8 MB" in error["message"]


def test_a_chunked_body_is_refused_without_being_read_to_its_end() -> None:
    app = create_app(max_form_body=1024 * 1024)
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'--b\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n'
        while sent < 512 * 1024 * 1024:
            sent += 65536
            yield b"\x00" * 65536

    headers = {"content-type": "multipart/form-data; boundary=b"}
    error = error_of(post(app, EDITS, content=endless(), headers=headers), 413)
    assert "1 MB" in error["message"]
    assert sent < 1024 * 1024 + DISCARD_BYTES + 1024 * 1024  # read no further than that


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    app = create_app(max_form_body=1024 * 1024)
    reads = 0

    async def main() -> list[dict[str, Any]]:
        nonlocal reads
        scope = {
            "type": "http", "method": "POST", "path": EDITS, "raw_path": EDITS.encode(),
            "query_string": b"", "headers": [
                (b"content-type", b"multipart/form-data; boundary=b"),
                (b"content-length", b"999999999999"),
            ],
        }  # fmt: skip
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            nonlocal reads
            reads += 1
            return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(dict(message))

        await app(scope, receive, send)
        return sent

    sent = run(main)
    assert sent[0]["status"] == 413 and reads == 0
    assert json.loads(sent[1]["body"])["error"]["code"] == "request_too_large"


# --- over HTTP, and who can reach it -------------------------------------------------------------


def test_serve_local_answers_hostile_bodies_with_400_and_413() -> None:
    with serve_local() as base_url:
        for body, status in (
            (b"[" * 100_000 + b"]" * 100_000, 400),
            (b'{"prompt": "\\ud800"}', 400),
            (b"{" + b" " * (MAX_JSON_BODY + 1) + b"}", 413),
        ):
            request = urllib.request.Request(
                base_url + "/images/generations", data=body, method="POST",
                headers={"content-type": "application/json"},
            )  # fmt: skip
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(request, timeout=60)
            assert caught.value.code == status
            validate_error(json.loads(caught.value.read()))


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ("127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST")))
    assert not any(map(is_loopback, ("0.0.0.0", "::", "192.168.1.10", "example.com", "[::1")))


def test_serving_on_every_interface_says_so(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "app.cli", "serve-local", "--host", "0.0.0.0", "--port", "0"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZI_STUDIO_HOME": str(tmp_path)}
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()
        assert line.startswith("serving on http://0.0.0.0:")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and out == ""
    assert "warning: 0.0.0.0 is reachable from other machines" in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("host", ["[::1", "no-such-host.invalid", "\udcff"])
def test_a_host_that_cannot_be_bound_is_one_line(host: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve-local", "--host", host, "--port", "0"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZI_STUDIO_HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("zi-studio: cannot serve on")
