"""Typed text reaches the disk without any step change, signal or crash losing it."""

from __future__ import annotations

import os
import signal

import pytest
from textual.widgets import Input

from permis_tui import save_flow
from permis_tui.screens.etat_civil_screen import EtatCivilScreen
from permis_tui.screens.help_screen import HelpScreen
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import draft_app, wait_until


async def type_in(app, pilot, field_id: str, text: str) -> None:
    field = app.screen.query_one("#" + field_dom_id(field_id), Input)
    field.focus()
    await pilot.press(*text)


async def autosaves_done(app, pilot) -> None:
    """Wait for the pending autosave to fire, however slow the machine, then for its write."""
    await wait_until(pilot, lambda: not app.saves.autosave_pending, "the autosave's delay")
    for worker in [w for w in app.workers if w.group == "autosave"]:
        await worker.wait()
    await pilot.pause()  # the write's report back to the session


async def resume_step_2(app, pilot) -> None:
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, EtatCivilScreen)


@pytest.fixture
def quick_autosave(monkeypatch):
    # The delay only spaces the writes; a short one keeps the test fast.
    monkeypatch.setattr(save_flow, "AUTOSAVE_DELAY", 0.05)


async def test_typing_alone_is_saved_valid_or_not(tmp_path, quick_autosave):
    store, d, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume_step_2(app, pilot)
        await type_in(app, pilot, "etat_civil.nom_naissance", "Zoé")
        await type_in(app, pilot, "etat_civil.date_naissance", "31/02")  # not a date (yet)
        await autosaves_done(app, pilot)
        on_disk = store.load(d.numero)
        assert on_disk.etat_civil.nom_naissance == "Zoé"
        assert on_disk.saisies["etat_civil.date_naissance"] == "31/02"
        assert isinstance(app.screen, EtatCivilScreen)  # nothing moved, no key but letters
        assert app.focused is app.screen.query_one("#" + field_dom_id("etat_civil.date_naissance"))
        # Later saves by the session go on from the revision the autosave wrote.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.saves.error is None
    assert store.load(d.numero).revision == on_disk.revision + 1


async def test_autosave_skips_when_nothing_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(save_flow, "AUTOSAVE_DELAY", 600)
    store, d, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume_step_2(app, pilot)
        before = store.load(d.numero).revision
        await type_in(app, pilot, "etat_civil.nom_naissance", "A")
        await pilot.press("backspace")  # back to what is on disk
        monkeypatch.setattr(save_flow, "AUTOSAVE_DELAY", 0.05)
        app.saves.typed()  # as the last key did, sooner
        assert app.saves.autosave_pending
        await autosaves_done(app, pilot)
        assert store.load(d.numero).revision == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
async def test_signal_saves_the_step_under_an_open_dialog(tmp_path, monkeypatch, sig):
    monkeypatch.setattr(save_flow, "AUTOSAVE_DELAY", 600)  # the signal, not the autosave, must save
    store, d, app = draft_app(tmp_path / "data", 2)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume_step_2(app, pilot)
        await type_in(app, pilot, "etat_civil.nom_naissance", "Zoé")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        os.kill(os.getpid(), sig)  # the app's own handler takes it
        await wait_until(
            pilot,
            lambda: store.load(d.numero).etat_civil.nom_naissance == "Zoé",
            "the step saved by the signal's handler",
        )
    assert store.load(d.numero).etat_civil.nom_naissance == "Zoé"
    assert app.return_code == 0


async def test_unexpected_error_saves_first_and_shows_no_values(tmp_path, monkeypatch):
    store, d, app = draft_app(tmp_path / "data", 2)

    def broken(self):
        raise KeyError(self.demande.etat_civil.nom_naissance)  # an error that quotes a field value

    monkeypatch.setattr(EtatCivilScreen, "action_spell", broken)
    with pytest.raises(KeyError):
        async with app.run_test(size=(80, 24)) as pilot:
            await resume_step_2(app, pilot)
            await type_in(app, pilot, "etat_civil.nom_naissance", "Zoé")
            await pilot.press("tab")
            await pilot.press("f2")
            await pilot.pause()
    assert store.load(d.numero).etat_civil.nom_naissance == "Zoé"
    assert app.return_code == 1
    assert app._exit_renderables == []  # Textual's traceback (with locals) is not printed
    assert len(app.exit_messages) == 1
    message = app.exit_messages[0]
    assert "erreur inattendue (KeyError)" in message and "Vos saisies ont été enregistrées" in message
    assert "Zoé" not in message


def test_autosave_in_a_real_terminal_survives_sigkill(tmp_path):
    """SIGKILL right after the autosave delay: what was typed is on disk."""
    import select
    import time

    from test_hang_up import _read_until, _start

    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = store.create()
    demande.etape = 2
    store.save(demande)
    proc, master = _start(["--data-dir", str(store.root)], dict(os.environ), controlling=False)
    try:
        _read_until(master, b"Mes demandes")
        os.write(master, b"r")
        _read_until(master, b"2.1 Nom de naissance")
        os.write(master, "Zoé".encode())
        _read_until(master, "Zoé".encode())
        deadline = time.monotonic() + 2  # typing stopped: at most 2 s to reach the disk
        while store.load(demande.numero).etat_civil.nom_naissance != "Zoé" and time.monotonic() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                os.read(master, 65536)
        proc.kill()
        proc.wait(5)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    assert store.load(demande.numero).etat_civil.nom_naissance == "Zoé"
