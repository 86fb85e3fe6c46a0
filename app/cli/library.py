"""``zi-studio library`` (CONTRACTS §2): the library's images for scripts, newest first."""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.cli.errors import CommandError, Exit, say_warning


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: give 1 or more")
    return value


def register(commands: Any) -> None:
    library = commands.add_parser("library", help="list the library's images, newest first")
    library.add_argument(
        "--search", metavar="TEXT", help="any part of the texts, description or edit instruction"
    )
    library.add_argument("--favourites", action="store_true", help="only favourite images")
    library.add_argument("--limit", type=_positive, metavar="N", help="at most N images")
    library.add_argument("--json", action="store_true", help="one JSON object per image")
    library.set_defaults(handler=run_library)


def run_library(args: argparse.Namespace) -> int:
    from app.store.files import StoreError
    from app.store.library import Library, LibraryQuery
    from app.store.paths import StudioPaths
    from app.store.records import JobRecord
    from app.store.search import exact_texts

    query = LibraryQuery(text=args.search or "", favourites_only=args.favourites, limit=args.limit)
    try:
        with Library.open(StudioPaths.from_environment()) as library:
            for interrupted in library.recovered:
                say_warning(
                    f"job {interrupted.id[:8]} was interrupted earlier; its images are kept"
                )
            images = library.search(query)
            checked = library.text_exact([image.id for image in images])
            jobs: dict[str, JobRecord | None] = {}
            for image in images:
                if image.job_id not in jobs:
                    jobs[image.job_id] = library.job(image.job_id)
    except StoreError as error:
        raise CommandError(str(error)) from None
    for image in images:
        job = jobs[image.job_id]
        texts = [] if job is None else exact_texts(job.spec, job.request.prompt)
        if args.json:
            line = {
                "id": image.id,
                "job_id": image.job_id,
                "index": image.index_in_job,
                "path": str(image.path),
                "width": image.width,
                "height": image.height,
                "format": image.output_format,
                "created_at": image.created_at.isoformat(),
                "favourite": image.favourite,
                "texts": texts,
                "exact": checked.get(image.id),  # null until the image's text is checked
                "model": None if job is None else job.request.model,
                "engine": None if job is None else job.engine,
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)
        else:
            star = "★ " if image.favourite else ""
            shown = " / ".join(" ".join(text.split()) for text in texts)
            when = f"{image.created_at.astimezone():%Y-%m-%d %H:%M}"
            print(f"{image.path}  {image.width}x{image.height}  {when}  {star}{shown}", flush=True)
    return int(Exit.DONE)
