"""Birthplace: the outre-mer is France, never a foreign country (model, referentiel and step 2)."""

from __future__ import annotations

from textual.widgets import Select

from permis_tui.model.demande import Demande
from permis_tui.model.etat_civil import EtatCivil
from permis_tui.referentiel import pays, pays_par_code, rechercher_pays
from permis_tui.screens.etat_civil_screen import EtatCivilScreen
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id
from permis_tui.widgets.search_select import SearchSelect
from pilot_helpers import draft_app

OUTRE_MER = {
    "guadeloupe": "971",
    "martinique": "972",
    "guyane": "973",
    "la reunion": "974",
    "mayotte": "976",
    "saint-pierre-et-miquelon": "975",
    "saint-barthelemy": "977",
    "saint-martin": "978",
    "wallis": "986",
    "polynesie francaise": "987",
    "nouvelle-caledonie": "988",
}


def test_outre_mer_and_france_metropolitaine_are_not_countries() -> None:
    codes = {p.code for p in pays()}
    assert not codes & {"GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "TF", "FXFR", "FQHH"}
    assert "France métropolitaine" not in {p.nom for p in pays()}
    assert pays_par_code("GF") is None and pays_par_code("FXFR") is None
    assert pays_par_code("FR").nom == "France"


def test_typing_an_outre_mer_offers_france_with_its_departement() -> None:
    for query, dep in OUTRE_MER.items():
        first = rechercher_pays(query)[0]
        assert (first.pays, first.departement) == ("FR", dep), query
        assert first.libelle.endswith(f"— France ({dep})")
    # ISO's own French names find them too.
    assert rechercher_pays("reunion, ile")[0].departement == "974"
    assert rechercher_pays("france metropolitaine") == []
    assert rechercher_pays("france")[0].libelle == "France"


def test_model_brings_the_outre_mer_back_to_france() -> None:
    e = EtatCivil.model_validate({"pays_naissance": "GF", "commune_naissance": "Cayenne"})
    assert (e.pays_naissance, e.departement_naissance, e.commune_naissance_code, e.commune_naissance) == (
        "FR",
        "973",
        "97302",
        "Cayenne",
    )
    assert e.ne_en_france
    e = EtatCivil.model_validate({"pays_naissance": "FXFR"})
    assert e.pays_naissance == "FR" and e.departement_naissance is None


def test_old_draft_saying_guyane_loads_as_france(tmp_path) -> None:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    d = store.create()
    raw = d.model_dump(mode="json")
    raw["etat_civil"].update(pays_naissance="GF", commune_naissance="Cayenne")
    loaded = Demande.model_validate(raw)
    store.save(loaded)
    again = store.load(d.numero).etat_civil
    assert (again.pays_naissance, again.departement_naissance, again.commune_naissance_code) == ("FR", "973", "97302")


async def test_step2_guyane_leads_to_france_then_cayenne(tmp_path):
    store, demande, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_demande(demande, 2)
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        pays_field = app.screen.query_one("#" + field_dom_id("etat_civil.pays_naissance"), SearchSelect)
        pays_field.input.focus()
        await pilot.press(*"guyane")
        await pilot.pause()
        assert pays_field.has_class("-open")
        await pilot.press("down", "enter")
        await pilot.pause()
        e = app.demande.etat_civil
        assert (e.pays_naissance, e.departement_naissance) == ("FR", "973")
        assert pays_field.input.value == "France"
        assert pays_field.input.cursor_position == len("France")
        assert app.screen.query_one("#" + field_dom_id("etat_civil.departement_naissance"), Select).value == "973"
        assert not app.screen.rows["etat_civil.ville_naissance"].display
        commune = app.screen.query_one("#" + field_dom_id("etat_civil.commune_naissance"), SearchSelect)
        assert app.screen.rows["etat_civil.commune_naissance"].display
        commune.input.focus()
        await pilot.press(*"cayen")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert (e.commune_naissance_code, e.commune_naissance) == ("97302", "Cayenne")
        # The cursor is after the chosen name, so typing goes on at its end.
        assert commune.input.value == "Cayenne (973)"
        assert commune.input.cursor_position == len("Cayenne (973)")
        assert app.focused is commune.input


async def test_suggestion_list_closes_when_the_field_is_left(tmp_path):
    store, demande, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_demande(demande, 2)
        await pilot.pause()
        pays_field = app.screen.query_one("#" + field_dom_id("etat_civil.pays_naissance"), SearchSelect)
        pays_field.input.focus()
        await pilot.press(*"al")
        await pilot.pause()
        assert pays_field.has_class("-open")
        await pilot.press("down")  # into the list: still open
        await pilot.pause()
        assert pays_field.has_class("-open")
        await pilot.press("escape")  # back to the input: still open
        await pilot.pause()
        assert pays_field.has_class("-open") and app.focused is pays_field.input
        await pilot.press("tab")  # leaves the field
        await pilot.pause()
        assert not pays_field.has_class("-open")
        assert app.focused is not None and not pays_field.has_focus_within
