"""Pilot tests of the home screen and steps 1–3, at 80×24."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Select

from permis_tui.model.motif import Mesure, MotifKind, Personne, TypeInscription
from permis_tui.screens.adresse_screen import AdresseScreen
from permis_tui.screens.etat_civil_screen import EtatCivilScreen
from permis_tui.screens.home_screen import HomeScreen
from permis_tui.screens.motif_screen import MotifScreen
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import choose, draft_app, error_of, focus_is_in, make_app, type_into

SIZE = (80, 24)


async def fill_step1_retour(pilot, keys: bool = False) -> None:
    await choose(pilot, "motif.motif", 0)
    await choose(pilot, "motif.personne", 0)
    await choose(pilot, "motif.type_inscription", 1)
    await choose(pilot, "motif.categorie_lourde", 1)
    await choose(pilot, "motif.retour.mesure", 0)
    await choose(pilot, "motif.retour.invalidation_precedente_5_ans", 1)
    await type_into(pilot, "motif.retour.date_mesure", "05/01/2026", keys=keys)
    await type_into(pilot, "motif.retour.date_restitution", "15/01/2026", keys=keys)
    await type_into(pilot, "motif.retour.duree_interdiction_mois", "6", keys=keys)
    await type_into(pilot, "motif.retour.date_premier_permis", "01/06/2010", keys=keys)
    grid = pilot.app.screen.query_one("#" + field_dom_id("motif.retour.categories_detenues"))
    grid.current_box.focus()
    await pilot.pause()
    await pilot.press(*["right"] * grid.options.index("B"), "space")  # one Tab stop, arrows inside
    await pilot.pause()


def saved_at_step2_after_step1_retour(data_dir):
    """A draft at step 2 holding the answers `fill_step1_retour` gives at step 1, and an app on
    it: (store, numero, app). For tests about step 2 onwards; step 1 typed and chosen through
    the screen is test_new_request_through_steps_1_to_3's."""
    store, d, app = draft_app(data_dir, 2)
    m = d.motif
    m.motif, m.personne, m.type_inscription, m.categorie_lourde = (
        MotifKind.INSCRIPTION,
        Personne.MAJEURE,
        TypeInscription.RETOUR,
        False,
    )
    r = m.retour
    r.mesure, r.invalidation_precedente_5_ans = Mesure.INVALIDATION, False
    r.date_mesure, r.date_restitution = date(2026, 1, 5), date(2026, 1, 15)
    r.duree_interdiction_mois, r.date_premier_permis, r.categories_detenues = 6, date(2010, 6, 1), ["B"]
    store.save(d)
    return store, d.numero, app


async def fill_step2(pilot, keys: bool = False) -> None:
    await type_into(pilot, "etat_civil.nom_naissance", "Lœuilliet", keys=keys)
    await choose(pilot, "etat_civil.sexe", 0)
    await type_into(pilot, "etat_civil.prenoms.0", "Marie-Ève", keys=keys)
    await type_into(pilot, "etat_civil.prenoms.1", "Łucja", keys=keys)
    await type_into(pilot, "etat_civil.date_naissance", "04/07/1990", keys=keys)
    pays = pilot.app.screen.query_one("#" + field_dom_id("etat_civil.pays_naissance"))
    pays.input.focus()
    await pilot.press(*"France")
    await pilot.pause()
    select = pilot.app.screen.query_one("#" + field_dom_id("etat_civil.departement_naissance"), Select)
    select.value = "74"
    await pilot.pause()
    commune = pilot.app.screen.query_one("#" + field_dom_id("etat_civil.commune_naissance"))
    commune.input.focus()
    await pilot.press(*"annecy-le-v")
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.pause()


async def fill_step3(pilot, keys: bool = False) -> None:
    await type_into(pilot, "adresse.numero_voie", "12", keys=keys)
    await type_into(pilot, "adresse.extension", "bis", keys=keys)
    await type_into(pilot, "adresse.nom_voie", "des Marquisats", keys=keys)
    await type_into(pilot, "adresse.code_postal", "74000", keys=keys)
    await type_into(pilot, "adresse.email", "marie.loeuilliet@example.fr", keys=keys)
    await type_into(pilot, "adresse.telephone", "06 12 34 56 78", keys=keys)
    await choose(pilot, "adresse.consentement", 0)


