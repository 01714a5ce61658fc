"""Two sessions on one demande, in two processes: locks, revisions, and commands that refuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from permis_tui.cli import main
from permis_tui.model.demande import Etat
from permis_tui.store import DemandeVerrouillee, RevisionConflict

# A second session: commands on stdin, one per line; answers one line each on stdout.
SESSION = r"""
import sys
from permis_tui.store import DraftStore, StoreError
store = DraftStore(sys.argv[1])
numero = sys.argv[2]
held = demande = None
for line in sys.stdin:
    cmd, _, arg = line.strip().partition(" ")
    try:
        if cmd == "lock":
            held = store.lock(numero)
        elif cmd == "load":
            demande = store.load(numero)
        elif cmd == "set":
            demande.etat_civil.nom_usage = arg
            store.save(demande)
        print("ok", flush=True)
    except StoreError as exc:
        print(type(exc).__name__, str(exc), flush=True)
"""

LOCKED = "Cette demande est ouverte dans une autre session"


class Session:
    def __init__(self, root: Path, numero: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SESSION, str(root), numero], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def ask(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture
def demande(store):
    d = store.create()
    d.etat_civil.nom_naissance = "Martin"
    store.save(d)
    return d


@pytest.fixture
def other(store, demande):
    session = Session(store.root, demande.numero)
    yield session
    session.kill()


def test_second_session_saving_an_old_copy_gets_a_conflict(store, demande, other):
    assert other.ask("load") == "ok"
    mine = store.load(demande.numero)
    mine.etat_civil.nom_usage = "Premier"
    store.save(mine)
    answer = other.ask("set Second")
    assert answer.startswith("RevisionConflict La demande n° ")
    assert "modifiée dans une autre session" in answer
    assert store.load(demande.numero).etat_civil.nom_usage == "Premier"  # nothing overwritten
    assert store.load(demande.numero).revision == mine.revision == demande.revision + 1


def test_the_loser_reloads_and_saves(store, demande, other):
    other.ask("load")
    mine = store.load(demande.numero)
    store.save(mine)
    assert other.ask("set Second").startswith("RevisionConflict")
    assert other.ask("load") == "ok"
    assert other.ask("set Second") == "ok"
    assert store.load(demande.numero).etat_civil.nom_usage == "Second"
    with pytest.raises(RevisionConflict):
        store.save(mine)  # now mine is the old copy


def test_lock_held_by_another_process(store, demande, other):
    assert other.ask("lock") == "ok"
    with pytest.raises(DemandeVerrouillee, match=LOCKED):
        store.lock(demande.numero)
    d = store.load(demande.numero)  # reading is always allowed
    with pytest.raises(DemandeVerrouillee):
        store.save(d)
    with pytest.raises(DemandeVerrouillee):
        store.delete(demande.numero)
    assert store.exists(demande.numero)
    other.kill()  # the OS lets the lock go with the process, however it ends
    with store.lock(demande.numero) as lock:
        assert lock.held
        store.save(d)
    assert not lock.held


def test_import_replace_refused_while_open_elsewhere(store, demande, other, tmp_path, capsys):
    other.ask("lock")
    incoming = store.load(demande.numero)
    incoming.etat_civil.nom_naissance = "Remplaçant"
    path = tmp_path / "x.json"
    path.write_text(incoming.model_dump_json(), encoding="utf-8")
    before = store.path_of(demande.numero).read_bytes()
    code = main(["--data-dir", str(store.root), "import", str(path), "--replace"])
    err = capsys.readouterr().err
    assert code == 1 and LOCKED in err
    assert store.path_of(demande.numero).read_bytes() == before
    other.kill()
    assert main(["--data-dir", str(store.root), "import", str(path), "--replace"]) == 0
    replaced = store.load(demande.numero)
    assert replaced.nom == "Remplaçant" and replaced.revision == demande.revision + 1


def test_delete_command_refused_while_open_elsewhere(store, demande, other, capsys):
    other.ask("lock")
    assert main(["--data-dir", str(store.root), "delete", demande.numero]) == 1
    assert LOCKED in capsys.readouterr().err
    assert store.exists(demande.numero) and store.trash() == []
    other.kill()
    assert main(["--data-dir", str(store.root), "delete", demande.numero]) == 0
    assert "corbeille" in capsys.readouterr().out
    assert [d.numero for d in store.trash()] == [demande.numero]


def test_save_after_delete_elsewhere_is_refused_not_resurrected(store, demande, other):
    # The old bug: delete in one session plus a save in the other left the demande both
    # listed and in the corbeille, with every piece missing.
    other.ask("load")
    store.delete(demande.numero)
    answer = other.ask("set Tardif")
    assert answer.startswith("RevisionConflict") and "supprimée" in answer
    assert not store.exists(demande.numero)
    assert [d.numero for d in store.trash()] == [demande.numero]


def test_validation_wins_over_a_late_save(store):
    from demande_factory import complete_demande
    from permis_tui.validation import valider

    d = complete_demande(store)
    screen_copy = store.load(d.numero)  # what the step screen holds
    result = valider(store.load(d.numero), store)
    assert result.validee
    screen_copy.etat_civil.nom_usage = "Tardif"
    with pytest.raises(RevisionConflict):
        store.save(screen_copy)  # quitting right after the validation
    assert store.load(d.numero).etat is Etat.VALIDEE


def test_lock_nests_within_one_store(store, demande):
    outer = store.lock(demande.numero)
    store.delete(demande.numero)  # the store's own lock does not block it
    assert outer.held
    outer.release()
    assert not outer.held


def test_lock_of_unknown_demande(store):
    from permis_tui.store import StoreError

    with pytest.raises(StoreError, match="Aucune demande"):
        store.lock("2611-AAAA-BBBB")


def test_validation_racing_a_late_save_in_another_process(store):
    """The old race turned validées back into brouillons: now one of the two wins, whole."""
    import os

    from demande_factory import complete_demande
    from permis_tui.store import DraftStore
    from permis_tui.validation import valider

    outcomes = set()
    for _ in range(8):
        d = complete_demande(store)
        stale = store.load(d.numero)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                other = DraftStore(store.root)  # a second session on the same folder
                code = 0 if valider(other.load(d.numero), other).validee else 2
            finally:
                os._exit(code)
        saved = False
        while True:  # the late save, repeated until the child is done
            stale.etat_civil.nom_usage = "Tardif"
            try:
                store.save(stale)
                saved = True
            except (RevisionConflict, DemandeVerrouillee):
                pass
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                break
        validated = os.waitstatus_to_exitcode(status) == 0
        on_disk = store.load(d.numero)
        forms = list(store.formulaires_dir(d.numero).glob("*.pdf"))
        messages = list((store.outbox_dir(d.numero) / "new").glob("*"))
        if on_disk.etat is Etat.VALIDEE:
            assert validated and forms and messages
            outcomes.add("validée")
        else:
            assert not validated and saved and forms == [] and messages == []
            outcomes.add("brouillon")
    assert outcomes  # each round ended whole, whichever side won


def test_probes_never_make_a_session_read_only(store, demande):
    """Recovery and other sessions' home screens probe locks all the time: a session opening the
    demande during a probe still gets it, and a save during a probe still goes through."""
    import threading

    from permis_tui.demande_lock import is_locked
    from permis_tui.store import DraftStore

    folder = store.folder_of(demande.numero)
    stop = threading.Event()
    seen_locked: list[bool] = []

    def probe() -> None:
        while not stop.is_set():
            seen_locked.append(is_locked(folder))

    probes = [threading.Thread(target=probe) for _ in range(2)]
    for t in probes:
        t.start()
    try:
        session = DraftStore(store.root)
        for _ in range(100):
            lock = session.lock(demande.numero)  # never DemandeVerrouillee
            lock.release()
        for i in range(20):
            copy = session.load(demande.numero)
            copy.etat_civil.nom_usage = "Durand" + "e" * i
            session.save(copy)  # without the lock: probes must not block it
    finally:
        stop.set()
        for t in probes:
            t.join()
    assert store.load(demande.numero).etat_civil.nom_usage == "Durand" + "e" * 19
    assert seen_locked  # the probes did run alongside


def test_two_probes_never_take_each_other_for_a_holder(store, demande):
    import threading

    from permis_tui.demande_lock import is_locked

    folder = store.folder_of(demande.numero)
    seen: list[bool] = []
    threads = [threading.Thread(target=lambda: seen.extend(is_locked(folder) for _ in range(2000))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 4000 and not any(seen)
