"""Faults the local engine can be told to answer with: how reliability is tested.

A ``FaultPlan`` is handed to the engine when it is built. Each request takes the next queued fault
(``None`` in the queue means "answer normally"); with the queue empty, requests are answered
normally. For example::

    faults = FaultPlan()
    faults.queue(Fault.rate_limit(retry_after=0.01), Fault.server_error())
    app = create_app(faults=faults)
    # the first request gets 429, the second 500, the third images

``requests`` counts the requests the engine received, so a test can see the client's retries.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from typing import Final, Literal

FaultKind = Literal[
    "rate_limit",
    "server_error",
    "moderation",
    "unauthorized",
    "malformed_json",
    "bad_base64",
    "cut_short",
    "delay",
    # What OpenAI-compatible gateways do (answered according to the request):
    "insufficient_quota",
    "refuse_stream",
    "refuse_partial_images",
    "plain_json",
    "url_answer",
    "no_edits",
    "one_image",
]

STATUS_FAULTS: Final = frozenset(
    {"rate_limit", "server_error", "moderation", "unauthorized", "insufficient_quota"}
)
GATEWAY_FAULTS: Final = frozenset(
    {"refuse_stream", "refuse_partial_images", "plain_json", "url_answer", "no_edits", "one_image"}
)
BODY_FAULTS: Final = frozenset({"malformed_json", "bad_base64", "cut_short"})


@dataclass(frozen=True, slots=True)
class Fault:
    """One misbehaviour for one request. Build it with the class methods."""

    kind: FaultKind
    retry_after: float | None = None
    seconds: float = 0.0
    stage: str = "input"
    categories: tuple[str, ...] = ()
    after_events: int = 1

    @classmethod
    def rate_limit(cls, retry_after: float | None = 1.0) -> Fault:
        """HTTP 429 with ``retry-after`` (seconds) and ``retry-after-ms`` headers."""
        return cls("rate_limit", retry_after=retry_after)

    @classmethod
    def server_error(cls) -> Fault:
        """HTTP 500 with a server_error body."""
        return cls("server_error")

    @classmethod
    def moderation(
        cls,
        stage: Literal["input", "output"] = "input",
        categories: tuple[str, ...] = ("violence",),
    ) -> Fault:
        """HTTP 400 ``moderation_blocked`` with ``moderation_details``."""
        return cls("moderation", stage=stage, categories=categories)

    @classmethod
    def unauthorized(cls) -> Fault:
        """HTTP 401 ``invalid_api_key``."""
        return cls("unauthorized")

    @classmethod
    def malformed_json(cls) -> Fault:
        """HTTP 200 whose JSON body (or first stream event) is not valid JSON."""
        return cls("malformed_json")

    @classmethod
    def bad_base64(cls) -> Fault:
        """HTTP 200, well-formed, but every ``b64_json`` is not valid base64."""
        return cls("bad_base64")

    @classmethod
    def cut_short(cls, after_events: int = 1) -> Fault:
        """The connection drops mid-body: half the JSON body, or ``after_events`` stream events
        and half of the next one."""
        return cls("cut_short", after_events=after_events)

    @classmethod
    def insufficient_quota(cls) -> Fault:
        """HTTP 429 ``insufficient_quota``: the account is out of credit."""
        return cls("insufficient_quota")

    @classmethod
    def gateway(cls, kind: FaultKind) -> Fault:
        """A gateway's way: ``refuse_stream`` (400 naming ``stream`` for a streaming request),
        ``refuse_partial_images`` (400 naming it when sent), ``plain_json`` (a JSON answer to a
        streaming request), ``url_answer`` (images as links to this engine), ``no_edits`` (404 for
        ``/images/edits``), ``one_image`` (400 naming ``n`` when n > 1)."""
        if kind not in GATEWAY_FAULTS:
            raise ValueError(f"{kind!r} is not a gateway fault")
        return cls(kind)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Wait ``seconds`` before answering (normally), e.g. to make a client time out."""
        return cls("delay", seconds=seconds)


class FaultPlan:
    """The queue of faults, taken one per request, and a count of requests seen.

    ``hold_final``, when set, is awaited before each final image is rendered (partials are not
    held): a test can prove that partial images reach the client before the final one exists.
    """

    def __init__(self) -> None:
        self._queue: deque[Fault | None] = deque()
        self.requests = 0
        self.hold_final: asyncio.Event | None = None

    def queue(self, *faults: Fault | None) -> FaultPlan:
        """Add faults for the next requests, in order; ``None`` answers one request normally."""
        self._queue.extend(faults)
        return self

    @property
    def pending(self) -> int:
        return len(self._queue)

    def take(self) -> Fault | None:
        """The fault for a request that just arrived (counted)."""
        self.requests += 1
        return self._queue.popleft() if self._queue else None
