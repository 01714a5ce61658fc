"""What a person met walking a whole retour-au-permis request in a real 80×24 terminal.

Each test replays, key by key, one place where the real program went wrong after the
branches were merged, and asserts what the person must see."""

from __future__ import annotations

from demande_factory import complete_demande
from focus_checks import assert_focus_visible, press
from permis_tui.model.photo import PhotoChoice, PhotoSignature
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import make_app, start_checks_done, wait_focus_shown


async def test_field_after_a_new_error_message_stays_in_view(tmp_path):
    """Step 4 at 80×24: a wrong e-photo code, then Tab. The message that appears under 4.2
    pushes 4.3 down; the focused 4.3 must still be on screen, not under the buttons."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        d = complete_demande(app.store, save=False)
        d.photo = PhotoSignature(choix=PhotoChoice.EPHOTO)
        app.store.save(d)
        app.open_demande(d, 4)
        await pilot.pause()
        code = app.screen.query_one("#" + field_dom_id("photo.code_ephoto"))
        code.focus()
        await pilot.pause()
        for key in "AB12CD34EF56GH78IJ90KÉ":
            await press(pilot, key)
        await press(pilot, "tab")
        # The message shows, then the step scrolls the pushed-down 4.3 back into view.
        await wait_focus_shown(pilot, "photo.date_photo")
        error = app.screen.row_for("photo.code_ephoto").error
        assert error.startswith("Caractère") and "É" in error and "non accepté" in error, error
        assert_focus_visible(app)


async def test_home_list_shows_every_column_whole_at_80_columns(tmp_path):
    """Home at 80×24 with the names of a real request: the État column read "Brouil" and
    "Validé", cut at the edge (the table does not scroll sideways from the keyboard)."""
    from textual.widgets import DataTable

    from permis_tui.model.demande import Etat

    app = make_app(tmp_path / "data")
    for etat in (Etat.BROUILLON, Etat.VALIDEE):
        d = complete_demande(app.store, save=False)
        d.etat_civil.prenoms = ["Anne-Sophie", "Marie"]
        d.etat_civil.nom_naissance = "O'Brien-Lefèvre de la Tour d'Auvergne"
        d.etat = etat
        app.store.save(d)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#home-table", DataTable)
        assert table.row_count == 2
        assert table.virtual_size.width <= table.scrollable_content_region.width
        etats = {str(table.get_row_at(i)[-1]) for i in range(2)}
        assert etats == {"Brouillon", "Validée"}
        etat_column = list(table.columns.values())[-1]
        assert etat_column.width >= len("Brouillon")
        noms = {str(table.get_row_at(i)[1]) for i in range(2)}
        assert noms == {"O'Brien-L…"} or all(n.startswith("O'Brien") and n.endswith("…") for n in noms), noms


async def test_read_only_banner_is_read_whole_at_80_columns(tmp_path):
    """A second session at 80×24: "— LECTURE SEULE (autre" was all the banner showed,
    cut at the edge; the line that says why nothing can be changed must be read whole."""
    from textual.geometry import Size
    from textual.widgets import Static

    from permis_tui.store import DraftStore

    app = make_app(tmp_path / "data")
    d = complete_demande(app.store, save=False)
    d.etat_civil.prenoms = ["Anne-Sophie"]
    d.etat_civil.nom_naissance = "O'Brien-Lefèvre"
    app.store.save(d)
    held = DraftStore(app.store.root).lock(d.numero)  # the other session
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_demande(d, 2)
            await pilot.pause()
            banner = app.screen.query_one("#step-banner", Static)
            text = str(banner.render())
            assert text.endswith("— LECTURE SEULE (autre session)"), text
            needed = banner.get_content_height(Size(80, 24), Size(80, 24), banner.content_region.width)
            assert needed <= banner.content_region.height, (needed, banner.content_region)
            assert_focus_visible(app)
    finally:
        held.release()


async def test_copy_of_a_validated_request_resumes_at_the_recapitulatif(tmp_path):
    """ "d" on a validée, then Entrée: the copy opened at step 7 saying "Cette demande n'est
    pas encore validée"; it is a brouillon to reread and validate, at step 6."""
    from permis_tui.model.demande import Etat
    from permis_tui.screens.recapitulatif_screen import RecapitulatifScreen

    app = make_app(tmp_path / "data")
    d = complete_demande(app.store, save=False)
    d.etat, d.etape = Etat.VALIDEE, 7
    app.store.save(d)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        copy = app.screen.selected()
        assert copy != d.numero
        assert app.store.load(copy).etape == 6
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen)
        assert_focus_visible(app)


async def test_f3_on_the_recapitulatif_goes_home(tmp_path):
    """F3 on step 6 stopped the program ("erreur inattendue (AttributeError)", exit 1)."""
    from permis_tui.screens.home_screen import HomeScreen

    app = make_app(tmp_path / "data")
    d = complete_demande(app.store, save=False)
    d.etape = 6
    app.store.save(d)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_demande(d, 6)
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.return_code in (None, 0)
        assert_focus_visible(app)
