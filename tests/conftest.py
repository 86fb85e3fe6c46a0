"""Shared test setup: Qt runs offscreen, and no test can reach the real image service."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from app.engine.runner import EngineRunner
    from app.main import Studio
    from tests.memory_keyring import MemoryKeyring

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A developer's own key or keyring must never turn a test into a paid call to the real service:
# without a key the studio uses its embedded engine, and subprocesses inherit this environment.
os.environ.pop("OPENAI_API_KEY", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# Nor read or write the developer's own settings and library: a studio home of the test run.
os.environ["ZI_STUDIO_HOME"] = tempfile.mkdtemp(prefix="zi-studio-tests-")
atexit.register(shutil.rmtree, os.environ["ZI_STUDIO_HOME"], ignore_errors=True)


# Property tests check what is true, not how fast: on a busy shared machine an example can take
# longer than Hypothesis's default 200 ms, which would fail a correct test at random.
settings.register_profile("studio", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("studio")


_SESSION_LOOP: list[asyncio.AbstractEventLoop] = []


@pytest.fixture(scope="session")
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """One qasync loop for the whole session (a loop per test was measured to hang)."""
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    _SESSION_LOOP.append(loop)
    yield loop
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()  # while the QApplication lives: closing later fails on deleted signals
    asyncio.set_event_loop(None)
    _SESSION_LOOP.clear()


@pytest.fixture(autouse=True)
def _session_loop_is_current() -> None:
    """The session's qasync loop is the current loop at the start of every test: a test that
    used ``asyncio.run`` leaves none, and the window's timers (autosave) look for it."""
    if _SESSION_LOOP and not _SESSION_LOOP[0].is_closed():
        asyncio.set_event_loop(_SESSION_LOOP[0])


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    """An in-memory keyring for one test, the failing backend back afterwards."""
    import keyring

    from tests.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def engine_runner() -> Iterator[EngineRunner]:
    """The engine's own loop on its thread, as the window has it."""
    from app.engine.runner import EngineRunner

    runner = EngineRunner("test-engine").start()
    yield runner
    runner.stop()


@pytest.fixture
def studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    """The whole window on the embedded engine, shown, and shut after the test."""
    from tests.gui_support import make_studio, run, shut

    made = make_studio(tmp_path)
    made.window.show()
    yield made
    made.window._confirmed_close = True
    run(qloop, shut(made))
