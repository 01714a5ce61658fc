"""Erasure. The corbeille can be emptied and a demande deleted for good, from
the app (with confirmation) and with `permis-tui purge`; deleted means gone from disk."""

from __future__ import annotations

import io
import json
import os

from textual.widgets import DataTable

from demande_factory import complete_demande
from permis_tui.cli import main
from permis_tui.demande_lock import try_flock, unlock
from permis_tui.store import DraftStore
from pilot_helpers import make_app


def _disk(store) -> bytes:
    return b"".join(p.read_bytes() for p in store.root.rglob("*") if p.is_file() and not p.is_symlink())


def _with_outbox(store, d) -> bytes:
    mail = f"Subject: demande {d.numero}\n\nbonjour".encode()
    (store.outbox_dir(d.numero) / "new").mkdir(mode=0o700, parents=True)
    (store.outbox_dir(d.numero) / "new" / "1.eml").write_bytes(mail)
    return mail


def _backdate(store, numero: str, when: str, *, trash: bool = False) -> None:
    path = (store.trash_dir if trash else store.demandes_dir) / numero / "demande.json"
    data = json.loads(path.read_text())
    data["modifie_le"] = when
    path.write_text(json.dumps(data))


def test_purge_corbeille_with_oui_erases_everything_from_disk(tmp_path, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    gone = complete_demande(store)
    mail = _with_outbox(store, gone)
    pieces = [p.read_bytes() for p in store.pieces_dir(gone.numero).iterdir()]
    kept = store.create()
    store.delete(gone.numero)
    assert main(["--data-dir", str(store.root), "purge", "--corbeille", "--oui"]) == 0
    out = capsys.readouterr().out
    assert gone.numero in out and "1 demande(s) supprimée(s) définitivement" in out
    disk = _disk(store)
    assert pieces and all(p not in disk for p in pieces)
    assert mail not in disk
    assert not (store.trash_dir / gone.numero).exists()
    assert store.exists(kept.numero)  # not in the corbeille: untouched


def test_purge_also_erases_the_demandes_copies_set_aside(tmp_path, capsys) -> None:
    """A copy of the demande set aside in damaged/ (unreadable then) holds the same personal data:
    deleting the demande for good takes it too, and the list says so. Other copies stay."""
    store = DraftStore(tmp_path / "data")
    gone, kept = complete_demande(store), store.create()
    for numero, name in ((gone.numero, "ancienne"), (kept.numero, "autre")):
        copy = store.set_aside_path(numero)
        copy.mkdir()
        (copy / "demande.json").write_text(f'{{"nom": "{name}"}}')
        copy.with_name(copy.name + ".raison.txt").write_text("JSON invalide\n")
    store.delete(gone.numero)
    assert main(["--data-dir", str(store.root), "purge", "--corbeille", "--oui"]) == 0
    out = capsys.readouterr().out
    assert f"{gone.numero}" in out and "(+ 1 copie(s) mise(s) de côté)" in out
    assert store.damaged_copies(gone.numero) == []
    assert b"ancienne" not in _disk(store)
    left = sorted(p.name for p in store.damaged_dir.iterdir())
    assert len(left) == 2 and all(kept.numero in name for name in left)  # the other copy and its note


def test_purge_without_terminal_or_oui_deletes_nothing(tmp_path, capsys, monkeypatch) -> None:
    store = DraftStore(tmp_path / "data")
    d = store.create()
    store.delete(d.numero)
    monkeypatch.setattr("sys.stdin", io.StringIO("oui\n"))  # not a terminal
    assert main(["--data-dir", str(store.root), "purge", "--corbeille"]) == 1
    assert "--oui" in capsys.readouterr().err
    assert [x.numero for x in store.trash()] == [d.numero]


def test_purge_asks_and_oui_typed_confirms(tmp_path, capsys, monkeypatch) -> None:
    store = DraftStore(tmp_path / "data")
    d = store.create()
    store.delete(d.numero)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("non\n"))
    assert main(["--data-dir", str(store.root), "purge", "--corbeille"]) == 1
    assert store.trash()
    monkeypatch.setattr("sys.stdin", Tty("oui\n"))
    assert main(["--data-dir", str(store.root), "purge", "--corbeille"]) == 0
    assert store.trash() == [] and not (store.trash_dir / d.numero).exists()


