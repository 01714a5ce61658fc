"""Demo mode: the throwaway folder goes away on every kind of exit; the example request is valid."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from permis_tui.demo import (
    DEMO_PREFIX,
    DEMO_ROOT_ENV,
    EPHOTO_FICTIF,
    DemoSession,
    ephoto_affiche,
    exemple_demande,
    owner_tag,
)

ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def demo_folders(root: Path) -> list[Path]:
    return sorted(root.glob(DEMO_PREFIX + "*")) if root.exists() else []


# -- DemoSession in this process ---------------------------------------------


def test_folder_is_private_and_removed_on_return(tmp_path):
    env_before = dict(os.environ)
    with DemoSession(tmp_path) as demo:
        assert demo.path is not None and demo.path.parent == tmp_path
        assert demo.path.name.startswith(DEMO_PREFIX)
        assert demo.path.stat().st_mode & 0o777 == 0o700
        assert os.environ["PERMIS_TUI_DATA_DIR"] == str(demo.data_dir)
        for key in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            assert Path(os.environ[key]).is_relative_to(demo.path)
        from permis_tui.paths import config_file, data_dir

        assert data_dir().is_relative_to(demo.path) and config_file().is_relative_to(demo.path)
        (demo.data_dir / "demandes").mkdir(parents=True)
        (demo.data_dir / "demandes" / "x.json").write_text("{}")
    assert not demo.path.exists()
    assert dict(os.environ) == env_before


def test_folder_removed_on_exception(tmp_path):
    with pytest.raises(ZeroDivisionError), DemoSession(tmp_path) as demo:
        (demo.path / "f").write_text("x")
        raise ZeroDivisionError
    assert demo_folders(tmp_path) == []


def test_demo_root_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(DEMO_ROOT_ENV, str(tmp_path / "racine"))
    with DemoSession() as demo:
        assert demo.path.parent == tmp_path / "racine"
    assert demo_folders(tmp_path / "racine") == []


def _child_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env[DEMO_ROOT_ENV] = str(root)
    env.pop("PERMIS_TUI_DATA_DIR", None)
    return env


def _wait_gone(proc: subprocess.Popen, timeout: float = 10) -> int:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
        pytest.fail("process still running after the signal")


SLEEPER = textwrap.dedent("""
    import sys, time
    from permis_tui.demo import DemoSession
    with DemoSession() as demo:
        (demo.data_dir).mkdir()
        (demo.data_dir / "brouillon.json").write_text("{}")
        print(demo.path, flush=True)
        time.sleep(60)
""")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_folder_removed_on_signal(tmp_path, sig):
    proc = subprocess.Popen(
        [sys.executable, "-c", SLEEPER], env=_child_env(tmp_path), stdout=subprocess.PIPE, text=True
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 15)
        assert ready, "child did not start"
        path = Path(proc.stdout.readline().strip())
        assert path.is_dir()
        proc.send_signal(sig)
        assert _wait_gone(proc) == 128 + sig
        assert not path.exists()
        assert demo_folders(tmp_path) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


CHECKING = textwrap.dedent("""
    import threading, time
    from permis_tui import attachments, documents
    from permis_tui.demo import DemoSession
    from permis_tui.model.piece_kind import PieceKind
    from permis_tui.store import DraftStore

    started = threading.Event()

    def slow_check(*args, **kwargs):  # a check that takes far longer than the hang-up
        started.set()
        time.sleep(60)

    documents.check_file = slow_check
    with DemoSession() as demo:
        store = DraftStore(demo.data_dir)
        demande = store.create()
        src = demo.path / "scan.pdf"
        src.write_bytes(b"%PDF-1.4\\n" + b"0" * 3_000_000 + b"\\n%%EOF\\n")
        threading.Thread(target=attachments.attach, args=(store, demande.numero, src, PieceKind.IDENTITE),
                         daemon=True).start()
        started.wait(20)
        print(demo.path, flush=True)
        time.sleep(60)
