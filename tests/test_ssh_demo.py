"""The demo over a real SSH connection: a real sshd on 127.0.0.1 with `ForceCommand … --demo`.

A paramiko client asks for a PTY of 80×24 (TERM=xterm-256color), reads the home screen,
starts a request and answers step 1, then drops the connection. The app's process must
end and its demo folder must be gone. Then 8 sessions at once, none seeing another's data.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

SSHD = Path("/usr/sbin/sshd")
if not SSHD.exists() or not shutil.which("ssh-keygen"):
    pytest.skip(
        "OpenSSH server not installed (/usr/sbin/sshd): .ci/run installs openssh-server", allow_module_level=True
    )
paramiko = pytest.importorskip("paramiko", reason="paramiko is in the project's test extra")

from permis_tui.demo import DEMO_PREFIX, DEMO_ROOT_ENV  # noqa: E402

ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")
NUMERO = re.compile(r"\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")
HOME = "Mes demandes en cours"
STEP1 = "Étape 1 sur 7"
# The inscription's first question, at the left edge: a notification at the right cannot cover it.
CHOSEN = "1.2 Vous effectuez la demande"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_processes(root: Path) -> set[int]:
    """Pids of running processes started with our demo root in their environment."""
    marker = f"{DEMO_ROOT_ENV}={root}".encode()
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                env = handle.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in env and state != b"Z":
            found.add(int(entry))
    return found


def wait_for(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class Sshd:
    def __init__(self, folder: Path, demo_root: Path) -> None:
        self.folder = folder
        self.port = free_port()
        host_key = folder / "host_ed25519"
        self.client_key = folder / "client_ed25519"
        for key in (host_key, self.client_key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=20)
        (folder / "authorized_keys").write_text(self.client_key.with_suffix(".pub").read_text())
        try:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation folder (as root)
        except OSError:
            pass
        config = folder / "sshd_config"
        config.write_text(f"""\
