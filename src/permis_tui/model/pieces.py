"""Étape 5 : pièces justificatives attachées à la demande."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from permis_tui.documents.verdict import VerdictCode
from permis_tui.model import fields, text
from permis_tui.model.piece_kind import PieceKind

if TYPE_CHECKING:
    from permis_tui.documents.verdict import Verdict

# A bill must be less than 6 months old (F31847; F1704). The ANTS site's "trois mois" is out of date.
DOMICILE_VALIDITE_MOIS = 6


class TypeJustificatif(StrEnum):
    """Accepted justificatifs de domicile (F31847)."""

    FACTURE = "facture"
    IMPOSITION = "imposition"
    QUITTANCE = "quittance"
    ETABLISSEMENT = "etablissement"
    ELECTION_DOMICILE = "election_domicile"

    @property
    def label(self) -> str:
        return {
            TypeJustificatif.FACTURE: "Facture d'eau, d'électricité, de gaz ou de téléphone (moins de 6 mois)",
            TypeJustificatif.IMPOSITION: "Dernier avis d'imposition ou de non-imposition",
            TypeJustificatif.QUITTANCE: "Quittance de loyer non manuscrite (bailleur non particulier)",
            TypeJustificatif.ETABLISSEMENT: "Attestation de l'hôtel, du camping ou du port (bateau)",
            TypeJustificatif.ELECTION_DOMICILE: "Attestation d'élection de domicile (sans domicile stable)",
        }[self]

    @property
    def limite_6_mois(self) -> bool:
        """F31847 sets the 6-month limit on bills; the last avis d'imposition has none, and
        no source found gives one for the other kinds."""
        return self is TypeJustificatif.FACTURE


class TypePieceIdentite(StrEnum):
    """Accepted identity documents (F31057, "Demande de permis de conduire : quelle pièce
    d'identité peut-on présenter ?"). The ANTS site's "en cours de validité" is out of date."""

    CNI = "cni"
    PASSEPORT_BIOMETRIQUE = "passeport_biometrique"
    PASSEPORT_NON_BIOMETRIQUE = "passeport_non_biometrique"
    TITRE_SEJOUR = "titre_sejour"
    FRANCE_IDENTITE = "france_identite"

    @property
    def label(self) -> str:
        return {
            TypePieceIdentite.CNI: "Carte nationale d'identité sécurisée",
            TypePieceIdentite.PASSEPORT_BIOMETRIQUE: "Passeport biométrique",
            TypePieceIdentite.PASSEPORT_NON_BIOMETRIQUE: "Passeport non biométrique",
            TypePieceIdentite.TITRE_SEJOUR: "Titre de séjour (personne de nationalité étrangère)",
            TypePieceIdentite.FRANCE_IDENTITE: "Justificatif d'identité France Identité (à usage unique)",
        }[self]

    @property
    def peremption_toleree_mois(self) -> int | None:
        """How long after its expiry date the document is still accepted (F31057): a secure CNI
        or a biometric passport "valide ou périmé depuis moins de 5 ans", a non-biometric
        passport "depuis moins de 2 ans"; a titre de séjour must be "en cours de validité" (0).

        None for the France Identité justificatif: F31057 says it is generated "lors de la
        demande en ligne" and is single-use ("à usage unique"), so it is made for this very
        request and has no expiry date to ask for or check."""
        return {
            TypePieceIdentite.CNI: 60,
            TypePieceIdentite.PASSEPORT_BIOMETRIQUE: 60,
            TypePieceIdentite.PASSEPORT_NON_BIOMETRIQUE: 24,
            TypePieceIdentite.TITRE_SEJOUR: 0,
            TypePieceIdentite.FRANCE_IDENTITE: None,
        }[self]

    @property
    def a_une_expiration(self) -> bool:
        """Whether step 5 asks for the document's expiry date."""
        return self.peremption_toleree_mois is not None


class PieceJointe(BaseModel):
    """One attached file: a copy lives in the request's folder under its SHA-256."""

    model_config = ConfigDict(extra="forbid")

    kind: PieceKind
    nom_original: str = Field(max_length=255)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    fichier: str = Field(pattern=r"^[0-9a-f]{64}\.(pdf|jpg|png|bin)$")
    taille: int = Field(ge=0)
    type_detecte: str | None = None
    pages: int | None = Field(default=None, ge=0)
    valide: bool = False
    code: VerdictCode | None = None  # why it is refused; decides (schema 5)
    raison: str | None = None  # the same, as the person read it when it was checked
    avertissement: str | None = None
    largeur: int | None = Field(default=None, ge=0)  # image pixels, for "Voir"
    hauteur: int | None = Field(default=None, ge=0)
    ajoute_le: datetime

    @field_validator("nom_original", mode="before")
    @classmethod
    def _name(cls, v: object) -> object:
        # The name on the user's disk may hold anything, ESC included: kept, made visible.
        return text.sanitized(v, text.FILE_NAME_MAX) if isinstance(v, str) else v

    @field_validator("raison", "avertissement", mode="before")
    @classmethod
    def _verdict(cls, v: object) -> object:
        return text.sanitized(v, text.VERDICT_MAX) if isinstance(v, str) else v

    @field_validator("type_detecte")
    @classmethod
    def _type(cls, v: str | None) -> str | None:
        return text.code(v, text.TYPE_DETECTE, "Type de fichier détecté", "pdf")

    @property
    def verdict(self) -> str:
        return "Document valide" if self.valide else (self.raison or "Document non valide")

    @classmethod
    def from_verdict(
        cls, verdict: Verdict, *, kind: PieceKind, nom_original: str, sha256: str, fichier: str, ajoute_le: datetime
    ) -> PieceJointe:
        """The piece for a file just checked (attached, or restored by an import)."""
        return cls(
            kind=kind,
            nom_original=nom_original,
            sha256=sha256,
            fichier=fichier,
            ajoute_le=ajoute_le,
            **_verdict_fields(verdict),
        )

    def with_verdict(self, verdict: Verdict, **update: Any) -> PieceJointe:
        """This piece checked again (its copy changed), with `update` for what else changed."""
        return self.model_copy(update={**_verdict_fields(verdict), **update})

    def refused_as(self, code: VerdictCode) -> PieceJointe:
        """This piece refused without a new check (its stored copy is gone or unreadable)."""
        return self.model_copy(update={"valide": False, "code": code, "raison": code.text()})


def _verdict_fields(verdict: Verdict) -> dict[str, Any]:
    return {
        "taille": verdict.size,
        "type_detecte": verdict.detected_type,
        "pages": verdict.pages,
        "valide": verdict.valid,
        "code": verdict.code,
        "raison": verdict.reason,
        "avertissement": verdict.warning,
        "largeur": verdict.width,
        "hauteur": verdict.height,
    }


class Pieces(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fichiers: list[PieceJointe] = Field(default_factory=list)
    domicile_type: TypeJustificatif | None = None
    domicile_date: str | None = None  # JJ/MM/AAAA
    domicile_au_nom: bool | None = None  # False adds the attestation d'hébergement
    # Date of the avis médical, valid 2 years (F1704); asked when an avis is required.
    avis_medical_date: str | None = None  # JJ/MM/AAAA
    # The applicant's identity document and its expiry date (F31057); schema 4.
    identite_type: TypePieceIdentite | None = None
    identite_expiration: str | None = None  # JJ/MM/AAAA, may be in the future

    @field_validator("domicile_date", "avis_medical_date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        return fields.parse_date(v, required=False)

    @field_validator("identite_expiration")
    @classmethod
    def _expiration(cls, v: str | None) -> str | None:
        return fields.parse_date(v, required=False, allow_future=True)

    def of(self, kind: PieceKind) -> list[PieceJointe]:
        return [f for f in self.fichiers if f.kind is kind]

    def pages(self, kind: PieceKind) -> int:
        return sum(f.pages or 0 for f in self.of(kind))