""")


def test_hang_up_during_file_check_leaves_nothing(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", CHECKING], env=_child_env(tmp_path), stdout=subprocess.PIPE, text=True
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "child did not start the check"
        path = Path(proc.stdout.readline().strip())
        # The copy being checked is there, in the request's folder of the demo store.
        assert list(path.glob("data/demandes/*/pieces/.incoming-*"))
        proc.send_signal(signal.SIGHUP)
        assert _wait_gone(proc) == 128 + signal.SIGHUP
        assert demo_folders(tmp_path) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


# -- the real app in a terminal ---------------------------------------------


class PtyApp:
    """`python -m permis_tui --demo` on a pseudo-terminal of 80×24."""

    def __init__(self, env: dict[str, str], args: tuple[str, ...] = ("--demo",)) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(env, TERM="xterm-256color", COLUMNS="80", LINES="24")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "permis_tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = b""

    def read_until(self, text: str, timeout: float = 20) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text.encode() in ANSI.sub(b"", self.output):
                return True
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break
        return text.encode() in ANSI.sub(b"", self.output)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        try:
            os.close(self.master)
        except OSError:
            pass


@pytest.fixture
def marked_user_data(tmp_path):
    """A real user's data folder (under the test's XDG_DATA_HOME) holding one draft."""
    from permis_tui.paths import data_dir

    real = data_dir()
    (real / "demandes").mkdir(parents=True)
    marker = real / "demandes" / "2601-AAAA-BBBB.json"
    marker.write_text('{"marqueur": true}')
    before = {p: p.read_bytes() for p in real.rglob("*") if p.is_file()}
    yield real, before


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("how", ["ctrl+q", "SIGHUP", "SIGTERM"])
def test_real_app_demo_leaves_nothing_and_never_touches_user_data(tmp_path, marked_user_data, how):
    real, before = marked_user_data
    root = tmp_path / "demo-root"
    app = PtyApp(_child_env(root))
    try:
        assert app.read_until("Mes demandes", 30), ANSI.sub(b"", app.output)[-800:]
        folders = demo_folders(root)
        assert len(folders) == 1 and (folders[0] / "data").is_dir()
        # The home screen of the demo does not list the user's draft.
        assert b"AAAA-BBBB" not in ANSI.sub(b"", app.output)
        if how == "ctrl+q":
            app.send(b"\x11")
        else:
            app.proc.send_signal(getattr(signal, how))
        try:
            app.proc.wait(15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"app still running after {how}")
        assert demo_folders(root) == []
        assert _snapshot(real) == before
    finally:
        app.close()


# -- folders left by sessions that could not clean up ------------------------


def test_folder_left_by_a_killed_demo_is_removed_by_the_next_start(tmp_path):
    """SIGKILL gives the app no chance to clean up; the next `--demo` removes what it left."""
    root = tmp_path / "demo-root"
    killed = PtyApp(_child_env(root))
    try:
        assert killed.read_until("Mes demandes", 30), ANSI.sub(b"", killed.output)[-800:]
        [left] = demo_folders(root)
        (left / "data" / "demandes").mkdir(parents=True, exist_ok=True)
        (left / "data" / "demandes" / "brouillon.json").write_text("{}")
        killed.proc.kill()
        killed.proc.wait(10)
        assert left.is_dir()  # nothing ran after SIGKILL
    finally:
        killed.close()
    second = PtyApp(_child_env(root))
    try:
        assert second.read_until("Mes demandes", 30), ANSI.sub(b"", second.output)[-800:]
        folders = demo_folders(root)
        assert left not in folders and not left.exists()
        assert len(folders) == 1 and folders[0].name.startswith(f"{DEMO_PREFIX}{second.proc.pid}.")
    finally:
        second.close()


def test_only_folders_whose_owner_is_gone_are_removed(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        mine = tmp_path / f"{DEMO_PREFIX}{owner_tag()}-vivant01"  # this process: alive
        other_live = tmp_path / f"{DEMO_PREFIX}{owner_tag(sleeper.pid)}-vivant02"
        pid, start, boot = owner_tag().split(".")
        reused = tmp_path / f"{DEMO_PREFIX}{pid}.{int(start) + 1}.{boot}-reutilise"  # same pid, other process
        before_boot = tmp_path / f"{DEMO_PREFIX}{pid}.{start}.00000000-autreboot"
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        gone = tmp_path / f"{DEMO_PREFIX}{dead.stdout.strip()}.12345.{boot}-disparu1"
        old_format = tmp_path / f"{DEMO_PREFIX}abc123_x"  # no owner recorded: left alone
        folders = [mine, other_live, reused, before_boot, gone, old_format]
        for folder in folders:
            (folder / "data").mkdir(parents=True)
            (folder / "data" / "piece.pdf").write_bytes(b"%PDF-1.4")
        if boot == "00000000":
            folders.remove(before_boot)
            before_boot = None
        foreign = None
        if os.getuid() == 0:  # another user's folder, even with its owner gone, is not ours
            foreign = tmp_path / f"{DEMO_PREFIX}{dead.stdout.strip()}.12345.{boot}-etranger"
            foreign.mkdir()
            os.chown(foreign, 65534, 65534)
        with DemoSession(tmp_path) as demo:
            present = set(demo_folders(tmp_path))
            assert {mine, other_live, old_format, demo.path} <= present
            assert not reused.exists() and not gone.exists()
            assert before_boot is None or not before_boot.exists()
            assert foreign is None or foreign.exists()
    finally:
        sleeper.kill()
        sleeper.wait(5)


# -- the example request ----------------------------------------------------


@pytest.mark.parametrize("in_subprocess", [True, False], ids=["documents-in-child", "documents-in-process"])
def test_exemple_demande_is_complete_with_valid_generated_documents(tmp_path, in_subprocess):
    from permis_tui.documents import sha256_file
    from permis_tui.model.completeness import validation_issues
    from permis_tui.store import DraftStore

    today = date(2026, 11, 20)
    with DemoSession(tmp_path) as demo:
        store = DraftStore(demo.data_dir)
        store.ensure()
        demande = exemple_demande(store, today=today, in_subprocess=in_subprocess)
        assert validation_issues(demande, today) == []
        assert store.load(demande.numero) == demande  # saved as returned
        kinds = {p.kind.value for p in demande.pieces.fichiers}
        assert kinds == {"identite", "domicile", "medical"}
        assert {p.type_detecte for p in demande.pieces.fichiers} == {"pdf", "jpeg"}
        for piece in demande.pieces.fichiers:
            assert piece.valide and piece.raison is None and piece.avertissement is None
            assert sha256_file(store.attachment_path(demande.numero, piece.fichier)) == piece.sha256
            assert demo.path in store.attachment_path(demande.numero, piece.fichier).parents
        e = demande.etat_civil
        assert e.commune_naissance_code == "74011" and "œ" in e.nom_naissance.lower()
        assert demande.adresse.code_postal == "74000" and demande.adresse.prefecture == "74010"
        assert demande.motif.est_retour
        assert demande.photo.code_ephoto == EPHOTO_FICTIF
        assert ephoto_affiche(EPHOTO_FICTIF).endswith("(fictif)")
    assert demo_folders(tmp_path) == []


def test_demo_with_data_dir_is_refused(tmp_path, capsys):
    from permis_tui.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--demo", "--data-dir", str(tmp_path)])
    assert exc.value.code == 2
    assert "--data-dir" in capsys.readouterr().err
