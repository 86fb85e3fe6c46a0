"""``serve-local``: the embedded engine on a loopback port (CONTRACTS §3).

When ready it prints exactly one line, ``serving on http://HOST:PORT/v1`` (the real port when port
0 was asked), and it exits 0 on SIGTERM or Ctrl+C. It needs no display: Qt runs offscreen.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import os
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from app.engine.local.faults import FaultPlan

DEFAULT_HOST: Final = "127.0.0.1"
_GRACEFUL_SHUTDOWN_SECONDS: Final = 5


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    except (TypeError, UnicodeError):  # a name with bytes that are not text
        sock.close()
        raise OSError(errno.EINVAL, "not a host name or address") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


_stop_requested: list[int] = []


async def _serve(
    sock: socket.socket, host: str, faults: FaultPlan | None, batch_dir: Path | None
) -> None:
    import uvicorn

    from app.engine.local import create_app

    config = uvicorn.Config(
        create_app(faults=faults, batch_dir=batch_dir),
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=_GRACEFUL_SHUTDOWN_SECONDS,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if _stop_requested:  # a signal that came before uvicorn listened for it
        server.should_exit = True
    elif server.started:
        port = sock.getsockname()[1]
        print(f"serving on http://{_url_host(host)}:{port}/v1", flush=True)
    await task


def _remember(signum: int, frame: FrameType | None) -> None:
    """Stands in for the default handlers while serving: uvicorn stops the server on these."""
    _stop_requested.append(signum)


def serve(
    host: str = DEFAULT_HOST,
    port: int = 0,
    *,
    faults: FaultPlan | None = None,
    batch_dir: Path | None = None,
) -> None:
    """Serves the engine until SIGTERM or Ctrl+C; ``OSError`` if the address cannot be bound.
    With ``batch_dir``, batches are served too and kept there."""
    from app.typeset.fonts import ensure_gui_application

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server never needs a display
    ensure_gui_application()
    sock = _bind(host, port)
    # uvicorn restores the handlers it found and re-raises the signal it caught once stopped;
    # with these in place that re-raise is harmless and the process exits normally.
    _stop_requested.clear()
    previous = {sig: signal.signal(sig, _remember) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        asyncio.run(_serve(sock, host, faults, batch_dir))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (a name other than localhost may
    stand for any address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve_local(
    host: str, port: int, *, faults: FaultPlan | None = None, batch_dir: Path | None = None
) -> int:
    """What ``zi-studio serve-local`` runs: 0 once stopped, 2 when the address cannot be used."""
    if not 0 <= port <= 65535:
        print(
            f"zi-studio: {port} is not a port: use 0 to 65535 (0 picks a free one)", file=sys.stderr
        )
        return 2
    shown = ascii(host)[1:-1]  # a host name as typed, even with bytes that are not UTF-8
    if not is_loopback(host):
        print(
            f"zi-studio: warning: {shown} is reachable from other machines: anyone who can reach "
            "this port can use the engine; use --host 127.0.0.1 to keep it to this computer",
            file=sys.stderr,
            flush=True,
        )
    try:
        serve(host, port, faults=faults, batch_dir=batch_dir)
    except (OSError, UnicodeError, ValueError) as error:  # a name that cannot be resolved or read
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        print(
            f"zi-studio: cannot serve on {shown}:{port}: {reason}; use an address of this "
            "computer and another port (--port 0 picks a free one)",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.engine.server", description="Serve the local engine."
    )
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    return run_serve_local(args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
