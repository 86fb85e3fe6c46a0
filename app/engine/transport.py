"""An httpx2 transport that runs an ASGI app in process and streams its responses.

httpx2's own ASGITransport collects the whole body before returning, so stream events would all
arrive at the end and a body cut short could not look like a dropped connection. Here the app runs
as a task; the response is returned as soon as it starts, and each body chunk is handed to the
reader when the app sends it. As over a socket:

- a body the app leaves unfinished raises ``httpx2.RemoteProtocolError`` in the reader;
- the request's read timeout applies to the response's start and to each chunk
  (``httpx2.ReadTimeout``);
- closing the response early tells the app the client disconnected, and stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any, Final

import httpx2

if TYPE_CHECKING:
    import openai

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

LOCAL_BASE_URL: Final = "http://zi-studio.local/v1"
LOCAL_API_KEY: Final = "local"


class _Exchange:
    """One request/response between the client and the app task."""

    def __init__(self, app: ASGIApp, scope: dict[str, Any], body: httpx2.AsyncByteStream) -> None:
        self._body = body.__aiter__()
        self._body_done = False
        self._disconnected = asyncio.Event()
        self._messages: asyncio.Queue[Message | None] = asyncio.Queue()
        self.error: BaseException | None = None
        self._task = asyncio.create_task(self._run(app, scope))

    async def _run(self, app: ASGIApp, scope: dict[str, Any]) -> None:
        try:
            await app(scope, self._receive, self._send)
        except Exception as error:
            self.error = error
        finally:
            self._messages.put_nowait(None)  # the app is done, finished or not

    async def _receive(self) -> Message:
        if not self._body_done:
            try:
                chunk = await self._body.__anext__()
            except StopAsyncIteration:
                self._body_done = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.request", "body": bytes(chunk), "more_body": True}
        await self._disconnected.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: Message) -> None:
        if self._disconnected.is_set():
            raise OSError("the client disconnected")
        self._messages.put_nowait(message)

    async def next_message(self, timeout: float | None) -> Message | None:
        """The app's next message, or None once the app has returned.

        ``asyncio.timeout`` rather than ``wait_for``: on Python 3.11, ``wait_for`` returns a message
        that arrived in the same loop step as a cancel, and the cancel is lost. Awaiting the queue
        directly lets the cancel win and leaves the message in the queue.
        """
        try:
            async with asyncio.timeout(timeout):
                return await self._messages.get()
        except TimeoutError:
            raise httpx2.ReadTimeout("the local engine did not answer in time") from None

    async def close(self) -> None:
        """Stop the app. The app's own cancellation is swallowed; a cancel of the caller is not."""
        self._disconnected.set()
        if not self._task.done():
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        # The caller's cancel may have been absorbed by the app's task ending: pass it on.
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise asyncio.CancelledError


class _ResponseStream(httpx2.AsyncByteStream):
    def __init__(self, exchange: _Exchange, timeout: float | None) -> None:
        self._exchange = exchange
        self._timeout = timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        received = 0
        while True:
            message = await self._exchange.next_message(self._timeout)
            if message is None:
                raise httpx2.RemoteProtocolError(
                    f"peer closed connection without sending complete message body "
                    f"(received {received} bytes)"
                ) from self._exchange.error
            if message.get("type") != "http.response.body":
                continue
            body = bytes(message.get("body", b""))
            if body:
                received += len(body)
                yield body
            if not message.get("more_body", False):
                return

    async def aclose(self) -> None:
        await self._exchange.close()


class StreamingASGITransport(httpx2.AsyncBaseTransport):
    """Sends requests to an ASGI app in this process; responses stream as the app sends them."""

    def __init__(self, app: ASGIApp, *, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app = app
        self.client = client

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if not isinstance(request.stream, httpx2.AsyncByteStream):
            raise TypeError("StreamingASGITransport needs an async request body")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(key.lower(), value) for key, value in request.headers.raw],
            "scheme": request.url.scheme,
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "server": (request.url.host, request.url.port),
            "client": self.client,
            "root_path": "",
        }
        timeouts = request.extensions.get("timeout", {})
        read_timeout = timeouts.get("read") if isinstance(timeouts, dict) else None
        exchange = _Exchange(self.app, scope, request.stream)
        try:
            while True:
                message = await exchange.next_message(read_timeout)
                if message is None:
                    raise httpx2.RemoteProtocolError(
                        "Server disconnected without sending a response."
                    ) from exchange.error
                if message.get("type") == "http.response.start":
                    break
        except BaseException:
            await exchange.close()
            raise
        return httpx2.Response(
            status_code=int(message["status"]),
            headers=[(bytes(key), bytes(value)) for key, value in message.get("headers", [])],
            stream=_ResponseStream(exchange, read_timeout),
            extensions={"http_version": b"HTTP/1.1"},
        )


def local_client(app: ASGIApp | None = None, **kwargs: Any) -> openai.AsyncOpenAI:
    """An ``openai.AsyncOpenAI`` that talks to the local engine in process.

    ``app`` defaults to a new engine (``create_app()``); other keyword arguments go to
    ``AsyncOpenAI`` (``timeout``, ``max_retries``...), with a placeholder key and base URL.
    """
    import openai

    if app is None:
        from app.engine.local import create_app

        app = create_app()
    kwargs.setdefault("api_key", LOCAL_API_KEY)
    kwargs.setdefault("base_url", LOCAL_BASE_URL)
    http_client = httpx2.AsyncClient(transport=StreamingASGITransport(app))
    return openai.AsyncOpenAI(http_client=http_client, **kwargs)
