"""``zi-studio batch`` (CONTRACTS §2): many jobs in one run, directly or through the Batch API.

The work is in ``app.cli.batch_making``, imported when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.generate import add_output_flags


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "batch",
        help="many jobs in one run: one per spec, or per spec and row of a table",
        description="Each row of --rows (a UTF-8 CSV with a header) makes one job from each "
        "spec, its {column} placeholders filled from the row. --via batch submits one OpenAI "
        "Batch at half price; --resume and --cancel take a batch up again.",
    )
    parser.add_argument("specs", nargs="*", type=Path, metavar="SPEC.json|DIR")
    parser.add_argument("--rows", type=Path, metavar="TABLE.csv", help="a UTF-8 CSV with a header")
    parser.add_argument(
        "--via", choices=("direct", "batch"), default="direct", help="default: direct"
    )
    parser.add_argument(
        "--concurrency", type=int, metavar="N", help="direct: requests at once (default 2)"
    )
    parser.add_argument(
        "--skip-bad-rows", action="store_true", help="leave out the rows that would be refused"
    )
    parser.add_argument("--resume", metavar="BATCH_ID", help="pick up a submitted batch again")
    parser.add_argument("--cancel", metavar="BATCH_ID", help="cancel a submitted batch")
    add_output_flags(parser)
    parser.set_defaults(handler=run_batch)


def run_batch(args: argparse.Namespace) -> int:
    from app.cli import batch_making

    return batch_making.run_batch(args)
