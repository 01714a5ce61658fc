"""The request (dossier): one section per step, versioned for migration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from permis_tui.model.adresse import AdresseContact
from permis_tui.model.etat_civil import EtatCivil
from permis_tui.model.motif import Motif
from permis_tui.model.photo import PhotoSignature
from permis_tui.model.pieces import Pieces
from permis_tui.model.schema import (
    NUMERO_PATTERN,
    SCHEMA_VERSION,
    DraftFormatError,
    FutureSchemaError,
    future_schema_message,
    new_numero,
)
from permis_tui.safe_text import escape, storable

PENDING_MAX = 2000  # raw text kept for a field that did not validate yet
PENDING_ENTRIES = 200  # fields with pending text (the catalogue has fewer than 100)


class Etat(StrEnum):
    BROUILLON = "brouillon"
    VALIDEE = "validee"

    @property
    def label(self) -> str:
        return "Brouillon" if self is Etat.BROUILLON else "Validée"


def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


class Demande(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    schema_version: int = SCHEMA_VERSION
    numero: str = Field(default_factory=new_numero, pattern=NUMERO_PATTERN)
    # Saves so far: the store refuses a save whose revision is not the one on disk
    # (another session saved in between) and writes revision + 1.
    revision: int = Field(default=0, ge=0)
    etat: Etat = Etat.BROUILLON
    cree_le: datetime = Field(default_factory=_now)
    modifie_le: datetime = Field(default_factory=_now)
    valide_le: datetime | None = None
    etape: int = Field(default=1, ge=1, le=7)  # where to resume
    # The numéro the ANTS site gave once the request was filed there (step 7, optional): the
    # local `numero` is only a référence de préparation.
    numero_ants: str | None = None
    motif: Motif = Field(default_factory=Motif)
    etat_civil: EtatCivil = Field(default_factory=EtatCivil)
    adresse: AdresseContact = Field(default_factory=AdresseContact)
    photo: PhotoSignature = Field(default_factory=PhotoSignature)
    pieces: Pieces = Field(default_factory=Pieces)
    # What was typed into a field that did not validate yet: kept so that
    # quitting or going back never loses it. Keyed by field id.
    saisies: dict[str, str] = Field(default_factory=dict)

    @field_validator("numero_ants")
    @classmethod
    def _numero_ants(cls, v: str | None) -> str | None:
        from permis_tui.model.fields import parse_numero_ants

        return parse_numero_ants(v)

    @field_validator("saisies")
    @classmethod
    def _bounded(cls, v: dict[str, str]) -> dict[str, str]:
        # Kept as typed (nothing lost; the screen escapes it when it shows it again), save
        # for lone surrogates, which no UTF-8 file can hold. One entry per field at most:
        # a few dozen ids, so PENDING_ENTRIES bounds a hostile file.
        return {escape(k[:100]): storable(s[:PENDING_MAX]) for k, s in list(v.items())[:PENDING_ENTRIES]}

    @property
    def a_des_reponses(self) -> bool:
        """True once anything was answered or typed (pending text included): until then a
        new demande gets no file, so looking and leaving leaves no empty draft in the list."""
        vierge = Demande(numero=self.numero)
        return any(getattr(self, name) != getattr(vierge, name) for name in _REPONSES)

    @property
    def est_validee(self) -> bool:
        return self.etat is Etat.VALIDEE

    @property
    def prenom(self) -> str:
        return self.etat_civil.prenoms[0] if self.etat_civil.prenoms else ""

    @property
    def nom(self) -> str:
        return self.etat_civil.nom_naissance or ""

    def bound_saisies(self) -> None:
        """Keep pending raw text bounded before it is written (a 100,000-character paste)."""
        self.saisies = {k[:100]: v[:PENDING_MAX] for k, v in self.saisies.items()}

    def touch(self) -> None:
        self.modifie_le = _now()


# The sections a person fills in; the rest (numéro, dates, état, étape) is bookkeeping.
_REPONSES = ("motif", "etat_civil", "adresse", "photo", "pieces", "saisies")


def _add_retour_dates(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 → 3: the date of the 48SI notification or of the decision (R224-20 counts the
    3 years to it) and the avis médical's date (valid 2 years, F1704) did not exist; they are
    recorded as missing, so that steps 1 and 5 ask for them."""
    data = dict(data)
    motif = data.get("motif")
    if isinstance(motif, dict) and isinstance(motif.get("retour"), dict):
        motif = dict(motif)
        motif["retour"] = {**motif["retour"], "date_mesure": None}
        data["motif"] = motif
    pieces = data.get("pieces")
    if isinstance(pieces, dict):
        data["pieces"] = {**pieces, "avis_medical_date": None}
    return data


def _add_identite(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 → 4: the kind of identity document and its expiry date (F31057) did not exist;
    they are recorded as missing, so that step 5 asks for them. The version is bumped although
    both fields default to None because sections forbid unknown keys: a version-3 reader must
    say "version plus récente" about a draft holding them, not call it damaged."""
    data = dict(data)
    pieces = data.get("pieces")
    if isinstance(pieces, dict):
        data["pieces"] = {**pieces, "identite_type": None, "identite_expiration": None}
    return data


def _add_verdict_codes(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 → 5: a piece kept only its French sentence; its code is recognised from it
    (the sentences of version 4 are those VerdictCode derives), None when not recognised."""
    from permis_tui.documents.verdict import VerdictCode

    data = dict(data)
    pieces = data.get("pieces")
    if isinstance(pieces, dict) and isinstance(pieces.get("fichiers"), list):
        fichiers = [
            {**f, "code": VerdictCode.recognise(f.get("raison"))} if isinstance(f, dict) else f
            for f in pieces["fichiers"]
        ]
        data["pieces"] = {**pieces, "fichiers": fichiers}
    return data


def _add_revision(data: dict[str, Any]) -> dict[str, Any]:
    # Drafts from before revisions start at 0: their first save writes revision 1.
    return {**data, "revision": 0}


# version → function turning a document of that version into the next one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _add_revision,
    2: _add_retour_dates,
    3: _add_identite,
    4: _add_verdict_codes,
}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a saved document up to SCHEMA_VERSION, one version at a time."""
    version = data.get("schema_version", 1)
    if type(version) is not int or version < 1:  # true is an int to Python, not a version
        raise DraftFormatError("schema_version invalide")
    if version > SCHEMA_VERSION:
        raise FutureSchemaError(future_schema_message(version))
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data


def load_demande(data: Any) -> Demande:
    if not isinstance(data, dict):
        raise DraftFormatError("le fichier ne contient pas un objet JSON")
    return Demande.model_validate(migrate(dict(data)))
