"""What the home screen and `permis-tui list` show of a demande: its summary line.

Read from a demande's JSON without the model (no pydantic: the first screen does without
it), built from a loaded Demande, or kept in the index (draft_index) as a flat list.
Domain core: no Textual here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from permis_tui.model.schema import SCHEMA_VERSION, DraftFormatError, FutureSchemaError, future_schema_message

if TYPE_CHECKING:
    from permis_tui.model.demande import Demande

ETATS = ("brouillon", "validee")


class DraftSummary(NamedTuple):
    """What the home screen shows of a draft, read from its JSON without the model.

    A named tuple rather than a frozen dataclass: 1,000 of them are made on the way to the
    first screen (~0.4 µs each rather than ~1.5 µs), and its class is built in ~0.2 ms
    rather than ~0.7 ms at import."""

    numero: str
    prenoms: tuple[str, ...]
    nom: str
    nom_usage: str
    cree_le: datetime
    modifie_le: datetime
    etat: str  # "brouillon" | "validee"
    etape: int

    @property
    def prenom(self) -> str:
        return self.prenoms[0] if self.prenoms else ""

    @property
    def etat_label(self) -> str:
        return "Validée" if self.etat == "validee" else "Brouillon"

    @classmethod
    def from_json(cls, data: Any) -> DraftSummary:
        if not isinstance(data, dict):
            raise DraftFormatError("le fichier ne contient pas un objet JSON")
        version = data.get("schema_version", 1)
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise FutureSchemaError(future_schema_message(version))
        ec = data.get("etat_civil") or {}
        prenoms = ec.get("prenoms") or []
        if not isinstance(ec, dict) or not isinstance(prenoms, list):
            raise DraftFormatError("état civil mal formé")
        return cls(
            numero=str(data["numero"]),
            prenoms=tuple(str(p) for p in prenoms),
            nom=str(ec.get("nom_naissance") or ""),
            nom_usage=str(ec.get("nom_usage") or ""),
            cree_le=datetime.fromisoformat(data["cree_le"]),
            modifie_le=datetime.fromisoformat(data["modifie_le"]),
            etat=str(data.get("etat", "brouillon")),
            etape=int(data.get("etape", 1)),
        )

    @classmethod
    def of(cls, demande: Demande) -> DraftSummary:
        e = demande.etat_civil
        return cls(
            demande.numero,
            tuple(e.prenoms),
            e.nom_naissance or "",
            e.nom_usage or "",
            demande.cree_le,
            demande.modifie_le,
            demande.etat.value,
            demande.etape,
        )

    # -- in the index: a flat list, checked field by field when read back ----------
    def to_row(self) -> list[Any]:
        return [
            list(self.prenoms),
            self.nom,
            self.nom_usage,
            self.cree_le.isoformat(),
            self.modifie_le.isoformat(),
            self.etat,
            self.etape,
        ]

    @classmethod
    def from_row(cls, numero: str, row: Any) -> DraftSummary:
        """The summary kept in the index; ValueError for anything but the exact shape to_row writes."""
        if type(row) is not list or len(row) != 7:
            raise ValueError("ligne d'index mal formée")
        prenoms, nom, nom_usage, cree_le, modifie_le, etat, etape = row
        # Spelled out rather than with all(): 1,000 rows on the way to the first screen.
        if (
            type(prenoms) is not list
            or type(nom) is not str
            or type(nom_usage) is not str
            or type(cree_le) is not str
            or type(modifie_le) is not str
            or etat not in ETATS
            or type(etape) is not int
        ):
            raise ValueError("ligne d'index mal formée")
        for prenom in prenoms:
            if type(prenom) is not str:
                raise ValueError("ligne d'index mal formée")
        return cls(
            numero,
            tuple(prenoms),
            nom,
            nom_usage,
            datetime.fromisoformat(cree_le),
            datetime.fromisoformat(modifie_le),
            etat,
            etape,
        )
