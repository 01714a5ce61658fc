"""Pilot tests of the récapitulatif (step 6) and the confirmation (step 7), at 80×24."""

from __future__ import annotations

import errno
from datetime import UTC

import pytest
from textual.widgets import Button, Input

from demande_factory import complete_demande
from permis_tui.model.demande import Etat
from permis_tui.model.piece_kind import PieceKind
from permis_tui.screens.confirm_dialog import ConfirmDialog
from permis_tui.screens.confirmation_screen import ConfirmationScreen
from permis_tui.screens.home_screen import HomeScreen
from permis_tui.screens.recapitulatif_screen import RecapitulatifScreen
from permis_tui.screens.step_screen import ErrorSummary
from permis_tui.store import DraftStore
from pilot_helpers import make_app, screen_text, wait_until

SIZE = (80, 24)


async def _open_at_recap(pilot, demande) -> None:
    pilot.app.open_demande(demande, 6)
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecapitulatifScreen)


async def _validate(pilot) -> None:
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmDialog)
    await pilot.press("o")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for _ in range(20):
        await pilot.pause()
        if isinstance(pilot.app.screen, ConfirmationScreen):
            break


@pytest.mark.parametrize("photo", ["courrier", "ephoto"])
async def test_journey_from_recap_to_confirmation(tmp_path, photo) -> None:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store, photo=photo)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _open_at_recap(pilot, demande)
        text = screen_text(app)
        assert "Vous effectuez la demande pour vous-même" in text
        assert "Un avis médical d'aptitude à la conduite est nécessaire" in text
        assert "Épreuves à repasser" in text
        assert "Préfecture d'Annecy" in text
        assert not app.screen.query_one(ErrorSummary).display  # nothing missing
        assert str(app.screen.query_one("#nav-next", Button).label) == "Valider ma demande (v)"

        await _validate(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        assert app.demande.est_validee and app.screen.read_only
        text = screen_text(app)
        assert f"Référence de préparation : {demande.numero}" in text
        assert "elle n'est pas encore déposée" in text and "site de l'ANTS (France Titres" in text
        assert "Inscrivez-vous sur le site de l'ANTS avant le" in text
        assert f"delai-inscription-{demande.numero}.ics" in text
        assert f"recapitulatif-{demande.numero}.pdf" in text
        assert ("formulaire-depot" in text) == (photo == "courrier")
        assert "boîte d'envoi" in text
        assert ("CS 80168, 53102 MAYENNE CEDEX" in text) == (photo == "courrier")
        assert "médecin agréé" in text
        assert store.load(demande.numero).etat is Etat.VALIDEE

        # Back to the home screen; resuming the validée demande opens step 7, read-only.
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.screen.action_resume()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmationScreen) and app.screen.read_only
        # Step 6 of a validée demande is read-only: no Modifier, no validation.
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen)
        assert all(b.disabled for b in app.screen.query(".modifier"))
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen)


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
async def test_each_modifier_returns_to_the_recap(tmp_path, step) -> None:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _open_at_recap(pilot, demande)
        await pilot.press(str(step))
        await pilot.pause()
        assert step == app.screen.STEP and app.screen.return_to_recap
        await pilot.press("ctrl+n")  # Étape suivante
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen), type(app.screen).__name__
        # The Modifier button does the same: scrolled into view, then clicked.
        button = app.screen.query_one(f"#modifier-{step}")
        button.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        await pilot.click(button)
        await pilot.pause()
        assert step == app.screen.STEP


async def test_refusal_lists_missing_items_and_jumps_to_them(tmp_path) -> None:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store)
    demande.adresse.email = None
    demande.pieces.fichiers = [f for f in demande.pieces.fichiers if f.kind is not PieceKind.MEDICAL]
    store.save(demande)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _open_at_recap(pilot, demande)
        summary = app.screen.query_one(ErrorSummary)
        assert summary.display
        items = [str(summary.get_option_at_index(i).prompt) for i in range(summary.option_count)]
        assert items[0].startswith("Validation impossible : 2 éléments manquent")
        assert any("Étape 3, Adresse et contact : L'adresse mél est obligatoire" in i for i in items)
        assert any("Étape 5, Pièces justificatives : Avis médical" in i for i in items)

        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen)  # no dialog
        assert app.demande.etat is Etat.BROUILLON
        assert app.focused is summary

        # Entrée on the email item opens step 3 on the email field, then back to the recap.
        summary.highlighted = next(i for i, t in enumerate(items) if "mél" in t)
        await pilot.press("enter")
        for _ in range(5):
            await pilot.pause()
        assert app.screen.STEP == 3 and app.screen.return_to_recap
        assert isinstance(app.focused, Input) and app.focused.id == "f-adresse-email"
        await pilot.press(*"marie@example.fr")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen)
        items = [str(o.prompt) for o in app.screen.query_one(ErrorSummary).options]
        assert items[0].startswith("Validation impossible : 1 élément manque")