async def test_new_request_through_steps_1_to_3(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MotifScreen)
        numero = app.demande.numero
        await fill_step1_retour(pilot, keys=True)  # the one journey typed key by key
        derived = str(app.screen.query_one("#motif-derived").render())
        assert "Avis médical : requis" in derived
        assert "code" in derived.lower()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen), app.screen.query_one("#error-summary").options
        await fill_step2(pilot, keys=True)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, AdresseScreen), [o.prompt for o in app.screen.query_one("#error-summary").options]
        await fill_step3(pilot, keys=True)
        commune = app.screen.query_one("#" + field_dom_id("adresse.commune"), Select)
        commune.value = "74010"
        await pilot.pause()
        pref = app.screen.query_one("#" + field_dom_id("adresse.prefecture"), Select)
        pref.value = "74010"
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
    saved = DraftStore(tmp_path / "data").load(numero)
    m = saved.motif
    assert (m.motif, m.personne, m.type_inscription, m.categorie_lourde) == (
        MotifKind.INSCRIPTION,
        Personne.MAJEURE,
        TypeInscription.RETOUR,
        False,
    )
    assert m.retour.mesure is Mesure.INVALIDATION
    assert m.retour.date_restitution == date(2026, 1, 15)
    assert m.retour.duree_interdiction_mois == 6
    assert m.retour.categories_detenues == ["B"]
    e = saved.etat_civil
    assert e.nom_naissance == "Lœuilliet"
    assert e.prenoms == ["Marie-Ève", "Łucja"]
    assert e.date_naissance == "04/07/1990"
    assert (e.pays_naissance, e.departement_naissance, e.commune_naissance_code) == ("FR", "74", "74011")
    a = saved.adresse
    assert (a.numero_voie, a.extension, a.code_postal, a.commune_code, a.prefecture) == (
        "12",
        "bis",
        "74000",
        "74010",
        "74010",
    )
    assert a.telephone == "+33612345678"
    assert a.consentement is True
    assert saved.etape == 4
    assert saved.saisies == {}


@pytest.mark.parametrize(
    ("step", "field_id", "text", "expected"),
    [
        (2, "etat_civil.date_naissance", "31/02/1990", "n'existe pas"),
        (2, "etat_civil.date_naissance", "01/01/2999", "futur"),
        (2, "etat_civil.nom_naissance", "12345", "chiffres"),
        (2, "etat_civil.nom_naissance", "Dup\x07ont", "contrôle"),
        (2, "etat_civil.nom_naissance", "x" * 10_000, "100 caractères au maximum"),
        (3, "adresse.code_postal", "74A00", "que des chiffres"),
        (3, "adresse.code_postal", "99999", "n'existe pas"),
        (3, "adresse.email", "marie@", "domaine"),
        (3, "adresse.telephone", "06123456", "10 chiffres"),
        (3, "adresse.nom_voie", "", "obligatoire"),
        (3, "adresse.complement", "y" * 10_000, "200 caractères au maximum"),
    ],
)
async def test_bad_input_message_at_field_and_kept(tmp_path, step, field_id, text, expected):
    screen_class = {2: EtatCivilScreen, 3: AdresseScreen}[step]
    store, d, app = draft_app(tmp_path / "data", step)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, screen_class)
        if text:
            await type_into(pilot, field_id, text)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, screen_class)
        assert expected in (error_of(app, field_id) or ""), error_of(app, field_id)
        assert len(error_of(app, field_id)) < 300
        summary = app.screen.query_one("#error-summary")
        assert summary.display
        # the focus went to the first field the summary names
        assert focus_is_in(app, summary.get_option_at_index(1).id)
    if text:
        # nothing lost: kept as typed, or stored when only a cross-field rule refused it
        saved = store.load(d.numero)
        section, attr = field_id.split(".")
        assert saved.saisies.get(field_id) == text[:2000] or getattr(getattr(saved, section), attr) == text


async def test_commune_not_served_by_postal_code(tmp_path):
    store = DraftStore(tmp_path / "data")
    store.ensure()
    d = store.create()
    d.etape = 3
    d.adresse.code_postal = "74000"
    d.adresse.commune_code = "75056"  # Paris: not served by 74000
    store.save(d)
    from permis_tui.model.completeness import adresse_issues

    issues = {i.field: i.message for i in adresse_issues(store.load(d.numero))}
    assert "n'est pas desservie par le code postal 74000" in issues["adresse.commune"]


async def test_going_back_keeps_answers(tmp_path):
    _, _, app = saved_at_step2_after_step1_retour(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        await type_into(pilot, "etat_civil.nom_naissance", "Dupont")
        await type_into(pilot, "etat_civil.date_naissance", "31/02/1990")  # invalid, must survive
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, MotifScreen)
        value = app.screen.query_one("#" + field_dom_id("motif.retour.date_restitution"), Input).value
        assert value == "15/01/2026"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        screen = app.screen
        assert screen.query_one("#" + field_dom_id("etat_civil.nom_naissance"), Input).value == "Dupont"
        assert screen.query_one("#" + field_dom_id("etat_civil.date_naissance"), Input).value == "31/02/1990"
        assert "n'existe pas" in (error_of(app, "etat_civil.date_naissance") or "")


async def test_quit_mid_step_and_resume(tmp_path):
    _, numero, app = saved_at_step2_after_step1_retour(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen) and app.demande.numero == numero
        widget = app.screen.query_one("#" + field_dom_id("etat_civil.nom_naissance"), Input)
        widget.focus()
        await pilot.press(*"Martin")  # typed, field not left
        await pilot.press("ctrl+q")
        await pilot.pause()
    app2 = make_app(tmp_path / "data")
    async with app2.run_test(size=SIZE) as pilot:
        table = app2.screen.query_one("#home-table")
        assert table.row_count == 1
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app2.screen, EtatCivilScreen)
        assert app2.demande.numero == numero
        assert app2.screen.query_one("#" + field_dom_id("etat_civil.nom_naissance"), Input).value == "Martin"


async def test_unsupported_motif_says_so(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await choose(pilot, "motif.motif", 2)
        assert app.screen.query_one("#motif-unsupported").display
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, MotifScreen)
        assert "ne traite pas encore ce motif" in error_of(app, "motif.motif")
