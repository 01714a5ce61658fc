"""Searches find names as people type them: "st denis", "ste foy", "st-", "obrien".

One folding (referentiel/folding.py) for every commune and country search, and for
the home screen's search of the demandes.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from permis_tui.referentiel import fold, fold_query, rechercher_communes
from permis_tui.referentiel.folding import search_text
from permis_tui.screens.etat_civil_screen import search_pays
from permis_tui.store import DraftStore
from pilot_helpers import make_app


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("st denis", "saint denis"),
        ("ste foy", "sainte foy"),
        ("St-", "saint"),
        ("ST.", "saint"),
        ("St. Denis", "saint denis"),
        ("Ste-Foy-lès-Lyon", "sainte foy les lyon"),
        ("stes maries", "saintes maries"),
        ("villers st paul", "villers saint paul"),
        ("st", "st"),  # not finished: still the start of Strasbourg, Stains…
        ("ste", "ste"),
        ("strasbourg", "strasbourg"),
        ("", ""),
    ],
)
def test_fold_query_writes_out_saint(typed, expected):
    assert fold_query(typed) == expected


@pytest.mark.parametrize("typed", ["st denis", "St-Denis", "st. denis", "saint denis"])
def test_commune_search_st_finds_saint_denis(typed):
    found = rechercher_communes(typed, limit=20)
    assert found, typed
    assert all(fold(c.nom).startswith("saint denis") for c in found)
    assert {("Saint-Denis", "93"), ("Saint-Denis", "974")} <= {(c.nom, c.departement) for c in found}


def test_commune_search_ste_foy_finds_sainte_foy():
    noms = [c.nom for c in rechercher_communes("ste foy", limit=30)]
    assert {"Sainte-Foy-lès-Lyon", "Sainte-Foy-la-Grande"} <= set(noms)
    # Names that start so, then names with a word that does (Port-Sainte-Foy-et-Ponchapt).
    assert all(" sainte foy" in " " + fold(n) for n in noms) and fold(noms[0]).startswith("sainte foy")
    # Within a département, as step 2 searches after the département is chosen.
    assert [c.nom for c in rechercher_communes("ste foy l", departement="69")] == [
        "Sainte-Foy-l'Argentière",
        "Sainte-Foy-lès-Lyon",
    ]


def test_commune_search_st_hyphen_lists_saints_only():
    found = rechercher_communes("st-", limit=20)
    assert len(found) == 20 and all(c.nom.startswith("Saint-") for c in found)


def test_commune_search_st_word_inside_a_name():
    assert "Villers-Saint-Paul" in {c.nom for c in rechercher_communes("villers st paul")}


def test_unfinished_st_still_finds_strasbourg():
    assert "Strasbourg" in {c.nom for c in rechercher_communes("st", departement="67", limit=50)}
    assert rechercher_communes("stras")[0].nom == "Strasbourg"


@pytest.mark.parametrize(
    ("typed", "pays"),
    [
        ("ste lucie", "Sainte-Lucie"),
        ("st marin", "Saint-Marin"),
        ("st-pierre", "Saint-Pierre-et-Miquelon — France (975)"),  # France, with its collectivité
        ("st vincent", "Saint-Vincent-et-les-Grenadines"),
    ],
)
def test_country_search_st_finds_saint(typed, pays):
    assert pays in [label for label, _code in search_pays(typed)]


# -- home screen: apostrophes and hyphens typed or not --------------------------


@pytest.mark.parametrize(
    "query", ["obrien", "o'brien", "O BRIEN", "brien", "jeanpierre", "jean-pierre", "pierre obrien"]
)
def test_search_text_finds_names_without_apostrophes_or_hyphens(query):
    haystack = search_text("Jean-Pierre", "O'BRIEN")
    assert all(word in haystack for word in fold(query).split())


async def test_home_search_obrien_finds_o_brien(tmp_path):
    store = DraftStore(tmp_path / "data")
    store.ensure()
    for prenom, nom in (("Seán", "O'BRIEN"), ("Anne", "OBERT"), ("Jean-Pierre", "D'ALMEIDA")):
        d = store.create()
        d.etat_civil.prenoms, d.etat_civil.nom_naissance = [prenom], nom
        store.save(d)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"obrien")
        await pilot.pause()
        table = app.screen.query_one("#home-table", DataTable)
        assert table.row_count == 1
        assert table.get_row_at(0)[:2] == ["Seán", "O'BRIEN"]
        search = app.screen.query_one("#home-search", Input)
        search.value = ""
        await pilot.press(*"jeanpierre dalmeida")
        await pilot.pause()
        assert table.row_count == 1 and table.get_row_at(0)[1] == "D'ALMEIDA"
        assert app.focused is search and search.region.height > 0
