"""The settings page's "Test connection": a free request, run on the engine's loop.

The test itself is an injected coroutine function (``app.engine.probe.probe_service`` by
default) handed to an injected ``submit`` (the engine runner's), so the GUI thread never waits
on the network; the key is read from the keyring on a worker thread, never the GUI thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the HTTP client and the keyring load on first use, not before the window
    from app.engine.probe import ProbeResult

Probe = Callable[[str | None, str | None], Awaitable["ProbeResult"]]
Submit = Callable[[Coroutine[Any, Any, "ProbeResult"]], concurrent.futures.Future["ProbeResult"]]


async def _default_probe(base_url: str | None, key: str | None) -> ProbeResult:
    from app.engine.probe import probe_service

    return await probe_service(base_url, key)


def _load_key() -> str | None:
    from app.store.secrets import load_key

    return load_key()


class ConnectionTester(QObject):
    """Tests a service; ``finished`` carries the answer in words, ``ok`` says if it worked."""

    running_changed = Signal(bool)
    finished = Signal(bool, str)  # ok, a sentence for the user in the window's language
    _answered = Signal(object)  # a ProbeResult or an exception, from the engine's thread

    def __init__(
        self,
        submit: Submit,
        *,
        probe: Probe = _default_probe,
        read_key: Callable[[], str | None] = _load_key,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self._probe = probe
        self._read_key = read_key
        self._running: concurrent.futures.Future[ProbeResult] | None = None
        self._answered.connect(self._on_answered)

    @property
    def running(self) -> bool:
        return self._running is not None

    def test(self, base_url: str | None) -> None:
        """Ask ``base_url`` (OpenAI's own service when ``None``) for its list of models."""
        if self._running is not None:
            self._running.cancel()
        future = self._submit(self._ask(base_url))
        was_running = self.running
        self._running = future
        if not was_running:
            self.running_changed.emit(True)
        # Last: a test that has already finished calls back at once, and must come after "running".
        future.add_done_callback(self._on_done)

    async def _ask(self, base_url: str | None) -> ProbeResult:
        key = await asyncio.to_thread(self._read_key)
        return await self._probe(base_url, key)

    def _on_done(self, future: concurrent.futures.Future[ProbeResult]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        self._answered.emit((future, error if error is not None else future.result()))

    def _on_answered(self, answer: tuple[concurrent.futures.Future[ProbeResult], object]) -> None:
        from app.engine.probe import ProbeResult

        future, result = answer
        if future is not self._running:
            return  # an answer to a test that was replaced by a newer one
        self._running = None
        self.running_changed.emit(False)
        if isinstance(result, ProbeResult):
            self.finished.emit(result.ok, self.describe(result))
        else:
            self.finished.emit(False, self.tr("The test could not be run: try again."))

    def describe(self, result: ProbeResult) -> str:
        if result.code == "ok":
            return self.tr("Connected: the service offers %n model(s).", "", result.models)
        if result.code == "unauthorized":
            return self.tr(
                "The service refused the API key (HTTP {0}): check the key below."
            ).format(result.status)
        if result.code == "not_found":
            return self.tr(
                "The service answered, but has no /models there (HTTP 404): check that the "
                "base URL ends in /v1."
            )
        if result.code == "refused":
            words = self.tr("The service answered with an error (HTTP {0}): try again later.")
            return words.format(result.status)
        if result.code == "timeout":
            return self.tr("The service did not answer in time: check the address and network.")
        if result.code == "unreachable":
            return self.tr("The service could not be reached: check the base URL and your network.")
        return self.tr(
            "Something answered, but not like an OpenAI-compatible service: check the base URL."
        )
