"""Where permis-tui keeps its data and configuration."""

from __future__ import annotations

import os
from pathlib import Path

from permis_tui import APP_NAME

DATA_DIR_ENV = "PERMIS_TUI_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, then $PERMIS_TUI_DATA_DIR, then the platform's user data folder (honours XDG_DATA_HOME)."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"
