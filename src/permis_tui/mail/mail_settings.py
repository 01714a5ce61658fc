"""SMTP settings, from the ``[smtp]`` table of the configuration TOML.

::

    [smtp]
    host = "smtp.example.org"
    tls = "starttls"            # "starttls" (port 587), "implicite" (port 465) or "aucun"
    port = 587                  # optional: 465 with tls = "implicite", 587 otherwise
    user = "marie@example.org"  # optional: no login without it
    password_env = "PERMIS_TUI_SMTP_PASSWORD"  # name of the variable holding the password
    timeout = 10                # seconds, optional

The password itself is never read from the file: a config file is easily
shared or backed up, an environment variable less so. It is only ever sent over
TLS: `tls = "aucun"` with a `user` is refused when the configuration is read.
The older `starttls = true | false` still reads as `tls = "starttls" | "aucun"`.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from typing import Any

from permis_tui.model.text import refuse_controls
from permis_tui.safe_text import escape

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYS = {"host", "port", "tls", "starttls", "user", "password_env", "timeout"}
TLS_MODES = ("starttls", "implicite", "aucun")
# A host name as DNS carries it once IDNA-encoded (RFC 1123), or an IPv4/IPv6 literal.
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?")


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int = 587
    tls: str = "starttls"  # one of TLS_MODES
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
                "[smtp] : ne mettez pas le mot de passe dans le fichier de configuration ; "
                "indiquez dans password_env le nom d'une variable d'environnement qui le contient."
            )
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise ValueError(
                f"[smtp] : clé(s) inconnue(s) : {', '.join(unknown)}. "
                f"Clés possibles : {', '.join(sorted(_KEYS))}."
            )

        host = table.get("host")
        if not isinstance(host, str) or not host.strip():
            raise ValueError("[smtp] host : indiquez le nom du serveur de messagerie.")
        host = _check_host(host.strip())
        tls = _tls_mode(table)
        port = table.get("port", 465 if tls == "implicite" else 587)
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise ValueError(f"[smtp] port : {escape(repr(port))} n'est pas un numéro de port (1 à 65535).")
        user = table.get("user")
        if user is not None and (not isinstance(user, str) or not user.strip()):
            raise ValueError("[smtp] user : indiquez un identifiant non vide.")
        if user is not None and tls == "aucun":
            raise ValueError(
                '[smtp] tls = "aucun" : le mot de passe de user serait envoyé en clair. '
                'Choisissez tls = "starttls" ou tls = "implicite", ou retirez user.'
            )
        password_env = table.get("password_env")
        if password_env is not None and (
            not isinstance(password_env, str) or not _ENV_NAME.match(password_env)
        ):
            raise ValueError(
                f"[smtp] password_env : {escape(repr(password_env))} n'est pas un nom de variable "
                "d'environnement valide (lettres, chiffres et _)."
            )
        if password_env is not None and user is None:
            raise ValueError("[smtp] password_env est indiqué sans user : indiquez aussi user.")
        timeout = table.get("timeout", 10.0)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 300:
            raise ValueError("[smtp] timeout : indiquez un nombre de secondes entre 0 et 300.")

        return cls(
            host=host,
            port=port,
            tls=tls,
            user=user.strip() if user else None,
            password_env=password_env,
            timeout=float(timeout),
        )

    def password(self) -> str | None:
        """The password from the environment, None if unset or not configured."""
        if not self.password_env:
            return None
        return os.environ.get(self.password_env) or None


def _tls_mode(table: dict[str, Any]) -> str:
    if "tls" in table and "starttls" in table:
        raise ValueError('[smtp] : indiquez tls ou starttls, pas les deux (tls = "starttls", "implicite" ou "aucun").')
    if "starttls" in table:  # the older boolean key
        starttls = table["starttls"]
        if not isinstance(starttls, bool):
            raise ValueError('[smtp] starttls : indiquez true ou false (ou tls = "starttls", "implicite" ou "aucun").')
        return "starttls" if starttls else "aucun"
    tls = table.get("tls", "starttls")
    if tls not in TLS_MODES:
        raise ValueError('[smtp] tls : indiquez "starttls" (port 587), "implicite" (port 465) ou "aucun".')
    return tls


def _check_host(host: str) -> str:
    """The host as given, if a resolver can take it; else a French ValueError, at start."""
    refuse_controls(host, "[smtp] host")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:  # "smtp..example", a label over 63 characters, a stray symbol
        raise ValueError(f"[smtp] host : « {host} » n'est pas un nom de serveur valide.") from None
    try:
        ipaddress.ip_address(ascii_host.strip("[]"))
        return host
    except ValueError:
        pass
    if len(ascii_host) > 253 or not _HOST.fullmatch(ascii_host):
        raise ValueError(f"[smtp] host : « {host} » n'est pas un nom de serveur valide.")
    return host
