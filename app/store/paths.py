"""Where the studio keeps its files (CONTRACTS §4).

``ZI_STUDIO_HOME=DIR`` puts everything under DIR; otherwise the platform's own directories are used.
Nothing here touches the disk: folders are made by the code that first writes into them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import platformdirs

APP_NAME: Final = "zi-studio"
HOME_VARIABLE: Final = "ZI_STUDIO_HOME"


@dataclass(frozen=True, slots=True)
class StudioPaths:
    """The three roots (settings, data, caches) and the well-known files below them."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> StudioPaths:
        """Paths under ``ZI_STUDIO_HOME`` when it is set (and not empty), else the platform's."""
        home = env.get(HOME_VARIABLE, "").strip()
        if home:
            return cls.under(Path(home))
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def under(cls, home: Path) -> StudioPaths:
        """Everything in one folder: ``home/config``, ``home/data`` and ``home/cache``."""
        root = home.expanduser().absolute()
        return cls(config_dir=root / "config", data_dir=root / "data", cache_dir=root / "cache")

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def library_db(self) -> Path:
        return self.data_dir / "library.sqlite"

    @property
    def images_dir(self) -> Path:
        return self.data_dir / "images"

    @property
    def references_dir(self) -> Path:
        """Reference images as sent (converted where needed), named by their content."""
        return self.data_dir / "references"

    @property
    def owners_dir(self) -> Path:
        """Lock files that tell which processes are alive and using the library."""
        return self.data_dir / "owners"

    @property
    def thumbnails_dir(self) -> Path:
        return self.cache_dir / "thumbnails"

    @property
    def local_batches_dir(self) -> Path:
        """The embedded engine's uploaded files and batches (they outlive its process)."""
        return self.data_dir / "local-batches"
