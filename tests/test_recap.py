"""The récapitulatif groups (step 6) and the deposit-form data, from a Demande."""

from __future__ import annotations

from datetime import date

import pytest

from demande_factory import EPHOTO_CODE, attach, complete_demande, small_pdf
from permis_tui.model.demande import Demande
from permis_tui.model.motif import Personne, TypeInscription
from permis_tui.model.piece_kind import PieceKind
from permis_tui.recap import AVIS_NON_REQUIS, AVIS_REQUIS, depot_data, recap_groupes, recap_sections

TODAY = date(2026, 11, 20)


def _text(groupe) -> str:
    return "\n".join(f"{ligne.label} : {ligne.valeur}" if ligne.label else ligne.valeur for ligne in groupe.lignes)


def test_groups_follow_the_steps_with_the_procedure_titles() -> None:
    groupes = recap_groupes(complete_demande(today=TODAY), TODAY)
    assert [g.step for g in groupes] == [1, 2, 3, 4, 5]
    assert groupes[0].titre == "Motif de la demande du titre"
    assert groupes[1].titre == "État civil de la personne concernée par le titre"


def test_motif_sentences_medical_opinion_and_exams_with_reasons() -> None:
    motif = _text(recap_groupes(complete_demande(today=TODAY), TODAY)[0])
    assert "Vous effectuez la demande pour vous-même en tant que personne majeure ou mineure émancipée" in motif
    assert "Il s'agit d'un retour au permis" in motif
    assert AVIS_REQUIS in motif
    assert "Épreuves à repasser : Épreuve théorique (code) uniquement" in motif
    assert "Permis détenu depuis au moins 3 ans à la date de la lettre 48SI." in motif
    # The deadline as a date (F1704: 9 months from the hand-back, 20/03/2026).
    assert (
        "Inscrivez-vous sur le site de l'ANTS avant le 20/12/2026 (dernier jour : 19/12/2026) "
        "pour ne repasser que le code. L'inscription peut se faire pendant l'interdiction."
    ) in motif
    assert "1. Passez l'examen psychotechnique" in motif
    assert "Date de restitution du permis : 20/03/2026" in motif


def test_first_inscription_without_heavy_category_needs_no_medical_visit() -> None:
    d = complete_demande(today=TODAY)
    d.motif.type_inscription = TypeInscription.PREMIERE
    d.motif.personne = Personne.MINEURE
    motif = _text(recap_groupes(d, TODAY)[0])
    assert AVIS_NON_REQUIS in motif
    assert "Vous effectuez la demande pour une personne mineure" in motif
    assert "Épreuves à repasser" not in motif


def test_late_request_needs_code_and_driving_test() -> None:
    d = complete_demande(today=TODAY)
    motif = _text(recap_groupes(d, date(2028, 1, 1))[0])
    assert "Épreuve théorique (code) et épreuve pratique (conduite)" in motif
    assert "9 mois ou plus" in motif


def test_etat_civil_adresse_with_reference_names() -> None:
    g = recap_groupes(complete_demande(today=TODAY), TODAY)
    etat_civil, adresse = _text(g[1]), _text(g[2])
    assert "Nom de naissance : Lœuilliet" in etat_civil
    assert "Prénom(s) : Marie-Ève, Łucja" in etat_civil
    assert "Sexe : Femme" in etat_civil
    assert "Pays de naissance : France" in etat_civil
    assert "74 — Haute-Savoie" in etat_civil
    assert "Commune de naissance : Annecy (74)" in etat_civil
    assert "Adresse : 12 bis rue des Marquisats, 74000 ANNECY" in adresse
    assert "Préfecture de rattachement : Préfecture d'Annecy" in adresse
    assert "Adresse mél. : marie.loeuilliet@example.fr" in adresse
    assert "Téléphone portable : 06 12 34 56 78" in adresse
    assert "à des fins d'information : Oui" in adresse


def test_photo_choices() -> None:
    courrier = _text(recap_groupes(complete_demande(today=TODAY), TODAY)[3])
    assert "photo d'identité classique" in courrier and "formulaire de dépôt" in courrier
    ephoto = _text(recap_groupes(complete_demande(photo="ephoto", today=TODAY), TODAY)[3])
    assert "Code photo signature numérique : 1234 5678 9012 3456 7890 12" in ephoto
    assert "Date de la photo : 31/10/2026" in ephoto
    assert EPHOTO_CODE not in ephoto


