"""What a demande holds in memory that is not on disk, named the way the screens name fields.

Used when a save fails, to say exactly what quitting without saving would lose.
"""

from __future__ import annotations

from typing import Any

from permis_tui.model import catalogue
from permis_tui.model.completeness import STEP_TITLES

# Sections of the demande, by step: a change with no numbered field is named by its step.
SECTION_STEPS = {"motif": 1, "etat_civil": 2, "adresse": 3, "photo": 4, "pieces": 5}
# Bookkeeping that changes on every save: not something a person typed.
IGNORED = {"revision", "modifie_le", "schema_version"}


def state_of(demande: Any) -> dict[str, Any]:
    """The demande as flat "section.field.index" → value, for comparing two moments."""
    data = demande.model_dump(mode="json")
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in IGNORED:
            continue
        if key == "saisies":
            for field_id, raw in value.items():
                flat[f"saisie:{field_id}"] = raw
            continue
        _flatten(key, value, flat)
    return flat


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if value == [] or value == {}:
        return  # an empty list and a list that is not there compare equal
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}", item, out)
    elif isinstance(value, list) and prefix != "pieces.fichiers":
        for index, item in enumerate(value):
            _flatten(f"{prefix}.{index}", item, out)
    else:
        out[prefix] = value


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of the fields that differ, e.g. "2.1 Nom de naissance", in field order, no repeats."""
    names: dict[str, tuple[int, ...]] = {}
    for path in sorted(set(before) | set(after)):
        if before.get(path) != after.get(path):
            name, order = _name_of(path.removeprefix("saisie:"))
            names.setdefault(name, order)
    return sorted(names, key=names.__getitem__)


# Model fields answered together with another field of the catalogue.
ANSWERED_WITH = {
    "etat_civil.commune_naissance_code": "etat_civil.commune_naissance",
    "adresse.commune_code": "adresse.commune",
}


def _name_of(path: str) -> tuple[str, tuple[int, ...]]:
    f = catalogue.field_of(ANSWERED_WITH.get(path, path))
    if f is not None:
        return f.title, f.order
    if path == "pieces.fichiers" or path.startswith("pieces.fichiers."):
        return "les pièces justificatives jointes (étape 5)", (5, 99)
    step = SECTION_STEPS.get(path.split(".")[0])
    if step is None:
        return "l'étape où reprendre la demande", (99,)
    return f"étape {step} : {STEP_TITLES[step]}", (step, 98)
