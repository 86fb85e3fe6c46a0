"""The studio's settings: declared once, validated, saved as versioned JSON.

Each setting is one field of ``Settings`` (name, type, default and description in one place);
``SCHEMA`` lists them for anything that needs to walk them (a settings page, a Qt model). The file
is ``{"version": 2, "values": {...}}``. Reading never fails: a value of the wrong type or out of
range goes back to its default with a warning, settings this release does not know are kept (and
written back) but ignored, and a file from an older release is migrated.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import logging
import math
import os
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import SplitResult, urlsplit

from app.core.prices import parse_price_overrides
from app.core.redaction import is_credential_name
from app.core.spec import DEFAULT_MODEL, QUALITIES, TIERS
from app.store.files import remove_stale_temp_files, write_atomic

log = logging.getLogger(__name__)

SETTINGS_VERSION: Final = 2

Check = Callable[[Any], str | tuple[str, Any] | None]
"""Extra validation: the code of a problem (a key of ``PROBLEMS``), or the code and the value of
its ``{limit}``, or ``None`` when fine."""
Migration = Callable[[dict[str, Any]], dict[str, Any]]
"""Turns the values of file version N into those of version N + 1."""

ENGINES: Final = ("local", "openai", "custom")
LANGUAGES: Final = ("system", "zh_CN", "en")
THEMES: Final = ("system", "light", "dark")

# Problems are codes with their English wording here; the window words the same codes in the
# user's language (GUI.md §4). ``{limit}`` is the bound that was crossed.
PROBLEMS: Final[Mapping[str, str]] = {
    "type": "it must be {limit}.",
    "choice": "it must be one of {limit}.",
    "minimum": "it must be at least {limit}.",
    "maximum": "it must be at most {limit}.",
    "empty": "it cannot be empty.",
    "url_shape": "the base URL must look like https://host/v1.",
    "url_unreadable": "the base URL cannot be read: it must look like https://host/v1.",
    "url_credentials": (
        "the base URL must not contain a user name or password: enter the API key instead."
    ),
    "url_not_https": (
        "a base URL on another computer must use https:// so the API key is not sent openly."
    ),
    "custom_needs_url": "a custom service needs its base URL.",
    "prices": "the prices cannot be used: {limit}",
}


class SettingsError(ValueError):
    """A value a setting cannot take; the message says which and why.

    ``name`` is the setting, ``code`` a key of ``PROBLEMS`` and ``limit`` the bound or the
    choices, so that a window can word the problem in its own language.
    """

    def __init__(self, message: str, *, name: str = "", code: str = "", limit: Any = None) -> None:
        super().__init__(message)
        self.name, self.code, self.limit = name, code, limit


def _problem(name: str, value: Any, code: str, limit: Any = None) -> SettingsError:
    shown = ", ".join(map(str, limit)) if isinstance(limit, tuple) else limit
    if isinstance(shown, float):
        shown = f"{shown:g}"
    why = PROBLEMS[code].format(limit=shown)
    return SettingsError(
        f"Setting {name} cannot be {value!r}: {why[0].upper()}{why[1:]}",
        name=name,
        code=code,
        limit=limit,
    )


def _read_base_url(url: Any) -> tuple[SplitResult | None, str]:
    """The URL's parts, or None and why it cannot be read ("http://[::1", "http://host:99999")."""
    try:
        parts = urlsplit(str(url))
        parts.port  # noqa: B018 (reading it checks it: a port over 65535 raises)
    except ValueError as error:
        return None, str(error)
    return parts, ""


def base_url_problem(url: Any) -> str | None:
    """The code of what is wrong with a base URL (a key of ``PROBLEMS``), or ``None``."""
    if url == "":
        return None
    parts, _ = _read_base_url(url)
    if parts is None:
        return "url_unreadable"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "url_shape"
    if parts.username or parts.password:
        return "url_credentials"
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return "url_not_https"
    return None


