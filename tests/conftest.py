"""Shared test setup: Qt runs offscreen, and no test can reach the real image service."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A developer's own key or keyring must never turn a test into a paid call to the real service:
# without a key the studio uses its embedded engine, and subprocesses inherit this environment.
os.environ.pop("OPENAI_API_KEY", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# Nor read or write the developer's own settings and library: a studio home of the test run.
os.environ["ZI_STUDIO_HOME"] = tempfile.mkdtemp(prefix="zi-studio-tests-")
atexit.register(shutil.rmtree, os.environ["ZI_STUDIO_HOME"], ignore_errors=True)
