"""Two sessions on one data folder: a demande open in one is read-only in the other, and a
save over someone else's changes asks instead of overwriting them."""

from __future__ import annotations

from textual.widgets import Button, Input

from permis_tui.screens.etat_civil_screen import EtatCivilScreen
from permis_tui.screens.home_screen import HomeScreen
from permis_tui.screens.revision_conflict_dialog import RevisionConflictDialog
from permis_tui.store import DemandeVerrouillee, DraftStore
from permis_tui.widgets.field_row import field_dom_id
from pilot_helpers import draft_app, make_app, record_notifications, screen_text, start_checks_done

LOCKED = "Cette demande est ouverte dans une autre session"


async def resume(app, pilot) -> None:
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, EtatCivilScreen)


def nom_field(app) -> Input:
    return app.screen.query_one("#" + field_dom_id("etat_civil.nom_naissance"), Input)


async def test_demande_open_elsewhere_opens_read_only_and_is_released_on_leaving(tmp_path):
    store, d, app = draft_app(tmp_path / "data", 2)
    other = DraftStore(store.root)  # the other session
    held = other.lock(d.numero)
    shown = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(app, pilot)
        assert LOCKED in app.saves.read_only_reason
        assert "LECTURE SEULE (autre session)" in screen_text(app)
        assert any(LOCKED in message for _, message in shown)
        assert nom_field(app).disabled
        assert app.screen.query_one("#nav-save", Button).disabled
        await pilot.press("ctrl+s")  # nothing written over the other session
        await pilot.pause()
        held.release()
        await pilot.press("ctrl+b", "ctrl+b")  # step 1, then home: the demande is closed
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await resume(app, pilot)  # free now: this session takes it
        assert app.saves.read_only_reason is None and not nom_field(app).disabled
        try:
            other.lock(d.numero)
        except DemandeVerrouillee:
            pass
        else:
            raise AssertionError("the demande open in the app must be locked for other sessions")
        await pilot.press("ctrl+b", "ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        other.lock(d.numero).release()  # leaving the demande let it go


async def _conflict(tmp_path, pilot_action):
    """Session A (the app) edits 2.1 while session B saves another name: A's save must ask."""
    store, d, app = draft_app(tmp_path / "data", 2)
    other = DraftStore(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(app, pilot)
        # B got the demande while A's lock was not there (e.g. A's lock file removed by hand).
        app.saves.lock.release()
        theirs = other.load(d.numero)
        theirs.etat_civil.nom_naissance = "Autre"
        other.save(theirs)
        field = nom_field(app)
        field.focus()
        await pilot.press(*"Zoé")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RevisionConflictDialog)
        assert "modifiée dans une autre session" in screen_text(app)
        assert "2.1 Nom de naissance" in screen_text(app)
        await pilot_action(app, pilot)
    return store, d, app


async def test_conflict_reload_takes_the_version_on_disk(tmp_path):
    async def reload(app, pilot):
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        assert nom_field(app).value == "Autre"
        assert app.focused is not None and app.focused.is_attached

    store, d, app = await _conflict(tmp_path, reload)
    assert store.load(d.numero).etat_civil.nom_naissance == "Autre"
    assert len(store.list()) == 1


async def test_conflict_keep_mine_as_a_new_demande(tmp_path):
    async def keep(app, pilot):
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        assert app.demande.numero != numero_before[0]
        assert app.demande.numero in screen_text(app)

    numero_before: list[str] = []

    async def remember_then_keep(app, pilot):
        numero_before.append(app.demande.numero)
        await keep(app, pilot)

    store, d, app = await _conflict(tmp_path, remember_then_keep)
    names = {x.numero: x.etat_civil.nom_naissance for x in store.list()}
    assert names[d.numero] == "Autre"  # theirs, untouched
    mine = [n for k, n in names.items() if k != d.numero]
    assert mine == ["Zoé"]  # ours, as a new demande


async def test_conflict_later_keeps_asking_and_loses_nothing(tmp_path):
    async def later(app, pilot):
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EtatCivilScreen)
        await pilot.press("ctrl+q")  # quitting: asked again, not overwritten
        await pilot.pause()
        assert isinstance(app.screen, RevisionConflictDialog)
        await pilot.press("c")
        await pilot.pause()

    store, d, app = await _conflict(tmp_path, later)
    names = sorted(x.etat_civil.nom_naissance for x in store.list())
    assert names == ["Autre", "Zoé"]
    assert app.return_code == 0


async def test_deleted_in_other_session_offers_a_copy(tmp_path):
    store, d, app = draft_app(tmp_path / "data", 2)
    other = DraftStore(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(app, pilot)
        app.saves.lock.release()
        other.delete(d.numero)
        nom_field(app).focus()
        await pilot.press(*"Zoé", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RevisionConflictDialog)
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert not any("Recharger" in label for label in labels)
        await pilot.press("c")
        await pilot.pause()
    assert [x.etat_civil.nom_naissance for x in store.list()] == ["Zoé"]


async def test_signal_during_conflict_keeps_both_versions(tmp_path):
    store, d, app = draft_app(tmp_path / "data", 2)
    other = DraftStore(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume(app, pilot)
        app.saves.lock.release()
        theirs = other.load(d.numero)
        theirs.etat_civil.nom_naissance = "Autre"
        other.save(theirs)
        nom_field(app).focus()
        await pilot.press(*"Zoé")
        app._terminate()  # what SIGTERM and SIGHUP run
        await pilot.pause()
    assert sorted(x.etat_civil.nom_naissance for x in store.list()) == ["Autre", "Zoé"]


async def test_recovery_is_reported_on_the_home_screen_in_one_line(tmp_path):
    store, d, _ = draft_app(tmp_path / "data", 1)
    leftover = store.folder_of(d.numero) / f".{d.numero}.json.abc123.tmp"
    leftover.write_bytes(b"{" * 5000)  # a temp copy left by a crash
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        await pilot.pause()
        alert = str(app.screen.query_one("#home-alert").render())
        lines = [line for line in alert.splitlines() if "arrêt brutal" in line]
        assert len(lines) == 1 and "fichier(s) temporaire(s)" in lines[0]
    assert not leftover.exists()
