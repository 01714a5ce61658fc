"""The field catalogue: every answer of the model described once, and everything that names or
asks for a field (screens, completeness, récapitulatif, palette, F1, unsaved changes) reads it."""

from __future__ import annotations

import dataclasses
import re
import typing
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from focus_checks import assert_focus_visible
from permis_tui.model import catalogue
from permis_tui.model.completeness import FIELD_STEPS, step_issues
from permis_tui.model.demande import Demande
from permis_tui.recap import recap_groupes
from permis_tui.unsaved_changes import changed_fields, state_of
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import make_app, palette_pick, start_checks_done, wait_focus_shown

TODAY = date(2026, 6, 15)

# Model fields that are not questions of the form, each with the reason.
NOT_ASKED = {
    "schema_version": "bookkeeping: the draft format",
    "numero": "bookkeeping: the référence de préparation, given at creation",
    "revision": "bookkeeping: saves so far",
    "etat": "bookkeeping: brouillon or validée, set by validation",
    "cree_le": "bookkeeping",
    "modifie_le": "bookkeeping",
    "valide_le": "bookkeeping: set by validation",
    "etape": "bookkeeping: where to resume",
    "saisies": "typed text that did not validate yet, keyed by field id",
    # Answered with another field: the list gives the code and the name together.
    "etat_civil.commune_naissance_code": "chosen with 2.8 Commune de naissance (its INSEE code)",
    "adresse.commune_code": "chosen with 3.7 Commune (its INSEE code)",
    "pieces.fichiers": "the files of every category: one field per category, 5.1 and 5.5 to 5.11",
}
# Catalogue ids that are not one model field, each with the reason.
NOT_IN_MODEL = {
    "etat_civil.ville_naissance": "2.9, the town of birth abroad, is held in etat_civil.commune_naissance",
    **{
        catalogue.piece_field_id(kind): "a category of step 5: its files in pieces.fichiers, by kind"
        for kind in catalogue.PIECE_NUMBERS
    },
}