def check_base_url(url: Any) -> str | None:
    """Empty (the official service), or an http(s) URL without credentials, https unless local.

    Returns the problem as an English sentence, or ``None``.
    """
    code = base_url_problem(url)
    if code is None:
        return None
    if code == "url_unreadable":
        reason = _read_base_url(url)[1]
        return f"The base URL cannot be read ({reason}): it must look like https://host/v1."
    why = PROBLEMS[code]
    return why[0].upper() + why[1:]


def _not_empty(value: Any) -> str | None:
    return None if str(value).strip() else "empty"


def _engine_from_base_url(values: dict[str, Any]) -> dict[str, Any]:
    """Version 1 sent every request to a non-empty base URL; version 2 says so with ``engine``."""
    url = values.get("base_url")
    if isinstance(url, str) and url and base_url_problem(url) is None:
        values.setdefault("engine", "custom")
    return values


MIGRATIONS: Final[Mapping[int, Migration]] = {1: _engine_from_base_url}
"""Keyed by the version a step starts from."""


def _check_prices(value: Any) -> tuple[str, str] | None:
    try:
        parse_price_overrides(value)
    except ValueError as error:
        return "prices", f"{error}."
    return None


def _setting(
    default: Any,
    description: str,
    *,
    choices: tuple[Any, ...] = (),
    minimum: float | None = None,
    maximum: float | None = None,
    check: Check | None = None,
) -> Any:
    info = {"description": description, "choices": choices, "minimum": minimum}
    metadata = {**info, "maximum": maximum, "check": check}
    if isinstance(default, dict):  # a fresh empty mapping for each Settings
        return field(default_factory=lambda: dict(default), metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, slots=True)
class Settings:
    """All settings with their values; change one with ``with_value`` (it validates)."""

    engine: str = _setting(
        "openai",
        "Where images are made: the embedded local engine (layout drafts, no cost), OpenAI's "
        "service (the local engine while there is no API key), or a custom OpenAI-compatible "
        "service at the base URL.",
        choices=ENGINES,
    )
    base_url: str = _setting(
        "",
        "The custom service's base URL, used when the engine is custom.",
        check=base_url_problem,
    )
    model: str = _setting(DEFAULT_MODEL, "The image model new specs start with.", check=_not_empty)
    default_quality: str = _setting(
        "medium", "The quality new specs start with.", choices=QUALITIES
    )
    default_tier: str = _setting("1k", "The size tier new specs start with.", choices=TIERS)
    spending_cap_usd: float | None = _setting(
        None,
        "The most a single generation may cost, in US dollars; empty means no cap.",
        minimum=0.0,
    )
    monthly_budget_usd: float | None = _setting(
        None,
        "The most a calendar month may cost, in US dollars: a job that would pass it is not "
        "sent; empty means no budget.",
        minimum=0.0,
    )
    timeout_seconds: float = _setting(
        600.0, "How long to wait for the service before giving up.", minimum=1.0, maximum=3600.0
    )
    max_retries: int = _setting(
        2, "How many times a failed call is retried (a retry may be billed).", minimum=0, maximum=10
    )
    partial_images: int = _setting(
        2, "How many partial images to stream while an image is made.", minimum=0, maximum=3
    )
    prices: dict[str, Any] = _setting(  # noqa: RUF009 (a field with a fresh dict each time)
        {},
        "Your own prices in US dollars per 1M tokens, by model or family, over the built-in "
        'table: {"gpt-image-2": {"image_out": 30, "text_in": 5}}.',
        check=_check_prices,
    )
    concurrency: int = _setting(1, "How many jobs the window runs at once.", minimum=1, maximum=4)
    language: str = _setting(
        "system", "The window's language; system follows the computer's.", choices=LANGUAGES
    )
    theme: str = _setting(
        "system", "Light or dark colours; system follows the computer's.", choices=THEMES
    )
    check_text_after_generation: bool = _setting(
        True, "Whether finished images are read back to check their text."
    )
    rows_at_once: int = _setting(
        2,
        "How many jobs of a table's rows are sent at once (direct runs).",
        minimum=1,
        maximum=16,
    )
    batch_max_requests: int = _setting(
        50_000,
        "The most requests one Batch API file holds; more are split.",
        minimum=1,
        maximum=50_000,
    )
    batch_max_bytes: int = _setting(
        200 * 1024 * 1024,
        "The most bytes one Batch API file holds; more are split.",
        minimum=1024,
        maximum=200 * 1024 * 1024,
    )

    def __post_init__(self) -> None:
        for setting in SCHEMA:
            object.__setattr__(self, setting.name, setting.validate(getattr(self, setting.name)))
        if self.engine == "custom" and not self.base_url:
            raise _problem("base_url", self.base_url, "custom_needs_url")

    @property
    def service_base_url(self) -> str | None:
        """The base URL requests go to: the custom service's, or ``None`` for OpenAI's own."""
        return self.base_url if self.engine == "custom" else None

    def value(self, name: str) -> Any:
        return getattr(self, _setting_named(name).name)

    def with_value(self, name: str, value: Any) -> Settings:
        """A copy with one setting changed; ``SettingsError`` when the value is not allowed."""
        return self.with_values({name: value})

    def with_values(self, values: Mapping[str, Any]) -> Settings:
        """A copy with several settings changed at once (they may depend on each other)."""
        checked = {_setting_named(name).name: value for name, value in values.items()}
        checked = {name: _BY_NAME[name].validate(value) for name, value in checked.items()}
        return dataclasses.replace(self, **checked)

    def to_values(self) -> dict[str, Any]:
        return {setting.name: getattr(self, setting.name) for setting in SCHEMA}


