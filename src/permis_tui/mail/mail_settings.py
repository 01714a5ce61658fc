"""SMTP settings, from the ``[smtp]`` table of the configuration TOML.

::

    [smtp]
    host = "smtp.example.org"
    port = 587                  # optional, 587 by default
    starttls = true             # optional, true by default
    user = "marie@example.org"  # optional: no login without it
    password_env = "PERMIS_TUI_SMTP_PASSWORD"  # name of the variable holding the password
    timeout = 10                # seconds, optional

The password itself is never read from the file: a config file is easily
shared or backed up, an environment variable less so.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYS = {"host", "port", "starttls", "user", "password_env", "timeout"}


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password_env: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MailSettings | None:
        """Settings from the parsed TOML, or None without an ``[smtp]`` table.

        Raises ValueError, with a French message naming the key, on bad values.
        """
        table = config.get("smtp")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ValueError("La section [smtp] de la configuration doit être une table.")
        if "password" in table:
            raise ValueError(
                "[smtp] : ne mettez pas le mot de passe dans le fichier de configuration ; "
                "indiquez dans password_env le nom d'une variable d'environnement qui le contient."
            )
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise ValueError(
                f"[smtp] : clé(s) inconnue(s) : {', '.join(unknown)}. "
                f"Clés possibles : {', '.join(sorted(_KEYS))}."
            )

        host = table.get("host")
        if not isinstance(host, str) or not host.strip():
            raise ValueError("[smtp] host : indiquez le nom du serveur de messagerie.")
        port = table.get("port", 587)
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise ValueError(f"[smtp] port : {port!r} n'est pas un numéro de port (1 à 65535).")
        starttls = table.get("starttls", True)
        if not isinstance(starttls, bool):
            raise ValueError("[smtp] starttls : indiquez true ou false.")
        user = table.get("user")
        if user is not None and (not isinstance(user, str) or not user.strip()):
            raise ValueError("[smtp] user : indiquez un identifiant non vide.")
        password_env = table.get("password_env")
        if password_env is not None and (
            not isinstance(password_env, str) or not _ENV_NAME.match(password_env)
        ):
            raise ValueError(
                f"[smtp] password_env : {password_env!r} n'est pas un nom de variable "
                "d'environnement valide (lettres, chiffres et _)."
            )
        if password_env is not None and user is None:
            raise ValueError("[smtp] password_env est indiqué sans user : indiquez aussi user.")
        timeout = table.get("timeout", 10.0)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 300:
            raise ValueError("[smtp] timeout : indiquez un nombre de secondes entre 0 et 300.")

        return cls(
            host=host.strip(),
            port=port,
            starttls=starttls,
            user=user.strip() if user else None,
            password_env=password_env,
            timeout=float(timeout),
        )

    def password(self) -> str | None:
        """The password from the environment, None if unset or not configured."""
        if not self.password_env:
            return None
        return os.environ.get(self.password_env) or None
