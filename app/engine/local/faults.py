"""Faults the local engine can be told to answer with: how reliability is tested and shown.

A ``FaultPlan`` is handed to the engine when it is built. Each request takes the next queued fault
(``None`` in the queue means "answer normally"); with the queue empty, requests get the plan's
``always`` fault, or a normal answer. For example::

    faults = FaultPlan()
    faults.queue(Fault.rate_limit(retry_after=0.01), Fault.server_error())
    app = create_app(faults=faults)
    # the first request gets 429, the second 500, the third images

``requests`` counts the requests the engine received, so a test can see the client's retries.

``FAULT_MODES`` names the faults for ``zi-studio serve-local --fault MODE[:once]``: one row per
mode, with the help text ``--help`` lists. A new misbehaviour is a new row (and, when it needs one,
a new ``FaultKind`` handled in ``wire.py`` or ``app.py``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    import asyncio

FaultKind = Literal[
    "rate_limit",
    "server_error",
    "moderation",
    "unauthorized",
    "too_large",
    "malformed_json",
    "bad_base64",
    "cut_short",
    "stream_ends",
    "plain_json",
    "delay",
]

SLOW_SECONDS: Final = 900.0
"""How long ``slow`` waits: more than the studio's default timeout of 10 minutes."""


@dataclass(frozen=True, slots=True)
class Fault:
    """One misbehaviour for one request. Build it with the class methods."""

    kind: FaultKind
    status: int = 500
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
    def server_error(cls, status: int = 500) -> Fault:
        """HTTP 500 (or 502, 503...) with a server_error body."""
        return cls("server_error", status=status)

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
    def too_large(cls) -> Fault:
        """HTTP 413: the request body is over the service's limit."""
        return cls("too_large", status=413)

    @classmethod
    def stream_ends(cls) -> Fault:
        """The event stream ends normally, but before the last image's ``completed`` event (a
        non-streamed answer has no images)."""
        return cls("stream_ends")

    @classmethod
    def plain_json(cls) -> Fault:
        """A streaming request answered with the plain JSON body, as some gateways do."""
        return cls("plain_json")

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
    def delay(cls, seconds: float) -> Fault:
        """Wait ``seconds`` before answering (normally), e.g. to make a client time out."""
        return cls("delay", seconds=seconds)


class FaultPlan:
    """The queue of faults, taken one per request, and a count of requests seen.

    ``hold_final``, when set, is awaited before each final image is rendered (partials are not
    held): a test can prove that partial images reach the client before the final one exists.
    """

    def __init__(self, always: Fault | None = None) -> None:
        self._queue: deque[Fault | None] = deque()
        self.always = always
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
        return self._queue.popleft() if self._queue else self.always


@dataclass(frozen=True, slots=True)
class FaultMode:
    help: str
    make: Callable[[], Fault]


FAULT_MODES: Final[Mapping[str, FaultMode]] = {
    "rate-limit": FaultMode("429 with Retry-After: 1", lambda: Fault.rate_limit(1.0)),
    "server-error": FaultMode("500", lambda: Fault.server_error(500)),
    "bad-gateway": FaultMode("502", lambda: Fault.server_error(502)),
    "unavailable": FaultMode("503", lambda: Fault.server_error(503)),
    "slow": FaultMode("answers after 15 minutes (slower than the timeout)",
                      lambda: Fault.delay(SLOW_SECONDS)),
    "drop": FaultMode("the connection drops mid-body", Fault.cut_short),
    "stream-cut": FaultMode("the stream ends before the last 'completed' event",
                            Fault.stream_ends),
    "malformed-json": FaultMode("a body that is not valid JSON", Fault.malformed_json),
    "bad-base64": FaultMode("images that are not valid base64", Fault.bad_base64),
    "moderation-input": FaultMode("400 moderation_blocked, input stage",
                                  lambda: Fault.moderation("input")),
    "moderation-output": FaultMode("400 moderation_blocked, output stage",
                                   lambda: Fault.moderation("output")),
    "unauthorized": FaultMode("401 invalid_api_key", Fault.unauthorized),
    "too-large": FaultMode("413 request too large", Fault.too_large),
    "plain-json": FaultMode("a plain JSON answer to a streaming request", Fault.plain_json),
}  # fmt: skip


class FaultOptionError(ValueError):
    """A ``--fault`` value that names no mode; the message lists the modes."""


def fault_plan_from_options(options: Sequence[str]) -> FaultPlan:
    """The plan for ``--fault MODE[:once]`` values, in order: ``:once`` faults answer one request
    each, in turn; a fault without ``:once`` (at most one) answers every request after them."""
    plan = FaultPlan()
    for option in options:
        name, _, suffix = option.rpartition(":") if option.endswith(":once") else (option, "", "")
        once = suffix == "once"
        mode = FAULT_MODES.get(name)
        if mode is None:
            raise FaultOptionError(
                f"--fault {option}: no such mode; choose one of {', '.join(FAULT_MODES)}, "
                "optionally followed by :once"
            )
        if once:
            plan.queue(mode.make())
        elif plan.always is not None:
            raise FaultOptionError(
                "--fault: only one mode can apply to every request; add :once to the others"
            )
        else:
            plan.always = mode.make()
    return plan


def fault_modes_help() -> str:
    """The modes, one per line, for ``serve-local --help``."""
    width = max(len(name) for name in FAULT_MODES)
    return "\n".join(f"  {name:<{width}}  {mode.help}" for name, mode in FAULT_MODES.items())
