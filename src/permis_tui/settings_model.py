"""The pydantic model that checks a configuration file, and its mistakes in French.

Imported only when a file exists (`Settings.from_toml`): the usual start, without a file,
does not load pydantic before the first screen.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from permis_tui.mail.mail_settings import MailSettings
from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES
from permis_tui.safe_text import escape
from permis_tui.settings import MB, Settings, SettingsError


class SettingsModel(BaseModel):
    # strict: the file's types are TOML's; "10" for a number is a mistake to tell.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    max_file_mb: float = Field(
        DEFAULT_MAX_FILE_BYTES / MB, gt=0, le=100, description="un nombre de mégaoctets entre 0 et 100"
    )
    theme: Literal["defaut", "contraste"] = Field("defaut", description='"defaut" ou "contraste"')
    smtp: MailSettings | None = Field(None, description="une section [smtp] (une table de clés)")

    def settings(self) -> Settings:
        return Settings(max_file_mb=self.max_file_mb, theme=self.theme, smtp=self.smtp)


def validate(data: dict[str, Any]) -> Settings:
    """The settings of a parsed file; SettingsError (French, with the usable rest) on a mistake."""
    try:
        return SettingsModel.model_validate(data).settings()
    except ValidationError as exc:
        wrong = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        try:
            fallback = SettingsModel.model_validate({k: v for k, v in data.items() if k not in wrong}).settings()
        except ValidationError:
            fallback = Settings()
        raise SettingsError(french_errors(exc), fallback) from None


# The tables of the file and their models; a table also accepts its older keys.
_TABLES: dict[tuple[str, ...], type[BaseModel]] = {(): SettingsModel, ("smtp",): MailSettings}
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
        messages.append(
            f"{_where(table)}clé(s) inconnue(s) : {', '.join(escape(k) for k in sorted(keys))} "
            f"(clés possibles : {', '.join(allowed)})"
        )
    return " ; ".join(dict.fromkeys(messages)) + "."


def _where(table: tuple[str, ...]) -> str:
    return f"[{'.'.join(table)}] " if table else ""
