"""Failed saves are never hidden: every way out stops on a dialog; quitting unsaved exits non-zero."""

from __future__ import annotations

import errno
import os

import pytest
from textual.widgets import Button, Input

from demande_factory import complete_demande
from permis_tui.screens.etat_civil_screen import EtatCivilScreen
from permis_tui.screens.home_screen import HomeScreen
from permis_tui.screens.motif_screen import MotifScreen
from permis_tui.screens.save_failed_dialog import SaveFailedDialog
from permis_tui.store import DraftStore, StoreError
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import draft_app, make_app, palette_pick, screen_text, start_checks_done, wait_until

DISK_FULL = "Le disque est plein : impossible d'enregistrer dans le dossier des demandes."


class FailingSaves:
    """Makes the app's store refuse every save while `failing` is true (a full disk)."""

    def __init__(self, store: DraftStore, monkeypatch) -> None:
        self.failing = True
        self.attempts = 0
        real = store.save

        def save(demande, **kwargs):
            self.attempts += 1
            if self.failing:
                raise StoreError(DISK_FULL)
            return real(demande, **kwargs)

        monkeypatch.setattr(store, "save", save)


async def open_step_2_and_type(app, pilot, text: str = "Zoé") -> None:
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, EtatCivilScreen)
    field = app.screen.query_one("#" + field_dom_id("etat_civil.nom_naissance"), Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


def dialog_text(app) -> str:
    assert isinstance(app.screen, SaveFailedDialog)
    buttons = [str(button.label) for button in app.screen.query(Button)]
    return screen_text(app) + "\n" + "\n".join(buttons)


def assert_focus_live(app) -> None:
    assert app.focused is not None and app.focused.is_attached and app.focused.screen is app.screen


def complete_at_step_2(data):
    """A demande whose step 2 is complete, so that Ctrl+N leaves it: (store, demande, app)."""
    store = DraftStore(data)
    store.ensure()
    demande = complete_demande(store, save=False)
    demande.etape = 2
    store.save(demande)
    return store, demande, make_app(data)


async def test_ctrl_n_stops_on_failed_save_then_retry_succeeds(tmp_path, monkeypatch):
    store, d, app = complete_at_step_2(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        saves = FailingSaves(app.store, monkeypatch)
        await open_step_2_and_type(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        text = dialog_text(app)
        assert DISK_FULL in text and "2.1 Nom de naissance" in text
        assert "Réessayer" in text and "Rester" in text and "Quitter sans enregistrer" in text
        await pilot.press("r")  # Réessayer: still failing, asked again
        await pilot.pause()
        assert isinstance(app.screen, SaveFailedDialog) and saves.attempts >= 2
        await pilot.press("escape")  # Rester
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        assert_focus_live(app)
        saves.failing = False  # space freed
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert not isinstance(app.screen, (SaveFailedDialog, EtatCivilScreen))
    assert store.load(d.numero).etat_civil.nom_naissance == "Zoé"


async def test_ctrl_b_home_and_palette_jump_stop_on_failed_save(tmp_path, monkeypatch):
    store, d, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        FailingSaves(app.store, monkeypatch)
        await open_step_2_and_type(app, pilot)
        await pilot.press("ctrl+b")  # to step 1
        await pilot.pause()
        assert "quitter l'étape 2" in dialog_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        await palette_pick(pilot, "étape 3", "Aller à l'étape 3")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFailedDialog), "the save-failed dialog")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        app.go_home()  # the same path as Ctrl+B from step 1
        await pilot.pause()
        assert "quitter cette demande" in dialog_text(app)
        assert "Seraient perdus : 2.1 Nom de naissance" in dialog_text(app)
        await pilot.press("q")  # home without saving: told, and lost
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+q")  # the session lost something: status 1
        await pilot.pause()
    assert store.load(d.numero).etat_civil.nom_naissance is None
    assert app.lost_changes and app.return_code == 1


async def test_going_forward_without_saving_keeps_the_text_in_memory(tmp_path, monkeypatch):
    store, d, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        saves = FailingSaves(app.store, monkeypatch)
        await open_step_2_and_type(app, pilot)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert "Pas encore enregistrés : 2.1 Nom de naissance" in dialog_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MotifScreen)
        assert app.demande.etat_civil.nom_naissance == "Zoé"
        saves.failing = False
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert store.load(d.numero).etat_civil.nom_naissance == "Zoé"


async def test_ctrl_q_with_failed_save_asks_and_exits_non_zero(tmp_path, monkeypatch):
    store, d, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        FailingSaves(app.store, monkeypatch)
        await open_step_2_and_type(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "quitter l'application" in dialog_text(app)
        await pilot.press("escape")  # Rester: the app keeps running
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("q")  # Quitter sans enregistrer
        await pilot.pause()
    assert app.return_code == 1
    assert any(d.numero in m and "2.1 Nom de naissance" in m for m in app.exit_messages)
    assert store.load(d.numero).etat_civil.nom_naissance is None


async def test_ctrl_q_saved_exits_zero(tmp_path):
    store, d, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step_2_and_type(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 and app.exit_messages == []
    assert store.load(d.numero).etat_civil.nom_naissance == "Zoé"


def _read_only_mount(monkeypatch, folder) -> None:
    """Creating files under `folder` fails as on a read-only mount, whatever the modes (root included)."""
    real_open = os.open
    prefix = str(folder)

    def refusing_open(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and os.fspath(path).startswith(prefix):
            raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)


async def test_unwritable_data_dir_is_announced_at_start(tmp_path, monkeypatch):
    store, d, _ = draft_app(tmp_path / "data", 1)
    assert oct(store.root.stat().st_mode & 0o777) == "0o700"  # the modes say writable
    _read_only_mount(monkeypatch, store.root)
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        await pilot.pause()
        alert = str(app.screen.query_one("#home-alert").render())
        assert "ne peut pas être écrit (il est en lecture seule)" in alert
        assert app.screen.query_one("#home-alert").display


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the modes")
async def test_read_only_modes_are_announced_at_start(tmp_path):
    store, d, _ = draft_app(tmp_path / "data", 1)
    for folder in (store.root, *store.root.rglob("*")):
        if folder.is_dir():
            folder.chmod(0o500)
    try:
        app = make_app(store.root)
        async with app.run_test(size=(80, 24)) as pilot:
            await start_checks_done(app)
            await pilot.pause()
            assert "ne peut pas être écrit" in str(app.screen.query_one("#home-alert").render())
    finally:
        for folder in (store.root, *store.root.rglob("*")):
            if folder.is_dir():
                folder.chmod(0o700)


async def test_writable_data_dir_shows_no_alert(tmp_path):
    store, d, app = draft_app(tmp_path / "data", 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        await pilot.pause()
        assert not app.screen.query_one("#home-alert").display
        assert not list(store.root.glob(".ecriture.*"))
