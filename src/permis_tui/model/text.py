"""Bounds for the model's strings that a person does not type: codes, file names, verdicts.

Typed fields go through `fields` (names, free text), which refuse control characters
with a message at the field. The strings here come from the referentiel, the disk or the
document checker, and reach the model again from drafts and imports, which anyone can
edit: each has a length limit, and none may carry a control character to the terminal.

- Codes (INSEE, département, pays, préfecture) must match their referentiel's shape:
  anything else is refused (French message), so a draft carrying one is reported, not shown.
- Texts copied from elsewhere (a file's original name, a checker verdict saved by an older
  version) are sanitised instead of refused: the file on disk has that name, and refusing
  would make the whole demande unreadable for a cosmetic field.
"""

from __future__ import annotations

import re

from permis_tui.model.fields import InvalidValue
from permis_tui.safe_text import describe, escape, first_unsafe

FILE_NAME_MAX = 255  # NAME_MAX on Linux, macOS and Windows
VERDICT_MAX = 500  # one French sentence of documents.verdict, with room to spare

# INSEE commune code: 5 digits, or 2A/2B + 3 digits in Corsica (COG, INSEE).
INSEE_COMMUNE = re.compile(r"[0-9]{5}|2[AB][0-9]{3}")
# Département: 2 digits, 2A/2B, or 3 digits overseas (971…976) (COG, INSEE).
DEPARTEMENT = re.compile(r"[0-9]{2,3}|2[AB]")
# Country: ISO 3166-1 alpha-2, or ISO 3166-3 alpha-4 for a former country.
PAYS = re.compile(r"[A-Z]{2}|[A-Z]{4}")
# What documents.sniff names a file ("pdf", "jpeg", "texte", "inconnu"…).
TYPE_DETECTE = re.compile(r"[a-z]{1,20}")


def refuse_controls(value: str, label: str) -> str:
    """`value` unchanged, or InvalidValue naming the first control character (escaped)."""
    bad = first_unsafe(value)
    if bad is not None:
        raise InvalidValue(f"{label} : caractère de contrôle ou invisible « {describe(bad)} » non accepté.")
    return value


def code(value: str | None, pattern: re.Pattern[str], label: str, example: str) -> str | None:
    """A referentiel code, or InvalidValue with a French message (never the raw value)."""
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidValue(f"{label} : code non valide (exemple : {example}).")
    return value


def sanitized(value: str | None, limit: int) -> str | None:
    """Text from outside kept readable: controls shown as `\\x1b`, then bounded."""
    if value is None:
        return None
    cleaned = escape(value)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
