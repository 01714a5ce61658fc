"""The draft store: private atomic files, damaged drafts set aside, trash, duplicate, import."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest

from permis_tui.model.demande import Demande, Etat, new_numero
from permis_tui.store import DraftStore, StoreError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def filled(store: DraftStore) -> Demande:
    d = store.create()
    d.etat_civil.nom_naissance = "Lefèvre"
    d.etat_civil.prenoms = ["Zoé"]
    d.etape = 3
    store.save(d)
    return d


def write_raw(store: DraftStore, name: str, data: bytes) -> Path:
    """A demande.json with these bytes, in the folder named after `name` ("<numero>.json")."""
    folder = store.demandes_dir / name.removesuffix(".json")
    folder.mkdir(exist_ok=True)
    path = folder / "demande.json"
    path.write_bytes(data)
    return path


def shown(name: str) -> str:
    """How a problem names a demande's file: "<numero>/demande.json"."""
    return f"{name.removesuffix('.json')}/demande.json"


# -- basics ----------------------------------------------------------------


def test_create_save_load_round_trip(store):
    d = filled(store)
    loaded = store.load(d.numero)
    assert loaded == d
    assert loaded.nom == "Lefèvre" and loaded.prenom == "Zoé" and loaded.etape == 3
    assert store.exists(d.numero)
    assert [x.numero for x in store.list()] == [d.numero]


def test_save_touches_modifie_le_unless_told_not_to(store):
    d = store.create()
    d.modifie_le = d.modifie_le.replace(year=2000)
    store.save(d, touch=False)
    assert store.load(d.numero).modifie_le.year == 2000
    store.save(d)
    assert store.load(d.numero).modifie_le.year > 2000


def test_scan_sorts_newest_first(store):
    old, new = store.create(), store.create()
    old.modifie_le = old.modifie_le.replace(year=2001)
    store.save(old, touch=False)
    assert [d.numero for d in store.scan().demandes] == [new.numero, old.numero]


def test_load_missing_numero(store):
    with pytest.raises(StoreError, match="Aucune demande"):
        store.load(new_numero())


@pytest.mark.parametrize("bad", ["../x", "2501-ABCD-EFG/", "", "2501-ABCD-EFGH/../../x"])
def test_numero_must_match_pattern(store, bad):
    with pytest.raises(StoreError, match="invalide"):
        store.path_of(bad)


def test_scan_on_missing_folder(tmp_path):
    result = DraftStore(tmp_path / "absent").scan()
    assert result.demandes == [] and result.problems == []


# -- atomicity and permissions --------------------------------------------


def test_save_leaves_no_temporary_files(store):
    d = store.create()
    for i in range(5):
        d.etape = i + 1
        store.save(d)
    assert sorted(p.name for p in store.demandes_dir.iterdir()) == [d.numero]
    assert sorted(p.name for p in store.folder_of(d.numero).iterdir()) == [".ecriture.lock", ".lock", "demande.json"]
    assert not store.staging_dir.exists() or list(store.staging_dir.iterdir()) == []


def test_failed_write_keeps_old_file_and_no_temp(store, monkeypatch):
    d = filled(store)
    before = store.path_of(d.numero).read_bytes()

    def boom(*a, **k):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", boom)
    d.etat_civil.nom_naissance = "Autre"
    with pytest.raises(StoreError):
        store.save(d)
    monkeypatch.undo()
    assert store.path_of(d.numero).read_bytes() == before
    assert sorted(p.name for p in store.folder_of(d.numero).iterdir()) == [".ecriture.lock", ".lock", "demande.json"]


def test_files_0600_and_folders_0700(store):
    d = store.create()
    store.store_attachment(d.numero, _attachment(store), "a" * 64 + ".pdf")
    assert mode(store.root) == 0o700
    assert mode(store.demandes_dir) == 0o700
    assert mode(store.path_of(d.numero)) == 0o600
    assert mode(store.folder_of(d.numero)) == 0o700
    assert mode(store.pieces_dir(d.numero)) == 0o700
    assert mode(store.attachment_path(d.numero, "a" * 64 + ".pdf")) == 0o600


