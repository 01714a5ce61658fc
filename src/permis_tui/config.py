"""The configuration file: $XDG_CONFIG_HOME/permis-tui/config.toml (optional).

    max_file_mb = 10        # size limit of an attached file (unconfirmed by ANTS)
    theme = "contraste"     # high-contrast colours; "defaut" otherwise
    [smtp]                  # see permis_tui.mail.mail_settings; checked here, at start
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES

MAX_CONFIG_BYTES = 1024 * 1024  # a settings file is a few lines
THEMES = {"defaut": "textual-dark", "contraste": "permis-contraste"}


@dataclass(frozen=True)
class Config:
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    theme: str = "defaut"
    raw: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # French, shown on the home screen; defaults apply meanwhile


def toml_error_where(exc: Exception) -> str:
    """Where a TOML file is wrong, or why it could not be read, in French (tomllib's and the OS's
    own messages are English)."""
    import re

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


def read_config_file(path: Path | None = None) -> dict[str, Any]:
    """The parsed TOML file; a missing file is an empty one. Raises ValueError, in French."""
    if path is None:
        from permis_tui.paths import config_file

        path = config_file()
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


def load_config(path: Path | None = None) -> Config:
    if path is None:
        from permis_tui.paths import config_file

        path = config_file()
    try:
        raw = read_config_file(path)
    except ValueError as exc:
        return Config(error=f"{exc} Réglages par défaut utilisés.")
    if not raw:
        return Config()
    errors = []
    max_mb = raw.get("max_file_mb", DEFAULT_MAX_FILE_BYTES / (1024 * 1024))
    if not isinstance(max_mb, (int, float)) or isinstance(max_mb, bool) or not 0 < max_mb <= 100:
        errors.append("max_file_mb doit être un nombre entre 0 et 100")
        max_mb = DEFAULT_MAX_FILE_BYTES / (1024 * 1024)
    theme = raw.get("theme", "defaut")
    if theme not in THEMES:
        errors.append(f"theme doit valoir {' ou '.join(THEMES)}")
        theme = "defaut"
    from permis_tui.mail.mail_settings import MailSettings

    try:  # an SMTP mistake is told at start, not after a demande is validated
        MailSettings.from_config(raw)
    except ValueError as exc:
        errors.append(str(exc).rstrip("."))
    error = f"Fichier de configuration {path} : " + " ; ".join(errors) + "." if errors else None
    return Config(max_file_bytes=int(max_mb * 1024 * 1024), theme=theme, raw=raw, error=error)
