"""The embedded local engine: an OpenAI-compatible image server that draws local drafts.

Its names load on first use: the engine brings Qt and Starlette (about a second), which the
command line should not pay to list ``serve-local --fault`` modes (``app.engine.local.faults``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.engine.local.app import create_app
    from app.engine.local.faults import Fault, FaultPlan

__all__ = ["Fault", "FaultPlan", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from app.engine.local.app import create_app

        return create_app
    if name in ("Fault", "FaultPlan"):
        from app.engine.local import faults

        return getattr(faults, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
