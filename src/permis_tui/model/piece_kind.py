"""Catégories de pièces justificatives (étape 5) et leurs limites de pages."""

from __future__ import annotations

from enum import StrEnum


class PieceKind(StrEnum):
    IDENTITE = "identite"
    DOMICILE = "domicile"
    MEDICAL = "medical"
    HEBERGEMENT = "hebergement"
    IDENTITE_HEBERGEANT = "identite_hebergeant"
    IDENTITE_REPRESENTANT = "identite_representant"
    ASSR = "assr"  # first inscription under 21 (F2825)
    JDC = "jdc"  # first inscription under 25 (F2825)

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def max_pages(self) -> int:
        return _MAX_PAGES[self]

    @property
    def cli_name(self) -> str:
        """Name used on the command line (`identite-hebergeant`)."""
        return self.value.replace("_", "-")

    @classmethod
    def from_cli_name(cls, name: str) -> PieceKind:
        return cls(name.replace("-", "_"))


_LABELS = {
    PieceKind.IDENTITE: "Pièce d'identité",
    PieceKind.DOMICILE: "Justificatif de domicile",
    PieceKind.MEDICAL: "Avis médical",
    PieceKind.HEBERGEMENT: "Attestation d'hébergement",
    PieceKind.IDENTITE_HEBERGEANT: "Pièce d'identité de l'hébergeant",
    PieceKind.IDENTITE_REPRESENTANT: "Pièce d'identité du parent qui signe l'attestation",
    PieceKind.ASSR: "Attestation ASSR2 ou ASR",
    PieceKind.JDC: "Attestation de recensement ou certificat JDC",
}

# Limits from the ANTS site's step 5; the attestation d'hébergement, ASSR and JDC limits are unconfirmed
# (no official source; the ANTS site shows no such limit): 2 pages, like an identity document.
ATTESTATION_HEBERGEMENT_MAX_PAGES = 2
ATTESTATION_SIMPLE_MAX_PAGES = 2
_MAX_PAGES = {
    PieceKind.IDENTITE: 2,
    PieceKind.DOMICILE: 5,
    PieceKind.MEDICAL: 6,
    PieceKind.HEBERGEMENT: ATTESTATION_HEBERGEMENT_MAX_PAGES,
    PieceKind.IDENTITE_HEBERGEANT: 2,
    PieceKind.IDENTITE_REPRESENTANT: 2,
    PieceKind.ASSR: ATTESTATION_SIMPLE_MAX_PAGES,
    PieceKind.JDC: ATTESTATION_SIMPLE_MAX_PAGES,
}

# Unconfirmed size limit (no official source found); overridable in the configuration file.
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
