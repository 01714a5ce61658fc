"""Step screens built for the open demande are kept and shown again (app._show_step): a
step shown again must look exactly as a newly built one, with the demande's current
values, its focus on a live field, and never outlive its demande."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, RadioButton, Select, Static

from demande_factory import complete_demande
from focus_checks import assert_focus_visible
from permis_tui.model.demande import Demande
from permis_tui.model.motif import Mesure
from permis_tui.model.photo import PhotoChoice
from permis_tui.screens.step_screen import StepScreen
from pilot_helpers import make_app, start_checks_done, wait_until


def looks(screen: StepScreen) -> list[tuple]:
    """Every widget of the screen: what it shows and how (classes, display, disabled)."""
    seen: list[tuple] = []
    for widget in screen.query("*"):
        shown: object = None
        if isinstance(widget, (Input, RadioButton, Checkbox, Select)):
            shown = widget.value
        elif isinstance(widget, Static):
            shown = str(widget.render())
        # Textual marks an Input "-valid" once its value is set, without any style here.
        classes = sorted(widget.classes - {"-valid"} if isinstance(widget, Input) else widget.classes)
        seen.append((type(widget).__name__, widget.id, classes, widget.display, widget.disabled, shown))
    return seen


def focused_field(app) -> str | None:
    focused = assert_focus_visible(app)  # live, displayed, on screen
    return focused.id or type(focused).__name__


async def open_complete(pilot, step: int) -> None:
    """A complete demande (every step answered, six files attached), opened at `step`."""
    app = pilot.app
    await start_checks_done(app)
    d = complete_demande(app.store)
    app.open_demande(app.store.load(d.numero), step)
    await pilot.pause()


async def show(pilot, app, step: int, *, return_to_recap: bool = False) -> StepScreen:
    app.goto_step(step, return_to_recap=return_to_recap)
    await wait_until(pilot, lambda: getattr(app.screen, "STEP", 0) == step and app.screen.is_mounted, f"step {step}")
    await pilot.pause()
    assert isinstance(app.screen, StepScreen)
    return app.screen


def change_everything(d: Demande) -> None:
    """Answers changed on other steps (or the palette): every step shows something else."""
    d.motif.categorie_lourde = True
    d.motif.categories_lourdes = ["C", "D"]
    d.motif.retour.mesure = Mesure.ANNULATION
    d.motif.retour.categories_detenues = ["A", "B"]
    d.saisies["motif.retour.date_premier_permis"] = "31/02/2010"  # kept as typed: its message shows
    d.etat_civil.nom_naissance = "Autre-Nom"
    d.etat_civil.prenoms = ["Jeanne", "Claire", "Rose"]
    d.etat_civil.pays_naissance = "DE"
    d.etat_civil.departement_naissance = None
    d.etat_civil.commune_naissance_code = None
    d.etat_civil.commune_naissance = "Berlin"  # the town, abroad
    d.adresse.type_voie = "avenue"
    d.adresse.code_postal = "69001"
    d.adresse.commune_code = d.adresse.commune = d.adresse.prefecture = None
    d.adresse.consentement = False
    d.photo.choix = PhotoChoice.SANS


async def test_a_step_shown_again_looks_as_a_newly_built_one(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_complete(pilot, 1)
        built = {1: app.screen}
        for step in range(2, 7):
            built[step] = await show(pilot, app, step)
        # Each step shown again is the same screen, and looks as it did.
        for step in (5, 4, 3, 2, 1, 6):
            before = looks(built[step])
            assert await show(pilot, app, step) is built[step]
            assert looks(app.screen) == before, step

        change_everything(app.demande)
        shown_again = {}
        for step in range(1, 7):
            again = await show(pilot, app, step)
            assert again is built[step]
            shown_again[step] = looks(again), focused_field(app)
        app.drop_built_steps()
        for step in range(1, 7):
            new = await show(pilot, app, step)  # the same step, newly built
            assert new is not built[step]
            assert (looks(new), focused_field(app)) == shown_again[step], step
        for screen in built.values():
            await wait_until(pilot, lambda screen=screen: not screen.is_attached, "the dropped screens removed")
        assert "Autre-Nom" in str(app.screen.query_one("#step-banner", Static).render())


async def test_modifier_from_the_recap_then_the_usual_way(tmp_path):
    """A step opened by "Modifier" goes back to the récapitulatif, which shows the new
    value; the same step reached with Ctrl+B afterwards goes on to the next step."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_complete(pilot, 6)
        recap = app.screen
        await pilot.press("3")
        await wait_until(pilot, lambda: getattr(app.screen, "STEP", 0) == 3, "step 3")
        assert app.screen.return_to_recap
        telephone = app.screen.query_one("#f-adresse-telephone", Input)
        telephone.value = "07 98 76 54 32"
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: app.screen is recap, "the récapitulatif")
        await pilot.pause()
        assert "07 98 76 54 32" in str(recap.query_one("#recap-lines-3", Static).render())
        for step in (5, 4, 3):
            await pilot.press("ctrl+b")
            await wait_until(pilot, lambda step=step: getattr(app.screen, "STEP", 0) == step, f"step {step}")
        assert not app.screen.return_to_recap
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: getattr(app.screen, "STEP", 0) == 4, "step 4")


