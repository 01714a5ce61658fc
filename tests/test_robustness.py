"""Nothing typed is lost, nothing validated is undone, nothing is left half-done."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from permis_tui.model.demande import Etat
from permis_tui.screens.adresse_screen import AdresseScreen
from permis_tui.screens.etat_civil_screen import EtatCivilScreen
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import draft_app, error_of, make_app, palette_pick, wait_until


def draft_at(tmp_path, step):
    store, d, _ = draft_app(tmp_path / "data", step)
    return store, d


async def test_second_prenom_without_first_is_refused_and_kept(tmp_path):
    store, d = draft_at(tmp_path, 2)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        second = app.screen.query_one("#" + field_dom_id("etat_civil.prenoms.1"), Input)
        second.focus()
        await pilot.press(*"Marie", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        assert "1er prénom vide" in error_of(app, "etat_civil.prenoms.0")
        assert app.demande.etat_civil.prenoms == []
    assert store.load(d.numero).saisies["etat_civil.prenoms.1"] == "Marie"


async def test_palette_jump_keeps_typed_prenoms(tmp_path):
    store, d = draft_at(tmp_path, 2)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        first = app.screen.query_one("#" + field_dom_id("etat_civil.prenoms.0"), Input)
        first.focus()
        await pilot.press(*"Zoé", "ctrl+p")
        await palette_pick(pilot, "étape 3", "Aller à l'étape 3")
        await wait_until(pilot, lambda: isinstance(app.screen, AdresseScreen), "step 3")
    assert store.load(d.numero).etat_civil.prenoms == ["Zoé"]


async def test_huge_paste_is_bounded_on_disk(tmp_path):
    store, d = draft_at(tmp_path, 3)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        field = app.screen.query_one("#" + field_dom_id("adresse.complement"), Input)
        field.focus()
        field.post_message(events.Paste("y" * 100_000))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert store.path_of(d.numero).stat().st_size < 20_000
    assert len(store.load(d.numero).saisies["adresse.complement"]) == 2000
    assert store.scan().problems == []


def test_validated_file_is_never_turned_back_into_a_draft(tmp_path):
    from permis_tui.store import RevisionConflict

    store, d = draft_at(tmp_path, 6)
    stale = store.load(d.numero)  # the copy a screen still holds
    d.etat = Etat.VALIDEE
    store.save(d)
    stale.etat_civil.nom_naissance = "Tardif"
    with pytest.raises(RevisionConflict):
        store.save(stale)  # e.g. quitting while validation finished
    again = store.load(d.numero)
    assert again.etat is Etat.VALIDEE and again.etat_civil.nom_naissance is None


def test_delete_restore_delete_moves_everything(tmp_path):
    store, d = draft_at(tmp_path, 1)
    for name in ("pieces", "formulaires"):
        folder = store.folder_of(d.numero) / name
        folder.mkdir(parents=True)
        (folder / "f.pdf").write_bytes(b"%PDF-1.4")
    store.delete(d.numero)
    store.restore(d.numero)
    store.delete(d.numero)
    assert not store.exists(d.numero)
    assert (store.trash_dir / d.numero / "pieces" / "f.pdf").exists()
    assert (store.trash_dir / d.numero / "formulaires" / "f.pdf").exists()
    store.restore(d.numero)
    assert (store.formulaires_dir(d.numero) / "f.pdf").exists()
    assert (store.pieces_dir(d.numero) / "f.pdf").exists()


def test_numero_with_trailing_newline_is_refused(tmp_path):
    import pytest

    from permis_tui.store import StoreError

    store = DraftStore(tmp_path / "data")
    with pytest.raises(StoreError):
        store.path_of("2611-AAAA-BBBB\n")