def test_ensure_tightens_loose_folder(tmp_path):
    root = tmp_path / "loose"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    DraftStore(root).ensure()
    assert mode(root) == 0o700


def _attachment(store: DraftStore) -> Path:
    src = store.root.parent / "scan.pdf"
    src.write_bytes(b"%PDF-1.4 fake")
    return src


# -- read-only folder, full disk (tests run as root: simulate) -------------


@pytest.mark.parametrize("target", ["mkstemp", "replace"])
def test_read_only_folder_gives_french_message(store, monkeypatch, target):
    d = store.create()

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    if target == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", denied)
    else:
        monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(StoreError) as info:
        store.save(d)
    assert "lecture seule" in str(info.value)
    assert str(store.demandes_dir) in str(info.value)
    with pytest.raises(StoreError, match="lecture seule"):
        store.create()


def test_read_only_filesystem_errno_30(store, monkeypatch):
    d = store.create()

    def erofs(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", erofs)
    with pytest.raises(StoreError, match="lecture seule"):
        store.save(d)


def test_full_disk_gives_french_message(store, monkeypatch):
    d = store.create()

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    with pytest.raises(StoreError, match="disque est plein"):
        store.save(d)


def test_ensure_on_unwritable_root(tmp_path, monkeypatch):
    def denied(self, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(StoreError, match="lecture seule"):
        DraftStore(tmp_path / "new").ensure()


def test_delete_on_read_only_folder(store, monkeypatch):
    d = store.create()

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "rename", denied)  # the folder moves in one rename
    with pytest.raises(StoreError, match="lecture seule"):
        store.delete(d.numero)
    monkeypatch.undo()
    assert store.exists(d.numero)


# -- damaged drafts --------------------------------------------------------


def _only(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(suffix))


def _set_aside(store: DraftStore) -> list[Path]:
    """Demande folders moved into damaged/ (each with its .raison.txt beside it)."""
    return sorted(p for p in store.damaged_dir.iterdir() if p.is_dir())


def test_corrupt_json_set_aside_with_reason_and_reported(store):
    good = filled(store)
    numero = new_numero()
    content = b'{"schema_version": 1, "numero": '
    write_raw(store, f"{numero}.json", content)

    result = store.scan()
    assert [d.numero for d in result.demandes] == [good.numero]
    (problem,) = result.problems
    assert problem.fichier == shown(numero)
    assert "JSON illisible" in problem.raison
    assert problem.deplace_vers is not None and problem.deplace_vers.parent == store.damaged_dir
    # never deleted: the exact bytes are kept (the whole folder), with the reason next to them
    assert (problem.deplace_vers / "demande.json").read_bytes() == content
    note = problem.deplace_vers.with_name(problem.deplace_vers.name + ".raison.txt")
    assert problem.raison in note.read_text(encoding="utf-8")
    assert not (store.demandes_dir / numero).exists()
    assert mode(store.damaged_dir) == 0o700


def test_damaged_file_still_reported_on_next_scan_and_not_deleted(store):
    name = f"{new_numero()}.json"
    write_raw(store, name, b"\xff\xfe garbage")
    first = store.scan().problems
    second = store.scan().problems
    assert len(first) == len(second) == 1
    # the same name both times: the one the draft had, not the stamped one in damaged/
    assert first[0].fichier == second[0].fichier == shown(name)
    assert second[0].deplace_vers == first[0].deplace_vers
    assert second[0].raison == first[0].raison
    assert "UTF-8" in second[0].raison
    assert len(_set_aside(store)) == 1
    assert len(_only(store.damaged_dir, ".raison.txt")) == 1


def test_two_damaged_files_with_same_name_both_kept(store, monkeypatch):
    from datetime import datetime

    import permis_tui.store as store_mod

    class Frozen(datetime):  # both set aside within the same second
        @classmethod
        def now(cls, tz=None):
            return datetime(2025, 6, 15, 10, 0, 0)

    monkeypatch.setattr(store_mod, "datetime", Frozen)
    numero = new_numero()
    write_raw(store, f"{numero}.json", b"one")
    store.scan()
    write_raw(store, f"{numero}.json", b"two")
    store.scan()
    kept = sorted((p / "demande.json").read_bytes() for p in _set_aside(store))
    assert kept == [b"one", b"two"]
    assert [p.fichier for p in store.scan().problems] == [shown(numero)] * 2


def test_invalid_content_set_aside(store):
    numero = new_numero()
    data = {"schema_version": 1, "numero": numero, "etat_civil": {"nom_naissance": "R2D2"}}
    write_raw(store, f"{numero}.json", json.dumps(data).encode())
    result = store.scan()
    assert result.demandes == []
    (problem,) = result.problems
    assert "contenu non conforme" in problem.raison
    assert "etat_civil.nom_naissance" in problem.raison
    assert problem.deplace_vers is not None and problem.deplace_vers.exists()


def test_json_that_is_not_an_object_set_aside(store):
    write_raw(store, f"{new_numero()}.json", b"[1, 2, 3]")
    (problem,) = store.scan().problems
    assert problem.deplace_vers is not None


def test_numero_not_matching_file_name_set_aside(store):
    d = store.create()
    other = write_raw(store, f"{new_numero()}.json", store.path_of(d.numero).read_bytes())
    result = store.scan()
    assert [x.numero for x in result.demandes] == [d.numero]
    (problem,) = result.problems
    assert problem.fichier == f"{other.parent.name}/demande.json"
    assert "nom du dossier" in problem.raison


def test_huge_file_set_aside_without_reading_it_all(store, monkeypatch):
    import permis_tui.store as store_mod

    monkeypatch.setattr(store_mod, "MAX_DRAFT_BYTES", 1000)
    write_raw(store, f"{new_numero()}.json", b" " * 5000 + b"{}")
    (problem,) = store.scan().problems
    assert problem.deplace_vers is not None


def test_future_schema_left_in_place_and_reported(store):
    numero = new_numero()
    data = {"schema_version": 99, "numero": numero, "nouveau_champ": True}
    path = write_raw(store, f"{numero}.json", json.dumps(data).encode())
    before = path.read_bytes()
    for _ in range(2):
        result = store.scan()
        assert result.demandes == []
        (problem,) = result.problems
        assert problem.deplace_vers is None
        assert "plus récente" in problem.raison
    assert path.read_bytes() == before
    assert not store.damaged_dir.exists()
    with pytest.raises(StoreError, match="plus récente"):
        store.load(numero)
    assert path.exists()


def test_load_of_damaged_draft_sets_it_aside(store):
    numero = new_numero()
    write_raw(store, f"{numero}.json", b"{not json")
    with pytest.raises(StoreError, match="endommagée"):
        store.load(numero)
    assert not store.exists(numero)
    assert len(_set_aside(store)) == 1


def test_set_aside_failure_leaves_file_in_place_and_still_reports(store, monkeypatch):
    numero = new_numero()
    path = write_raw(store, f"{numero}.json", b"{broken")

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "rename", denied)
    (problem,) = store.scan().problems
    assert problem.deplace_vers is None
    assert path.exists()


