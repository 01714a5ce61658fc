"""Départements and their préfecture / sous-préfectures, from ``data/departements.tsv``.

Kept apart from the commune index: a 8 KB file, so the département list and
préfecture choice never pay for loading 37k communes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .commune import de_nom
from .departement import Departement

DATA_FILE = Path(__file__).with_name("data") / "departements.tsv"

PREFECTURE = "préfecture"
SOUS_PREFECTURE = "sous-préfecture"
PARIS = "75"
# Paris has no sous-préfecture; driving licences go through the Préfecture de police.
PREFECTURE_DE_POLICE = "Préfecture de police"


@dataclass(frozen=True, slots=True)
class Prefecture:
    # INSEE code of the seat: a stable id (Paris: "75056", its only entry).
    code_commune: str
    nom: str  # "Préfecture d'Annecy", "Sous-préfecture du Havre", "Préfecture de police"
    type: str  # PREFECTURE | SOUS_PREFECTURE

    @property
    def libelle(self) -> str:
        return self.nom


@dataclass(frozen=True, slots=True)
class _Ligne:
    departement: Departement
    prefectures: tuple[Prefecture, ...]


def _prefectures(dep: str, pref: str, sous: str) -> tuple[Prefecture, ...]:
    code, nom = pref.split(":", 1)
    if dep == PARIS:
        return (Prefecture(code, PREFECTURE_DE_POLICE, PREFECTURE),)
    out = [Prefecture(code, f"Préfecture {de_nom(nom)}", PREFECTURE)]
    for item in filter(None, sous.split("|")):
        code, nom = item.split(":", 1)
        out.append(Prefecture(code, f"Sous-préfecture {de_nom(nom)}", SOUS_PREFECTURE))
    return tuple(out)


@functools.cache
def _charger() -> dict[str, _Ligne]:
    lignes: dict[str, _Ligne] = {}
    for line in DATA_FILE.read_text("utf-8").splitlines()[1:]:  # skip the header
        code, nom, zone, pref, sous = line.split("\t")
        lignes[code] = _Ligne(Departement(code, nom, zone), _prefectures(code, pref, sous))
    return lignes  # file order: "01".."19", "2A", "2B", "21".."95", "971".."989"


def _normaliser(code: str) -> str:
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def departements() -> list[Departement]:
    """All 109 départements and collectivités, 2A/2B where 20 was, outre-mer last."""
    return [ligne.departement for ligne in _charger().values()]


def departement(code: str) -> Departement | None:
    ligne = _charger().get(_normaliser(code))
    return ligne.departement if ligne else None


def prefectures(dep: str) -> list[Prefecture]:
    """The préfecture first, then the sous-préfectures by name; [] for an unknown code."""
    ligne = _charger().get(_normaliser(dep))
    return list(ligne.prefectures) if ligne else []


def prefecture_par_defaut(code_commune: str, dep: str) -> Prefecture | None:
    """The préfecture to offer first for a commune of ``dep``: the commune's own
    seat when it is a préfecture or sous-préfecture, else the département's
    préfecture. None for an unknown département."""
    prefs = prefectures(dep)
    return next((p for p in prefs if p.code_commune == code_commune), prefs[0] if prefs else None)
