""" "n" on the home screen writes nothing until the first answer: no empty drafts.

Looking at a new demande and leaving (Ctrl+B, Ctrl+Q, a hang-up, Ctrl+S) leaves no
file; the first answer writes it under the numéro shown from the start, which then
never changes.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from permis_tui.screens.home_screen import HomeScreen
from permis_tui.screens.motif_screen import MotifScreen
from permis_tui.screens.step_screen import SAVE_NOTICE
from permis_tui.store import DraftStore
from pilot_helpers import choose, make_app, type_into

SIZE = (80, 24)


def files(data) -> list[str]:
    """The demandes written: "<numero>.json" for each demandes/<numero>/demande.json."""
    folder = data / "demandes"
    return sorted(f"{p.parent.name}.json" for p in folder.glob("*/demande.json")) if folder.is_dir() else []


def visible_text(app, selector: str) -> str | None:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render()) if widget.display and widget.region.height else None


@pytest.mark.parametrize("leave", ["ctrl+b", "ctrl+q", "ctrl+s then ctrl+b", "hang-up"])
async def test_leaving_without_an_answer_leaves_no_file(tmp_path, leave):
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MotifScreen)
        assert visible_text(app, "#save-notice") == SAVE_NOTICE
        assert app.demande.numero in str(app.screen.query_one("#step-banner", Static).render())
        if leave == "hang-up":
            app.terminal_hung_up()
        else:
            for key in leave.split(" then "):
                await pilot.press(key)
                await pilot.pause()
        if leave in ("ctrl+b", "ctrl+s then ctrl+b"):
            assert isinstance(app.screen, HomeScreen)
            assert app.screen.query_one("#home-table", DataTable).row_count == 0
            assert app.focused is app.screen.query_one("#home-table") or app.focused is None
        assert files(data) == []
    assert files(data) == []


async def test_first_answer_saves_under_the_numero_shown(tmp_path):
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        numero = app.demande.numero
        assert files(data) == []
        await choose(pilot, "motif.motif", 0)  # the first answer
        assert files(data) == [f"{numero}.json"]
        assert visible_text(app, "#save-notice") is None
        assert app.focused is not None and app.focused.is_attached
        saved = DraftStore(data).load(numero)
        assert saved.motif.motif is not None
        await choose(pilot, "motif.personne", 0)
        await pilot.press("ctrl+b")  # home: saved again, same numéro
        await pilot.pause()
        assert files(data) == [f"{numero}.json"]
        table = app.screen.query_one("#home-table", DataTable)
        assert table.row_count == 1 and table.get_row_at(0)[2] == numero
        await pilot.press("r")
        await pilot.pause()
        assert app.demande.numero == numero
        assert visible_text(app, "#save-notice") is None  # an existing demande: nothing to announce
        await pilot.press("ctrl+q")
    assert files(data) == [f"{numero}.json"]
    assert DraftStore(data).load(numero).motif.personne is not None


async def test_quit_after_text_typed_in_a_new_demande_keeps_it(tmp_path):
    data = tmp_path / "data"
    app = make_app(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        numero = app.demande.numero
        await choose(pilot, "motif.motif", 0)
        await choose(pilot, "motif.type_inscription", 1)
        await pilot.pause()
        await type_into(pilot, "motif.retour.date_restitution", "31/02/2026")  # invalid: kept as typed
        await pilot.press("ctrl+q")
    saved = DraftStore(data).load(numero)
    assert saved.saisies["motif.retour.date_restitution"] == "31/02/2026"


def test_store_new_writes_nothing_and_picks_a_free_numero(tmp_path):
    store = DraftStore(tmp_path / "data")
    taken = store.create()
    fresh = store.new()
    assert fresh.numero != taken.numero and not fresh.a_des_reponses
    assert files(tmp_path / "data") == [f"{taken.numero}.json"]
    fresh.etat_civil.nom_naissance = "Martin"
    assert fresh.a_des_reponses
    fresh2 = store.new()
    fresh2.saisies["etat_civil.date_naissance"] = "31/02"
    assert fresh2.a_des_reponses
