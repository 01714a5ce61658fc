"""Étape 2 : état civil de la personne concernée par le titre."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from permis_tui.model import fields, text

PAYS_FRANCE = "FR"
PRENOMS_MAX = 6


class EtatCivil(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nom_naissance: str | None = None
    nom_usage: str | None = None
    sexe: Literal["F", "M"] | None = None
    prenoms: list[str] = Field(default_factory=list, max_length=PRENOMS_MAX)
    date_naissance: str | None = None  # "JJ/MM/AAAA", day and month may be 00
    pays_naissance: str | None = None  # ISO 3166 code ("FR"), or ISO 3166-3 for a former country
    departement_naissance: str | None = None
    commune_naissance_code: str | None = None  # INSEE code, France only
    commune_naissance: str | None = None       # commune name (France) or town of birth (abroad)

    @field_validator("nom_naissance", "nom_usage")
    @classmethod
    def _name(cls, v: str | None) -> str | None:
        return fields.normalize_name(v, required=False)

    @field_validator("prenoms")
    @classmethod
    def _prenoms(cls, v: list[str]) -> list[str]:
        return [p for p in (fields.normalize_name(x, required=False) for x in v) if p]

    @field_validator("date_naissance")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        return fields.parse_date(v, allow_partial=True, required=False)

    @field_validator("pays_naissance")
    @classmethod
    def _pays(cls, v: str | None) -> str | None:
        return text.code(v, text.PAYS, "Pays de naissance", "FR")

    @field_validator("departement_naissance")
    @classmethod
    def _departement(cls, v: str | None) -> str | None:
        return text.code(v, text.DEPARTEMENT, "Département de naissance", "74")

    @field_validator("commune_naissance_code")
    @classmethod
    def _commune_code(cls, v: str | None) -> str | None:
        return text.code(v, text.INSEE_COMMUNE, "Code de la commune de naissance", "74010")

    @field_validator("commune_naissance")
    @classmethod
    def _commune(cls, v: str | None) -> str | None:
        return fields.normalize_free_text(v, limit=fields.NAME_MAX)

    @property
    def ne_en_france(self) -> bool:
        return self.pays_naissance == PAYS_FRANCE
