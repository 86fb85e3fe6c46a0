"""What OpenAI-compatible services and gateways do to a request, seen at the HTTP layer.

Two things are decided here, below the SDK, because the SDK would otherwise retry them:

- A 429 whose error is ``insufficient_quota`` is an empty account, not a busy one: retrying cannot
  help, so a response hook marks it ``x-should-retry: false`` (the SDK obeys that header). A rate
  limit is left alone and keeps its wait.
- Gateways cut requests they think too long (often at about 100 s): the connection is closed
  without any answer. When that happens after ``GATEWAY_CUT_SECONDS`` or more, the transport
  answers a 504 marked ``x-zi-gateway-cut`` (and not to be retried: the same request would be cut
  again, and may be billed) instead of a bare dropped connection, so the user is told what to do.

The proxy environment variables (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY) are honoured, each
proxy's transport wrapped the same way: a client given its own transport would otherwise ignore
them, and one left to make its proxy transports would pass by the wrapper. Loopback addresses (the
embedded engine's child process) never go through a proxy.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Final

import httpx2

GATEWAY_CUT_SECONDS: Final = 90.0
GATEWAY_CUT_HEADER: Final = "x-zi-gateway-cut"
SHOULD_RETRY_HEADER: Final = "x-should-retry"
QUOTA_CODE: Final = "insufficient_quota"

Clock = Callable[[], float]


def error_details(body: Any) -> dict[str, Any]:
    """The ``error`` object of an error body (or the body itself), {} when there is none."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return dict(body["error"])
    return dict(body) if isinstance(body, dict) else {}


def is_out_of_credit(details: dict[str, Any]) -> bool:
    return QUOTA_CODE in (details.get("code"), details.get("type"))


async def mark_quota_not_retryable(response: httpx2.Response) -> None:
    """Response hook: an ``insufficient_quota`` 429 is not to be retried."""
    if response.status_code != 429:
        return
    await response.aread()
    try:
        details = error_details(json.loads(response.content or b"{}"))
    except ValueError:
        return
    if is_out_of_credit(details):
        response.headers[SHOULD_RETRY_HEADER] = "false"


class GatewayCutTransport(httpx2.AsyncBaseTransport):
    """Wraps a transport: a connection closed without an answer after a long wait becomes a 504
    marked as a gateway cut, with the seconds waited. ``clock`` is injectable for tests."""

    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        *,
        clock: Clock = time.monotonic,
        threshold: float = GATEWAY_CUT_SECONDS,
    ) -> None:
        self._inner = inner
        self._clock = clock
        self._threshold = threshold

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        started = self._clock()
        try:
            return await self._inner.handle_async_request(request)
        except (httpx2.RemoteProtocolError, httpx2.ReadError):
            waited = self._clock() - started
            if waited < self._threshold:
                raise
        body = {
            "error": {
                "message": f"The connection was closed after {waited:.0f} s without an answer.",
                "type": "gateway_timeout",
                "param": None,
                "code": "gateway_cut",
            }
        }
        headers = {
            GATEWAY_CUT_HEADER: f"{waited:.0f}",
            SHOULD_RETRY_HEADER: "false",
        }
        return httpx2.Response(504, headers=headers, json=body, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def gateway_cut_seconds(response: httpx2.Response) -> float | None:
    """The seconds waited when ``response`` stands for a gateway cut, else None."""
    value = response.headers.get(GATEWAY_CUT_HEADER)
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def service_http_client(
    transport: httpx2.AsyncBaseTransport | None = None, *, clock: Clock = time.monotonic
) -> httpx2.AsyncClient:
    """The HTTP client the SDK sends with: the SDK's own defaults, plus the two rules above."""
    import openai

    mounts: dict[str, httpx2.AsyncBaseTransport | None] = {}
    if transport is None:  # a transport given (tests, an app in process) is used as it is
        mounts = proxy_mounts(lambda url: GatewayCutTransport(_proxied(url), clock=clock))
    inner = transport if transport is not None else httpx2.AsyncHTTPTransport()
    return openai.DefaultAsyncHttpxClient(
        transport=GatewayCutTransport(inner, clock=clock),
        mounts=mounts,
        event_hooks={"response": [mark_quota_not_retryable]},
    )


LOOPBACK: Final = ("all://127.0.0.1", "all://localhost", "all://[::1]")


def proxy_mounts(
    wrap: Callable[[str], httpx2.AsyncBaseTransport],
) -> dict[str, httpx2.AsyncBaseTransport | None]:
    """The environment's proxies as httpx mounts, each proxy's transport made by ``wrap``; None
    (no proxy: the client's own transport) for NO_PROXY hosts and loopback addresses."""
    from httpx2._utils import get_environment_proxies  # how httpx itself reads them

    found = get_environment_proxies()
    if not any(url is not None for url in found.values()):
        return {}
    mounts: dict[str, httpx2.AsyncBaseTransport | None] = {
        pattern: None if url is None else wrap(url) for pattern, url in found.items()
    }
    mounts.update(dict.fromkeys(LOOPBACK))
    return mounts


def _proxied(url: str) -> httpx2.AsyncBaseTransport:
    return httpx2.AsyncHTTPTransport(proxy=url)
