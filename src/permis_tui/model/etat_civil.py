"""Étape 2 : état civil de la personne concernée par le titre."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
    commune_naissance: str | None = None  # commune name (France) or town of birth (abroad)

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

    @model_validator(mode="after")
    def _outre_mer_est_la_france(self) -> EtatCivil:
        """A birth in the outre-mer is a birth in France (GF → FR + 973): never abroad.

        Source: the ANTS online request, step 2, asks "Département ou Collectivité
        d'outre-mer de naissance" (field 2.7) once the country is France; INSEE's Code
        officiel géographique codes them 971 to 988. Drafts and imports that say "GF" or
        "FXFR" are brought back to France; a town typed as abroad becomes the
        commune when the département has one of that name.
        """
        from permis_tui.referentiel.countries import FRANCE_SOUS_UN_AUTRE_CODE

        if self.pays_naissance not in FRANCE_SOUS_UN_AUTRE_CODE:
            return self
        dep = FRANCE_SOUS_UN_AUTRE_CODE[self.pays_naissance]
        self.pays_naissance = PAYS_FRANCE
        if dep is not None and self.departement_naissance != dep:
            self.departement_naissance = dep
            self.commune_naissance_code = None
        if dep is not None and self.commune_naissance and not self.commune_naissance_code:
            from permis_tui.referentiel import fold, rechercher_communes

            same = [
                c
                for c in rechercher_communes(self.commune_naissance, dep, limit=5)
                if fold(c.nom) == fold(self.commune_naissance)
            ]
            if len(same) == 1:
                self.commune_naissance_code, self.commune_naissance = same[0].code, same[0].nom
        return self

    @property
    def ne_en_france(self) -> bool:
        return self.pays_naissance == PAYS_FRANCE