@dataclass(frozen=True, slots=True)
class Setting:
    """One declared setting, as read from ``Settings``'s fields."""

    name: str
    types: tuple[type, ...]
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    check: Check | None = None

    def validate(self, value: Any) -> Any:
        """``value`` in the setting's type (an int for a float setting becomes a float)."""
        coerced = self._coerce(value)
        if coerced is None:
            return None
        if self.choices and coerced not in self.choices:
            raise _problem(self.name, value, "choice", self.choices)
        if self.minimum is not None and coerced < self.minimum:
            raise _problem(self.name, value, "minimum", self.minimum)
        if self.maximum is not None and coerced > self.maximum:
            raise _problem(self.name, value, "maximum", self.maximum)
        problem = self.check(coerced) if self.check is not None else None
        if problem:
            code, limit = problem if isinstance(problem, tuple) else (problem, None)
            raise _problem(self.name, value, code, limit)
        return coerced

    def _coerce(self, value: Any) -> Any:
        if value is None and type(None) in self.types:
            return None
        if isinstance(value, bool):
            if bool in self.types:
                return value
        elif isinstance(value, int) and int in self.types:
            return value
        elif isinstance(value, int | float) and float in self.types:
            if not math.isfinite(value):  # NaN compares false with every limit: no cap at all
                raise SettingsError(
                    f"Setting {self.name} cannot be {value!r}: it must be a finite number."
                )
            return float(value)
        elif isinstance(value, float) and int in self.types and value.is_integer():
            return int(value)
        elif (isinstance(value, str) and str in self.types) or (
            isinstance(value, dict) and dict in self.types
        ):
            return value
        names = " or ".join("empty" if t is type(None) else t.__name__ for t in self.types)
        raise _problem(self.name, value, "type", names)


def _declared() -> tuple[Setting, ...]:
    hints = typing.get_type_hints(Settings)
    declared = []
    for item in dataclasses.fields(Settings):
        hint = hints[item.name]
        kinds = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        info = item.metadata
        declared.append(
            Setting(
                name=item.name,
                types=tuple(typing.get_origin(kind) or kind for kind in kinds),
                default=item.default
                if item.default is not dataclasses.MISSING
                else item.default_factory(),  # type: ignore[operator]
                description=info["description"],
                choices=info["choices"],
                minimum=info["minimum"],
                maximum=info["maximum"],
                check=info["check"],
            )
        )
    return tuple(declared)