ListenAddress 127.0.0.1
Port {self.port}
HostKey {host_key}
PidFile {folder / "sshd.pid"}
AuthorizedKeysFile {folder / "authorized_keys"}
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers {pwd.getpwuid(os.getuid()).pw_name}
AllowTcpForwarding no
AllowStreamLocalForwarding no
X11Forwarding no
AllowAgentForwarding no
PermitTunnel no
PermitUserEnvironment no
PermitTTY yes
AcceptEnv none
SetEnv {DEMO_ROOT_ENV}={demo_root}
Subsystem sftp /bin/false
ForceCommand {sys.executable} -m permis_tui --demo
""")
        self.log = open(folder / "sshd.log", "wb")  # noqa: SIM115 - sshd writes to it until stop() closes it
        self.proc = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stdout=self.log, stderr=self.log)
        if not wait_for(self._listening, 10):
            self.stop()
            pytest.fail("sshd did not start: " + (folder / "sshd.log").read_text()[-2000:])

    def _listening(self) -> bool:
        if self.proc.poll() is not None:
            return False
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


class Session:
    """One SSH client with a PTY of 80×24; `screen` is everything shown, escapes removed."""

    def __init__(self, sshd: Sshd) -> None:
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect(
            "127.0.0.1",
            port=sshd.port,
            username=pwd.getpwuid(os.getuid()).pw_name,
            key_filename=str(sshd.client_key),
            look_for_keys=False,
            allow_agent=False,
            timeout=10,
            banner_timeout=10,
            auth_timeout=10,
        )
        self.channel = self.client.invoke_shell(term="xterm-256color", width=80, height=24)
        self.channel.settimeout(0.2)
        self.raw = b""

    @property
    def screen(self) -> str:
        return ANSI.sub(b"", self.raw).decode("utf-8", "replace")

    def read_until(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            if time.monotonic() > deadline or self.channel.exit_status_ready():
                raise AssertionError(f"{text!r} not shown; screen tail: {self.screen[-600:]!r}")
            try:
                data = self.channel.recv(65536)
            except TimeoutError:
                continue
            if not data:
                time.sleep(0.05)
            self.raw += data
        return self.screen

    def send(self, keys: str) -> None:
        self.channel.sendall(keys.encode())

    def drop(self) -> None:
        """The connection goes away without the app being asked to quit."""
        self.client.close()


@pytest.fixture(scope="module")
def ssh_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sshd")
    os.chmod(folder, 0o700)
    demo_root = tmp_path_factory.mktemp("demo-root")
    server = Sshd(folder, demo_root)
    try:
        yield server, demo_root
    finally:
        server.stop()
        for pid in demo_processes(demo_root):  # never leave an app behind, even on failure
            try:
                os.kill(pid, 9)
            except OSError:
                pass


def start_request(session: Session) -> str:
    """Home screen, "n" for a new request, answer 1.1 with the keyboard; returns the numero."""
    session.read_until(HOME)
    session.send("n")
    screen = session.read_until(STEP1)
    session.read_until("Demande n° ")
    numero = NUMERO.search(session.screen.split("Demande n° ", 1)[1]).group(0)
    # Field 1.1 has the focus when the step opens: Entrée picks the first motif,
    # the inscription, and its questions appear.
    for key in ("\r",):
        session.send(key)
        time.sleep(0.15)
    session.read_until(CHOSEN)
    assert screen
    return numero


def assert_all_gone(demo_root: Path, timeout: float = 15) -> None:
    assert wait_for(lambda: not demo_processes(demo_root), timeout), f"demo processes left: {demo_processes(demo_root)}"
    assert wait_for(lambda: not list(demo_root.glob(DEMO_PREFIX + "*")), 5), (
        f"demo folders left: {list(demo_root.iterdir())}"
    )


def test_one_session_typed_into_then_dropped(ssh_server):
    server, demo_root = ssh_server
    session = Session(server)
    try:
        session.read_until(HOME)
        assert len(demo_processes(demo_root)) >= 1
        folders = list(demo_root.glob(DEMO_PREFIX + "*"))
        assert len(folders) == 1 and folders[0].stat().st_mode & 0o777 == 0o700
        numero = start_request(session)
        assert wait_for(lambda: (folders[0] / "data" / "demandes" / numero / "demande.json").is_file(), 5)
    finally:
        session.drop()
    assert_all_gone(demo_root)


def test_eight_sessions_at_once_see_only_their_own_data(ssh_server):
    server, demo_root = ssh_server
    sessions: list[Session] = []
    try:
        with ThreadPoolExecutor(8) as pool:
            sessions = list(pool.map(lambda _: Session(server), range(8)))
            numeros = list(pool.map(start_request, sessions))
            assert len(set(numeros)) == 8
            assert len(list(demo_root.glob(DEMO_PREFIX + "*"))) == 8

            def back_home(session: Session) -> tuple[str, str]:
                """ctrl+b from step 1 goes back home; returns (what home showed, everything shown)."""
                own = numeros[sessions.index(session)]
                mark = len(session.raw)
                session.send("\x02")

                def home_lists_own() -> bool:
                    try:
                        session.raw += session.channel.recv(65536)
                    except TimeoutError:
                        pass
                    after = ANSI.sub(b"", session.raw[mark:]).decode("utf-8", "replace")
                    return HOME in after and own in after

                wait_for(home_lists_own, 20, step=0)
                return ANSI.sub(b"", session.raw[mark:]).decode("utf-8", "replace"), session.screen

            shown = list(pool.map(back_home, sessions))
        for own, (home, everything) in zip(numeros, shown, strict=True):
            assert HOME in home and own in home, f"home did not list {own}: {home[-600:]!r}"
            others = set(numeros) - {own}
            assert set(NUMERO.findall(everything)).isdisjoint(others), "a session saw another session's request"
    finally:
        for session in sessions:
            session.drop()
    assert_all_gone(demo_root)
