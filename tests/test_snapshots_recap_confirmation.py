"""Snapshots of the récapitulatif (step 6) and the confirmation (step 7), at 80×24 and 120×40.

Deterministic: fixed numéro and dates, today fixed for the derived facts, and the data folder
under a fake $HOME so that the screen shows "~/…" rather than a temporary path.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demande_factory import complete_demande
from permis_tui import recap
from permis_tui.app import PermisApp
from permis_tui.model.demande import Etat
from permis_tui.store import DraftStore
from permis_tui.validation import ConfirmationInfo, ecrire_confirmation, prochaines_etapes

NUMERO = "2611-AAAA-BBBB"
TODAY = date(2026, 11, 20)
VALIDE_LE = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def store(tmp_path, monkeypatch) -> DraftStore:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(recap, "aujourdhui", lambda: TODAY)
    s = DraftStore(home / ".local" / "share" / "permis-tui")
    s.ensure()
    return s


def _opener(demande, step: int):
    async def run_before(pilot) -> None:
        pilot.app.open_demande(demande, step)
        await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_recap_complete(snap_compare, store, size) -> None:
    demande = complete_demande(store, numero=NUMERO, today=TODAY)
    assert snap_compare(PermisApp(store), terminal_size=size, run_before=_opener(demande, 6))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_recap_validee(snap_compare, store, size, monkeypatch) -> None:
    """A validée demande: the date of validation, no "Modifier", no "Enregistrer"."""
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    demande = complete_demande(store, numero=NUMERO, today=TODAY)
    demande.etat, demande.valide_le, demande.etape = Etat.VALIDEE, VALIDE_LE, 7
    store.save(demande, touch=False)
    try:
        assert snap_compare(PermisApp(store), terminal_size=size, run_before=_opener(demande, 6))
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_recap_missing_items(snap_compare, store, size) -> None:
    demande = complete_demande(store, numero=NUMERO, today=TODAY, photo="ephoto")
    demande.adresse.email = None
    demande.photo.code_ephoto = None
    store.save(demande, touch=False)
    assert snap_compare(PermisApp(store), terminal_size=size, run_before=_opener(demande, 6))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirmation(snap_compare, store, size) -> None:
    demande = complete_demande(store, numero=NUMERO, today=TODAY)
    demande.etat, demande.valide_le, demande.etape = Etat.VALIDEE, VALIDE_LE, 7
    store.save(demande, touch=False)
    folder = store.formulaires_dir(NUMERO)
    outbox = store.outbox_dir(NUMERO) / "new" / "1795700000.M1P1Q1.poste"
    ecrire_confirmation(
        store,
        ConfirmationInfo(
            numero=NUMERO,
            fichiers=[str(folder / f"recapitulatif-{NUMERO}.pdf"), str(folder / f"formulaire-depot-{NUMERO}.pdf")],
            courriel_envoye=False,
            courriel_message=(
                "Aucun serveur de messagerie n'est configuré (section [smtp] de la configuration) : "
                f"le message n'a pas été envoyé. Il est enregistré dans la boîte d'envoi : {outbox}"
            ),
            prochaines_etapes=prochaines_etapes(demande, TODAY),
        ),
    )
    assert snap_compare(PermisApp(store), terminal_size=size, run_before=_opener(demande, 7))


def test_confirmation_not_validated(snap_compare, store) -> None:
    demande = complete_demande(store, numero=NUMERO, today=TODAY)
    assert snap_compare(PermisApp(store), terminal_size=(80, 24), run_before=_opener(demande, 7))
