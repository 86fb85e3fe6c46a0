"""Shared test setup: Qt runs offscreen, and no test can reach the real image service."""

from __future__ import annotations

import os

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A developer's own key or keyring must never turn a test into a paid call to the real service:
# without a key the studio uses its embedded engine, and subprocesses inherit this environment.
os.environ.pop("OPENAI_API_KEY", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
