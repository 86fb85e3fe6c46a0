"""``zi-studio serve-local``: the embedded engine on a loopback port (CONTRACTS §3)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.errors import CommandError


def register(commands: Any) -> None:
    from app.engine.local.faults import fault_modes_help

    parser = commands.add_parser(
        "serve-local",
        help="serve the local engine over HTTP (OpenAI-compatible, under /v1)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"fault modes (for tests and demos):\n{fault_modes_help()}",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default 0: a free port)"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="MODE[:once]",
        help="misbehave on purpose (repeatable; modes below): with :once for one request, in "
        "turn, else for every request after those",
    )
    parser.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise CommandError(f"--port {args.port} is not a port: use 0 to 65535 (0 picks a free one)")
    from app.engine.local.faults import FaultOptionError, fault_plan_from_options
    from app.engine.server import run_serve_local
    from app.store.paths import StudioPaths

    try:
        faults = fault_plan_from_options(args.fault)
    except FaultOptionError as error:
        raise CommandError(str(error)) from None
    batch_dir = StudioPaths.from_environment().local_batches_dir
    return run_serve_local(args.host, args.port, faults=faults, batch_dir=batch_dir)
