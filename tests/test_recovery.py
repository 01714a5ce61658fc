"""Recovery at start: crash residue removed (never a live session's), interrupted validations
finished or undone, the outbox retried; the `outbox` command; Maildir files private."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from email import message_from_bytes, policy

import pytest

from demande_factory import complete_demande
from permis_tui.model.demande import Etat
from permis_tui.store import VALIDATION_MARK
from permis_tui.validation import valider
from test_validation import _smtp_settings, smtp_server  # noqa: F401 - the fixture

LIVE = "import sys, time; print('ok', flush=True); time.sleep(60)"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def live_pid():
    proc = subprocess.Popen([sys.executable, "-c", LIVE], stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    yield proc.pid
    proc.kill()
    proc.wait()


def test_nothing_to_do_says_nothing(store):
    complete_demande(store)
    report = store.recover()
    assert report.resume == "" and not report.changed


def test_temp_files_of_dead_writers_go_live_ones_stay(store, live_pid):
    d = complete_demande(store)
    folder, pieces = store.folder_of(d.numero), store.pieces_dir(d.numero)
    dead = dead_pid()
    gone = [
        folder / f".demande.json.{dead}.ab12cd.tmp",
        pieces / f".incoming-{dead}-x1y2.pdf",
        folder / ".demande.json.oldstyle.tmp",
        pieces / ".incoming-oldstyle.pdf",
    ]
    # Another live session's, and this session's own: recovery runs in a worker while the app
    # may already be copying an attachment.
    kept = [
        folder / f".demande.json.{live_pid}.ef34gh.tmp",
        pieces / f".incoming-{live_pid}-z3.pdf",
        pieces / f".incoming-{os.getpid()}-w9.pdf",
    ]
    for path in gone + kept:
        path.write_bytes(b"x" * 3000)
    report = store.recover()
    assert [p.exists() for p in gone] == [False] * 4
    assert [p.exists() for p in kept] == [True, True, True]
    assert report.temp_files == 4 and report.temp_bytes == 12000
    assert report.resume == (
        "Reprise après un arrêt inattendu : 4 fichier(s) temporaire(s) laissé(s) par un "
        "arrêt brutal supprimé(s) (12 Ko)."
    )
    assert store.scan().problems == [] and store.load(d.numero) == d


def test_a_folder_held_by_a_live_session_is_left_alone(store):
    d = complete_demande(store)
    residue = store.pieces_dir(d.numero) / f".incoming-{dead_pid()}-x.pdf"
    residue.write_bytes(b"x")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from permis_tui.store import DraftStore; "
            "lock = DraftStore(sys.argv[1]).lock(sys.argv[2]); print('ok', flush=True); sys.stdin.read()",
            str(store.root),
            d.numero,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        holder.stdout.readline()
        report = store.recover()
        assert residue.exists() and report.skipped == [d.numero]
    finally:
        holder.kill()
        holder.wait()
    assert store.recover().temp_files == 1 and not residue.exists()


def test_copies_no_demande_refers_to_are_removed(store):
    d = complete_demande(store)
    orphan = store.pieces_dir(d.numero) / ("e" * 64 + ".pdf")
    orphan.write_bytes(b"%PDF-1.4 attached just before the crash")
    report = store.recover()
    assert not orphan.exists() and report.orphan_pieces == 1
    assert "1 copie(s) de pièce sans demande supprimée(s)" in report.resume
    assert sorted(p.name for p in store.pieces_dir(d.numero).iterdir()) == sorted(p.fichier for p in d.pieces.fichiers)


def test_brouillon_with_validation_files_is_rolled_back(store):
    d = complete_demande(store)
    result = valider(store.load(d.numero), store)
    assert result.validee
    # The state a kill between "email queued" and "validée saved" leaves: put the brouillon back.
    (store.path_of(d.numero)).write_text(
        store.load(d.numero).model_copy(update={"etat": Etat.BROUILLON, "valide_le": None}).model_dump_json(),
        encoding="utf-8",
    )
    report = store.recover()
    assert report.rolled_back == [d.numero]
    assert list(store.formulaires_dir(d.numero).iterdir()) == []
    assert list((store.outbox_dir(d.numero) / "new").iterdir()) == []
    assert f"validation interrompue de la demande n° {d.numero} annulée" in report.resume


def _sent_or_waiting(store, numero) -> list:
    outbox = store.outbox_dir(numero)
    return [p for sub in ("new", "cur", ".sent/cur") if (outbox / sub).is_dir() for p in (outbox / sub).iterdir()]


def test_validation_cut_before_its_email_is_rolled_back_and_validated_again_sends_it_once(
    store,
    smtp_server,  # noqa: F811
    monkeypatch,
):
    from permis_tui import validation
    from permis_tui.mail.pending import retry_at_start

    d = complete_demande(store)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process stops here: nothing after it runs, nothing is undone

    monkeypatch.setattr(validation, "_queue_confirmation", killed)
    with pytest.raises(KeyboardInterrupt):
        valider(store.load(d.numero), store)
    assert (store.folder_of(d.numero) / VALIDATION_MARK).is_file() and list(store.formulaires_dir(d.numero).iterdir())
    monkeypatch.undo()
    report = store.recover()
    assert report.rolled_back == [d.numero] and report.completed == []
    assert not (store.folder_of(d.numero) / VALIDATION_MARK).exists()
    assert valider(store.load(d.numero), store).validee  # the person validates again
    assert store.recover().resume == ""
    handler, port = smtp_server()
    assert retry_at_start(store, _smtp_settings(port).smtp) == "1 courriel(s) de confirmation en attente envoyé(s)."
    assert len(handler.received) == 1 and len(_sent_or_waiting(store, d.numero)) == 1


def test_validation_cut_after_its_save_keeps_its_one_email(store, smtp_server, monkeypatch):  # noqa: F811
    from permis_tui import validation
    from permis_tui.mail.pending import retry_at_start

    d = complete_demande(store)

    def killed(mark):
        raise KeyboardInterrupt

    monkeypatch.setattr(validation, "_end_validation", killed)
    with pytest.raises(KeyboardInterrupt):
        valider(store.load(d.numero), store)
    monkeypatch.undo()
    assert store.load(d.numero).etat is Etat.VALIDEE and (store.folder_of(d.numero) / VALIDATION_MARK).is_file()
    report = store.recover()
    assert report.resume == "" and not (store.folder_of(d.numero) / VALIDATION_MARK).exists()
    handler, port = smtp_server()
    retry_at_start(store, _smtp_settings(port).smtp)
    assert len(handler.received) == 1 and len(_sent_or_waiting(store, d.numero)) == 1


def test_marked_validee_without_its_email_gets_it_queued_once(store):
    d = complete_demande(store)
    assert valider(store.load(d.numero), store).validee
    for message in (store.outbox_dir(d.numero) / "new").iterdir():
        message.unlink()  # the email lost while the validation's mark is still there
    mark = store.folder_of(d.numero) / VALIDATION_MARK
    mark.write_bytes(b"")
    report = store.recover()
    assert report.completed == [d.numero] and not mark.exists()
    [queued] = (store.outbox_dir(d.numero) / "new").iterdir()
    msg = message_from_bytes(queued.read_bytes(), policy=policy.default)
    assert d.numero in msg["Subject"] and msg["To"] == "marie.loeuilliet@example.fr"
    assert [p.get_filename() for p in msg.iter_attachments()] == [f"formulaire-depot-{d.numero}.pdf"]
    assert stat.S_IMODE(queued.stat().st_mode) == 0o600
    assert f"validation de la demande n° {d.numero} terminée" in report.resume
    assert store.recover().resume == ""  # done once


def test_marked_validee_whose_email_cannot_be_queued_keeps_its_mark(store, monkeypatch):
    from permis_tui.mail.outbox import Outbox

    d = complete_demande(store)
    assert valider(store.load(d.numero), store).validee
    for message in (store.outbox_dir(d.numero) / "new").iterdir():
        message.unlink()
    mark = store.folder_of(d.numero) / VALIDATION_MARK
    mark.write_bytes(b"")

    def full(self, msg):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Outbox, "store", full)
    report = store.recover()
    assert report.completed == [] and mark.exists()
    assert f"courriel de la demande n° {d.numero} non préparé" in report.resume
    monkeypatch.undo()
    assert store.recover().completed == [d.numero] and not mark.exists()  # the next start finishes it


@pytest.mark.parametrize("outbox", ["absent", "empty", "sent then emptied"])
def test_validee_without_the_mark_is_never_given_its_email_again(store, outbox):
    # A validée that arrives without its email (an import, a copied or converted data folder):
    # its validation is complete, wherever it happened, and its email went out with it.
    d = complete_demande(store)
    assert valider(store.load(d.numero), store).validee
    folder = store.outbox_dir(d.numero)
    if outbox == "absent":
        shutil.rmtree(folder)
    else:
        for message in _sent_or_waiting(store, d.numero):
            message.unlink()
        if outbox == "sent then emptied":
            (folder / ".sent" / "cur").mkdir(parents=True)
    report = store.recover()
    assert report.completed == [] and report.resume == ""
    assert _sent_or_waiting(store, d.numero) == []


def test_half_built_and_incomplete_folders(store):
    d = complete_demande(store)
    store.staging_dir.mkdir()
    (store.staging_dir / "0123abcd").mkdir()
    (store.staging_dir / "0123abcd" / "demande.json").write_text("{}")
    empty = store.demandes_dir / "2611-AAAA-BBBB"
    empty.mkdir()
    (empty / ".lock").write_bytes(b"")
    with_pieces = store.demandes_dir / "2611-CCCC-DDDD"
    (with_pieces / "pieces").mkdir(parents=True)
    (with_pieces / "pieces" / "f.pdf").write_bytes(b"%PDF")
    report = store.recover()
    assert list(store.staging_dir.iterdir()) == [] and not empty.exists() and not with_pieces.exists()
    assert report.set_aside == ["2611-CCCC-DDDD"]
    [kept] = [p for p in store.damaged_dir.iterdir() if p.is_dir()]
    assert (kept / "pieces" / "f.pdf").read_bytes() == b"%PDF"  # never deleted
    assert [x.numero for x in store.scan().demandes] == [d.numero]


def test_maildir_files_are_private_while_written(tmp_path, monkeypatch):
    from permis_tui.mail.outbox import Outbox
    from test_confirmation_email import _message

    outbox = Outbox(tmp_path / "outbox")
    modes = []
    real_rename = os.rename

    def watching(src, dst):
        modes.append((os.path.basename(os.path.dirname(src)), stat.S_IMODE(os.stat(src).st_mode)))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", watching)
    old_umask = os.umask(0o022)  # the usual umask, under which mailbox.Maildir wrote 0644
    try:
        path = outbox.store(_message())
    finally:
        os.umask(old_umask)
    assert modes == [("tmp", 0o600)]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.parent.name == "new"


# -- the outbox: retried at start, and the command ---------------------------


def _validated(store):
    d = complete_demande(store)
    assert valider(store.load(d.numero), store).validee
    return d


def test_send_pending_sends_validated_and_never_a_brouillon(store, smtp_server):  # noqa: F811
    from permis_tui.mail.pending import pending_messages, send_pending

    d = _validated(store)
    other = complete_demande(store)
    stray = store.outbox_dir(other.numero) / "new"
    stray.mkdir(parents=True)
    (stray / "1.M1P1Q1.x").write_bytes(b"Subject: x\n\nnot for sending")
    assert [m.numero for m in pending_messages(store)] == [d.numero]
    handler, port = smtp_server()
    settings = _smtp_settings(port).smtp
    [outcome] = send_pending(store, settings)
    assert outcome.sent and len(handler.received) == 1
    assert pending_messages(store) == []
    assert len(list((store.outbox_dir(d.numero) / ".sent" / "cur").iterdir())) == 1


def test_outbox_command_lists_and_sends(store, smtp_server, capsys, tmp_path):  # noqa: F811
    from permis_tui.cli import main

    d = _validated(store)
    root = str(store.root)
    assert main(["--data-dir", root, "outbox", "--list"]) == 0
    out = capsys.readouterr().out
    assert "1 courriel(s) en attente" in out and d.numero in out and "marie.loeuilliet@example.fr" in out
    assert main(["--data-dir", root, "outbox"]) == 1  # no server configured
    assert "Aucun serveur de messagerie" in capsys.readouterr().err
    handler, port = smtp_server()
    config = tmp_path / "xdg-config" / "permis-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n', encoding="utf-8")
    assert main(["--data-dir", root, "outbox"]) == 0
    assert "envoyé" in capsys.readouterr().out and len(handler.received) == 1
    assert main(["--data-dir", root, "outbox"]) == 0
    assert "Aucun courriel en attente." in capsys.readouterr().out


def test_retry_at_start_sends_and_says_so(store, smtp_server):  # noqa: F811
    from permis_tui.mail.pending import pending_messages, retry_at_start

    d = _validated(store)
    assert retry_at_start(store, None) == ""  # no server: nothing tried, the message waits
    assert len(pending_messages(store)) == 1
    handler, port = smtp_server()
    assert retry_at_start(store, _smtp_settings(port).smtp) == "1 courriel(s) de confirmation en attente envoyé(s)."
    assert pending_messages(store) == [] and d.numero in handler.received[0].content.decode()


def test_newer_layout_is_reported_not_raised(tmp_path):
    from permis_tui.store import DraftStore

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "layout-version").write_text("9\n")
    result = DraftStore(tmp_path / "data").summaries()
    assert result.demandes == [] and "plus récente" in result.problems[0].raison


async def test_app_start_retries_waiting_emails_and_says_so(store, smtp_server, tmp_path):  # noqa: F811
    from pilot_helpers import make_app, start_checks_done

    d = _validated(store)  # no server at validation: the email waits
    handler, port = smtp_server()
    config = tmp_path / "xdg-config" / "permis-tui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n', encoding="utf-8")
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        await pilot.pause()
        alert = str(app.screen.query_one("#home-alert").render())
        assert "1 courriel(s) de confirmation en attente envoyé(s)." in alert
    assert len(handler.received) == 1 and d.numero in handler.received[0].content.decode()


async def test_clean_start_lists_the_demandes_once(store, monkeypatch):
    """Nothing to recover and nothing to say: the start-up checks leave the list as shown
    (no second scan and validation of every demande)."""
    from permis_tui.store import DraftStore
    from pilot_helpers import make_app, start_checks_done

    d = store.create()
    scans = []
    original = DraftStore.summaries
    monkeypatch.setattr(DraftStore, "summaries", lambda self: scans.append(1) or original(self))
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        await pilot.pause()
        assert app.recovery_resume == "" and not app.store_error
        assert len(scans) == 1
        assert d.numero in app.screen.query_one("#home-table").get_row_at(0)


def test_recovery_running_while_demandes_are_created_removes_none_of_them(store):
    """Another session's start-up recovery (here a thread, as the app's own) cleans .staging/
    while this one creates demandes there: every creation succeeds and nothing is lost."""
    import threading

    from permis_tui.store import DraftStore

    stop = threading.Event()
    errors: list[BaseException] = []

    def recover_again_and_again() -> None:
        other = DraftStore(store.root)
        while not stop.is_set():
            try:
                other.recover()
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                errors.append(exc)

    thread = threading.Thread(target=recover_again_and_again)
    thread.start()
    created = []
    try:
        for _ in range(150):
            d = store.create()
            d.etat_civil.nom_naissance = "Martin"
            store.save(d)
            created.append(d.numero)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert all(store.load(n).etat_civil.nom_naissance == "Martin" for n in created)
