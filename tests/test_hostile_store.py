"""Special files are never followed nor waited on; export → import
restores everything; hostile imports are refused in French with exit 1."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import zipfile

import pytest

from demande_factory import complete_demande
from permis_tui.cli import main
from permis_tui.model.demande import Etat
from permis_tui.model.schema import SCHEMA_VERSION
from permis_tui.store import DraftStore
from test_validation import _smtp_settings, smtp_server  # noqa: F401 - the fixture

ENGLISH = (
    "Expecting",
    "Is a directory",
    "No such file",
    "Errno",
    "Traceback",
    "Exceeds the limit",
    "Unexpected UTF-8",
    "finite_number",
    "Permission denied",
    "Too many levels",
)


def _special(kind: str, path, tmp_path):
    """Make `path` a FIFO, a symlink to /etc/passwd or /dev/null, a character device, a socket or a folder."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink":
        os.symlink("/etc/passwd", path)
    elif kind == "device":
        os.symlink("/dev/null", path)
    elif kind == "chardev":  # /dev/zero's numbers: endless zeros if it were ever read
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))
        except PermissionError:
            pytest.skip("character devices cannot be created here (not root)")
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        short = tmp_path / "s"
        sock.bind(str(short))
        sock.close()
        os.rename(short, path)
    else:
        os.mkdir(path)


KINDS = ["fifo", "symlink", "device", "chardev", "socket", "directory"]


