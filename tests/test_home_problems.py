"""The app starts whatever state the data folder is in, and says what is wrong."""

from __future__ import annotations

import errno
import json
import os

from textual.widgets import DataTable

from permis_tui.store import DraftStore
from pilot_helpers import alert_text, make_app, wait_until


async def wait_for_alert(pilot, app, needle: str) -> str:
    # The full validation runs in a worker.
    await wait_until(pilot, lambda: needle in alert_text(app), f"« {needle} » on the home screen")
    return alert_text(app)


async def test_corrupt_and_future_drafts_are_reported_and_others_usable(tmp_path):
    store = DraftStore(tmp_path / "data")
    store.ensure()
    good = store.create()
    good.etat_civil.nom_naissance = "Dupont"
    store.save(good)

    def write(numero: str, text: str) -> None:
        (store.demandes_dir / numero).mkdir()
        (store.demandes_dir / numero / "demande.json").write_text(text)

    write("2611-AAAA-BBBB", "{pas du json")
    future = json.loads(store.path_of(good.numero).read_text())
    future.update(numero="2611-CCCC-DDDD", schema_version=99)
    write("2611-CCCC-DDDD", json.dumps(future))
    invalid = json.loads(store.path_of(good.numero).read_text())
    invalid.update(numero="2611-EEEE-FFFF", etape="pas un nombre")
    write("2611-EEEE-FFFF", json.dumps(invalid))

    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        text = await wait_for_alert(pilot, app, "2611-EEEE-FFFF/demande.json")
        assert "2611-AAAA-BBBB/demande.json" in text and "JSON illisible" in text and "mis de côté" in text
        assert "2611-CCCC-DDDD/demande.json" in text and "version plus récente" in text and "laissé en place" in text
        assert "2611-EEEE-FFFF/demande.json" in text and "contenu non conforme" in text
        table = app.screen.query_one("#home-table", DataTable)
        assert table.row_count == 1
        await pilot.press("r")
        await pilot.pause()
        assert app.demande.numero == good.numero
    # never deleted: set aside, or left in place
    assert len([p for p in store.damaged_dir.iterdir() if not p.name.endswith(".raison.txt")]) == 2
    assert (store.demandes_dir / "2611-CCCC-DDDD" / "demande.json").exists()


async def test_read_only_data_folder_starts_and_says_so(tmp_path, monkeypatch):
    import tempfile

    import permis_tui.atomic as atomic

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    data = tmp_path / "data"
    monkeypatch.setattr(atomic, "ensure_private_dir", read_only)
    monkeypatch.setattr("permis_tui.store.ensure_private_dir", read_only)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    app = make_app(data)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await wait_for_alert(pilot, app, "lecture seule")
        assert "lecture seule" in text
        await pilot.press("n")  # creating a request is refused with a message, no crash
        await pilot.pause()
        assert app.demande is None
        assert app.is_running


async def test_corbeille_restores_a_deleted_request_later(tmp_path):
    from permis_tui.screens.trash_dialog import TrashDialog

    store = DraftStore(tmp_path / "data")
    store.ensure()
    d = store.create()
    d.etat_civil.nom_naissance = "Dupont"
    store.save(d)
    store.delete(d.numero)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one("#home-table", DataTable).row_count == 0
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TrashDialog)
        assert app.screen.query_one("#trash-table", DataTable).row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#home-table", DataTable).row_count == 1
    assert store.load(d.numero).etat_civil.nom_naissance == "Dupont"
    assert store.trash() == []
