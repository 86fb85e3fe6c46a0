"""Running ``zi-studio`` as users do: a separate process with its own studio home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COMMAND = (sys.executable, "-m", "app.cli")


def cli_env(home: Path, *, key: str | None = None) -> dict[str, str]:
    """This environment (already without a key: see conftest) with ``home`` and maybe a key."""
    env = {**os.environ, "ZI_STUDIO_HOME": str(home)}
    if key is not None:
        env["OPENAI_API_KEY"] = key
    return env


def run_cli(
    home: Path, *argv: str, key: str | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *argv],
        capture_output=True, text=True, env=cli_env(home, key=key), timeout=timeout, check=False,
    )  # fmt: skip
