"""Where the studio keeps its files: ZI_STUDIO_HOME or the platform's directories."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from app.store.paths import APP_NAME, HOME_VARIABLE, StudioPaths


def test_home_variable_puts_everything_under_one_folder(tmp_path: Path) -> None:
    paths = StudioPaths.from_environment({HOME_VARIABLE: str(tmp_path)})

    for path in (paths.settings_file, paths.library_db, paths.images_dir, paths.thumbnails_dir):
        assert path.is_relative_to(tmp_path)
    assert paths.library_db.name == "library.sqlite"
    assert paths.settings_file.name == "settings.json"
    assert paths.images_dir.parent == paths.library_db.parent
    assert paths.thumbnails_dir.is_relative_to(paths.cache_dir)


def test_without_home_variable_the_platform_directories_are_used() -> None:
    for env in ({}, {HOME_VARIABLE: "  "}):
        paths = StudioPaths.from_environment(env)
        assert paths.config_dir == Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        assert paths.data_dir == Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        assert paths.cache_dir == Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def test_the_process_environment_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path / "home"))

    assert StudioPaths.from_environment().data_dir == tmp_path / "home" / "data"


def test_paths_are_not_created_until_something_is_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = StudioPaths.from_environment({HOME_VARIABLE: str(home)})

    assert paths.images_dir == home / "data" / "images"
    assert not home.exists()


def test_relative_home_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    paths = StudioPaths.from_environment({HOME_VARIABLE: "studio"})

    assert paths.config_dir == tmp_path / "studio" / "config"
    assert paths.config_dir.is_absolute()