def model_leaves(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every answer of the model as a dotted path: nested sections are walked, lists are leaves."""
    leaves = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            leaves += model_leaves(annotation, f"{prefix}{name}.")
        else:
            assert (
                not any(isinstance(a, type) and issubclass(a, BaseModel) for a in typing.get_args(annotation))
                or name == "fichiers"
            ), f"{prefix}{name}: an optional section would be skipped"
            leaves.append(prefix + name)
    return leaves


def test_every_model_field_is_in_the_catalogue_exactly_once():
    ids = [f.id for f in catalogue.FIELDS]
    assert len(ids) == len(set(ids)), "a field id is declared twice"
    leaves = model_leaves(Demande)
    assert "motif.retour.date_mesure" in leaves and "pieces.identite_expiration" in leaves  # the walk goes deep
    for leaf in leaves:
        if leaf in NOT_ASKED:
            assert leaf not in ids, f"{leaf} is both excluded and in the catalogue"
            continue
        assert ids.count(leaf) == 1, f"{leaf} is not in the catalogue"
    for field_id in ids:
        assert field_id in leaves or field_id in NOT_IN_MODEL, f"{field_id} names no model field"
    assert set(NOT_ASKED) <= set(leaves), "an exclusion names a field the model no longer has"


def test_numbers_are_unique_and_match_their_step():
    numbers = [f.number for f in catalogue.FIELDS]
    assert len(numbers) == len(set(numbers))
    for f in catalogue.FIELDS:
        assert re.fullmatch(r"[1-7]\.\d{1,2}", f.number), f.number
        section = f.id.split(".")[0]
        assert FIELD_STEPS.get(section, 7) == f.step, f"{f.title} is in the wrong step"
    # Fields added later are numbered after the first ones, so that the older numbers stay.
    assert {n: catalogue.BY_NUMBER[n].id for n in ("1.13", "5.10", "5.11", "5.12", "5.13", "5.14")} == {
        "1.13": "motif.retour.date_mesure",
        "5.10": "pieces.assr",
        "5.11": "pieces.jdc",
        "5.12": "pieces.avis_medical_date",
        "5.13": "pieces.identite_type",
        "5.14": "pieces.identite_expiration",
    }


def test_one_table_of_sexes_and_one_wording_of_prenoms():
    import permis_tui.recap as recap

    assert not hasattr(recap, "SEXES")
    assert catalogue.field("etat_civil.sexe").options == (("F", "Femme"), ("M", "Homme"))
    assert catalogue.field("etat_civil.prenoms").label == "Prénom(s)"  # the procédure's récapitulatif de saisie


def test_parse_and_format_round_trip():
    d = Demande()
    tel = catalogue.field("adresse.telephone")
    tel.store(d, tel.parse("07 71 80 91 99", d))
    assert d.adresse.telephone == "+33771809199" and tel.shown(d) == "07 71 80 91 99"
    code = catalogue.field("photo.code_ephoto")
    code.store(d, code.parse("abcd-1234 efgh 5678 ijkl 90", d))
    assert code.shown(d) == "ABCD 1234 EFGH 5678 IJKL 90"
    assert catalogue.spelling_of("adresse.telephone") == "phone"
    assert catalogue.spelling_of("etat_civil.prenoms.2") == "text"


def _relabelled(monkeypatch, field_id: str, **changes) -> None:
    new = dataclasses.replace(catalogue.BY_ID[field_id], **changes)
    monkeypatch.setitem(catalogue.BY_ID, field_id, new)
    monkeypatch.setattr(catalogue, "FIELDS", tuple(new if f.id == field_id else f for f in catalogue.FIELDS))
    monkeypatch.setitem(catalogue.BY_NUMBER, new.number, new)


def test_recap_labels_come_from_the_catalogue(monkeypatch):
    d = Demande()
    d.etat_civil.nom_naissance, d.etat_civil.prenoms, d.etat_civil.sexe = "Lœuilliet", ["Zoé", "Anne"], "F"
    etat_civil = {ligne.label: ligne.valeur for ligne in recap_groupes(d, TODAY)[1].lignes}
    assert etat_civil["Prénom(s)"] == "Zoé, Anne" and etat_civil["Sexe"] == "Femme"
    _relabelled(monkeypatch, "etat_civil.nom_naissance", recap_label="Nom (catalogue)")
    _relabelled(monkeypatch, "etat_civil.sexe", options=(("F", "Féminin"), ("M", "Masculin")))
    etat_civil = {ligne.label: ligne.valeur for ligne in recap_groupes(d, TODAY)[1].lignes}
    assert etat_civil["Nom (catalogue)"] == "Lœuilliet" and etat_civil["Sexe"] == "Féminin"


def test_completeness_asks_what_the_catalogue_requires(monkeypatch):
    d = Demande()
    assert [(i.field, i.message) for i in step_issues(d, 3, TODAY)][0] == (
        "adresse.nom_voie",
        catalogue.field("adresse.nom_voie").missing,
    )
    _relabelled(monkeypatch, "adresse.numero_voie", required=True, missing="N° obligatoire (catalogue).")
    issues = step_issues(d, 3, TODAY)
    assert (issues[0].field, issues[0].message) == ("adresse.numero_voie", "N° obligatoire (catalogue).")


def test_unsaved_changes_are_named_from_the_catalogue():
    saved = Demande()
    before = state_of(saved)
    d = saved.model_copy(deep=True)
    d.pieces.identite_type = catalogue.field("pieces.identite_type").options[0][0]
    d.adresse.commune_code = "74010"
    d.etat_civil.prenoms = ["Zoé", "Anne"]
    assert changed_fields(before, state_of(d)) == ["2.4 Prénom(s)", "3.7 Commune", "5.13 Type de pièce d'identité"]


def test_readme_keys_table_is_the_f1_table():
    from permis_tui.app import PermisApp
    from permis_tui.screens.help_screen import key_table
    from permis_tui.screens.step_screen import StepScreen, step_keys

    table = key_table(step_keys(PermisApp.BINDINGS))
    assert table in (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for binding in StepScreen.BINDINGS + PermisApp.BINDINGS:  # F2 and Ctrl+P included
        assert binding.tooltip and f"| {binding.tooltip} |" in table


async def test_palette_jumps_to_a_field_of_a_step_not_visited_yet(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        await pilot.press("n")  # a new demande: step 1, steps 2 to 5 never opened
        await pilot.pause()
        assert getattr(app.screen, "STEP", 0) == 1
        await palette_pick(pilot, "3.9", "Aller au champ 3.9 Adresse mél.")
        await wait_focus_shown(pilot, "adresse.email")
        assert getattr(app.screen, "STEP", 0) == 3
        assert assert_focus_visible(app) is app.focused


async def test_born_abroad_without_a_town_is_told_at_2_9(tmp_path):
    """The message went to the hidden 2.8 row: Ctrl+N did nothing and said nothing."""
    from demande_factory import complete_demande

    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        d = complete_demande(app.store, save=False)
        e = d.etat_civil
        e.pays_naissance, e.departement_naissance, e.commune_naissance_code, e.commune_naissance = (
            "PL",
            None,
            None,
            None,
        )
        app.store.save(d)
        app.open_demande(d, 2)
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.pause()
        assert getattr(app.screen, "STEP", 0) == 2
        assert app.screen.row_for("etat_civil.ville_naissance").error == "La ville de naissance est obligatoire."
        assert app.focused.id == field_dom_id("etat_civil.ville_naissance")
        assert_focus_visible(app)