@pytest.mark.parametrize("kind", KINDS)
def test_special_demande_json_is_reported_never_read(tmp_path, kind, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    good = store.create()
    folder = store.demandes_dir / "2601-AAAA-BBBB"
    folder.mkdir(mode=0o700)
    _special(kind, folder / "demande.json", tmp_path)
    result = store.summaries()  # a FIFO would block here for ever before the change
    assert [d.numero for d in result.demandes] == [good.numero]
    [problem] = [p for p in result.problems if "2601-AAAA-BBBB" in p.fichier]
    assert "pas un fichier ordinaire" in problem.raison
    assert main(["--data-dir", str(store.root), "list"]) == 0
    out = capsys.readouterr()
    assert good.numero in out.out
    assert not any(word in out.out + out.err for word in ENGLISH)
    if kind == "symlink":
        assert "root:" not in out.out + out.err


def _in_child(code: str, *args: str) -> subprocess.CompletedProcess:
    """Run `code` in a child Python: before the change, a FIFO blocked the open() for ever,
    and the timeout turns that hang into a failure instead of a stuck test run."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("kind", KINDS)
def test_special_import_path_is_refused_in_french(tmp_path, kind) -> None:
    target = tmp_path / "x.json"
    _special(kind, target, tmp_path)
    proc = _in_child(
        "import sys; from permis_tui.cli import main; sys.exit(main(sys.argv[1:]))",
        "--data-dir",
        str(tmp_path / "data"),
        "import",
        str(target),
    )
    err = proc.stderr
    assert proc.returncode == 1, err
    assert ("pas un fichier ordinaire" in err) or (kind == "directory" and "manifest.json introuvable" in err)
    assert not any(word in err for word in ENGLISH)
    assert not (tmp_path / "data" / "demandes").exists() or not any((tmp_path / "data" / "demandes").iterdir())


@pytest.mark.parametrize("kind", KINDS)
def test_special_config_file_is_reported_and_defaults_used(tmp_path, kind) -> None:
    path = tmp_path / "config.toml"
    _special(kind, path, tmp_path)
    proc = _in_child(
        "import sys, json; from pathlib import Path; from permis_tui.settings import load_settings; "
        "c = load_settings(Path(sys.argv[1])); print(json.dumps([c.error, c.settings.theme]))",
        str(path),
    )
    error, theme = json.loads(proc.stdout)
    assert error and "illisible" in error
    assert "pas un fichier ordinaire" in error
    assert theme == "defaut"
    assert not any(word in error for word in ENGLISH)


def _import(tmp_path, raw: bytes, capsys, *extra: str) -> tuple[int, str]:
    path = tmp_path / "in.json"
    path.write_bytes(raw)
    code = main(["--data-dir", str(tmp_path / "data"), "import", str(path), *extra])
    return code, capsys.readouterr().err


def _valid_json() -> dict:
    return json.loads(complete_demande(None, save=False).model_dump_json())


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (
            lambda raw: raw.replace(b'"etat": "brouillon"', b'"etat": "brouillon", "etat": "validee"', 1),
            "apparaît deux fois",
        ),
        (lambda raw: raw.replace(b'"revision": 0', b'"revision": NaN', 1), "nombre non fini"),
        (lambda raw: raw.replace(b'"revision": 0', b'"revision": Infinity', 1), "nombre non fini"),
        (lambda raw: raw.replace(b'"revision": 0', b'"revision": ' + b"9" * 5000, 1), "nombre trop long"),
        (lambda raw: b"\xef\xbb\xbf" + raw, "BOM"),
        (
            lambda raw: raw.replace(b'"schema_version": %d' % SCHEMA_VERSION, b'"schema_version": true', 1),
            "schema_version invalide",
        ),
        (lambda raw: raw[:-5], "JSON illisible"),
    ],
)
def test_hostile_imports_are_refused_in_french(tmp_path, capsys, mutate, expected) -> None:
    raw = json.dumps(_valid_json()).encode()
    assert b'"etat": "brouillon"' in raw and b'"revision": 0' in raw and b'"schema_version": %d' % SCHEMA_VERSION in raw
    code, err = _import(tmp_path, mutate(raw), capsys)
    assert code == 1
    assert expected in err
    assert not any(word in err for word in ENGLISH)


def test_import_replace_over_a_validee_is_refused(tmp_path, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    d = complete_demande(store)
    d.etat = Etat.VALIDEE
    store.save(d)
    brouillon = json.loads(store.load(d.numero).model_dump_json())
    brouillon["etat"] = "brouillon"
    brouillon["valide_le"] = None
    code, err = _import(tmp_path, json.dumps(brouillon).encode(), capsys, "--replace")
    assert code == 1 and "est validée" in err
    assert store.load(d.numero).etat is Etat.VALIDEE


def test_size_limit_holds_after_reindenting(tmp_path, capsys, monkeypatch) -> None:
    from permis_tui import store as store_module

    data = _valid_json()
    compact = json.dumps(data, separators=(",", ":")).encode()
    indented = len(json.dumps(data, indent=2).encode())
    # A limit the compact file fits under but the file as the store writes it does not.
    monkeypatch.setattr(store_module, "MAX_DRAFT_BYTES", (len(compact) + indented) // 2)
    code, err = _import(tmp_path, compact, capsys)
    assert code == 1 and "Mo une fois enregistrée" in err
    assert not (tmp_path / "data" / "demandes" / data["numero"]).exists()


def _sums(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.mark.parametrize("as_zip", [False, True])
def test_export_then_import_restores_every_piece(tmp_path, capsys, as_zip) -> None:
    store = DraftStore(tmp_path / "data")
    d = complete_demande(store)
    d.pieces.fichiers[0].nom_original = "scan\x1b]2;titre\x07.pdf"
    store.save(d)
    before = _sums(store.pieces_dir(d.numero))
    assert len(before) == len(d.pieces.fichiers) >= 2
    out = tmp_path / ("export.zip" if as_zip else "export")
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
    printed = capsys.readouterr()
    assert "\x1b" not in printed.out + printed.err
    if not as_zip:
        names = sorted(p.name for p in (out / "pieces").iterdir())
        [scan] = [n for n in names if n.startswith("scan")]  # its original name, made safe
        assert scan.endswith("titre_x07.pdf") and "\x1b" not in scan and "\x07" not in scan
        manifest = json.loads((out / "manifest.json").read_text())
        for entry in manifest["fichiers"]:
            assert hashlib.sha256((out / entry["chemin"]).read_bytes()).hexdigest() == entry["sha256"]
        assert (out / "formulaires" / f"recapitulatif-{d.numero}.pdf").exists()
    else:
        assert "manifest.json" in zipfile.ZipFile(out).namelist()
    other = DraftStore(tmp_path / "autre")
    assert main(["--data-dir", str(other.root), "import", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.count("pièce restaurée") == len(before)
    assert "Document valide" in said
    assert _sums(other.pieces_dir(d.numero)) == before
    restored = other.load(d.numero)
    assert restored.etat_civil == d.etat_civil
    assert [p.sha256 for p in restored.pieces.fichiers] == [p.sha256 for p in d.pieces.fichiers]


def test_import_checks_all_its_pieces_in_one_checker_process(tmp_path, capsys, checker_starts) -> None:
    store = DraftStore(tmp_path / "data")
    demandes = [complete_demande(store) for _ in range(2)]
    exports = []
    for n, d in enumerate(demandes):
        out = tmp_path / f"export-{n}"
        assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
        exports.append(str(out))
    capsys.readouterr()
    other = DraftStore(tmp_path / "autre")
    assert main(["--data-dir", str(other.root), "import", *exports]) == 0
    said = capsys.readouterr().out
    pieces = sum(len(d.pieces.fichiers) for d in demandes)
    assert said.count("pièce restaurée") == said.count("Document valide") == pieces >= 4
    assert len(checker_starts) == 1  # one interpreter parsed every piece of both exports


@pytest.mark.parametrize("source", ["dossier", "zip", "json"])
def test_imported_validee_does_not_send_its_confirmation_again(tmp_path, capsys, smtp_server, source) -> None:  # noqa: F811
    from permis_tui.mail.pending import pending_messages, retry_at_start
    from permis_tui.validation import valider

    handler, port = smtp_server()
    settings = _smtp_settings(port)
    store = DraftStore(tmp_path / "data")
    d = complete_demande(store)
    assert valider(store.load(d.numero), store, settings=settings).courriel_envoye
    assert len(handler.received) == 1  # the person got the confirmation once, at the validation
    out = tmp_path / ("export.zip" if source == "zip" else "export")
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
    if source == "json":
        out = out / "demande.json"
    other = DraftStore(tmp_path / "autre")
    assert main(["--data-dir", str(other.root), "import", str(out)]) == 0
    capsys.readouterr()
    assert other.load(d.numero).etat is Etat.VALIDEE
    for _ in range(2):  # two starts: the recovery, then the sending of what waits
        report = other.recover()
        assert report.completed == [] and report.resume == ""
        assert retry_at_start(other, settings.smtp) == ""
    assert pending_messages(other) == []
    assert not other.outbox_dir(d.numero).exists()
    assert len(handler.received) == 1  # never a second confirmation for the same validation


def test_import_refuses_a_piece_changed_since_export(tmp_path, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    d = complete_demande(store)
    out = tmp_path / "export"
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
    victim = next((out / "pieces").iterdir())
    victim.write_bytes(victim.read_bytes() + b"%")
    assert main(["--data-dir", str(tmp_path / "autre"), "import", str(out)]) == 1
    assert "empreinte SHA-256" in capsys.readouterr().err
    assert not DraftStore(tmp_path / "autre").exists(d.numero)


def test_import_refuses_a_symlinked_piece_in_an_export(tmp_path, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    d = complete_demande(store)
    out = tmp_path / "export"
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
    victim = next((out / "pieces").iterdir())
    victim.unlink()
    victim.symlink_to("/etc/passwd")
    assert main(["--data-dir", str(tmp_path / "autre"), "import", str(out)]) == 1
    err = capsys.readouterr().err
    assert "pas un fichier ordinaire" in err and "root:" not in err


def test_fifo_named_like_a_draft_in_an_old_data_dir_does_not_hang_list(tmp_path) -> None:
    """A data folder of the earlier layout (demandes/<numero>.json) is converted at first use:
    the conversion copied each JSON, and a FIFO there blocked `list` (and the app) for ever."""
    root = tmp_path / "data"
    (root / "demandes").mkdir(parents=True)
    os.mkfifo(root / "demandes" / "2601-AAAA-BBBB.json")
    os.mkfifo(root / "demandes" / "X.json")
    proc = _in_child(
        "import sys; from permis_tui.cli import main; sys.exit(main(sys.argv[1:]))", "--data-dir", str(root), "list"
    )
    assert proc.returncode == 0, proc.stderr
    assert "pas un fichier ordinaire" in proc.stdout + proc.stderr
    assert not any(word in proc.stdout + proc.stderr for word in ENGLISH)


async def test_app_starts_with_a_fifo_demande_json_and_reports_it(tmp_path) -> None:
    from textual.widgets import DataTable

    from pilot_helpers import alert_text, make_app, wait_until

    store = DraftStore(tmp_path / "data")
    good = store.create()
    folder = store.demandes_dir / "2601-AAAA-BBBB"
    folder.mkdir(mode=0o700)
    os.mkfifo(folder / "demande.json")
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "ordinaire" in alert_text(app), "the report on the FIFO")
        text = alert_text(app)
        assert "2601-AAAA-BBBB" in text and "pas un fichier ordinaire" in text.replace("\n", " ")
        table = app.screen.query_one("#home-table", DataTable)
        assert table.row_count == 1 and good.numero in {key.value for key in table.rows}
        assert app.focused is not None and app.focused.is_attached


def test_a_validee_round_trips_with_the_pdfs_of_its_validation(tmp_path, capsys) -> None:
    from permis_tui.validation import valider

    store = DraftStore(tmp_path / "data")
    d = complete_demande(store)
    assert valider(d, store).validee
    written = _sums(store.formulaires_dir(d.numero))
    pdfs = {name: digest for name, digest in written.items() if name.endswith(".pdf")}
    assert len(pdfs) == 2
    out = tmp_path / "export.zip"
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
    other = DraftStore(tmp_path / "autre")
    assert main(["--data-dir", str(other.root), "import", str(out)]) == 0
    restored = _sums(other.formulaires_dir(d.numero))
    assert {name: restored[name] for name in pdfs} == pdfs  # the very files of the validation
    assert other.load(d.numero).est_validee
    assert _sums(other.pieces_dir(d.numero)) == _sums(store.pieces_dir(d.numero))


def test_several_exports_imported_at_once_each_with_its_pieces(tmp_path, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    a, b = complete_demande(store), complete_demande(store)
    assert main(["--data-dir", str(store.root), "export", a.numero, "-o", str(tmp_path / "a")]) == 0
    assert main(["--data-dir", str(store.root), "export", b.numero, "-o", str(tmp_path / "b.zip")]) == 0
    (tmp_path / "abime.json").write_bytes(b'{"numero": 1, "numero": 2}')
    capsys.readouterr()
    other = DraftStore(tmp_path / "autre")
    code = main(
        [
            "--data-dir",
            str(other.root),
            "import",
            str(tmp_path / "a"),
            str(tmp_path / "abime.json"),
            str(tmp_path / "b.zip"),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1 and "2 demande(s) importée(s), 1 refusée(s)." in captured.err
    assert "apparaît deux fois" in captured.err
    for d in (a, b):
        assert _sums(other.pieces_dir(d.numero)) == _sums(store.pieces_dir(d.numero))
