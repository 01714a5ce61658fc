"""What blocks each step and the final validation, with the field each issue belongs to."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from permis_tui.model.completeness import (
    FieldIssue,
    age_warning,
    motif_warnings,
    step_issues,
    validation_issues,
)
from permis_tui.model.demande import Demande
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.pieces import PieceJointe

TODAY = date(2025, 6, 15)


def piece(kind: PieceKind, *, pages: int = 1, valide: bool = True, n: int = 0) -> PieceJointe:
    sha = f"{n:064x}"
    return PieceJointe(
        kind=kind,
        nom_original=f"{kind.value}.pdf",
        sha256=sha,
        fichier=f"{sha}.pdf",
        taille=1000,
        type_detecte="pdf",
        pages=pages,
        valide=valide,
        raison=None if valide else "Fichier illisible ou endommagé",
        ajoute_le=datetime(2025, 6, 1),
    )


def complete(**sections) -> Demande:
    """A retour au permis that passes every check on TODAY."""
    data = {
        "motif": {
            "motif": "inscription",
            "personne": "majeure",
            "type_inscription": "retour",
            "categorie_lourde": False,
            "retour": {
                "mesure": "invalidation",
                "invalidation_precedente_5_ans": False,
                "date_mesure": "2024-11-20",
                "date_restitution": "2024-12-01",
                "duree_interdiction_mois": 6,
                "date_fin_interdiction": "2025-06-01",
                "date_premier_permis": "2010-05-01",
                "categories_detenues": ["B"],
            },
        },
        "etat_civil": {
            "nom_naissance": "Lefèvre",
            "sexe": "F",
            "prenoms": ["Zoé"],
            "date_naissance": "04/07/1990",
            "pays_naissance": "FR",
            "departement_naissance": "74",
            "commune_naissance_code": "74010",
            "commune_naissance": "Annecy",
        },
        "adresse": {
            "numero_voie": "12",
            "type_voie": "rue",
            "nom_voie": "des Lilas",
            "code_postal": "74000",
            "commune_code": "74010",
            "commune": "Annecy",
            "prefecture": "74010",
            "email": "zoe.lefevre@exemple.fr",
            "telephone": "06 12 34 56 78",
            "consentement": True,
        },
        "photo": {"choix": "ephoto", "code_ephoto": "1234567890123456789012", "date_photo": "01/05/2025"},
        "pieces": {
            "domicile_type": "facture",
            "domicile_date": "01/05/2025",
            "domicile_au_nom": True,
            "avis_medical_date": "01/04/2025",
            "identite_type": "cni",
            "identite_expiration": "01/03/2030",
            "fichiers": [
                piece(PieceKind.IDENTITE, pages=2, n=1).model_dump(),
                piece(PieceKind.DOMICILE, n=2).model_dump(),
                piece(PieceKind.MEDICAL, n=3).model_dump(),
            ],
        },
    }
    for name, overrides in sections.items():
        data[name] = {**data[name], **overrides}
    return Demande.model_validate(data)


def fields_of(issues: list[FieldIssue]) -> list[str]:
    return [i.field for i in issues]


def test_complete_demande_has_no_issue():
    d = complete()
    assert validation_issues(d, TODAY) == []
    for step in range(1, 8):
        assert step_issues(d, step, TODAY) == []
    assert motif_warnings(d) == []


def test_field_issue_step():
    assert FieldIssue("motif.retour.mesure", "x").step == 1
    assert FieldIssue("etat_civil.prenoms.0", "x").step == 2
    assert FieldIssue("adresse.email", "x").step == 3
    assert FieldIssue("photo.choix", "x").step == 4
    assert FieldIssue("pieces.medical", "x").step == 5


# -- step 1 ----------------------------------------------------------------


def test_step1_empty():
    issues = step_issues(Demande(), 1, TODAY)
    assert fields_of(issues) == ["motif.motif"]
    assert "motif" in issues[0].message


@pytest.mark.parametrize("motif", ["fabrication", "international", "erreur"])
def test_step1_motifs_not_handled(motif):
    (issue,) = step_issues(Demande.model_validate({"motif": {"motif": motif}}), 1, TODAY)
    assert issue.field == "motif.motif"
    assert "ne traite pas" in issue.message


def test_step1_inscription_questions():
    d = Demande.model_validate({"motif": {"motif": "inscription"}})
    assert fields_of(step_issues(d, 1, TODAY)) == [
        "motif.personne",
        "motif.type_inscription",
        "motif.categorie_lourde",
    ]


def test_step1_heavy_category_needs_one_ticked():
    d = complete(motif={"categorie_lourde": True, "categories_lourdes": []})
    assert fields_of(step_issues(d, 1, TODAY)) == ["motif.categories_lourdes"]
    d = complete(motif={"categorie_lourde": True, "categories_lourdes": ["C"]})
    assert step_issues(d, 1, TODAY) == []


def test_step1_retour_facts_each_required():
    d = complete(motif={"retour": {}})
    assert fields_of(step_issues(d, 1, TODAY)) == [
        "motif.retour.mesure",
        "motif.retour.date_mesure",
        "motif.retour.date_restitution",
        "motif.retour.duree_interdiction_mois",
        "motif.retour.date_premier_permis",
        "motif.retour.categories_detenues",
    ]


def test_step1_invalidation_asks_about_previous_one():
    d = complete()
    d.motif.retour.invalidation_precedente_5_ans = None
    assert fields_of(step_issues(d, 1, TODAY)) == ["motif.retour.invalidation_precedente_5_ans"]
    d.motif.retour.mesure = d.motif.retour.mesure.ANNULATION
    assert step_issues(d, 1, TODAY) == []


def test_step1_date_order():
    d = complete()
    d.motif.retour.date_premier_permis = date(2024, 12, 2)
    d.motif.retour.date_fin_interdiction = date(2024, 11, 30)
    issues = step_issues(d, 1, TODAY)
    # In the order of the form: 1.10 comes before 1.11 on the screen.
    assert fields_of(issues) == [
        "motif.retour.date_fin_interdiction",
        "motif.retour.date_premier_permis",
        "motif.retour.date_premier_permis",
    ]
    assert "restitution" in issues[1].message
    assert "mesure" in issues[2].message


def test_step1_48si_before_hand_back():
    d = complete()
    d.motif.retour.date_mesure = date(2024, 12, 2)  # after the hand-back (01/12/2024)
    (issue,) = step_issues(d, 1, TODAY)
    assert issue.field == "motif.retour.date_mesure" and "48SI" in issue.message


def _annulation(fin: date) -> Demande:
    d = complete()
    r = d.motif.retour
    r.mesure, r.invalidation_precedente_5_ans, r.date_fin_interdiction = r.mesure.ANNULATION, None, fin
    return d


def test_f21774_annulation_refused_before_the_end_of_the_ban():
    """F21774: no request before the end of the ban; the message gives the first allowed date."""
    (issue,) = step_issues(_annulation(date(2025, 6, 16)), 1, TODAY)
    assert issue.field == "motif.retour.date_fin_interdiction"
    assert "à partir du 16/06/2025" in issue.message
    assert fields_of(validation_issues(_annulation(date(2025, 6, 16)), TODAY)) == ["motif.retour.date_fin_interdiction"]
    assert step_issues(_annulation(TODAY), 1, TODAY) == []  # end of ban today: allowed


def test_f21774_annulation_needs_the_end_date_from_the_decision():
    d = _annulation(TODAY)
    d.motif.retour.date_fin_interdiction = None
    (issue,) = step_issues(d, 1, TODAY)
    assert issue.field == "motif.retour.date_fin_interdiction" and "décision" in issue.message


def test_first_inscription_ignores_retour_facts():
    d = complete(motif={"type_inscription": "premiere", "retour": {}})
    assert step_issues(d, 1, TODAY) == []


def test_motif_warnings():
    d = complete()
    d.motif.retour.duree_interdiction_mois = 9
    d.motif.retour.date_fin_interdiction = date(2025, 6, 1)  # computed: 01/09/2025
    warnings = motif_warnings(d)
    assert fields_of(warnings) == ["motif.retour.duree_interdiction_mois", "motif.retour.date_fin_interdiction"]
    assert "6 mois" in warnings[0].message
    assert "01/09/2025" in warnings[1].message
    d.motif.retour.invalidation_precedente_5_ans = True
    d.motif.retour.duree_interdiction_mois = 12
    d.motif.retour.date_fin_interdiction = date(2025, 12, 3)  # within 3 days of 01/12/2025
    assert motif_warnings(d) == []


def test_validation_stops_after_step1_issues():
    d = complete(motif={"personne": None})
    assert fields_of(validation_issues(d, TODAY)) == ["motif.personne"]
    assert fields_of(validation_issues(Demande(), TODAY)) == ["motif.motif"]


# -- step 2 ----------------------------------------------------------------


def test_step2_empty():
    assert fields_of(step_issues(Demande(), 2, TODAY)) == [
        "etat_civil.nom_naissance",
        "etat_civil.sexe",
        "etat_civil.prenoms.0",
        "etat_civil.date_naissance",
        "etat_civil.pays_naissance",
    ]


def test_step2_unknown_country():
    d = complete(etat_civil={"pays_naissance": "ZZ"})
    (issue,) = step_issues(d, 2, TODAY)
    assert issue.field == "etat_civil.pays_naissance" and "inconnu" in issue.message


def test_step2_france_needs_departement_then_commune():
    d = complete(etat_civil={"departement_naissance": None})
    assert fields_of(step_issues(d, 2, TODAY)) == ["etat_civil.departement_naissance"]
    d = complete(etat_civil={"departement_naissance": "00"})
    (issue,) = step_issues(d, 2, TODAY)
    assert issue.field == "etat_civil.departement_naissance" and "inconnu" in issue.message
    d = complete(etat_civil={"commune_naissance_code": None})
    assert fields_of(step_issues(d, 2, TODAY)) == ["etat_civil.commune_naissance"]


def test_step2_commune_of_another_departement():
    d = complete(etat_civil={"departement_naissance": "73"})  # Annecy is in 74
    (issue,) = step_issues(d, 2, TODAY)
    assert issue.field == "etat_civil.commune_naissance"
    assert "n'appartient pas" in issue.message
    d = complete(etat_civil={"commune_naissance_code": "99999"})
    assert fields_of(step_issues(d, 2, TODAY)) == ["etat_civil.commune_naissance"]


def test_step2_born_abroad_needs_town_only():
    d = complete(
        etat_civil={
            "pays_naissance": "PL",
            "departement_naissance": None,
            "commune_naissance_code": None,
            "commune_naissance": "Łódź",
        }
    )
    assert step_issues(d, 2, TODAY) == []
    d = complete(
        etat_civil={
            "pays_naissance": "PL",
            "departement_naissance": None,
            "commune_naissance_code": None,
            "commune_naissance": None,
        }
    )
    # At 2.9, the field shown abroad (2.8, the commune list, is hidden there).
    assert fields_of(step_issues(d, 2, TODAY)) == ["etat_civil.ville_naissance"]


def test_step2_pending_input_is_an_issue():
    d = complete()
    d.saisies = {"etat_civil.date_naissance": "31/02/1990", "adresse.email": "x"}
    assert fields_of(step_issues(d, 2, TODAY)) == ["etat_civil.date_naissance"]
    assert fields_of(step_issues(d, 3, TODAY)) == ["adresse.email"]


def test_age_warning_decret_2023_1214_b_at_17():
    """Décret 2023-1214: the B practical test and licence at 17; the code at 16, 15 in AAC; AM 14."""
    young = complete(etat_civil={"date_naissance": "16/06/2008"})  # 16 on TODAY, 17 tomorrow
    warning = age_warning(young, TODAY)
    assert "16 ans" in warning and "17 ans" in warning and "15 ans en apprentissage anticipé" in warning
    assert "AM dès 14 ans" in warning
    seventeen = complete(etat_civil={"date_naissance": "15/06/2008"})
    assert age_warning(seventeen, TODAY) is None
    # Unknown month: counted from the latest possible date (December).
    partial = complete(etat_civil={"date_naissance": "00/00/2008"})
    assert age_warning(partial, TODAY) is not None
    assert age_warning(complete(etat_civil={"date_naissance": "00/00/1975"}), TODAY) is None
    assert age_warning(Demande(), TODAY) is None


@pytest.mark.parametrize("categorie, age_min", [("C1", 18), ("C", 21), ("D1", 21), ("D", 24)])
def test_age_warning_heavy_categories_r221_5(categorie, age_min):
    born = f"15/06/{TODAY.year - age_min}"  # exactly age_min on TODAY
    ok = complete(
        motif={"categorie_lourde": True, "categories_lourdes": [categorie]}, etat_civil={"date_naissance": born}
    )
    assert age_warning(ok, TODAY) is None
    young = complete(
        motif={"categorie_lourde": True, "categories_lourdes": [categorie]},
        etat_civil={"date_naissance": f"16/06/{TODAY.year - age_min}"},
    )
    assert f"{categorie} à {age_min} ans" in age_warning(young, TODAY)


# -- step 3 ----------------------------------------------------------------


def test_step3_annecy_74000_is_fine():
    assert step_issues(complete(), 3, TODAY) == []


def test_step3_commune_deleguee_names_its_commune_nouvelle():
    # The postal address is the commune nouvelle's: 74000 ANNECY, not Annecy-le-Vieux.
    d = complete(adresse={"commune_code": "74011", "commune": "Annecy-le-Vieux"})
    [issue] = step_issues(d, 3, TODAY)
    assert issue.field == "adresse.commune"
    assert issue.message == (
        "Annecy-le-Vieux est une commune déléguée d'Annecy : choisissez Annecy, "
        "la commune de votre adresse postale (74000 ANNECY)."
    )


def test_step3_empty():
    assert fields_of(step_issues(Demande(), 3, TODAY)) == [
        "adresse.nom_voie",
        "adresse.code_postal",
        "adresse.prefecture",
        "adresse.email",
        "adresse.consentement",
    ]


def test_step3_postal_code_that_does_not_exist():
    (issue,) = step_issues(complete(adresse={"code_postal": "00000"}), 3, TODAY)
    assert issue.field == "adresse.code_postal" and "00000" in issue.message


def test_step3_commune_must_be_chosen():
    d = complete(adresse={"commune_code": None})
    assert fields_of(step_issues(d, 3, TODAY)) == ["adresse.commune"]


def test_step3_commune_not_served_by_postal_code():
    d = complete(adresse={"commune_code": "73065", "commune": "Chambéry"})  # 73000, not 74000
    (issue,) = step_issues(d, 3, TODAY)
    assert issue.field == "adresse.commune"
    assert "74000" in issue.message


def test_step3_prefecture_of_another_departement():
    d = complete(adresse={"prefecture": "73065"})  # préfecture of Savoie, home in Haute-Savoie
    (issue,) = step_issues(d, 3, TODAY)
    assert issue.field == "adresse.prefecture"
    assert "département" in issue.message


def test_step3_sous_prefecture_of_same_departement():
    assert step_issues(complete(adresse={"prefecture": "74281"}), 3, TODAY) == []  # Thonon-les-Bains


def test_step3_paris_prefecture_de_police():
    d = complete(
        adresse={"code_postal": "75011", "commune_code": "75111", "commune": "Paris 11e", "prefecture": "75056"}
    )
    issues = step_issues(d, 3, TODAY)
    # 75111 is an arrondissement municipal: its département is 75, préfecture de police.
    assert "adresse.prefecture" not in fields_of(issues)


def test_step3_consent_no_is_an_answer():
    assert step_issues(complete(adresse={"consentement": False}), 3, TODAY) == []


# -- step 4 ----------------------------------------------------------------


def test_step4():
    assert fields_of(step_issues(Demande(), 4, TODAY)) == ["photo.choix"]
    assert fields_of(step_issues(complete(photo={"choix": "sans"}), 4, TODAY)) == ["photo.choix"]
    assert step_issues(complete(photo={"choix": "courrier", "code_ephoto": None, "date_photo": None}), 4, TODAY) == []
    d = complete(photo={"code_ephoto": None, "date_photo": None})
    assert fields_of(step_issues(d, 4, TODAY)) == ["photo.code_ephoto", "photo.date_photo"]


def test_step4_ephoto_older_than_six_months():
    (issue,) = step_issues(complete(photo={"date_photo": "14/12/2024"}), 4, TODAY)
    assert issue.field == "photo.date_photo" and "6 mois" in issue.message
    assert step_issues(complete(photo={"date_photo": "15/12/2024"}), 4, TODAY) == []


# -- step 5 ----------------------------------------------------------------


def test_step5_empty_retour_needs_medical():
    d = complete(
        pieces={
            "fichiers": [],
            "domicile_type": None,
            "domicile_date": None,
            "domicile_au_nom": None,
            "identite_type": None,
            "identite_expiration": None,
        }
    )
    d.pieces.avis_medical_date = None
    assert fields_of(step_issues(d, 5, TODAY)) == [
        "pieces.identite",
        "pieces.identite_type",
        "pieces.domicile_type",
        "pieces.domicile_date",
        "pieces.domicile_au_nom",
        "pieces.domicile",
        "pieces.medical",
        "pieces.avis_medical_date",
    ]


def test_step5_first_inscription_does_not_need_medical():
    d = complete(motif={"type_inscription": "premiere"})
    d.pieces.fichiers = [f for f in d.pieces.fichiers if f.kind is not PieceKind.MEDICAL]
    assert step_issues(d, 5, TODAY) == []


def test_step5_hebergement_when_not_in_own_name():
    d = complete(pieces={"domicile_au_nom": False})
    assert fields_of(step_issues(d, 5, TODAY)) == ["pieces.hebergement", "pieces.identite_hebergeant"]


def test_step5_f31847_minor_needs_parent_attestation_and_id_once():
    d = complete(motif={"personne": "mineure"})
    assert fields_of(step_issues(d, 5, TODAY)) == ["pieces.hebergement", "pieces.identite_representant"]
    d = complete(motif={"personne": "mineure"}, pieces={"domicile_au_nom": False})
    assert fields_of(step_issues(d, 5, TODAY)) == ["pieces.hebergement", "pieces.identite_representant"]


def test_step5_f2825_first_inscription_under_21_needs_assr_and_jdc():
    d = complete(motif={"type_inscription": "premiere"}, etat_civil={"date_naissance": "01/01/2005"})  # 20
    d.pieces.fichiers = [f for f in d.pieces.fichiers if f.kind is not PieceKind.MEDICAL]
    assert fields_of(step_issues(d, 5, TODAY)) == ["pieces.assr", "pieces.jdc"]


def test_step5_f31847_bill_older_than_six_months():
    (issue,) = step_issues(complete(pieces={"domicile_date": "14/12/2024"}), 5, TODAY)
    assert issue.field == "pieces.domicile_date" and "6 mois" in issue.message
    assert step_issues(complete(pieces={"domicile_date": "15/12/2024"}), 5, TODAY) == []


@pytest.mark.parametrize("kind", ["imposition", "quittance", "etablissement", "election_domicile"])
def test_step5_f31847_six_month_limit_only_for_bills(kind):
    assert step_issues(complete(pieces={"domicile_type": kind, "domicile_date": "01/09/2024"}), 5, TODAY) == []


# F31057: a secure CNI or a biometric passport "valide ou périmé depuis moins de 5 ans", a
# non-biometric passport "depuis moins de 2 ans", a titre de séjour "en cours de validité".
# The expiry date is the document's last valid day; TODAY is 15/06/2025.
@pytest.mark.parametrize(
    "kind,accepted,refused,limite",
    [
        ("cni", "15/06/2020", "14/06/2020", "14/06/2025"),  # 5 years to the day
        ("passeport_biometrique", "15/06/2020", "14/06/2020", "14/06/2025"),
        ("passeport_non_biometrique", "15/06/2023", "14/06/2023", "14/06/2025"),  # 2 years to the day
        ("titre_sejour", "15/06/2025", "14/06/2025", "14/06/2025"),  # expires today / yesterday
    ],
)
def test_step5_f31057_identity_document_limits(kind, accepted, refused, limite):
    assert step_issues(complete(pieces={"identite_type": kind, "identite_expiration": accepted}), 5, TODAY) == []
    (issue,) = step_issues(complete(pieces={"identite_type": kind, "identite_expiration": refused}), 5, TODAY)
    assert issue.field == "pieces.identite_expiration"
    assert f"jusqu'au {limite}" in issue.message and "(F31057)" in issue.message
    # A document still valid is accepted, whatever its kind.
    assert step_issues(complete(pieces={"identite_type": kind, "identite_expiration": "01/01/2031"}), 5, TODAY) == []


def test_step5_f31057_titre_de_sejour_must_be_valid():
    (issue,) = step_issues(
        complete(pieces={"identite_type": "titre_sejour", "identite_expiration": "14/06/2025"}), 5, TODAY
    )
    assert "en cours de validité" in issue.message
    (issue,) = step_issues(complete(pieces={"identite_type": "cni", "identite_expiration": "14/06/2020"}), 5, TODAY)
    assert "périmée depuis plus de 5 ans" in issue.message


def test_step5_f31057_expiry_date_asked_except_for_france_identite():
    (issue,) = step_issues(
        complete(pieces={"identite_type": "passeport_biometrique", "identite_expiration": None}), 5, TODAY
    )
    assert issue.field == "pieces.identite_expiration" and "date d'expiration" in issue.message
    # The single-use France Identité justificatif is made for this request: no expiry date,
    # and a date left from another kind is not held against it.
    for left in (None, "01/01/2001"):
        assert (
            step_issues(complete(pieces={"identite_type": "france_identite", "identite_expiration": left}), 5, TODAY)
            == []
        )


def test_step5_f1704_avis_medical_valid_two_years():
    (issue,) = step_issues(complete(pieces={"avis_medical_date": "14/06/2023"}), 5, TODAY)
    assert issue.field == "pieces.avis_medical_date" and "2 ans" in issue.message
    assert step_issues(complete(pieces={"avis_medical_date": "15/06/2023"}), 5, TODAY) == []
    first = complete(motif={"type_inscription": "premiere"}, pieces={"avis_medical_date": None})
    first.pieces.fichiers = [f for f in first.pieces.fichiers if f.kind is not PieceKind.MEDICAL]
    assert step_issues(first, 5, TODAY) == []  # no avis required, no date asked


def test_step5_invalid_file_and_too_many_pages():
    d = complete()
    d.pieces.fichiers.append(piece(PieceKind.IDENTITE, valide=False, n=9))
    (issue,) = step_issues(d, 5, TODAY)
    assert issue.field == "pieces.identite" and "pas valide" in issue.message

    d = complete()
    d.pieces.fichiers.append(piece(PieceKind.IDENTITE, pages=1, n=9))  # 2 + 1 > 2
    (issue,) = step_issues(d, 5, TODAY)
    assert issue.field == "pieces.identite" and "3 pages" in issue.message


def test_validation_issues_in_step_order():
    d = complete(etat_civil={"sexe": None}, adresse={"email": None}, photo={"choix": None})
    assert fields_of(validation_issues(d, TODAY)) == ["etat_civil.sexe", "adresse.email", "photo.choix"]
