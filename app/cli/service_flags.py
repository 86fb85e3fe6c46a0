"""Choosing and opening the image service for commands that call one (CONTRACTS §2)."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

from app.cli.errors import CommandError, say_warning
from app.engine.connect import EngineChoice, choose_engine, open_service
from app.engine.service import OpenAIImageService
from app.store.secrets import load_key
from app.store.settings import Settings, check_base_url


@dataclass(frozen=True, slots=True)
class OpenedService:
    service: OpenAIImageService
    choice: EngineChoice


def opened_service(args: argparse.Namespace, settings: Settings) -> OpenedService:
    """The service the flags, the settings and the key ask for; says so when it picks local."""
    base_url = args.base_url or settings.base_url or None
    if base_url is not None and (problem := check_base_url(base_url)):
        raise CommandError(f"--base-url {base_url}: {problem}")
    timeout = args.timeout if args.timeout is not None else settings.timeout_seconds
    retries = args.max_retries if args.max_retries is not None else settings.max_retries
    if timeout <= 0:
        raise CommandError(f"--timeout {timeout:g}: give a number of seconds above 0")
    if retries < 0:
        raise CommandError(f"--max-retries {retries}: give 0 or more")
    # The keyring takes most of a second to load its backends: not for the local engine.
    key = None if args.engine == "local" else load_key(os.environ)
    choice = choose_engine(
        asked=args.engine, key=key, base_url=base_url, base_url_flag=args.base_url is not None
    )
    if choice.engine == "remote" and choice.base_url is None and not key:
        raise CommandError(
            "no API key: set OPENAI_API_KEY or store one in the studio, or use --engine local"
        )
    if choice.announce:
        say_warning("no API key: using the embedded local engine (layout drafts, no cost)")
    service = open_service(choice, key=key, timeout=timeout, max_retries=retries)
    return OpenedService(service, choice)