async def test_answering_no_to_the_dialog_changes_nothing(tmp_path) -> None:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _open_at_recap(pilot, demande)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen)
        assert store.load(demande.numero).etat is Etat.BROUILLON


async def test_disk_error_during_validation_is_shown_and_nothing_validated(tmp_path, monkeypatch) -> None:
    from permis_tui import validation

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(validation, "atomic_write", full)
    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _open_at_recap(pilot, demande)
        await _validate(pilot)
        assert isinstance(app.screen, RecapitulatifScreen)
        assert "le disque est plein" in str(app.screen.query_one("#recap-erreur").render())
        assert not app.screen.busy and not app.screen.query_one("#nav-next").disabled
        assert app.demande.etat is Etat.BROUILLON
        assert store.load(demande.numero).etat is Etat.BROUILLON


async def test_confirmation_of_a_draft_offers_the_recap(tmp_path) -> None:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        app.open_demande(demande, 7)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmationScreen)
        assert "n'est pas encore validée" in screen_text(app)
        await pilot.click("#conf-recap")
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen)


async def test_recap_rechecks_stored_copies_when_opened(tmp_path):
    """A draft reopened straight at the récapitulatif shows up-to-date verdicts."""
    from demande_factory import complete_demande
    from permis_tui.store import DraftStore

    store = DraftStore(tmp_path / "data")
    store.ensure()
    d = complete_demande(store, photo="courrier")
    d.etape = 6
    store.save(d)
    gone = d.pieces.fichiers[0]
    store.attachment_path(d.numero, gone.fichier).unlink()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: app.demande is not None and not app.demande.pieces.fichiers[0].valide,
            "the vanished copy checked again",
        )
        assert "Copie enregistrée introuvable" in (app.demande.pieces.fichiers[0].raison or "")
    assert not store.load(d.numero).pieces.fichiers[0].valide


async def test_recap_of_a_validee_demande_is_a_read_only_record(tmp_path) -> None:
    from datetime import datetime

    from textual.widgets import Static

    from permis_tui.widgets.key_bar import KeyBar

    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store)
    valide_le = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    demande.etat, demande.valide_le, demande.etape = Etat.VALIDEE, valide_le, 7
    store.save(demande, touch=False)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _open_at_recap(pilot, store.load(demande.numero))
        screen = app.screen
        text = screen_text(app)
        assert f"Demande validée le {valide_le.astimezone():%d/%m/%Y à %H:%M}" in text
        assert "lecture seule" in text and "dupliquez-la" in text
        assert "Relisez" not in text and "avant la validation" not in text
        intro = screen.query_one("#recap-intro", Static)
        assert intro.region.height > 0 and intro.region.y < 24  # on screen, not scrolled away
        assert not screen.query(".modifier")  # no "Modifier", not even disabled
        assert not screen.query_one("#nav-save").display
        assert str(screen.query_one("#nav-next", Button).label) == "Confirmation >>"
        bar = str(screen.query_one(KeyBar).render())
        assert "Modifier" not in bar and "Valider" not in bar and "Enregistrer" not in bar
        await pilot.press("1")  # the "Modifier l'étape 1" key of a brouillon does nothing here
        await pilot.pause()
        assert isinstance(app.screen, RecapitulatifScreen)
        assert app.focused is not None and app.focused.is_attached and app.focused.region.height > 0
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmationScreen)
    assert store.load(demande.numero).etat is Etat.VALIDEE


async def test_step7_numero_ants_typed_with_keys_rewrites_the_deposit_form(tmp_path) -> None:
    """The ANTS numéro, typed at step 7 of a validée demande, is saved and printed in
    the deposit form's box; a bad one gets a French message at the field, nothing lost."""
    from pypdf import PdfReader

    from permis_tui.validation import depot_filename

    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = complete_demande(store, photo="courrier")
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await _open_at_recap(pilot, demande)
        await _validate(pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        field = app.screen.query_one("#f-numero_ants", Input)
        for _ in range(40):  # Tab, the way a person gets there
            if app.focused is field:
                break
            await pilot.press("tab")
            await pilot.pause()
        assert app.focused is field and not field.disabled
        assert app.screen.screen.find_widget(field).region.intersection(app.screen.region).area > 0
        await pilot.press(*"24/12", "enter")
        await pilot.pause()
        assert "lettres, des chiffres" in screen_text(app)
        assert field.value == "24/12" and app.focused is field
        field.value = ""
        await pilot.press(*"ab12 345678", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.load(demande.numero).numero_ants == "AB12 345678"
        depot = store.formulaires_dir(demande.numero) / depot_filename(demande.numero)
        text = PdfReader(depot).pages[0].extract_text()
        assert "AB12 345678" in text and "laissée vide" not in text
        assert app.focused is not None and app.focused.is_attached
