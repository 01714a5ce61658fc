"""Derived facts: avis médical, exams to retake (R224-20), required documents."""

from __future__ import annotations

from datetime import date

import pytest

from permis_tui.model.motif import Mesure, Motif, MotifKind, Personne, RetourAuPermis, TypeInscription
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.rules import (
    Epreuves,
    add_months,
    avis_medical_requis,
    date_fin_calculee,
    duree_interdiction_attendue,
    epreuves_a_repasser,
    pieces_requises,
)

# A retour au permis where all three R224-20 conditions hold:
# licence from 2010, handed back 01/01/2024, 6-month ban → may get a new one from 01/07/2024.
RESTITUTION = date(2024, 1, 1)
FIN = date(2024, 7, 1)


def retour(**overrides) -> RetourAuPermis:
    facts = dict(
        mesure=Mesure.INVALIDATION,
        date_restitution=RESTITUTION,
        duree_interdiction_mois=6,
        date_premier_permis=date(2010, 5, 1),
        categories_detenues=["B"],
        invalidation_precedente_5_ans=False,
    )
    facts.update(overrides)
    return RetourAuPermis(**facts)


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

def test_code_only_when_all_three_conditions_hold():
    result = epreuves_a_repasser(retour(), today=date(2024, 8, 1))
    assert result.epreuves is Epreuves.CODE_SEUL
    assert result.manquant == ()
    assert len(result.raisons) == 3
    assert "au moins 3 ans" in result.raisons[0]


def test_licence_held_under_three_years_needs_code_and_driving():
    result = epreuves_a_repasser(retour(date_premier_permis=date(2022, 1, 2)), today=date(2024, 8, 1))
    assert result.epreuves is Epreuves.CODE_ET_CONDUITE
    assert "moins de 3 ans" in result.raisons[0]


def test_ban_of_one_year_or_more_needs_code_and_driving():
    result = epreuves_a_repasser(retour(duree_interdiction_mois=18), today=date(2025, 8, 1))
    assert result.epreuves is Epreuves.CODE_ET_CONDUITE
    assert "un an ou plus" in result.raisons[1]


def test_request_nine_months_or_more_after_needs_code_and_driving():
    result = epreuves_a_repasser(retour(), today=date(2025, 6, 1))
    assert result.epreuves is Epreuves.CODE_ET_CONDUITE
    assert "9 mois ou plus" in result.raisons[2]


def test_exactly_three_years_counts_as_three_years():
    exact = retour(date_premier_permis=date(2021, 1, 1))  # restitution 01/01/2024
    assert epreuves_a_repasser(exact, today=date(2024, 8, 1)).epreuves is Epreuves.CODE_SEUL
    one_day_short = retour(date_premier_permis=date(2021, 1, 2))
    assert epreuves_a_repasser(one_day_short, today=date(2024, 8, 1)).epreuves is Epreuves.CODE_ET_CONDUITE


def test_exactly_twelve_months_is_not_under_one_year():
    assert epreuves_a_repasser(retour(duree_interdiction_mois=11), today=date(2024, 12, 15)).epreuves is Epreuves.CODE_SEUL
    assert epreuves_a_repasser(retour(duree_interdiction_mois=12), today=date(2025, 2, 1)).epreuves is Epreuves.CODE_ET_CONDUITE


def test_exactly_nine_months_after_is_too_late():
    # fin = 01/07/2024; 9 months later = 01/04/2025.
    assert epreuves_a_repasser(retour(), today=date(2025, 3, 31)).epreuves is Epreuves.CODE_SEUL
    assert epreuves_a_repasser(retour(), today=date(2025, 4, 1)).epreuves is Epreuves.CODE_ET_CONDUITE


def test_explicit_end_date_wins_over_computed_one():
    # A court set a later end date: 9 months counted from it.
    late_end = retour(mesure=Mesure.ANNULATION, date_fin_interdiction=date(2024, 10, 1))
    assert epreuves_a_repasser(late_end, today=date(2025, 6, 1)).epreuves is Epreuves.CODE_SEUL


@pytest.mark.parametrize("missing, label", [
    ("date_premier_permis", "première catégorie"),
    ("date_restitution", "restitution"),
    ("duree_interdiction_mois", "durée"),
])
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


def test_ban_after_invalidation():
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


def test_pieces_minor_adds_legal_representative():
    kinds = pieces_requises(inscription(personne=Personne.MINEURE))
    assert PieceKind.IDENTITE_REPRESENTANT in kinds
    assert PieceKind.MEDICAL not in kinds


def test_pieces_domicile_not_in_own_name_adds_hebergement():
    kinds = pieces_requises(inscription(), domicile_au_nom_du_demandeur=False)
    assert PieceKind.HEBERGEMENT in kinds and PieceKind.IDENTITE_HEBERGEANT in kinds
    for unknown in (True, None):
        kinds = pieces_requises(inscription(), domicile_au_nom_du_demandeur=unknown)
        assert PieceKind.HEBERGEMENT not in kinds


def test_pieces_retour_adds_medical():
    kinds = pieces_requises(inscription(type_inscription=TypeInscription.RETOUR))
    assert kinds == [PieceKind.IDENTITE, PieceKind.DOMICILE, PieceKind.MEDICAL]


def test_pieces_everything():
    kinds = pieces_requises(
        inscription(personne=Personne.MINEURE, categorie_lourde=True, categories_lourdes=["C"]),
        domicile_au_nom_du_demandeur=False,
    )
    assert kinds == list(PieceKind)
