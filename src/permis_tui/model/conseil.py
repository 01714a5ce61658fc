"""The advice for a retour au permis, in one object: what the wizard, the récapitulatif, the
email, the PDFs, `checklist` and `conseil` all show. Rules and sources are in `rules.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from permis_tui.model.motif import RetourAuPermis
from permis_tui.model.rules import (
    EpreuvesResult,
    categories_conservees,
    conseil_inscription,
    duree_interdiction_attendue,
    epreuves_a_repasser,
    etapes_avant_inscription,
    inscription_trop_tot,
)


@dataclass(frozen=True)
class Conseil:
    result: EpreuvesResult
    etapes: tuple[str, ...]
    phrase_delai: str | None  # « Inscrivez-vous … avant le JJ/MM/AAAA … », None when no such route
    premiere_date: date | None  # annulation before the end of its ban: first allowed date
    avertissements: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "epreuves": r.epreuves.value if r.epreuves else None,
            # Register strictly before this date (ISO); the last day is the day before.
            "inscription_avant": r.inscription_avant.isoformat() if r.inscription_avant else None,
            "dernier_jour": r.dernier_jour.isoformat() if r.dernier_jour else None,
            "delai_depasse": r.delai_depasse,
            "inscription_possible_a_partir_du": self.premiere_date.isoformat() if self.premiere_date else None,
            "raisons": list(r.raisons),
            "etapes": list(self.etapes),
            "avertissements": list(self.avertissements),
            "manquant": list(r.manquant),
        }

    def lignes(self) -> list[str]:
        """Plain French text, one sentence a line."""
        r = self.result
        if r.epreuves is None:
            return ["Épreuves à repasser : à déterminer ; renseignez " + ", ".join(r.manquant) + "."]
        lines = [f"Épreuves à repasser : {r.epreuves.label}."]
        lines += [f"  – {raison}" for raison in r.raisons]
        if self.phrase_delai:
            lines.append(self.phrase_delai)
        lines += self.avertissements
        lines.append("Étapes, dans l'ordre :")
        lines += [f"  {i}. {etape}" for i, etape in enumerate(self.etapes, 1)]
        return lines


def conseil_retour(retour: RetourAuPermis, today: date) -> Conseil:
    result = epreuves_a_repasser(retour, today)
    avertissements = []
    attendue = duree_interdiction_attendue(retour)
    if (
        attendue is not None
        and retour.duree_interdiction_mois is not None
        and retour.duree_interdiction_mois != attendue
    ):
        avertissements.append(
            f"Après une invalidation, l'interdiction est normalement de {attendue} mois : vérifiez la lettre 48SI."
        )
    if categories_conservees(retour):
        avertissements.append("La catégorie AM n'est pas touchée par l'invalidation : vous la gardez.")
    premiere = inscription_trop_tot(retour, today)
    if premiere is not None:
        avertissements.append(
            f"Après une annulation, aucune demande n'est possible avant la fin de l'interdiction : "
            f"inscription à partir du {premiere:%d/%m/%Y}."
        )
    return Conseil(
        result,
        tuple(etapes_avant_inscription(retour, result, today) if result.epreuves else ()),
        conseil_inscription(retour, result),
        premiere,
        tuple(avertissements),
    )
