"""Derived facts: pure functions of the answers, shown by the wizard and the récapitulatif."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from permis_tui.model.motif import Mesure, Motif, MotifKind, Personne, RetourAuPermis
from permis_tui.model.piece_kind import PieceKind

# R224-20 thresholds.
ANCIENNETE_MIN_ANS = 3
INTERDICTION_MAX_MOIS = 12          # "moins d'un an"
DELAI_APRES_FIN_MAX_MOIS = 9
# After an invalidation: 6 months, or 12 with another invalidation in the previous 5 years.
INTERDICTION_INVALIDATION_MOIS = 6
INTERDICTION_INVALIDATION_RECIDIVE_MOIS = 12


def add_months(d: date, months: int) -> date:
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def avis_medical_requis(motif: Motif) -> bool:
    """A retour au permis always needs one (arrêté du 31 juillet 2012, art. 1); so does a heavy category."""
    if motif.motif is not MotifKind.INSCRIPTION:
        return False
    return motif.est_retour or bool(motif.categorie_lourde)


class Epreuves(StrEnum):
    CODE_SEUL = "code"
    CODE_ET_CONDUITE = "code_conduite"

    @property
    def label(self) -> str:
        if self is Epreuves.CODE_SEUL:
            return "Épreuve théorique (code) uniquement"
        return "Épreuve théorique (code) et épreuve pratique (conduite)"


@dataclass(frozen=True)
class EpreuvesResult:
    epreuves: Epreuves | None      # None while the facts are incomplete
    raisons: tuple[str, ...]       # why, in French, one sentence per condition
    manquant: tuple[str, ...] = ()  # facts still needed to decide


def duree_interdiction_attendue(retour: RetourAuPermis) -> int | None:
    if retour.mesure is not Mesure.INVALIDATION or retour.invalidation_precedente_5_ans is None:
        return None
    if retour.invalidation_precedente_5_ans:
        return INTERDICTION_INVALIDATION_RECIDIVE_MOIS
    return INTERDICTION_INVALIDATION_MOIS


def date_fin_calculee(retour: RetourAuPermis) -> date | None:
    """Date from which a new licence may be obtained: hand-back date + ban."""
    if retour.date_restitution is None or retour.duree_interdiction_mois is None:
        return None
    return add_months(retour.date_restitution, retour.duree_interdiction_mois)


def epreuves_a_repasser(retour: RetourAuPermis, today: date) -> EpreuvesResult:
    """Code de la route R224-20: the code alone when all three conditions hold.

    1. the licence was held 3 years or more (from the first category to the hand-back);
    2. the ban was under 1 year;
    3. the request comes less than 9 months after the date a new licence may be obtained.
    Otherwise both the code and the driving test.
    """
    fin = retour.date_fin_interdiction or date_fin_calculee(retour)
    manquant = []
    if retour.date_premier_permis is None:
        manquant.append("date d'obtention de la première catégorie")
    if retour.date_restitution is None:
        manquant.append("date de restitution du permis")
    if retour.duree_interdiction_mois is None:
        manquant.append("durée de l'interdiction")
    if fin is None:
        manquant.append("date à partir de laquelle un nouveau permis peut être obtenu")
    if manquant:
        return EpreuvesResult(None, (), tuple(manquant))

    assert retour.date_premier_permis and retour.date_restitution and retour.duree_interdiction_mois is not None and fin
    raisons = []
    detenu_3_ans = add_months(retour.date_premier_permis, 12 * ANCIENNETE_MIN_ANS) <= retour.date_restitution
    raisons.append(
        "Permis détenu depuis au moins 3 ans." if detenu_3_ans else "Permis détenu depuis moins de 3 ans."
    )
    courte = retour.duree_interdiction_mois < INTERDICTION_MAX_MOIS
    raisons.append(
        "Interdiction de moins d'un an." if courte else "Interdiction d'un an ou plus."
    )
    dans_les_9_mois = today < add_months(fin, DELAI_APRES_FIN_MAX_MOIS)
    raisons.append(
        "Demande faite moins de 9 mois après la date d'obtention possible."
        if dans_les_9_mois
        else "Demande faite 9 mois ou plus après la date d'obtention possible."
    )
    epreuves = Epreuves.CODE_SEUL if (detenu_3_ans and courte and dans_les_9_mois) else Epreuves.CODE_ET_CONDUITE
    return EpreuvesResult(epreuves, tuple(raisons))


def pieces_requises(motif: Motif, *, domicile_au_nom_du_demandeur: bool | None = True) -> list[PieceKind]:
    """The step-5 categories the answers call for, in the order the seed shows them."""
    kinds = [PieceKind.IDENTITE, PieceKind.DOMICILE]
    if avis_medical_requis(motif):
        kinds.append(PieceKind.MEDICAL)
    if domicile_au_nom_du_demandeur is False:
        kinds += [PieceKind.HEBERGEMENT, PieceKind.IDENTITE_HEBERGEANT]
    if motif.personne is Personne.MINEURE:
        kinds.append(PieceKind.IDENTITE_REPRESENTANT)
    return kinds
