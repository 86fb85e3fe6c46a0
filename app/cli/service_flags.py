"""Choosing and opening the image service for commands that call one (CONTRACTS §2)."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from app.cli.errors import CommandError, say_warning
from app.engine.connect import EngineChoice, choose_engine, open_service
from app.engine.service import OpenAIImageService
from app.store.paths import StudioPaths
from app.store.profiles import ServiceProfiles, profiles_file
from app.store.secrets import load_key
from app.store.settings import SCHEMA, Settings, check_base_url

MAX_RETRIES = int(next(s.maximum for s in SCHEMA if s.name == "max_retries") or 0)


@dataclass(frozen=True, slots=True)
class OpenedService:
    service: OpenAIImageService
    choice: EngineChoice


def _asked_engine(args: argparse.Namespace, settings: Settings) -> str | None:
    """The engine the flags ask for, else the local one when the settings ask for it."""
    if args.engine is None and args.base_url is None and settings.engine == "local":
        return "local"  # the settings ask for it; a flag still wins
    return cast(str | None, args.engine)


def makes_one_image_per_request(args: argparse.Namespace, settings: Settings) -> bool:
    """Whether the service these flags and settings point at is known to make one image per
    request (so n images are n requests, each billed for its input)."""
    if _asked_engine(args, settings) == "local":
        return False
    base_url = args.base_url or settings.service_base_url
    if base_url is not None and check_base_url(base_url):
        return False  # refused with its reason when the service is opened
    profiles = ServiceProfiles(profiles_file(StudioPaths.from_environment()))
    return profiles.get(base_url).lacks("multiple_images")


def opened_service(
    args: argparse.Namespace, settings: Settings, spec: Mapping[str, Any] | None = None
) -> OpenedService:
    """The service the flags, the settings and the key ask for; says so when it picks local.

    ``spec`` goes to the embedded engine only (its drafts then honour the typography)."""
    base_url = args.base_url or settings.service_base_url
    if base_url is not None and (problem := check_base_url(base_url)):
        raise CommandError(f"--base-url {base_url}: {problem}")
    timeout = args.timeout if args.timeout is not None else settings.timeout_seconds
    retries = args.max_retries if args.max_retries is not None else settings.max_retries
    if not math.isfinite(timeout) or timeout <= 0:  # NaN would pass "<= 0" and time out at once
        raise CommandError(f"--timeout {timeout:g}: give a number of seconds above 0")
    if not 0 <= retries <= MAX_RETRIES:
        raise CommandError(f"--max-retries {retries}: give 0 to {MAX_RETRIES}")
    asked = _asked_engine(args, settings)
    # The keyring takes most of a second to load its backends: not for the local engine.
    key = None if asked == "local" else load_key(os.environ)
    choice = choose_engine(
        asked=asked, key=key, base_url=base_url, base_url_flag=base_url is not None
    )
    if choice.engine == "remote" and choice.base_url is None and not key:
        raise CommandError(
            "no API key: set OPENAI_API_KEY or store one in the studio, or use --engine local"
        )
    if choice.announce:
        say_warning("no API key: using the embedded local engine (layout drafts, no cost)")
    profiles = ServiceProfiles(profiles_file(StudioPaths.from_environment()))
    for warning in profiles.warnings:
        say_warning(warning)
    service = open_service(
        choice,
        key=key,
        timeout=timeout,
        max_retries=retries,
        profiles=profiles,
        on_note=say_warning,
        spec=spec,
    )
    return OpenedService(service, choice)
