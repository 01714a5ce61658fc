"""Derived facts: avis médical, exams to retake (R224-20), required documents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from permis_tui.model.motif import Mesure, Motif, MotifKind, Personne, RetourAuPermis, TypeInscription
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.rules import (
    Epreuves,
    add_months,
    avis_medical_expire,
    avis_medical_requis,
    categories_conservees,
    conseil_inscription,
    date_fin_calculee,
    duree_interdiction_attendue,
    epreuves_a_repasser,
    etapes_avant_inscription,
    inscription_trop_tot,
    pieces_requises,
    premiere_date_inscription,
)

# An invalidation where all three R224-20 conditions hold: licence from 2010, 48SI notified
# 15/12/2023, handed back 01/01/2024, 6-month ban.
NOTIFICATION = date(2023, 12, 15)
RESTITUTION = date(2024, 1, 1)
FIN = date(2024, 7, 1)


def retour(**overrides) -> RetourAuPermis:
    facts = dict(
        mesure=Mesure.INVALIDATION,
        date_mesure=NOTIFICATION,
        date_restitution=RESTITUTION,
        duree_interdiction_mois=6,
        date_premier_permis=date(2010, 5, 1),
        categories_detenues=["B"],
        invalidation_precedente_5_ans=False,
    )
    facts.update(overrides)
    return RetourAuPermis(**facts)


# An annulation: decided 01/03/2024, licence handed back 10/03/2024, 8-month ban ending
# 01/11/2024 (the decision's date, not the hand-back + 8 months: F21774).
DECISION = date(2024, 3, 1)
FIN_ANNULATION = date(2024, 11, 1)


def annulation(**overrides) -> RetourAuPermis:
    facts = dict(
        mesure=Mesure.ANNULATION,
        date_mesure=DECISION,
        date_restitution=date(2024, 3, 10),
        duree_interdiction_mois=8,
        date_fin_interdiction=FIN_ANNULATION,
    )
    facts.update(overrides)
    return retour(**facts)


def inscription(**overrides) -> Motif:
    facts = dict(
        motif=MotifKind.INSCRIPTION,
        personne=Personne.MAJEURE,
        type_inscription=TypeInscription.PREMIERE,
        categorie_lourde=False,
    )
    facts.update(overrides)
    return Motif(**facts)


# -- R224-20 ---------------------------------------------------------------


def test_r224_20_code_only_when_all_three_conditions_hold():
    result = epreuves_a_repasser(retour(), today=date(2024, 8, 1))
    assert result.epreuves is Epreuves.CODE_SEUL
    assert result.manquant == ()
    assert len(result.raisons) == 3
    assert "au moins 3 ans à la date de la lettre 48SI" in result.raisons[0]
    # F1704: 9 months from the hand-back, 01/01/2024 → last day 30/09/2024.
    assert result.dernier_jour == date(2024, 9, 30)
    assert result.inscription_avant == date(2024, 10, 1)
    assert result.delai_depasse is False


def test_handed_back_14_months_ago_needs_code_and_driving():
    """Licence since 2010, handed back 14 months ago, 6-month ban → code et conduite
    (the 9 months run from the hand-back after an invalidation, F1704)."""
    today = date(2025, 3, 1)
    r = retour(date_premier_permis=date(2010, 6, 1), date_mesure=date(2023, 12, 20), date_restitution=date(2024, 1, 1))
    result = epreuves_a_repasser(r, today)
    assert result.epreuves is Epreuves.CODE_ET_CONDUITE
    assert result.delai_depasse is True
    assert result.dernier_jour == date(2024, 9, 30)
    assert "a pris fin le 30/09/2024" in result.raisons[2]
    assert conseil_inscription(r, result) is None


@pytest.mark.parametrize("make, debut", [(retour, RESTITUTION), (annulation, FIN_ANNULATION)])
def test_r224_20_nine_months_to_the_day(make, debut):
    """F1704 (invalidation: from the hand-back), F21774 (annulation: from the end of the ban):
    "moins de neuf mois" — the day before the 9-month anniversary is the last day."""
    anniversaire = add_months(debut, 9)
    dernier = anniversaire - timedelta(days=1)
    assert epreuves_a_repasser(make(), dernier).epreuves is Epreuves.CODE_SEUL
    assert epreuves_a_repasser(make(), dernier).dernier_jour == dernier
    late = epreuves_a_repasser(make(), anniversaire)
    assert late.epreuves is Epreuves.CODE_ET_CONDUITE and late.delai_depasse


def test_f1704_nine_months_do_not_run_from_the_end_of_the_ban():
    # End of ban 01/07/2024; the old rule (end + 9 months) would still say code only on 01/02/2025.
    result = epreuves_a_repasser(retour(), date(2025, 2, 1))
    assert result.epreuves is Epreuves.CODE_ET_CONDUITE


@pytest.mark.parametrize("make, mesure_date", [(retour, NOTIFICATION), (annulation, DECISION)])
def test_r224_20_three_years_to_the_day_at_the_date_of_the_measure(make, mesure_date):
    """R224-20: 3 years at the date the licence lost validity (48SI) or at the annulation."""
    today = date(2024, 9, 1) if make is retour else date(2024, 12, 1)
    exact = make(date_premier_permis=add_months(mesure_date, -36))
    assert epreuves_a_repasser(exact, today).epreuves is Epreuves.CODE_SEUL
    one_day_short = make(date_premier_permis=add_months(mesure_date, -36) + timedelta(days=1))
    result = epreuves_a_repasser(one_day_short, today)
    assert result.epreuves is Epreuves.CODE_ET_CONDUITE
    assert "moins de 3 ans" in result.raisons[0]
    assert result.dernier_jour is None  # no date can open the code-only route


def test_r224_20_seniority_is_not_counted_to_the_hand_back():
    # 3 years reached between the 48SI (15/12/2023) and the hand-back (01/01/2024): not enough.
    r = retour(date_premier_permis=date(2020, 12, 20))
    assert epreuves_a_repasser(r, date(2024, 8, 1)).epreuves is Epreuves.CODE_ET_CONDUITE


@pytest.mark.parametrize("make", [retour, annulation])
def test_r224_20_twelve_month_ban_is_not_under_one_year(make):
    today = date(2024, 8, 1) if make is retour else date(2024, 12, 1)
    assert epreuves_a_repasser(make(duree_interdiction_mois=11), today).epreuves is Epreuves.CODE_SEUL
    result = epreuves_a_repasser(make(duree_interdiction_mois=12), today)
    assert result.epreuves is Epreuves.CODE_ET_CONDUITE
    assert "un an ou plus" in result.raisons[1]
    assert result.dernier_jour is None


def test_f21774_annulation_end_of_ban_today_is_allowed_and_yesterday_is_not():
    r = annulation()
    assert inscription_trop_tot(r, FIN_ANNULATION) is None
    assert inscription_trop_tot(r, FIN_ANNULATION - timedelta(days=1)) == FIN_ANNULATION
    assert premiere_date_inscription(r) == FIN_ANNULATION


def test_f1704_invalidation_may_register_during_the_ban():
    r = retour()
    assert inscription_trop_tot(r, RESTITUTION) is None
    result = epreuves_a_repasser(r, date(2024, 2, 1))  # during the 6-month ban
    assert result.epreuves is Epreuves.CODE_SEUL
    phrase = conseil_inscription(r, result)
    assert phrase == (
        "Inscrivez-vous sur le site de l'ANTS avant le 01/10/2024 (dernier jour : 30/09/2024) "
        "pour ne repasser que le code. L'inscription peut se faire pendant l'interdiction."
    )


def test_f21774_annulation_ban_end_is_not_computed_from_the_hand_back():
    r = annulation(date_fin_interdiction=None)
    assert date_fin_calculee(r) is None
    result = epreuves_a_repasser(r, date(2024, 12, 1))
    assert result.epreuves is None
    assert "date de fin de l'interdiction" in result.manquant


@pytest.mark.parametrize(
    "missing, label",
    [
        ("date_premier_permis", "première catégorie"),
        ("date_restitution", "restitution"),
        ("duree_interdiction_mois", "durée"),
        ("date_mesure", "48SI"),
    ],
)
def test_incomplete_facts_give_none_with_what_is_missing(missing, label):
    result = epreuves_a_repasser(retour(**{missing: None}), today=date(2024, 8, 1))
    assert result.epreuves is None
    assert result.raisons == ()
    assert any(label in m for m in result.manquant)


def test_empty_retour_lists_every_missing_fact():
    result = epreuves_a_repasser(RetourAuPermis(), today=date(2024, 8, 1))
    assert result.epreuves is None
    assert len(result.manquant) == 4


def test_epreuves_labels():
    assert "uniquement" in Epreuves.CODE_SEUL.label
    assert "conduite" in Epreuves.CODE_ET_CONDUITE.label


def test_l223_5_ban_after_invalidation():
    assert duree_interdiction_attendue(retour(invalidation_precedente_5_ans=False)) == 6
    assert duree_interdiction_attendue(retour(invalidation_precedente_5_ans=True)) == 12
    assert duree_interdiction_attendue(retour(mesure=Mesure.ANNULATION)) is None
    assert duree_interdiction_attendue(retour(invalidation_precedente_5_ans=None)) is None


def test_date_fin_calculee_and_add_months_month_end():
    assert date_fin_calculee(retour()) == FIN
    assert date_fin_calculee(retour(duree_interdiction_mois=None)) is None
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 2) == date(2025, 1, 15)


# -- steps before inscription (R224-21, R224-22, R226-1; F1704) -----------


def test_etapes_order_and_costs_invalidation():
    r = retour()
    result = epreuves_a_repasser(r, date(2024, 2, 1))
    etapes = etapes_avant_inscription(r, result, date(2024, 2, 1))
    assert "examen psychotechnique" in etapes[0] and "100 €" in etapes[0] and "40 minutes" in etapes[0]
    assert "pendant l'interdiction" in etapes[0]
    assert "médecin agréé (environ 36 €)" in etapes[1] and "commission médicale (environ 50 €)" in etapes[1]
    assert "valable 2 ans" in etapes[1]
    assert etapes[2].startswith("Inscrivez-vous sur le site de l'ANTS avant le 01/10/2024")
    assert "code" in etapes[3]


def test_etapes_annulation_before_end_of_ban_gives_first_date():
    r = annulation()
    today = date(2024, 6, 1)
    etapes = etapes_avant_inscription(r, epreuves_a_repasser(r, today), today)
    assert etapes[2].startswith("À partir du 01/11/2024, fin de l'interdiction")
    assert "avant le 01/08/2025" in etapes[2]  # 01/11/2024 + 9 months


def test_f1704_avis_medical_valid_two_years():
    avis = date(2023, 3, 10)
    assert not avis_medical_expire(avis, date(2025, 3, 10))
    assert avis_medical_expire(avis, date(2025, 3, 11))


def test_f1704_am_kept_after_invalidation_only():
    assert categories_conservees(retour(categories_detenues=["AM", "B"])) == ["AM"]
    assert categories_conservees(annulation(categories_detenues=["AM", "B"])) == []


# -- avis médical ----------------------------------------------------------


def test_avis_medical_for_retour():
    assert avis_medical_requis(inscription(type_inscription=TypeInscription.RETOUR))


@pytest.mark.parametrize("cat", ["C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"])
def test_avis_medical_for_heavy_category(cat):
    assert avis_medical_requis(inscription(categorie_lourde=True, categories_lourdes=[cat]))


def test_no_avis_medical_for_first_inscription_light():
    assert not avis_medical_requis(inscription())
    assert not avis_medical_requis(inscription(categorie_lourde=None))


def test_no_avis_medical_for_motifs_not_handled():
    assert not avis_medical_requis(Motif(motif=MotifKind.FABRICATION, type_inscription=TypeInscription.RETOUR))


def test_be_is_not_a_heavy_category_by_default():
    with pytest.raises(ValueError):
        Motif(categories_lourdes=["BE"])


# -- pièces requises -------------------------------------------------------


def test_pieces_first_inscription_adult():
    assert pieces_requises(inscription()) == [PieceKind.IDENTITE, PieceKind.DOMICILE]


def test_f31847_minor_one_set_attestation_parent_id():
    """F31847: a minor gives an attestation d'hébergement signed by a parent and that parent's
    ID (the proof of address is the parent's): one set, never the host's ID on top."""
    for au_nom in (True, False, None):
        kinds = pieces_requises(inscription(personne=Personne.MINEURE), domicile_au_nom_du_demandeur=au_nom)
        assert kinds == [PieceKind.IDENTITE, PieceKind.DOMICILE, PieceKind.HEBERGEMENT, PieceKind.IDENTITE_REPRESENTANT]


@pytest.mark.parametrize(
    "age, expected",
    [
        (17, [PieceKind.ASSR, PieceKind.JDC]),
        (20, [PieceKind.ASSR, PieceKind.JDC]),
        (21, [PieceKind.JDC]),
        (24, [PieceKind.JDC]),
        (25, []),
    ],
)
def test_f2825_first_inscription_assr_under_21_jdc_under_25(age, expected):
    kinds = pieces_requises(inscription(), age=age)
    assert kinds == [PieceKind.IDENTITE, PieceKind.DOMICILE] + expected


def test_f1704_retour_needs_neither_assr_nor_jdc():
    kinds = pieces_requises(inscription(type_inscription=TypeInscription.RETOUR), age=19)
    assert kinds == [PieceKind.IDENTITE, PieceKind.DOMICILE, PieceKind.MEDICAL]


def test_pieces_domicile_not_in_own_name_adds_hebergement():
    kinds = pieces_requises(inscription(), domicile_au_nom_du_demandeur=False)
    assert PieceKind.HEBERGEMENT in kinds and PieceKind.IDENTITE_HEBERGEANT in kinds
    for unknown in (True, None):
        kinds = pieces_requises(inscription(), domicile_au_nom_du_demandeur=unknown)
        assert PieceKind.HEBERGEMENT not in kinds


def test_pieces_retour_adds_medical():
    kinds = pieces_requises(inscription(type_inscription=TypeInscription.RETOUR))
    assert kinds == [PieceKind.IDENTITE, PieceKind.DOMICILE, PieceKind.MEDICAL]


def test_pieces_everything_for_an_adult_hosted():
    kinds = pieces_requises(
        inscription(categorie_lourde=True, categories_lourdes=["C"]),
        domicile_au_nom_du_demandeur=False,
        age=19,
    )
    assert kinds == [
        PieceKind.IDENTITE,
        PieceKind.DOMICILE,
        PieceKind.MEDICAL,
        PieceKind.HEBERGEMENT,
        PieceKind.IDENTITE_HEBERGEANT,
        PieceKind.ASSR,
        PieceKind.JDC,
    ]
