"""Snapshots for help-desk and demo use at 80×24: the demo banner, the F1 help panel,
the F2 spelling aid, and a step without colours (NO_COLOR)."""

from __future__ import annotations

from permis_tui.app import PermisApp
from permis_tui.store import DraftStore
from test_snapshots_home_motif_etat_civil_adresse import fixed_demande

SIZE = (80, 24)


def app_with(tmp_path, *, demo: bool = False) -> PermisApp:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    store.save(fixed_demande(), touch=False)
    return PermisApp(store, demo=demo)


def test_demo_banner_home(snap_compare, tmp_path):
    async def settle(pilot):
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_with(tmp_path, demo=True), terminal_size=SIZE, run_before=settle)


def test_help_panel_step2(snap_compare, tmp_path):
    async def open_help(pilot):
        pilot.app.open_demande(pilot.app.store.load("2611-AAAA-BBBB"), 2)
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app_with(tmp_path), terminal_size=SIZE, run_before=open_help)


def test_spelling_aid_name(snap_compare, tmp_path):
    async def spell(pilot):
        pilot.app.open_demande(pilot.app.store.load("2611-AAAA-BBBB"), 2)
        await pilot.pause()
        pilot.app.screen.query_one("#f-etat_civil-nom_naissance").focus()
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(app_with(tmp_path), terminal_size=SIZE, run_before=spell)


def test_step1_without_colour(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def open_step(pilot):
        assert pilot.app.no_color
        pilot.app.open_demande(pilot.app.store.load("2611-AAAA-BBBB"), 1)
        await pilot.pause()

    assert snap_compare(app_with(tmp_path), terminal_size=SIZE, run_before=open_step)