def test_each_document_with_verdict_and_pages() -> None:
    d = complete_demande(today=TODAY)
    attach(
        None,
        d,
        PieceKind.DOMICILE,
        "scan.pdf",
        small_pdf("x"),
        pages=None,
        valide=False,
        raison="Fichier protégé par un mot de passe.",
    )
    pieces = _text(recap_groupes(d, TODAY)[4])
    assert "Pièce d'identité (2 pages / 2 pages maximum) : cni-recto-verso-p1.pdf : Document valide (1 page)" in pieces
    assert "cni-recto-verso-p2.pdf : Document valide (1 page)" in pieces
    assert "Avis médical (3 pages / 6 pages maximum)" in pieces
    assert "scan.pdf : Fichier protégé par un mot de passe." in pieces
    assert "Facture d'eau, d'électricité" in pieces


def test_empty_demande_says_non_renseigne_and_never_crashes() -> None:
    from permis_tui.model.demande import Demande

    groupes = recap_groupes(Demande(), TODAY)
    assert "non renseigné" in _text(groupes[0]).lower()
    assert "Non renseigné" in _text(groupes[1])
    assert "Aucun fichier joint" in _text(groupes[4])


def test_pdf_sections_and_depot_data() -> None:
    d = complete_demande(numero="2611-AAAA-BBBB", today=TODAY)
    sections = recap_sections(d, TODAY)
    assert sections[0].titre == "À savoir"
    assert ("Référence de préparation", "2611-AAAA-BBBB") in sections[0].lignes
    assert any("n'est pas encore déposée" in v and "site de l'ANTS" in v for _, v in sections[0].lignes)
    assert sections[1].titre == "1. Motif de la demande du titre"
    assert ("Nom de naissance", "Lœuilliet") in sections[2].lignes
    data = depot_data(d)
    # The box "Numéro de demande" is for the ANTS numéro, blank until it is known.
    assert data.numero == "" and data.reference == "2611-AAAA-BBBB"
    d = Demande.model_validate({**d.model_dump(), "numero_ants": "ants 123-456"})
    assert d.numero_ants == "ANTS 123-456"
    assert depot_data(d).numero == "ANTS 123-456"
    assert data.prenoms == ["Marie-Ève", "Łucja"]
    assert data.sexe == "F"
    assert data.adresse_lignes == ["12 bis rue des Marquisats", "74000 ANNECY"]


def test_depot_data_refuses_an_incomplete_etat_civil() -> None:
    d = complete_demande(today=TODAY)
    d.etat_civil.nom_naissance = None
    with pytest.raises(ValueError, match="nom de naissance"):
        depot_data(d)


def test_identity_document_kind_and_expiry_on_screen_and_in_the_pdf() -> None:
    """5.13 and 5.14 (F31057) are in the step-5 group and in the recap PDF's text; the
    France Identité justificatif has no expiry date line."""
    import io

    from pypdf import PdfReader

    from permis_tui.forms.recap_pdf import render_recap_pdf
    from permis_tui.model.pieces import TypePieceIdentite

    d = complete_demande(today=TODAY)
    d.pieces.identite_type = TypePieceIdentite.PASSEPORT_NON_BIOMETRIQUE
    d.pieces.identite_expiration = "03/02/2025"
    pieces = _text(recap_groupes(d, TODAY)[4])
    assert "Pièce d'identité : Passeport non biométrique" in pieces
    assert "Date d'expiration de la pièce d'identité : 03/02/2025" in pieces
    pdf = render_recap_pdf(
        "2611-AAAA-BBBB", "Demande de permis de conduire", recap_sections(d, TODAY), "20/11/2026 à 10:00"
    )
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Passeport non biométrique" in text and "03/02/2025" in text
    assert "Date d'expiration de la pièce" in text  # the label column wraps the rest
    d.pieces.identite_type = TypePieceIdentite.FRANCE_IDENTITE
    pieces = _text(recap_groupes(d, TODAY)[4])
    assert "Pièce d'identité : Justificatif d'identité France Identité (à usage unique)" in pieces
    assert "Date d'expiration" not in pieces
    # Not answered yet: said so, date line included.
    empty = _text(recap_groupes(Demande(), TODAY)[4])
    assert "Pièce d'identité : Non renseigné" in empty
    assert "Date d'expiration de la pièce d'identité : Non renseigné" in empty
