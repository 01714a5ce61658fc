"""The README's OpenSSH server configuration, as written, is valid and does what it says.

The `sshd_config` blocks of README.md are put, in the README's order, after the few lines a
test server needs (host key, port, pid file), then checked by the real sshd: `sshd -t`
accepts them, `sshd -T` shows the settings the demo account gets, and a default OpenSSH
client negotiates the fast key exchange with that server.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

SSHD = Path("/usr/sbin/sshd")
if not SSHD.exists():
    pytest.skip(
        "OpenSSH server not installed (/usr/sbin/sshd): .ci/run installs openssh-server", allow_module_level=True
    )

README = Path(__file__).resolve().parent.parent / "README.md"
DEMO_USER = "permis-demo"  # the account the README creates


def readme_sshd_config() -> list[str]:
    """The README's `sshd_config` code blocks, in the order they appear."""
    text = README.read_text(encoding="utf-8")
    return re.findall(r"^```sshd_config\n(.*?)^```$", text, flags=re.S | re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def config(tmp_path) -> tuple[Path, int]:
    """A whole sshd_config: a test server's own lines, then the README's blocks."""
    host_key = tmp_path / "hostkey"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True)
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation folder
    port = free_port()
    own = f"HostKey {host_key}\nPidFile {tmp_path / 'sshd.pid'}\nListenAddress 127.0.0.1\nPort {port}\nUsePAM no\n"
    path = tmp_path / "sshd_config"
    path.write_text(own + "".join(readme_sshd_config()), encoding="utf-8")
    return path, port


def test_readme_has_the_global_line_and_the_match_block():
    blocks = readme_sshd_config()
    assert len(blocks) == 2
    assert blocks[0].startswith("KexAlgorithms ")
    assert blocks[1].startswith(f"Match User {DEMO_USER}\n")


def test_sshd_accepts_the_readme_configuration(config):
    path, _ = config
    result = subprocess.run([str(SSHD), "-t", "-f", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_the_demo_account_gets_the_readme_settings(config):
    path, _ = config
    result = subprocess.run(
        [str(SSHD), "-T", "-f", str(path), "-C", f"user={DEMO_USER},host=client,addr=127.0.0.1"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    settings = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert settings["forcecommand"] == "permis-tui --demo"
    assert settings["permittty"] == "yes"
    for option in (
        "allowtcpforwarding",
        "allowstreamlocalforwarding",
        "x11forwarding",
        "allowagentforwarding",
        "permittunnel",
        "permituserenvironment",
    ):
        assert settings[option] == "no", option
    # Only curve25519 is offered: a client's own preference cannot pick a slower exchange.
    assert settings["kexalgorithms"] == "curve25519-sha256,curve25519-sha256@libssh.org"


@pytest.mark.skipif(shutil.which("ssh") is None, reason="OpenSSH client not installed")
def test_a_default_client_negotiates_curve25519(config, tmp_path):
    """A client with no configuration at all (-F /dev/null) against the README's server:
    the key exchange it agrees on, read from its own log. Authentication is not needed."""
    path, port = config
    server = subprocess.Popen(
        [str(SSHD), "-D", "-e", "-f", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if server.poll() is not None:
                pytest.fail("sshd did not start")
            time.sleep(0.05)
        client = subprocess.run(
            [
                "ssh",
                "-F",
                "/dev/null",
                "-v",
                "-p",
                str(port),
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                f"UserKnownHostsFile={tmp_path / 'known_hosts'}",
                "-o",
                "PreferredAuthentications=publickey",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                f"IdentityFile={tmp_path / 'no-such-key'}",
                f"{DEMO_USER}@127.0.0.1",
                "true",
            ],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        server.terminate()
        server.wait(10)
    agreed = re.findall(r"kex: algorithm: (\S+)", client.stderr)
    assert agreed == ["curve25519-sha256"], client.stderr[-2000:]
