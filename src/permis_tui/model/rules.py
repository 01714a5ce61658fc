"""Derived facts: pure functions of the answers, shown by the wizard and the récapitulatif.

Sources are named next to each rule: service-public.fr fiches F1704 (invalidation), F21774
(annulation), F31847 (justificatif de domicile), F2825 (inscription); code de la route R224-20,
R224-21, R224-22, R226-1, L223-5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from permis_tui.model.motif import Mesure, Motif, MotifKind, Personne, RetourAuPermis, TypeInscription
from permis_tui.model.piece_kind import PieceKind

# R224-20 thresholds.
ANCIENNETE_MIN_ANS = 3  # held 3 years at the date the licence lost validity (R224-20)
INTERDICTION_MAX_MOIS = 12  # "moins d'un an" (R224-20)
DELAI_INSCRIPTION_MOIS = 9  # "moins de neuf mois" (R224-20; F1704, F21774)
# After an invalidation: 6 months, or 12 with another invalidation in the previous 5 years (L223-5).
INTERDICTION_INVALIDATION_MOIS = 6
INTERDICTION_INVALIDATION_RECIDIVE_MOIS = 12

# The steps before inscription and their costs (F1704; R224-21, R224-22, R226-1).
EXAMEN_PSYCHOTECHNIQUE_EUROS = 100
EXAMEN_PSYCHOTECHNIQUE_MIN_MINUTES = 40
MEDECIN_AGREE_EUROS = 36
COMMISSION_MEDICALE_EUROS = 50
AVIS_MEDICAL_VALIDITE_MOIS = 24  # "valable 2 ans" (F1704)

# First inscription papers (F2825).
ASSR_AGE_MAX = 21  # ASSR2 or ASR under 21
JDC_AGE_MAX = 25  # recensement or JDC certificate under 25


def add_months(d: date, months: int) -> date:
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def age_at(date_naissance: str | None, today: date) -> int | None:
    """Age in whole years from a JJ/MM/AAAA birth date; an unknown day or month (00) counts
    from the latest possible date, so that a warning is never missed."""
    if not date_naissance:
        return None
    day, month, year = (int(p) for p in date_naissance.split("/"))
    month = month or 12
    day = day or 28
    birthday_passed = (today.month, today.day) >= (month, day)
    return today.year - year - (0 if birthday_passed else 1)


def avis_medical_requis(motif: Motif) -> bool:
    """A retour au permis always needs one (arrêté du 31 juillet 2012, art. 1); so does a heavy category."""
    if motif.motif is not MotifKind.INSCRIPTION:
        return False
    return motif.est_retour or bool(motif.categorie_lourde)


def avis_medical_expire(date_avis: date, today: date) -> bool:
    """The avis médical is valid 2 years (F1704)."""
    return add_months(date_avis, AVIS_MEDICAL_VALIDITE_MOIS) < today


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
    epreuves: Epreuves | None  # None while the facts are incomplete
    raisons: tuple[str, ...]  # why, in French, one sentence per condition
    manquant: tuple[str, ...] = ()  # facts still needed to decide
    # Last day to register on the ANTS site for the code-only route; None when that route is
    # closed whatever the date (held under 3 years, or a ban of a year or more).
    dernier_jour: date | None = None
    delai_depasse: bool = False

    @property
    def inscription_avant(self) -> date | None:
        """ "Register before" this date: the day after the last day (exclusive bound)."""
        return self.dernier_jour + timedelta(days=1) if self.dernier_jour else None


def duree_interdiction_attendue(retour: RetourAuPermis) -> int | None:
    """L223-5: 6 months after an invalidation, 1 year with another one within 5 years."""
    if retour.mesure is not Mesure.INVALIDATION or retour.invalidation_precedente_5_ans is None:
        return None
    if retour.invalidation_precedente_5_ans:
        return INTERDICTION_INVALIDATION_RECIDIVE_MOIS
    return INTERDICTION_INVALIDATION_MOIS


def date_fin_calculee(retour: RetourAuPermis) -> date | None:
    """After an invalidation the ban runs from the hand-back (L223-5): hand-back + ban.

    An annulation's ban runs from the judgment, the end of the appeal period or the
    notification (F21774), so no end date can be computed from the hand-back."""
    if retour.mesure is Mesure.ANNULATION:
        return None
    if retour.date_restitution is None or retour.duree_interdiction_mois is None:
        return None
    return add_months(retour.date_restitution, retour.duree_interdiction_mois)


def fin_interdiction(retour: RetourAuPermis) -> date | None:
    """End of the ban: the date typed from the decision or letter, else the computed one."""
    return retour.date_fin_interdiction or date_fin_calculee(retour)


def debut_delai_inscription(retour: RetourAuPermis) -> date | None:
    """The date the 9 months of R224-20 run from.

    Invalidation: the hand-back (F1704: « dans un délai de 9 mois à partir de la remise de votre
    permis à la préfecture »); the ban only delays obtaining the new licence (L223-5).
    Annulation: the end of the ban (F21774: « dans les 9 mois suivant la fin de l'interdiction »).
    """
    if retour.mesure is Mesure.INVALIDATION:
        return retour.date_restitution
    if retour.mesure is Mesure.ANNULATION:
        return retour.date_fin_interdiction
    return None


def date_limite_inscription(retour: RetourAuPermis) -> date | None:
    """Last day on which registering is still "moins de neuf mois" after the start (R224-20):
    on the day 9 months after the start, 9 months have gone by."""
    debut = debut_delai_inscription(retour)
    return None if debut is None else dernier_jour_inscription(debut)


def dernier_jour_inscription(debut: date) -> date:
    """The last day that is still less than 9 months after `debut` (R224-20)."""
    return add_months(debut, DELAI_INSCRIPTION_MOIS) - timedelta(days=1)


def premiere_date_inscription(retour: RetourAuPermis) -> date | None:
    """After an annulation no request may be made before the end of the ban (F21774); after an
    invalidation one may register as soon as the licence is handed back (F1704)."""
    if retour.mesure is Mesure.ANNULATION:
        return retour.date_fin_interdiction
    return None


def inscription_trop_tot(retour: RetourAuPermis, today: date) -> date | None:
    """The first allowed date when today is before it (annulation only), else None."""
    premiere = premiere_date_inscription(retour)
    return premiere if premiere is not None and today < premiere else None


def manquant_retour(retour: RetourAuPermis) -> list[str]:
    """Facts epreuves_a_repasser needs, as French noun phrases."""
    manquant = []
    if retour.mesure is None:
        manquant.append("invalidation ou annulation")
    if retour.date_premier_permis is None:
        manquant.append("date d'obtention de la première catégorie")
    if retour.date_mesure is None:
        manquant.append(
            "date de la lettre 48SI ou de la décision d'annulation"
            if retour.mesure is None
            else "date de la notification de la lettre 48SI"
            if retour.mesure is Mesure.INVALIDATION
            else "date de la décision d'annulation"
        )
    if retour.duree_interdiction_mois is None:
        manquant.append("durée de l'interdiction")
    if retour.mesure is Mesure.INVALIDATION and retour.date_restitution is None:
        manquant.append("date de restitution du permis")
    if retour.mesure is Mesure.ANNULATION and retour.date_fin_interdiction is None:
        manquant.append("date de fin de l'interdiction")
    return manquant


def epreuves_a_repasser(retour: RetourAuPermis, today: date) -> EpreuvesResult:
    """Code de la route R224-20: the code alone when all three conditions hold.

    1. the licence was held 3 years or more at the date it lost its validity (the 48SI
       notification) or at the annulation — not at the hand-back;
    2. the ban was under 1 year;
    3. the person registers less than 9 months after the date from which they may apply:
       the hand-back after an invalidation (F1704), the end of the ban after an annulation
       (F21774).
    Otherwise both the code and the driving test.
    """
    manquant = manquant_retour(retour)
    if manquant:
        return EpreuvesResult(None, (), tuple(manquant))
    assert retour.date_premier_permis and retour.date_mesure and retour.duree_interdiction_mois is not None
    invalidation = retour.mesure is Mesure.INVALIDATION
    quand = "à la date de la lettre 48SI" if invalidation else "à la date de l'annulation"
    detenu_3_ans = add_months(retour.date_premier_permis, 12 * ANCIENNETE_MIN_ANS) <= retour.date_mesure
    raisons = [
        f"Permis détenu depuis au moins 3 ans {quand}."
        if detenu_3_ans
        else f"Permis détenu depuis moins de 3 ans {quand}."
    ]
    courte = retour.duree_interdiction_mois < INTERDICTION_MAX_MOIS
    raisons.append("Interdiction de moins d'un an." if courte else "Interdiction d'un an ou plus.")
    limite = date_limite_inscription(retour)
    assert limite is not None
    depasse = today > limite
    depuis = "la restitution du permis" if invalidation else "la fin de l'interdiction"
    if depasse:
        raisons.append(f"Inscription 9 mois ou plus après {depuis} : le délai a pris fin le {limite:%d/%m/%Y}.")
    else:
        raisons.append(
            f"Inscription dans les 9 mois suivant {depuis} si elle est faite au plus tard le {limite:%d/%m/%Y}."
        )
    code_seul = detenu_3_ans and courte and not depasse
    return EpreuvesResult(
        Epreuves.CODE_SEUL if code_seul else Epreuves.CODE_ET_CONDUITE,
        tuple(raisons),
        dernier_jour=limite if (detenu_3_ans and courte) else None,
        delai_depasse=depasse,
    )


def conseil_inscription(retour: RetourAuPermis, result: EpreuvesResult) -> str | None:
    """The deadline sentence every output shows: « Inscrivez-vous … avant le JJ/MM/AAAA … »."""
    if result.dernier_jour is None or result.inscription_avant is None or result.delai_depasse:
        return None
    phrase = (
        f"Inscrivez-vous sur le site de l'ANTS avant le {result.inscription_avant:%d/%m/%Y} "
        f"(dernier jour : {result.dernier_jour:%d/%m/%Y}) pour ne repasser que le code."
    )
    if retour.mesure is Mesure.INVALIDATION:
        phrase += " L'inscription peut se faire pendant l'interdiction."
    return phrase


def etapes_avant_inscription(retour: RetourAuPermis, result: EpreuvesResult, today: date) -> list[str]:
    """The steps of a retour au permis, in order, with costs where a source gives them.

    The examen psychotechnique comes first: the avis médical can only be given after it
    (R224-21, R224-22, R226-1); psychologist declared to the préfet, at least 40 minutes, about
    100 € (F1704). Then the médecin agréé (about 36 €), or the commission médicale (about 50 €)
    where alcohol or drugs were involved; the avis is valid 2 years (F1704). Then inscription.
    """
    etapes = [
        f"Passez l'examen psychotechnique auprès d'un psychologue déclaré auprès du préfet "
        f"(au moins {EXAMEN_PSYCHOTECHNIQUE_MIN_MINUTES} minutes, environ {EXAMEN_PSYCHOTECHNIQUE_EUROS} €) ; "
        "il peut se faire pendant l'interdiction.",
        f"Puis obtenez l'avis médical d'un médecin agréé (environ {MEDECIN_AGREE_EUROS} €), ou de la commission "
        f"médicale (environ {COMMISSION_MEDICALE_EUROS} €) si l'infraction était liée à l'alcool ou aux "
        "stupéfiants ; l'avis est valable 2 ans.",
    ]
    trop_tot = inscription_trop_tot(retour, today)
    conseil = conseil_inscription(retour, result)
    if trop_tot is not None:
        debut = f"À partir du {trop_tot:%d/%m/%Y}, fin de l'interdiction (aucune demande n'est possible avant), "
        etapes.append(
            debut
            + (
                conseil[0].lower() + conseil[1:]
                if conseil
                else "inscrivez-vous sur le site de l'ANTS (France Titres), pour le code et la conduite."
            )
        )
    elif conseil:
        etapes.append(conseil)
    else:
        etapes.append("Inscrivez-vous sur le site de l'ANTS (France Titres), pour le code et la conduite.")
    if result.epreuves is not None:
        etapes.append(f"Passez les épreuves : {result.epreuves.label.lower()}.")
    etapes.append("Après réussite, vous recevez un permis probatoire de 6 points.")
    return etapes


def pieces_requises(
    motif: Motif, *, domicile_au_nom_du_demandeur: bool | None = True, age: int | None = None
) -> list[PieceKind]:
    """The step-5 categories the answers call for, in the order the ANTS site shows them.

    A minor (F31847): an attestation d'hébergement signed by one parent, that parent's identity
    document and that parent's proof of address — one set. An adult whose proof of address is
    in another's name: the host's attestation and identity document. A first inscription
    (F2825): the ASSR2 or ASR under 21, the JDC papers under 25; a retour au permis needs
    neither (F1704).
    """
    kinds = [PieceKind.IDENTITE, PieceKind.DOMICILE]
    if avis_medical_requis(motif):
        kinds.append(PieceKind.MEDICAL)
    if motif.personne is Personne.MINEURE:
        kinds += [PieceKind.HEBERGEMENT, PieceKind.IDENTITE_REPRESENTANT]
    elif domicile_au_nom_du_demandeur is False:
        kinds += [PieceKind.HEBERGEMENT, PieceKind.IDENTITE_HEBERGEANT]
    if motif.motif is MotifKind.INSCRIPTION and motif.type_inscription is TypeInscription.PREMIERE and age is not None:
        if age < ASSR_AGE_MAX:
            kinds.append(PieceKind.ASSR)
        if age < JDC_AGE_MAX:
            kinds.append(PieceKind.JDC)
    return kinds


def categories_conservees(retour: RetourAuPermis) -> list[str]:
    """An invalidation does not touch AM: the person keeps it (F1704)."""
    if retour.mesure is Mesure.INVALIDATION and "AM" in retour.categories_detenues:
        return ["AM"]
    return []
