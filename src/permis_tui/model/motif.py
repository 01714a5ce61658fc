"""Étape 1 : motif de la demande."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from permis_tui.safe_text import escape


class MotifKind(StrEnum):
    INSCRIPTION = "inscription"
    FABRICATION = "fabrication"
    INTERNATIONAL = "international"
    ERREUR = "erreur"

    @property
    def label(self) -> str:
        return MOTIF_LABELS[self]


MOTIF_LABELS = {
    MotifKind.INSCRIPTION: "Je m'inscris pour pouvoir me présenter aux épreuves du permis de conduire",
    MotifKind.FABRICATION: "Je demande la fabrication d'un titre de permis de conduire",
    MotifKind.INTERNATIONAL: "Je demande un permis de conduire international",
    MotifKind.ERREUR: "Je souhaite signaler une erreur sur mon permis de conduire reçu il y a moins de 6 mois",
}
# Only the inscription is handled; the others are shown and explained.
MOTIFS_PRIS_EN_CHARGE = frozenset({MotifKind.INSCRIPTION})


class Personne(StrEnum):
    MAJEURE = "majeure"
    MINEURE = "mineure"


class TypeInscription(StrEnum):
    PREMIERE = "premiere"
    RETOUR = "retour"


class Mesure(StrEnum):
    INVALIDATION = "invalidation"  # solde de points nul, lettre 48SI; on hand-back the récépissé « Réf 44 »
    ANNULATION = "annulation"  # décision judiciaire, notified with the form « Réf 7 » (not a receipt)


CATEGORIES = ("AM", "A1", "A2", "A", "B1", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE")
# Whether BE is a heavy category is unconfirmed (no official source found): it is not, by default.
BE_EST_LOURDE = False
CATEGORIES_LOURDES = ("C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE") + (("BE",) if BE_EST_LOURDE else ())


def _check_categories(values: list[str], allowed: tuple[str, ...]) -> list[str]:
    cleaned = []
    for value in values:
        v = value.strip().upper()
        if v not in allowed:
            # Never echo the raw value: it may hold a lone surrogate or an ESC sequence.
            raise ValueError(f"Catégorie inconnue : {escape(v[:10])}")
        if v not in cleaned:
            cleaned.append(v)
    return sorted(cleaned, key=allowed.index)


class RetourAuPermis(BaseModel):
    """The facts a retour au permis records (F1704, F21774; code de la route R224-20)."""

    model_config = ConfigDict(extra="forbid")

    mesure: Mesure | None = None
    # Date of the 48SI notification (invalidation) or of the decision (annulation): R224-20
    # counts the 3 years of seniority to it, not to the hand-back.
    date_mesure: date | None = None
    date_restitution: date | None = None
    duree_interdiction_mois: int | None = Field(default=None, ge=0, le=120)
    date_fin_interdiction: date | None = None
    date_premier_permis: date | None = None
    categories_detenues: list[str] = Field(default_factory=list)
    # Another invalidation within the previous 5 years doubles the ban (6 → 12 months).
    invalidation_precedente_5_ans: bool | None = None

    @field_validator("categories_detenues")
    @classmethod
    def _categories(cls, v: list[str]) -> list[str]:
        return _check_categories(v, CATEGORIES)


class Motif(BaseModel):
    model_config = ConfigDict(extra="forbid")

    motif: MotifKind | None = None
    personne: Personne | None = None
    type_inscription: TypeInscription | None = None
    categorie_lourde: bool | None = None
    categories_lourdes: list[str] = Field(default_factory=list)
    retour: RetourAuPermis = Field(default_factory=RetourAuPermis)

    @field_validator("categories_lourdes")
    @classmethod
    def _lourdes(cls, v: list[str]) -> list[str]:
        return _check_categories(v, CATEGORIES_LOURDES)

    @property
    def est_retour(self) -> bool:
        return self.motif is MotifKind.INSCRIPTION and self.type_inscription is TypeInscription.RETOUR
