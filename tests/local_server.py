"""``zi-studio serve-local`` as a subprocess on a free loopback port, for tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).parents[1]


@contextmanager
def serve_local() -> Iterator[str]:
    """Start the server, yield its base URL, stop it with SIGTERM and check it exited 0."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "app.cli", "serve-local", "--port", "0"]
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"serving on (http://127\.0\.0\.1:(\d+)/v1)\n", line)
        assert match, f"unexpected first line {line!r}"
        assert int(match.group(2)) > 0
        try:
            yield match.group(1)
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert out == ""  # the ready line was the only one
