"""Shared test setup: Qt runs offscreen, and the studio's files go to a temporary home."""

from __future__ import annotations

import os

# Before any Qt import: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
