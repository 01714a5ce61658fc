"""A data folder in the earlier layout, without `layout-version` (demandes/<n>.json, pieces/<n>/, formulaires/<n>/,
corbeille/, one shared outbox/) is converted to one folder per demande, crash-safely."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
from email.message import EmailMessage
from pathlib import Path

import pytest

from demande_factory import complete_demande
from permis_tui.mail.confirmation_email import confirmation_subject
from permis_tui.model.demande import Etat
from permis_tui.store import DraftStore

A, B, C, D = "2611-AAAA-BBBB", "2611-CCCC-DDDD", "2611-EEEE-FFFF", "2611-GGGG-HHHH"
ORPHAN = "2611-JJJJ-KKKK"


def _old_json(demande) -> bytes:
    data = json.loads(demande.model_dump_json())
    data.pop("revision")
    data["schema_version"] = 1
    return json.dumps(data, indent=2).encode()


def _pieces(folder: Path, demande) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(demande.pieces.fichiers):
        # the factory's PDFs, recreated under the name the JSON refers to
        from demande_factory import small_pdf

        data = small_pdf(f"{p.kind.value} {i} {demande.numero}")
        (folder / p.fichier).write_bytes(data)


def _message(root: Path, sub: str, numero: str, name: str, *, old_subject: bool = False) -> None:
    msg = EmailMessage()
    # Messages of the old layout carry either subject, the older "n° …" or today's "référence …".
    msg["Subject"] = (
        f"Demande de permis de conduire n° {numero} : confirmation de dépôt"
        if old_subject
        else confirmation_subject(numero)
    )
    msg["To"] = "marie@example.fr"
    msg.set_content("Bonjour")
    (root / "outbox" / sub).mkdir(parents=True, exist_ok=True)
    (root / "outbox" / sub / name).write_bytes(msg.as_bytes())


def build_layout_1(root: Path) -> dict[str, object]:
    """Today's layout, with the traces the old store's crashes left."""
    demandes = {}
    for numero in (A, B, C, D):
        d = complete_demande(None, numero=numero)
        # complete_demande(None) names its pieces by content: recompute from the PDFs written below
        from demande_factory import small_pdf

        for i, p in enumerate(d.pieces.fichiers):
            data = small_pdf(f"{p.kind.value} {i} {numero}")
            p.sha256 = hashlib.sha256(data).hexdigest()
            p.fichier = f"{p.sha256}.pdf"
        demandes[numero] = d
    demandes[A].etat = Etat.VALIDEE
    demandes[A].valide_le = demandes[A].modifie_le
    (root / "demandes").mkdir(parents=True)
    (root / "corbeille").mkdir()
    (root / "demandes" / f"{A}.json").write_bytes(_old_json(demandes[A]))
    _pieces(root / "pieces" / A, demandes[A])
    (root / "formulaires" / A).mkdir(parents=True)
    (root / "formulaires" / A / f"recapitulatif-{A}.pdf").write_bytes(b"%PDF-1.4 recap")
    (root / "formulaires" / A / "confirmation.json").write_text(
        json.dumps(
            {
                "numero": A,
                "fichiers": [str(root / "formulaires" / A / f"recapitulatif-{A}.pdf")],
                "courriel_envoye": True,
                "courriel_message": "envoyé",
                "prochaines_etapes": [],
            }
        )
    )
    _message(root, "new", A, "1700000000.M1P1Q1.poste")
    _message(root, ".sent/cur", A, "1690000000.M1P1Q1.poste:2,S", old_subject=True)
    _message(root, "new", "2611-ZZZZ-ZZZZ", "1700000001.M1P1Q2.poste")  # a demande that no longer exists
    # B: a delete killed between its renames — pieces already in the corbeille, JSON still listed.
    (root / "demandes" / f"{B}.json").write_bytes(_old_json(demandes[B]))
    _pieces(root / "corbeille" / "pieces" / B, demandes[B])
    # C: properly in the corbeille, with its forms.
    (root / "corbeille" / f"{C}.json").write_bytes(_old_json(demandes[C]))
    _pieces(root / "corbeille" / "pieces" / C, demandes[C])
    (root / "corbeille" / "formulaires" / C).mkdir(parents=True)
    (root / "corbeille" / "formulaires" / C / "f.pdf").write_bytes(b"%PDF-1.4")
    # D: a restore killed between its renames — pieces back, JSON still in the corbeille.
    (root / "corbeille" / f"{D}.json").write_bytes(_old_json(demandes[D]))
    _pieces(root / "pieces" / D, demandes[D])
    # Pieces of no demande, and crash residue of the old store.
    (root / "pieces" / ORPHAN).mkdir()
    (root / "pieces" / ORPHAN / ("f" * 64 + ".pdf")).write_bytes(b"%PDF-1.4 orphan")
    (root / "demandes" / f".{A}.json.abc123.tmp").write_bytes(b"{half")
    (root / "pieces" / A / ".incoming-xyz.pdf").write_bytes(b"%PDF half")
    (root / "damaged").mkdir()
    (root / "damaged" / "20250101-000000-2501-AAAA-BBBB.json").write_bytes(b"{old")
    (root / "damaged" / "20250101-000000-2501-AAAA-BBBB.json.raison.txt").write_text("JSON illisible\n")
    return demandes


def assert_migrated(root: Path, demandes) -> None:
    store = DraftStore(root)
    store.recover()  # as at every start, after the conversion: the half-copied piece goes
    result = store.scan()
    assert sorted(d.numero for d in result.demandes) == [A, B]
    assert sorted(d.numero for d in store.trash()) == [C, D]
    for numero, parent in (
        (A, store.demandes_dir),
        (B, store.demandes_dir),
        (C, store.trash_dir),
        (D, store.trash_dir),
    ):
        loaded = store._read(parent / numero / "demande.json")
        assert loaded.revision == 0 and loaded.etat_civil == demandes[numero].etat_civil
        for p in loaded.pieces.fichiers:  # every piece reunited with its demande
            data = (parent / numero / "pieces" / p.fichier).read_bytes()
            assert hashlib.sha256(data).hexdigest() == p.sha256
    assert (store.formulaires_dir(A) / f"recapitulatif-{A}.pdf").read_bytes() == b"%PDF-1.4 recap"
    from permis_tui.validation import lire_confirmation

    assert lire_confirmation(store, A).fichiers == [str(store.formulaires_dir(A) / f"recapitulatif-{A}.pdf")]
    assert (store.trash_dir / C / "formulaires" / "f.pdf").exists()
    assert len(list((store.outbox_dir(A) / "new").iterdir())) == 1
    assert len(list((store.outbox_dir(A) / ".sent" / "cur").iterdir())) == 1
    # Old folders gone; nothing deleted that was not residue: orphans kept in damaged/.
    for old in ("pieces", "formulaires", "outbox", "corbeille/pieces", "corbeille/formulaires"):
        assert not (root / old).exists(), old
    assert sorted(p.name for p in (root / "demandes").iterdir()) == [A, B]
    assert (root / "layout-version").read_text() == "2\n"
    reasons = {p.name: p for p in (root / "damaged").iterdir()}
    assert any(name.endswith(f"pieces-{ORPHAN}") for name in reasons)
    assert any("courriel-1700000001" in name for name in reasons)
    kept = [p for p in result.problems if ORPHAN in p.fichier]
    assert kept and "introuvable" in kept[0].raison
    assert not list(root.rglob(".incoming-*")) and not list(root.rglob("*.tmp"))
    # A saved demande of the old layout saves again (revision 0 → 1).
    b = store.load(B)
    b.etat_civil.nom_usage = "Après"
    store.save(b)
    assert store.load(B).revision == 1


def test_layout_1_is_converted_at_start(tmp_path):
    root = tmp_path / "data"
    demandes = build_layout_1(root)
    DraftStore(root).ensure()
    assert "fichier(s) temporaire(s)" in DraftStore(root).recover().resume
    assert_migrated(root, demandes)


def test_conversion_happens_for_commands_too(tmp_path, capsys):
    from permis_tui.cli import main

    root = tmp_path / "data"
    build_layout_1(root)
    assert main(["--data-dir", str(root), "list"]) == 0
    out = capsys.readouterr().out
    assert A in out and B in out
    assert (root / "layout-version").exists()


def test_a_newer_layout_is_refused(tmp_path):
    from permis_tui.store import StoreError

    root = tmp_path / "data"
    root.mkdir()
    (root / "layout-version").write_text("3\n")
    with pytest.raises(StoreError, match="plus récente"):
        DraftStore(root).load(A)
    with pytest.raises(StoreError, match="plus récente"):
        DraftStore(root).create()
    assert "plus récente" in DraftStore(root).scan().problems[0].raison
    assert sorted(p.name for p in root.iterdir()) == ["layout-version"]  # nothing written


# Every call that changes the disk: the conversion can die before any of them.
_DISK_CALLS = ("replace", "rename", "mkdir", "unlink", "rmdir", "fsync", "write", "open")


def _convert_in_child(work: Path, die_at: int | None, report) -> int:
    """Fork a child converting `work`; it SIGKILLs itself just before its `die_at`-th disk call.

    With `die_at` None it runs to the end and writes its count of disk calls to `report`.
    """
    pid = os.fork()
    if pid:
        return pid
    try:
        calls = 0

        def counting(name, real):
            def call(*args, **kwargs):
                nonlocal calls
                if calls == die_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                calls += 1
                return real(*args, **kwargs)

            return call

        for name in _DISK_CALLS:
            setattr(os, name, counting(name, getattr(os, name)))
        DraftStore(work).ensure()
        if report is not None:
            report.write_text(str(calls))
    finally:
        os._exit(0)


def test_kill_during_conversion_then_restart_completes_it(tmp_path):
    """SIGKILL before every disk call of the conversion in turn; the next start finishes it, nothing lost."""
    template = tmp_path / "template"
    demandes = build_layout_1(template)
    work = tmp_path / "work"
    count = tmp_path / "calls"
    shutil.copytree(template, work)
    os.waitpid(_convert_in_child(work, None, count), 0)
    total = int(count.read_text())
    assert total > 20, total
    assert_migrated(work, demandes)
    # Every kill point when there are few, else an even spread over them (the first and last included).
    points = sorted({round(i * (total - 1) / 39) for i in range(40)})
    for die_at in points:
        shutil.rmtree(work)
        shutil.copytree(template, work)
        _, status = os.waitpid(_convert_in_child(work, die_at, None), 0)
        assert os.WIFSIGNALED(status), f"the child passed its kill point {die_at}"
        DraftStore(work).ensure()  # the next start
        assert_migrated(work, demandes)


def test_unwritable_old_folder_is_reported_not_raised(tmp_path, monkeypatch):
    import permis_tui.store_migration as migration

    root = tmp_path / "data"
    build_layout_1(root)

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(migration, "flock_waiting", denied)
    result = DraftStore(root).scan()
    assert result.demandes == [] and "lecture seule" in result.problems[0].raison
    assert (root / "demandes" / f"{A}.json").exists()  # left as it was
