"""``zi-studio resume JOB_ID`` (CONTRACTS §2): finish an interrupted, cancelled or failed job.

The work is in ``app.jobs.resume`` (shared with the window's re-run) and ``app.cli.making``.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.generate import add_output_flags


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "resume",
        help="finish an interrupted, cancelled or failed job: ask only for its missing images",
    )
    parser.add_argument("job_id", metavar="JOB_ID", help="the job's id, or its first characters")
    add_output_flags(parser)
    parser.set_defaults(handler=run_resume)


def run_resume(args: argparse.Namespace) -> int:
    from app.cli import making

    return making.run_resume(args)
