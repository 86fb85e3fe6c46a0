"""Where a command's values come from: a flag, the spec file, the settings, the built-in default,
the first that gives one (CONTRACTS §2)."""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass
from typing import Any, Final

from app.cli.errors import CommandError, say_warning
from app.core.models import MAX_PARTIAL_IMAGES
from app.core.spec import Spec
from app.store.paths import StudioPaths
from app.store.settings import Settings, SettingsFile

# Spec fields a setting gives a default for: spec field -> setting.
SPEC_SETTINGS: Final = {"model": "model", "quality": "default_quality", "tier": "default_tier"}
# A command line streams no previews unless asked to: nobody watches them there.
CLI_PARTIAL_IMAGES: Final = 0


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: Settings
    given: frozenset[str]  # the settings the file holds; the others are at their defaults

    def chosen(self, name: str, default: Any) -> Any:
        """The setting when the user set it, else the command's own default."""
        return self.settings.value(name) if name in self.given else default


def load_settings() -> LoadedSettings:
    """The studio's settings; problems with the file are warnings, never a stop."""
    file = SettingsFile(StudioPaths.from_environment().settings_file)
    settings = file.load()
    for warning in file.warnings:
        say_warning(warning)
    return LoadedSettings(settings, file.given)


def with_setting_defaults(spec: Spec, given: frozenset[str], loaded: LoadedSettings) -> Spec:
    """``spec`` with the settings' values in the fields neither a flag nor the spec file gave."""
    changes = {
        field: loaded.settings.value(setting)
        for field, setting in SPEC_SETTINGS.items()
        if field not in given
    }
    return dataclasses.replace(spec, **changes)


def partial_images(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    """``--partial-images``, else the setting the user saved, else none."""
    flag = getattr(args, "partial_images", None)
    if flag is not None:
        if not 0 <= flag <= MAX_PARTIAL_IMAGES:
            raise CommandError(
                f"--partial-images {flag}: give 0 to {MAX_PARTIAL_IMAGES} previews per image"
            )
        return int(flag)
    return int(loaded.chosen("partial_images", CLI_PARTIAL_IMAGES))