def test_other_files_are_ignored(store):
    (store.demandes_dir / "notes.txt").write_text("bonjour")
    (store.demandes_dir / ".tmp-something").write_text("x")
    assert store.scan().problems == []
    assert (store.demandes_dir / "notes.txt").exists()


# -- trash -----------------------------------------------------------------


def test_delete_trash_restore(store):
    d = filled(store)
    store.store_attachment(d.numero, _attachment(store), "b" * 64 + ".pdf")
    store.delete(d.numero)
    assert not store.exists(d.numero)
    assert store.list() == []
    assert not store.pieces_dir(d.numero).exists()
    assert [x.numero for x in store.trash()] == [d.numero]

    store.restore(d.numero)
    assert store.load(d.numero) == d
    assert store.trash() == []
    assert store.attachment_path(d.numero, "b" * 64 + ".pdf").read_bytes() == b"%PDF-1.4 fake"


def test_delete_missing(store):
    with pytest.raises(StoreError, match="Aucune demande"):
        store.delete(new_numero())


def test_restore_not_in_trash(store):
    with pytest.raises(StoreError, match="corbeille"):
        store.restore(new_numero())


def test_restore_refuses_to_overwrite(store):
    d = store.create()
    store.delete(d.numero)
    store.import_demande(Demande(numero=d.numero))
    with pytest.raises(StoreError, match="existe déjà"):
        store.restore(d.numero)
    assert [x.numero for x in store.trash()] == [d.numero]


