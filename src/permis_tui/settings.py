"""The configuration file, $XDG_CONFIG_HOME/permis-tui/config.toml (optional), as one set of settings.

    max_file_mb = 10        # size limit of an attached file (unconfirmed by ANTS)
    theme = "contraste"     # high-contrast colours; "defaut" otherwise
    [smtp]                  # see permis_tui.mail.mail_settings

It is read and checked once, at start (`load_settings`): the app shows a mistake on its home
screen, a command on its error output. What is wrong falls back to its default and the rest
applies; the same `Settings` then reach the validation and the outbox, never read again.

`Settings` is a named tuple: with no file (the usual case) nothing heavier is loaded
before the first screen; the pydantic model that checks a file (`settings_model`) is
imported only when there is one.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES

if TYPE_CHECKING:
    from permis_tui.mail.mail_settings import MailSettings

MAX_CONFIG_BYTES = 1024 * 1024  # a settings file is a few lines
MB = 1024 * 1024
THEMES = {"defaut": "textual-dark", "contraste": "permis-contraste"}  # the file's name → Textual's


class Settings(NamedTuple):  # rather than a frozen dataclass: built at import in ~0.2 ms, not ~0.6
    max_file_mb: float = DEFAULT_MAX_FILE_BYTES / MB
    theme: str = "defaut"  # a key of THEMES
    smtp: MailSettings | None = None

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @classmethod
    def from_toml(cls, data: dict[str, Any]) -> Settings:
        """The settings of a parsed file; SettingsError (French, with the usable rest) on a mistake."""
        if not data:
            return cls()
        from permis_tui.settings_model import validate

        return validate(data)


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