async def test_going_back_puts_the_focus_on_the_first_field_in_view(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_complete(pilot, 2)
        step2 = app.screen
        first = app.focused
        # Far down the step, then away and back.
        step2.query_one("#f-etat_civil-ville_naissance", Input).display = True
        step2.set_focus(step2.query(Input).last())
        await pilot.pause()
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: getattr(app.screen, "STEP", 0) == 3, "step 3")
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: app.screen is step2, "step 2 again")
        await pilot.pause()
        assert app.focused is first
        assert focused_field(app) == first.id
        assert step2.query_one("#step-body").scroll_y == 0


async def test_built_steps_go_with_their_demande(tmp_path):
    """Home, then another demande: its own values, in screens built for it."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        first = complete_demande(app.store)
        other = complete_demande(app.store)
        other.etat_civil.nom_naissance = "Deuxième"
        app.store.save(other)
        app.open_demande(app.store.load(first.numero), 1)
        await pilot.pause()
        old = {1: app.screen, 2: await show(pilot, app, 2)}
        await pilot.press("f3")
        await wait_until(pilot, lambda: not getattr(app.screen, "STEP", 0), "home")
        await pilot.pause()
        assert not any(screen.is_attached for screen in old.values())
        app.open_demande(app.store.load(other.numero), 2)
        await pilot.pause()
        assert app.screen is not old[2]
        assert app.screen.query_one("#f-etat_civil-nom_naissance", Input).value == "Deuxième"


async def test_a_new_theme_rebuilds_the_steps(tmp_path):
    """Built steps keep their styles when shown again: a theme change must not leave a step
    in the old colours."""
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_complete(pilot, 1)
        step1 = app.screen
        await show(pilot, app, 2)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        again = await show(pilot, app, 1)
        assert again is not step1
        await wait_until(pilot, lambda: not step1.is_attached, "the old step 1 removed")


async def test_a_step_shown_again_after_a_resize_takes_the_new_size(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_complete(pilot, 1)
        step1 = app.screen
        body = step1.query_one("#step-body")
        width = body.outer_size.width  # at 80 columns
        await show(pilot, app, 2)
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: app.screen.outer_size == (100, 30), "step 2 at the new size")
        assert await show(pilot, app, 1) is step1
        await wait_until(pilot, lambda: step1.outer_size == (100, 30), "step 1 at the new size")
        await wait_until(pilot, lambda: body.outer_size.width == width + 20, "the body 20 columns wider")
        assert_focus_visible(app)
