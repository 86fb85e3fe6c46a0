"""The embedded local engine: an OpenAI-compatible image server that draws local drafts."""

from app.engine.local.app import create_app
from app.engine.local.faults import Fault, FaultPlan

__all__ = ["Fault", "FaultPlan", "create_app"]
