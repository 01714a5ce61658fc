"""Snapshots of the home screen and steps 1–3 at 80×24 and 120×40.

The data is fixed (numéro, dates) so that the pictures are stable.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from permis_tui.model.demande import Demande
from permis_tui.model.motif import Mesure, MotifKind, Personne, TypeInscription
from permis_tui.store import DraftStore
from pilot_helpers import make_app

SIZES = [(80, 24), (120, 40)]
FIXED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def fixed_demande(numero: str = "2611-AAAA-BBBB", etape: int = 1) -> Demande:
    d = Demande(numero=numero, cree_le=FIXED, modifie_le=FIXED, etape=etape)
    m = d.motif
    m.motif, m.personne, m.type_inscription, m.categorie_lourde = (
        MotifKind.INSCRIPTION,
        Personne.MAJEURE,
        TypeInscription.RETOUR,
        False,
    )
    m.retour.mesure = Mesure.INVALIDATION
    m.retour.invalidation_precedente_5_ans = False
    m.retour.date_restitution = date(2020, 1, 15)
    m.retour.duree_interdiction_mois = 6
    m.retour.date_premier_permis = date(2010, 6, 1)
    m.retour.categories_detenues = ["B"]
    e = d.etat_civil
    e.nom_naissance, e.sexe, e.prenoms, e.date_naissance = "Lœuilliet", "F", ["Marie-Ève", "Łucja"], "04/07/1990"
    e.pays_naissance, e.departement_naissance, e.commune_naissance_code, e.commune_naissance = (
        "FR",
        "74",
        "74011",
        "Annecy-le-Vieux",
    )
    return d


@pytest.fixture
def app_with_demande(tmp_path):
    store = DraftStore(tmp_path / "data")
    store.ensure()
    store.save(fixed_demande(), touch=False)
    other = Demande(numero="2610-CCCC-DDDD", cree_le=FIXED, modifie_le=FIXED)
    other.etat_civil.prenoms = ["Jean-Pierre"]
    other.etat_civil.nom_naissance = "Dupont"
    store.save(other, touch=False)
    return make_app(tmp_path / "data")


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, app_with_demande, size):
    async def settle(pilot):
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_with_demande, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_step1_retour(snap_compare, app_with_demande, size):
    async def open_step(pilot):
        pilot.app.open_demande(pilot.app.store.load("2611-AAAA-BBBB"), 1)
        await pilot.pause()
        # The end of the step: 1.11, 1.12 and "Ce que l'assistant en déduit", once clipped.
        pilot.app.screen.query_one("#step-body").scroll_end(animate=False, immediate=True)
        await pilot.pause()

    assert snap_compare(app_with_demande, terminal_size=size, run_before=open_step)


@pytest.mark.parametrize("size", SIZES)
def test_step2_with_error(snap_compare, app_with_demande, size):
    async def open_step(pilot):
        pilot.app.open_demande(pilot.app.store.load("2611-AAAA-BBBB"), 2)
        await pilot.pause()
        field = pilot.app.screen.query_one("#f-etat_civil-date_naissance")
        field.value = "31/02/1990"
        await pilot.press("ctrl+n")
        await pilot.pause()

    assert snap_compare(app_with_demande, terminal_size=size, run_before=open_step)


@pytest.mark.parametrize("size", SIZES)
def test_step3(snap_compare, app_with_demande, size):
    async def open_step(pilot):
        pilot.app.open_demande(pilot.app.store.load("2611-AAAA-BBBB"), 3)
        await pilot.pause()
        field = pilot.app.screen.query_one("#f-adresse-code_postal")
        field.focus()
        await pilot.press(*"74000")
        await pilot.pause()

    assert snap_compare(app_with_demande, terminal_size=size, run_before=open_step)