def test_purge_avant_erases_old_demandes_everywhere_and_keeps_open_ones(tmp_path, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    old, old_trashed, recent, old_open = (complete_demande(store) for _ in range(4))
    for d in (old, old_trashed, old_open):
        _backdate(store, d.numero, "2024-03-01T10:00:00+01:00")
    store.delete(old_trashed.numero)
    fd = try_flock(store.folder_of(old_open.numero) / ".lock")  # open in another session
    try:
        code = main(["--data-dir", str(store.root), "purge", "--avant", "01/01/2025", "--oui"])
    finally:
        unlock(fd)
    captured = capsys.readouterr()
    assert code == 1 and f"{old_open.numero} ouverte dans une autre session" in captured.err
    assert "2 demande(s) supprimée(s)" in captured.out
    assert not store.folder_of(old.numero).exists() and not (store.trash_dir / old_trashed.numero).exists()
    assert store.exists(recent.numero) and store.exists(old_open.numero)
    assert not any(store.staging_dir.iterdir())


def test_purge_needs_a_choice_and_a_french_date(tmp_path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "purge"]) == 1
    assert "indiquez --corbeille" in capsys.readouterr().err
    try:
        main(["--data-dir", str(tmp_path / "d"), "purge", "--avant", "2025-01-01"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "JJ/MM/AAAA" in capsys.readouterr().err


def _trash_with(store, n: int) -> list:
    made = []
    for _ in range(n):
        d = complete_demande(store)
        _with_outbox(store, d)
        store.delete(d.numero)
        made.append(d)
    return made


def _focus_ok(app) -> None:
    focused = app.focused
    assert focused is not None and focused.is_attached and focused.display
    assert focused.screen is app.screen
    assert focused.region.area > 0 and app.screen.region.overlaps(focused.region)


async def test_corbeille_dialog_deletes_one_for_good_after_confirmation(tmp_path) -> None:
    from permis_tui.screens.confirm_dialog import ConfirmDialog
    from permis_tui.screens.trash_dialog import TrashDialog

    store = DraftStore(tmp_path / "data")
    first, second = _trash_with(store, 2)
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TrashDialog)
        table = app.screen.query_one("#trash-table", DataTable)
        chosen = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # cancelled: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, TrashDialog) and (store.trash_dir / chosen).exists()
        _focus_ok(app)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("o")
        await app.workers.wait_for_complete()  # the files are removed in a worker thread
        await pilot.pause()
        assert isinstance(app.screen, TrashDialog)
        assert app.screen.query_one("#trash-table", DataTable).row_count == 1
        _focus_ok(app)
        assert app.focused is app.screen.query_one("#trash-table", DataTable)
        await pilot.press("tab")
        _focus_ok(app)
        await pilot.press("escape")
        await pilot.pause()
        _focus_ok(app)
    assert not (store.trash_dir / chosen).exists()
    other = ({first.numero, second.numero} - {chosen}).pop()
    assert (store.trash_dir / other).exists()


async def test_corbeille_dialog_empties_the_corbeille(tmp_path) -> None:
    from permis_tui.screens.trash_dialog import TrashDialog

    store = DraftStore(tmp_path / "data")
    made = _trash_with(store, 3)
    pieces = {p.read_bytes() for d in made for p in (store.trash_dir / d.numero / "pieces").iterdir()}
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert "Vider la corbeille (3 demande(s))" in str(app.screen.query_one("#dialog-question").render())
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TrashDialog)
        assert app.screen.query_one("#trash-table", DataTable).row_count == 0
        assert "vide" in str(app.screen.query_one("#trash-help").render())
        _focus_ok(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not any(store.trash_dir.iterdir())
    disk = _disk(store)
    assert all(p not in disk for p in pieces)
    assert b"bonjour" not in disk
    assert os.listdir(store.staging_dir) == []


def test_empty_trash_erases_a_folder_whose_demande_json_is_a_fifo(tmp_path) -> None:
    store = DraftStore(tmp_path / "data")
    store.ensure()
    folder = store.trash_dir / "2601-AAAA-BBBB"
    folder.mkdir(mode=0o700, parents=True)
    os.mkfifo(folder / "demande.json")
    report = store.empty_trash()
    assert report.erased == ["2601-AAAA-BBBB"] and not folder.exists()
