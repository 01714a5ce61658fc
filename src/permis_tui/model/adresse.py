"""Étape 3 : adresse et contact."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from permis_tui.model import fields, text

TYPES_VOIE = (
    "allée",
    "avenue",
    "boulevard",
    "chaussée",
    "chemin",
    "cité",
    "cours",
    "domaine",
    "esplanade",
    "faubourg",
    "hameau",
    "impasse",
    "lieu-dit",
    "lotissement",
    "montée",
    "passage",
    "place",
    "promenade",
    "quai",
    "quartier",
    "résidence",
    "route",
    "rue",
    "ruelle",
    "sente",
    "sentier",
    "square",
    "traverse",
    "villa",
    "voie",
)


class AdresseContact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    numero_voie: str | None = None
    extension: str | None = None
    type_voie: str | None = None
    nom_voie: str | None = None
    complement: str | None = None
    code_postal: str | None = None
    commune_code: str | None = None  # INSEE code of the commune chosen for this postal code
    commune: str | None = None
    prefecture: str | None = None  # Prefecture id from the referentiel
    email: str | None = None
    telephone: str | None = None  # E.164, French mobile
    consentement: bool | None = None

    @field_validator("numero_voie")
    @classmethod
    def _numero(cls, v: str | None) -> str | None:
        return fields.parse_numero_voie(v)

    @field_validator("extension")
    @classmethod
    def _extension(cls, v: str | None) -> str | None:
        return fields.parse_extension(v)

    @field_validator("type_voie")
    @classmethod
    def _type_voie(cls, v: str | None) -> str | None:
        if v is not None and v not in TYPES_VOIE:
            raise ValueError("Type de voie inconnu.")
        return v

    @field_validator("nom_voie", "complement", "commune")
    @classmethod
    def _text(cls, v: str | None) -> str | None:
        return fields.normalize_free_text(v)

    @field_validator("commune_code", "prefecture")
    @classmethod
    def _insee(cls, v: str | None, info: ValidationInfo) -> str | None:
        # Both are INSEE commune codes: the commune, and the seat of the préfecture.
        label = "Code de la commune" if info.field_name == "commune_code" else "Préfecture"
        return text.code(v, text.INSEE_COMMUNE, label, "74010")

    @field_validator("code_postal")
    @classmethod
    def _cp(cls, v: str | None) -> str | None:
        return None if v is None else fields.parse_code_postal_format(v)

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return None if v is None else fields.parse_email(v)

    @field_validator("telephone")
    @classmethod
    def _tel(cls, v: str | None) -> str | None:
        return fields.parse_mobile(v)

    def ligne_acheminement(self) -> str | None:
        """The last line of a postal address: code postal and libellé d'acheminement,
        "75015 PARIS" (not "Paris 15e Arrondissement"), upper case without accents.

        Source: La Poste's addressing standard (norme NF Z10-011), whose libellés
        come with the postal-code base (``referentiel.libelle_acheminement``).
        """
        from permis_tui.referentiel.codes_postaux import libelle_acheminement, libelle_depuis_nom

        libelle = None
        if self.code_postal and self.commune_code:
            libelle = libelle_acheminement(self.code_postal, self.commune_code)
        if libelle is None and self.commune:
            libelle = libelle_depuis_nom(self.commune)  # a commune the base does not list at this code
        line = " ".join(p for p in (self.code_postal, libelle) if p)
        return line or None

    def lignes(self) -> list[str]:
        """The postal address as printed on an envelope."""
        voie = " ".join(p for p in (self.numero_voie, self.extension, self.type_voie, self.nom_voie) if p)
        lines = [voie] if voie else []
        if self.complement:
            lines.append(self.complement)
        ville = self.ligne_acheminement()
        if ville:
            lines.append(ville)
        return lines
