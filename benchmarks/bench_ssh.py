"""Demo over SSH: time to the first screen against a local tmux, and a session's peak RSS.

Run by hand (as a user who may start sshd; root in the sandbox):

    .venv/bin/python benchmarks/bench_ssh.py [-n RUNS]

Both ways run inside the same private tmux server (`tmux -L benchssh`), in a new 80×24
session each time, alternately (local, SSH, local, SSH …) so that the ratio is measured
in one run on this shared machine:

- local: the session runs `python -m permis_tui --demo`;
- SSH:   the session runs OpenSSH's `ssh -tt` to a throwaway sshd on 127.0.0.1 whose
         `ForceCommand` is the same command (new connection each time: key exchange,
         authentication, sshd's per-connection re-exec, PTY, then the app). The server
         takes the README's global `sshd_config` lines (its `KexAlgorithms`) and the client
         is a default OpenSSH client, as a demo visitor's would be (`--no-readme` drops the
         README's lines, to compare with a stock server).

The clock starts before `tmux new-session` and stops when `tmux capture-pane` first shows
"Mes demandes en cours" (polled every 5 ms, the same for both ways).

Memory: one more SSH session is driven to the example request ("e", from the demo's
home screen: PDFs and a JPEG generated, then checked), resumed, and walked back to step 3
(the adresse, whose commune list comes from the commune index); the app process's
VmHWM (peak RSS) is then read from /proc. Targets: ratio ≤ 1.5, peak < 80 MiB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = "Mes demandes en cours"
TMUX = ["tmux", "-L", "benchssh", "-f", "/dev/null"]
DEMO_ROOT_ENV = "PERMIS_TUI_DEMO_ROOT"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tmux(*args: str, check: bool = True) -> str:
    return subprocess.run([*TMUX, *args], capture_output=True, text=True, check=check, timeout=10).stdout


def pane(name: str) -> str:
    return tmux("capture-pane", "-p", "-t", name, check=False)


def wait_text(name: str, text: str, timeout: float = 30) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if text in pane(name):
            return time.perf_counter()
        time.sleep(0.005)
    raise RuntimeError(f"{text!r} not shown in {name}: {pane(name)[-500:]!r}")


def demo_pids(root: Path) -> list[int]:
    marker = f"{DEMO_ROOT_ENV}={root}".encode()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as env, open(f"/proc/{entry}/cmdline", "rb") as cmd:
                if marker in env.read().split(b"\0") and b"permis_tui" in cmd.read():
                    pids.append(int(entry))
        except OSError:
            continue
    return pids


def wait_no_demo(root: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while (demo_pids(root) or any(root.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.02)
    if demo_pids(root) or any(root.iterdir()):
        left = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in demo_pids(root)}
        raise RuntimeError(f"a demo session was left behind: {left} {[p.name for p in root.iterdir()]}")


README = Path(__file__).resolve().parent.parent / "README.md"


def readme_global_sshd_lines() -> str:
    """The README's `sshd_config` blocks that stand outside any `Match` block."""
    import re

    blocks = re.findall(r"^```sshd_config\n(.*?)^```$", README.read_text(encoding="utf-8"), flags=re.S | re.M)
    return "".join(block for block in blocks if not block.lstrip().startswith("Match"))