def test_empty_trash_removes_every_file_from_disk(store):
    from demande_factory import complete_demande
    from permis_tui.store import DemandeVerrouillee

    gone = complete_demande(store)
    (store.formulaires_dir(gone.numero) / "recapitulatif.pdf").parent.mkdir(mode=0o700)
    (store.formulaires_dir(gone.numero) / "recapitulatif.pdf").write_bytes(b"%PDF-")
    (store.outbox_dir(gone.numero) / "new").mkdir(mode=0o700, parents=True)
    (store.outbox_dir(gone.numero) / "new" / "1.eml").write_bytes(b"Subject: x\n\n")
    pieces = [p.read_bytes() for p in store.pieces_dir(gone.numero).iterdir()]
    assert pieces
    kept = store.create()
    store.delete(gone.numero)
    store.delete(kept.numero)
    from permis_tui.demande_lock import try_flock, unlock

    fd = try_flock(store.trash_dir / kept.numero / ".lock")  # another session has `kept` open
    try:
        report = store.empty_trash()
    finally:
        unlock(fd)
    assert report.erased == [gone.numero] and report.busy == [kept.numero]
    assert [d.numero for d in store.trash()] == [kept.numero]
    left = b"".join(p.read_bytes() for p in store.root.rglob("*") if p.is_file())
    assert all(data not in left for data in pieces)  # no copy left anywhere on disk
    assert b"Subject: x" not in left
    assert not (store.trash_dir / gone.numero).exists()
    assert not any(store.staging_dir.iterdir())
    with pytest.raises(DemandeVerrouillee):
        fd = try_flock(store.trash_dir / kept.numero / ".lock")
        try:
            store.erase(kept.numero)
        finally:
            unlock(fd)


# -- duplicate, import ----------------------------------------------------


def test_duplicate(store):
    d = filled(store)
    d.etat = Etat.VALIDEE
    d.valide_le = d.modifie_le
    store.save(d)
    name = "c" * 64 + ".pdf"
    store.store_attachment(d.numero, _attachment(store), name)

    copy = store.duplicate(d.numero)
    assert copy.numero != d.numero
    assert copy.etat is Etat.BROUILLON and copy.valide_le is None
    assert copy.etat_civil == d.etat_civil
    assert store.load(copy.numero) == copy
    assert store.load(d.numero).etat is Etat.VALIDEE  # source untouched
    assert store.attachment_path(copy.numero, name).read_bytes() == b"%PDF-1.4 fake"
    assert mode(store.attachment_path(copy.numero, name)) == 0o600
    # the copy's files are independent of the source's
    store.remove_attachment(d.numero, name)
    assert store.attachment_path(copy.numero, name).exists()
    assert len(store.list()) == 2


def test_duplicate_missing(store):
    with pytest.raises(StoreError):
        store.duplicate(new_numero())


def test_import_refuses_existing_numero_without_replace(store):
    d = filled(store)
    incoming = Demande(numero=d.numero)
    with pytest.raises(StoreError, match="existe déjà"):
        store.import_demande(incoming)
    assert store.load(d.numero).nom == "Lefèvre"
    store.import_demande(incoming, replace=True)
    assert store.load(d.numero).nom == ""


def test_import_new_numero_keeps_dates(store):
    incoming = Demande()
    incoming.modifie_le = incoming.modifie_le.replace(year=2020)
    store.import_demande(incoming)
    assert store.load(incoming.numero).modifie_le.year == 2020


def test_remove_attachment_kept_when_still_used(store):
    d = store.create()
    name = "d" * 64 + ".pdf"
    store.store_attachment(d.numero, _attachment(store), name)
    store.remove_attachment(d.numero, name, still_used=True)
    assert store.attachment_path(d.numero, name).exists()
    store.remove_attachment(d.numero, name)
    assert not store.attachment_path(d.numero, name).exists()
    store.remove_attachment(d.numero, name)  # already gone: no error