SCHEMA: Final = _declared()
_BY_NAME: Final = {setting.name: setting for setting in SCHEMA}


def _setting_named(name: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise SettingsError(f"There is no setting called {name!r}.") from None


class SettingsFile:
    """The settings file: ``load`` never fails (see ``warnings``), ``save`` is atomic."""

    def __init__(self, path: Path, *, migrations: Mapping[int, Migration] = MIGRATIONS) -> None:
        self.path = path
        self.warnings: tuple[str, ...] = ()
        self.given: frozenset[str] = frozenset()
        """The settings the file holds (valid ones): the others are at their defaults."""
        self._migrations = migrations
        self._extra: dict[str, Any] = {}
        self._version = SETTINGS_VERSION

    def load(self) -> Settings:
        """The saved settings; problems found on the way are in ``warnings`` (and logged)."""
        self._extra, self._version, self.given = {}, SETTINGS_VERSION, frozenset()
        warnings: list[str] = []
        remove_stale_temp_files(self.path.parent)
        values = self._read(warnings)
        settings = self._settings_from(values, warnings) if values is not None else Settings()
        self.warnings = tuple(warnings)
        for warning in warnings:
            log.warning("%s", warning)
        return settings

    def save(self, settings: Settings) -> None:
        """Write ``settings`` (and settings kept from a newer release) atomically."""
        document = {"version": self._version, "values": {**self._extra, **settings.to_values()}}
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        write_atomic(self.path, text.encode("utf-8"))

    def _read(self, warnings: list[str]) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            warnings.append(
                f"The settings file {self.path} cannot be read ({error.strerror}): "
                "using the defaults."
            )
            return None
        try:
            document = json.loads(raw.decode("utf-8"))
            version, values = document["version"], document["values"]
            if type(version) is not int or version < 0 or not isinstance(values, dict):
                raise ValueError(version)
        except (ValueError, KeyError, TypeError):
            warnings.append(self._set_aside_damaged())
            return None
        return self._migrated(version, values, warnings)

    def _migrated(
        self, version: int, values: dict[str, Any], warnings: list[str]
    ) -> dict[str, Any]:
        if version > SETTINGS_VERSION:
            self._version = version
            warnings.append(
                "The settings were saved by a newer Zi Studio: settings this version does not "
                "know are kept but not used."
            )
        while version < SETTINGS_VERSION:
            step = self._migrations.get(version)
            if step is None:
                warnings.append(
                    f"The settings file's version {version} is not known: settings that cannot "
                    "be read take their defaults."
                )
                break
            values = step(dict(values))
            version += 1
        return values

    def _set_aside_damaged(self) -> str:
        """Move an unreadable file out of the way (the next save would replace it)."""
        kept = self.path.with_name(self.path.name + ".damaged")
        try:
            os.replace(self.path, kept)
        except OSError:
            return "The settings file is damaged: using the defaults."
        return f"The settings file was damaged: using the defaults. It was kept as {kept}."

    def _settings_from(self, values: Mapping[str, Any], warnings: list[str]) -> Settings:
        accepted: dict[str, Any] = {}
        for name, value in values.items():
            setting = _BY_NAME.get(name)
            if setting is not None:
                try:
                    accepted[name] = setting.validate(value)
                except SettingsError as error:
                    warnings.append(f"{error} It was reset to {setting.default!r}.")
                else:
                    self.given |= {name}
            elif is_credential_name(name):
                warnings.append(
                    f"The settings file held {name!r}: credentials are not kept there, so it "
                    "was removed."
                )
            else:
                self._extra[name] = value
        try:
            return Settings(**accepted)
        except SettingsError as error:  # values that are fine alone but not together
            warnings.append(f"{error} The engine was reset to {Settings().engine!r}.")
            accepted.pop("engine", None)
            return Settings(**accepted)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
