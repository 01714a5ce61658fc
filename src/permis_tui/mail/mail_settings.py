"""SMTP settings: the ``[smtp]`` table of the configuration file (see `permis_tui.settings`).

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

Each field's `description` is the French phrase that `permis_tui.settings` puts after
« indiquez » when the file's value is of the wrong type or out of range.
"""

from __future__ import annotations

import ipaddress
import os
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from permis_tui.model.text import refuse_controls

TlsMode = Literal["starttls", "implicite", "aucun"]
# A host name as DNS carries it once IDNA-encoded (RFC 1123), or an IPv4/IPv6 literal.
_HOST = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?"
)


class MailSettings(BaseModel):
    # strict: a TOML "587" is a mistake to tell, not a port to guess; a bool is no number.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    host: str = Field(description="le nom du serveur de messagerie")
    port: int = Field(587, ge=1, le=65535, description="un numéro de port (1 à 65535)")
    tls: TlsMode = Field("starttls", description='"starttls" (port 587), "implicite" (port 465) ou "aucun"')
    user: str | None = Field(None, min_length=1, description="un identifiant non vide")
    password_env: str | None = Field(
        None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="le nom d'une variable d'environnement (lettres, chiffres et _)",
    )
    timeout: float = Field(10.0, gt=0, le=300, description="un nombre de secondes entre 0 et 300")

    @model_validator(mode="before")
    @classmethod
    def _from_file(cls, data: Any) -> Any:
        """What the file may say that is not a field: a password, the older `starttls` key."""
        if not isinstance(data, dict):
            return data  # pydantic says the table is not a table
        if "password" in data:
            raise ValueError(
                "password : ne mettez pas le mot de passe dans le fichier de configuration ; "
                "indiquez dans password_env le nom d'une variable d'environnement qui le contient"
            )
        data = dict(data)
        if "starttls" in data:
            if "tls" in data:
                raise ValueError(
                    "tls et starttls : indiquez l'un ou l'autre, pas les deux (tls = \"starttls\", "
                    '"implicite" ou "aucun")'
                )
            starttls = data.pop("starttls")
            if not isinstance(starttls, bool):
                raise ValueError('starttls : indiquez true ou false (ou tls = "starttls", "implicite" ou "aucun")')
            data["tls"] = "starttls" if starttls else "aucun"
        if "port" not in data:  # RFC 8314: 465 for TLS from the first byte, 587 for STARTTLS
            data["port"] = 465 if data.get("tls") == "implicite" else 587
        for key in ("host", "user"):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip()
        return data

    @field_validator("host")
    @classmethod
    def _resolvable(cls, host: str) -> str:
        """The host as given, if a resolver can take it: told at start, not when a demande is validated."""
        if not host:
            raise ValueError("host : indiquez le nom du serveur de messagerie")
        refuse_controls(host, "host")
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:  # "smtp..example", a label over 63 characters, a stray symbol
            raise ValueError(f"host : « {host} » n'est pas un nom de serveur valide") from None
        try:
            ipaddress.ip_address(ascii_host.strip("[]"))
            return host
        except ValueError:
            pass
        if len(ascii_host) > 253 or not _HOST.fullmatch(ascii_host):
            raise ValueError(f"host : « {host} » n'est pas un nom de serveur valide")
        return host

    @model_validator(mode="after")
    def _password_over_tls_only(self) -> MailSettings:
        if self.user is not None and self.tls == "aucun":
            raise ValueError(
                'tls = "aucun" : le mot de passe de user serait envoyé en clair. '
                'Choisissez tls = "starttls" ou tls = "implicite", ou retirez user'
            )
        if self.password_env is not None and self.user is None:
            raise ValueError("password_env est indiqué sans user : indiquez aussi user")
        return self

    def password(self) -> str | None:
        """The password from the environment, None if unset or not configured."""
        if not self.password_env:
            return None
        return os.environ.get(self.password_env) or None
