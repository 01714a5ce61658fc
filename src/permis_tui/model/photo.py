"""Étape 4 : photo et signature."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator

from permis_tui.model import fields

# The e-photo code is valid 6 months (unconfirmed: no official source found).
EPHOTO_VALIDITE_MOIS = 6


class PhotoChoice(StrEnum):
    EPHOTO = "ephoto"
    COURRIER = "courrier"
    SANS = "sans"

    @property
    def label(self) -> str:
        return PHOTO_LABELS[self]


PHOTO_LABELS = {
    PhotoChoice.EPHOTO: "Je dispose d'une photo et d'une signature numériques",
    PhotoChoice.COURRIER: (
        "Je dispose d'une photo d'identité classique et je souhaite la joindre au formulaire "
        "de dépôt fourni à la fin de la procédure, que je devrai imprimer et envoyer par courrier"
    ),
    PhotoChoice.SANS: "Je ne dispose pas encore de photo, je souhaite localiser un service photo et signature numériques",
}


class PhotoSignature(BaseModel):
    model_config = ConfigDict(extra="forbid")

    choix: PhotoChoice | None = None
    code_ephoto: str | None = None  # 22 letters or digits, ungrouped
    date_photo: str | None = None  # JJ/MM/AAAA

    @field_validator("code_ephoto")
    @classmethod
    def _code(cls, v: str | None) -> str | None:
        return None if v is None else fields.parse_code_ephoto(v)

    @field_validator("date_photo")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        return fields.parse_date(v, required=False)
