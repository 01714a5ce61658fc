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
    def from_cli_name(cls, name: str) -> "PieceKind":
        return cls(name.replace("-", "_"))


_LABELS = {
    PieceKind.IDENTITE: "Pièce d'identité",
    PieceKind.DOMICILE: "Justificatif de domicile",
    PieceKind.MEDICAL: "Avis médical",
    PieceKind.HEBERGEMENT: "Attestation d'hébergement",
    PieceKind.IDENTITE_HEBERGEANT: "Pièce d'identité de l'hébergeant",
    PieceKind.IDENTITE_REPRESENTANT: "Pièce d'identité du représentant légal",
}

# Limits from the seed; the attestation d'hébergement limit is unconfirmed (DOMAIN.md).
ATTESTATION_HEBERGEMENT_MAX_PAGES = 2
_MAX_PAGES = {
    PieceKind.IDENTITE: 2,
    PieceKind.DOMICILE: 5,
    PieceKind.MEDICAL: 6,
    PieceKind.HEBERGEMENT: ATTESTATION_HEBERGEMENT_MAX_PAGES,
    PieceKind.IDENTITE_HEBERGEANT: 2,
    PieceKind.IDENTITE_REPRESENTANT: 2,
}

# Unconfirmed size limit (DOMAIN.md); overridable in the configuration file.
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
