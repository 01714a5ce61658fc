"""What identifies a saved demande, without pydantic: read at startup by the home screen."""

from __future__ import annotations

from datetime import datetime

# 2: `revision`, the count of saves, checked by the store before each write;
# 3: date_mesure (step 1) and avis_medical_date (step 5), R224-20 and F1704;
# 4: identite_type and identite_expiration (step 5, F31057);
# 5: each piece's verdict code (`code`), next to the sentence shown (`raison`).
SCHEMA_VERSION = 5
NUMERO_PATTERN = r"^[0-9]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$"  # use with fullmatch
# No 0/O, 1/I: a numéro is read aloud over the phone.
NUMERO_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class DraftFormatError(ValueError):
    """A saved draft is not shaped like a demande; the message is French and safe to show."""


class FutureSchemaError(ValueError):
    """A draft written by a newer permis-tui: left in place, reported, never rewritten."""


def future_schema_message(version: int) -> str:
    return (
        f"Demande créée par une version plus récente de permis-tui (format {version}, "
        f"cette version lit le format {SCHEMA_VERSION}) : mettez permis-tui à jour."
    )


def new_numero(now: datetime | None = None) -> str:
    """AAMM-XXXX-XXXX: sortable by month, 40 random bits, easy to spell."""
    import secrets  # only when a demande is created: keeps startup light

    now = now or datetime.now()
    rand = "".join(secrets.choice(NUMERO_ALPHABET) for _ in range(8))
    return f"{now:%y%m}-{rand[:4]}-{rand[4:]}"
