"""Service profiles on disk: ``service-profiles.json`` beside the settings.

``{"version": 1, "services": {"https://host/v1": {"streaming": false, ...}}}``, written
atomically after each change. Reading never fails: a damaged file is set aside and the studio
learns again.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Final

from app.core.service_profile import CAPABILITIES, ProfileBook, ServiceProfile
from app.store.files import StoreError, write_atomic
from app.store.paths import StudioPaths

log = logging.getLogger(__name__)

PROFILES_VERSION: Final = 1
FILE_NAME: Final = "service-profiles.json"


def profiles_file(paths: StudioPaths) -> Path:
    return paths.config_dir / FILE_NAME


class ServiceProfiles(ProfileBook):
    """The profiles kept in ``path``; ``warnings`` holds what reading it ran into."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: tuple[str, ...] = ()
        super().__init__(self._read())

    def _read(self) -> dict[str, ServiceProfile]:
        try:
            document = json.loads(self.path.read_bytes().decode("utf-8"))
            services = document["services"]
            if document.get("version") != PROFILES_VERSION or not isinstance(services, dict):
                raise ValueError(document.get("version"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self._set_aside()
            return {}
        profiles = {}
        for key, known in services.items():
            if isinstance(key, str) and isinstance(known, dict):
                kept = {k: v for k, v in known.items() if k in CAPABILITIES and type(v) is bool}
                profiles[key] = ServiceProfile(key, kept)
        return profiles

    def _set_aside(self) -> None:
        kept = self.path.with_name(self.path.name + ".damaged")
        try:
            os.replace(self.path, kept)
        except OSError:
            kept = self.path
        self.warnings = (f"The service profiles file was damaged and is kept as {kept}: "
                         "what services can do will be learned again.",)  # fmt: skip
        log.warning("%s", self.warnings[0])

    def changed(self) -> None:
        services = {p.base_url: dict(p.known) for p in self.all()}
        text = json.dumps({"version": PROFILES_VERSION, "services": services}, indent=2)
        try:
            write_atomic(self.path, (text + "\n").encode("utf-8"))
        except StoreError as error:  # what was learned still holds for this run
            log.warning("service profiles not saved: %s", error)