class Sshd:
    def __init__(self, folder: Path, demo_root: Path, kex: str | None = None, readme: bool = True) -> None:
        self.port = free_port()
        self.kex = f"-o KexAlgorithms={kex} " if kex else ""
        self.key = folder / "client"
        host = folder / "host"
        for key in (host, self.key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        (folder / "authorized_keys").write_text(self.key.with_suffix(".pub").read_text())
        try:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        except OSError:
            pass
        user = os.environ.get("USER") or __import__("pwd").getpwuid(os.getuid()).pw_name
        self.user = user
        config = folder / "sshd_config"
        config.write_text(
            (readme_global_sshd_lines() if readme else "")
            + f"""\
ListenAddress 127.0.0.1
Port {self.port}
HostKey {host}
PidFile {folder / "sshd.pid"}
AuthorizedKeysFile {folder / "authorized_keys"}
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers {user}
AllowTcpForwarding no
X11Forwarding no
AllowAgentForwarding no
PermitTunnel no
PermitTTY yes
UseDNS no
SetEnv {DEMO_ROOT_ENV}={demo_root} SHLVL=1
ForceCommand {sys.executable} -m permis_tui --demo
"""
        )
        self.proc = subprocess.Popen(
            ["/usr/sbin/sshd", "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("sshd did not start")

    def client_command(self, control: Path | None = None) -> str:
        mux = f"-o ControlPath={control} " if control else ""
        return (
            f"ssh -tt -F /dev/null -p {self.port} -i {self.key} -o BatchMode=yes -o LogLevel=ERROR "
            f"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null {self.kex}{mux}{self.user}@127.0.0.1"
        )

    def open_master(self, control: Path) -> subprocess.Popen:
        """An established connection (ControlMaster) that later sessions reuse: no key
        exchange nor authentication, only sshd's session (fork, PTY, shell, the app)."""
        master = subprocess.Popen(
            [
                "ssh",
                "-F",
                "/dev/null",
                "-p",
                str(self.port),
                "-i",
                str(self.key),
                "-N",
                "-o",
                "BatchMode=yes",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "ControlMaster=yes",
                "-o",
                f"ControlPath={control}",
                f"{self.user}@127.0.0.1",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            if control.exists():
                return master
            time.sleep(0.05)
        master.kill()
        raise RuntimeError("ssh ControlMaster did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def first_screen(name: str, command: str, root: Path) -> float:
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
    seen = wait_text(name, HOME)
    tmux("kill-session", "-t", name, check=False)  # SIGHUP, as a dropped connection
    wait_no_demo(root)
    return seen - start


def status_kib(pid: int) -> dict[str, int]:
    text = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) for key in ("VmHWM", "VmRSS")}


def peak_rss_with_index(sshd: Sshd, root: Path) -> dict[str, dict[str, int]]:
    """VmHWM/VmRSS (KiB) of one SSH demo session at each stage of a walk through the example."""
    name = "rss"
    stages: dict[str, dict[str, int]] = {}
    tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", sshd.client_command())
    try:
        wait_text(name, HOME)
        time.sleep(0.5)
        (pid,) = demo_pids(root)
        stages["home screen"] = status_kib(pid)
        tmux("send-keys", "-t", name, "e")
        wait_text(name, "Exemple chargé", 60)
        time.sleep(0.5)
        stages["example loaded (documents checked)"] = status_kib(pid)
        tmux("send-keys", "-t", name, "r")
        wait_text(name, "Étape 6 sur 7", 30)
        for step in (5, 4, 3):
            tmux("send-keys", "-t", name, "C-b")
            wait_text(name, f"Étape {step} sur 7", 30)
        time.sleep(0.5)
        stages["steps 6, 5, 4, then 3 (commune index)"] = status_kib(pid)
        return stages
    finally:
        tmux("kill-session", "-t", name, check=False)
        wait_no_demo(root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=9)
    parser.add_argument("--kex", help="client KexAlgorithms (default: the client's own choice)")
    parser.add_argument("--no-readme", action="store_true", help="a stock server, without the README's lines")
    args = parser.parse_args()
    for tool in ("tmux", "ssh", "ssh-keygen"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed")
    if not Path("/usr/sbin/sshd").exists():
        sys.exit("/usr/sbin/sshd is needed (openssh-server)")
    work = Path(tempfile.mkdtemp(prefix="bench-ssh-"))
    os.chmod(work, 0o700)
    root = work / "demo-root"
    root.mkdir()
    os.environ[DEMO_ROOT_ENV] = str(root)  # inherited by the tmux server, hence the local sessions
    sshd = Sshd(work, root, args.kex, readme=not args.no_readme)
    local_command = f"{sys.executable} -m permis_tui --demo"
    control = work / "ctl"
    master = None
    try:
        tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 3600")  # keeps the server up
        master = sshd.open_master(control)
        ways = {
            "local tmux": local_command,
            "SSH, new connection": sshd.client_command(),
            "SSH, established connection": sshd.client_command(control),
        }
        for i in range(2):  # warm-up: page cache, bytecode, sshd's first re-exec
            for way, command in ways.items():
                first_screen(f"warm{i}-{len(way)}", command, root)
        times: dict[str, list[float]] = {way: [] for way in ways}
        for i in range(args.runs):
            for j, (way, command) in enumerate(ways.items()):
                times[way].append(first_screen(f"r{i}-{j}", command, root))
        stages = peak_rss_with_index(sshd, root)
    finally:
        tmux("kill-server", check=False)
        if master is not None:
            master.terminate()
            master.wait(5)
        sshd.stop()
        shutil.rmtree(work, ignore_errors=True)
    local = statistics.median(times["local tmux"])
    print(
        f'first screen ("{HOME}"), {args.runs} runs of each way, alternately, 80x24, '
        f"server: {'stock' if args.no_readme else 'with the README lines'}, "
        f"client key exchange: {args.kex or 'default'}:"
    )
    for way, values in times.items():
        median = statistics.median(values)
        print(
            f"  {way:28} median {median * 1000:5.0f} ms  (min {min(values) * 1000:4.0f}, "
            f"max {max(values) * 1000:4.0f})  ratio {median / local:.2f}"
        )
    print("target: SSH / local <= 1.5")
    print("demo session process (peak RSS = VmHWM; target < 80 MiB):")
    for stage, kib in stages.items():
        print(f"  {stage:40} peak {kib['VmHWM'] / 1024:5.1f} MiB, now {kib['VmRSS'] / 1024:5.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
