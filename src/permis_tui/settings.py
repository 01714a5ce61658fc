"""The configuration file, $XDG_CONFIG_HOME/permis-tui/config.toml (optional), as one model.

    max_file_mb = 10        # size limit of an attached file (unconfirmed by ANTS)
    theme = "contraste"     # high-contrast colours; "defaut" otherwise
    [smtp]                  # see permis_tui.mail.mail_settings

It is read and checked once, at start (`load_settings`): the app shows a mistake on its home
screen, a command on its error output. What is wrong falls back to its default and the rest
applies; the same `Settings` then reach the validation and the outbox, never read again.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from permis_tui.mail.mail_settings import MailSettings
from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES
from permis_tui.safe_text import escape

MAX_CONFIG_BYTES = 1024 * 1024  # a settings file is a few lines
MB = 1024 * 1024
THEMES = {"defaut": "textual-dark", "contraste": "permis-contraste"}  # the file's name → Textual's


class Settings(BaseModel):
    # strict: the file's types are TOML's; "10" for a number is a mistake to tell.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    max_file_mb: float = Field(DEFAULT_MAX_FILE_BYTES / MB, gt=0, le=100,
                               description="un nombre de mégaoctets entre 0 et 100")
    theme: Literal["defaut", "contraste"] = Field("defaut", description='"defaut" ou "contraste"')
    smtp: MailSettings | None = Field(None, description="une section [smtp] (une table de clés)")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Settings:
        """The settings of a parsed file; SettingsError (French, with the usable rest) on a mistake."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            wrong = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
            try:
                fallback = cls.model_validate({k: v for k, v in data.items() if k not in wrong})
            except ValidationError:
                fallback = cls()
            raise SettingsError(french_errors(exc), fallback) from None


class SettingsError(ValueError):
    """A mistake in the configuration, in French; `fallback`: the settings without the wrong keys."""

    def __init__(self, message: str, fallback: Settings) -> None:
        super().__init__(message)
        self.fallback = fallback


class LoadedSettings(NamedTuple):
    settings: Settings
    error: str | None  # French, shown at start; the defaults apply to what it names


def load_settings(path: Path | None = None) -> LoadedSettings:
    """The configuration file read and checked (None: the user's); never raises."""
    if path is None:
        from permis_tui.paths import config_file

        path = config_file()
    try:
        data = read_config_file(path)
    except ValueError as exc:
        return LoadedSettings(Settings(), f"{exc} Réglages par défaut utilisés.")
    try:
        return LoadedSettings(Settings.from_toml(data), None)
    except SettingsError as exc:
        return LoadedSettings(exc.fallback, f"Fichier de configuration {path} : {exc}")


def read_config_file(path: Path) -> dict[str, Any]:
    """The parsed TOML file; a missing file is an empty one. Raises ValueError, in French."""
    if not os.path.lexists(path):
        return {}  # the usual case: no file, no TOML parser to import
    import tomllib

    from permis_tui.safe_files import read_regular

    try:
        return tomllib.loads(read_regular(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"Fichier de configuration {path} illisible ({toml_error_where(exc)}).") from None


def toml_error_where(exc: Exception) -> str:
    """Where a TOML file is wrong, or why it could not be read, in French (tomllib's and the OS's
    own messages are English)."""
    from permis_tui.os_errors import french_os_error
    from permis_tui.safe_files import TooLarge

    if isinstance(exc, OSError):
        return f"lecture impossible : {french_os_error(exc)}"
    if isinstance(exc, UnicodeDecodeError):
        return "ce n'est pas du texte UTF-8"
    if isinstance(exc, TooLarge):
        return str(exc)
    match = re.search(r"line (\d+), column (\d+)", str(exc))
    if match:
        return f"erreur de syntaxe ligne {match.group(1)}, colonne {match.group(2)}"
    return "erreur de syntaxe"


# The tables of the file and their models; a table also accepts its older keys.
_TABLES: dict[tuple[str, ...], type[BaseModel]] = {(): Settings, ("smtp",): MailSettings}
_OLDER_KEYS: dict[tuple[str, ...], set[str]] = {("smtp",): {"starttls"}}


def french_errors(exc: ValidationError) -> str:
    """pydantic's errors as one French sentence: each names its key as the file spells it.

    A validator's own message is French already and names its key; for a wrong type or
    range the field's `description` says what to write; unknown keys are listed with the
    ones allowed."""
    messages: list[str] = []
    unknown: dict[tuple[str, ...], list[str]] = {}
    for error in exc.errors():
        loc = tuple(str(part) for part in error["loc"])
        if error["type"] == "value_error":  # from a validator: of a table (loc) or of a key in it
            table = loc if loc in _TABLES else loc[:-1]
            messages.append(_where(table) + str(error["ctx"]["error"]).rstrip("."))
            continue
        table, key = loc[:-1], loc[-1]
        if error["type"] == "extra_forbidden":
            unknown.setdefault(table, []).append(key)
            continue
        text = f"{_where(table)}{key} : indiquez {_TABLES[table].model_fields[key].description}"
        if error["type"] != "missing":
            text += f" (et non {escape(repr(error['input']))})"
        messages.append(text)
    for table, keys in unknown.items():
        allowed = sorted({*_TABLES[table].model_fields, *_OLDER_KEYS.get(table, ())})
        messages.append(f"{_where(table)}clé(s) inconnue(s) : {', '.join(escape(k) for k in sorted(keys))} "
                        f"(clés possibles : {', '.join(allowed)})")
    return " ; ".join(dict.fromkeys(messages)) + "."


def _where(table: tuple[str, ...]) -> str:
    return f"[{'.'.join(table)}] " if table else ""
