"""The embedded engine in a child process, for the window.

Drafting, PNG encoding and base64 hold the interpreter lock for tens of milliseconds at a time;
in the window's process that stalls the GUI thread (measured by packaging/bench_window.py). The
window therefore runs ``zi-studio serve-local`` as a child on a free loopback port and talks to it
through the same SDK path as any OpenAI-compatible service.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Final

from app.engine.errors import UnreachableError

READY_PREFIX: Final = "serving on "
CHILD_NICENESS: Final = 10


@dataclass
class LocalServer:
    process: subprocess.Popen[str]
    base_url: str

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then wait (serve-local exits 0 on SIGTERM); kill if it does not."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def start_local_server() -> LocalServer:
    """Start the child and wait for its ready line (blocks: call it off the GUI thread)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # the child never needs a display
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve-local", "--host", "127.0.0.1", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    if sys.platform.startswith("linux"):  # drafting must not take the GUI's core
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, process.pid, CHILD_NICENESS)
    assert process.stdout is not None
    line = process.stdout.readline().strip()  # the one ready line, or "" when it died
    if not line.startswith(READY_PREFIX):
        server = LocalServer(process, "")
        server.stop()
        raise UnreachableError("The local engine could not start. Restart the studio.")
    return LocalServer(process, line.removeprefix(READY_PREFIX))
