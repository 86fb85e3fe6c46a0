"""Shared test setup: Qt runs offscreen, and no test can reach the real image service."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import pytest

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A developer's own key or keyring must never turn a test into a paid call to the real service:
# without a key the studio uses its embedded engine, and subprocesses inherit this environment.
os.environ.pop("OPENAI_API_KEY", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture(scope="session")
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """One qasync loop for the whole session (a loop per test was measured to hang)."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()  # while the QApplication lives: closing later fails on deleted signals
    asyncio.set_event_loop(None)
