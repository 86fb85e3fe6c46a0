"""A proxy from the environment is used, and the gateway-cut rule still applies through it; loopback
addresses never go through it (issue 9)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from app.engine.gateway import GATEWAY_CUT_HEADER, service_http_client


class _Proxy:
    """A loopback "proxy" that reads a request and closes the connection without an answer."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.requests.append(await reader.readuntil(b"\r\n\r\n"))
        writer.close()


def _late_clock() -> itertools.count[float]:
    """Each reading 100 s after the one before: any dropped connection has waited long."""
    return itertools.count(0.0, 100.0)


def _fetch(url: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[_Proxy, object]:
    proxy = _Proxy()

    async def main() -> object:
        server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
            monkeypatch.delenv(name.lower(), raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value.format(port=port))
        clock = _late_clock()
        client = service_http_client(clock=lambda: next(clock))
        try:
            return await client.get(url.format(port=port))
        except Exception as error:  # what the test looks at
            return error
        finally:
            await client.aclose()
            server.close()
            await server.wait_closed()

    return proxy, asyncio.run(asyncio.wait_for(main(), 60))


def test_a_cut_through_the_environments_proxy_is_still_a_gateway_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy, answer = _fetch(
        "http://images.example/v1/models", monkeypatch, HTTP_PROXY="http://127.0.0.1:{port}"
    )
    assert len(proxy.requests) == 1  # the request went through the proxy
    assert proxy.requests[0].startswith(b"GET http://images.example/v1/models")
    assert getattr(answer, "status_code", None) == 504
    assert GATEWAY_CUT_HEADER in answer.headers  # type: ignore[attr-defined]


def test_loopback_and_no_proxy_hosts_are_reached_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The "proxy" listens on loopback itself: a direct request reaches it as a plain one.
    proxy, answer = _fetch(
        "http://127.0.0.1:{port}/v1/models", monkeypatch, HTTP_PROXY="http://proxy.invalid:1"
    )
    assert [request.split(b" ")[1] for request in proxy.requests] == [b"/v1/models"]
    assert getattr(answer, "status_code", None) == 504  # the cut rule holds directly too

    proxy, _ = _fetch(
        "http://localhost:{port}/v1/models",
        monkeypatch,
        HTTP_PROXY="http://proxy.invalid:1",
        NO_PROXY="images.example",
    )
    assert [request.split(b" ")[1] for request in proxy.requests] == [b"/v1/models"]
