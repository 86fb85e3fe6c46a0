"""``zi-studio serve-local``: the embedded engine on a loopback port (CONTRACTS §3)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.errors import CommandError


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "serve-local", help="serve the local engine over HTTP (OpenAI-compatible, under /v1)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default 0: a free port)"
    )
    parser.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise CommandError(f"--port {args.port} is not a port: use 0 to 65535 (0 picks a free one)")
    from app.engine.server import run_serve_local

    return run_serve_local(args.host, args.port)
