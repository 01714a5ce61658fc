"""A terminal that hangs up while the app starts: the process is gone at once, in every mode.

The real program runs on a pseudo-terminal. "Start" is the moment the app switches the
terminal to its alternate screen (Textual's driver has just started its output thread);
the terminal is hung up 0, 50 and 200 ms later, while the home screen lists 50 drafts.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from permis_tui.demo import DEMO_PREFIX, DEMO_ROOT_ENV
from permis_tui.store import DraftStore

ALT_SCREEN = b"\x1b[?1049h"
ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# Make the pseudo-terminal the child's controlling terminal, as sshd does: closing the
# master side then sends SIGHUP to the app, and its reads and writes fail with EIO.
WITH_CONTROLLING_TTY = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


@pytest.fixture(scope="module")
def fifty_drafts(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fifty") / "data"
    store = DraftStore(root)
    store.ensure()
    for i in range(50):
        demande = store.create()
        demande.etat_civil.nom_naissance = "Essai-" + "ABCDEFGHIJ"[i // 10] + "ABCDEFGHIJ"[i % 10].lower()
        demande.etat_civil.prenoms = ["Camille"]
        store.save(demande)
    return root


def _start(args: list[str], env: dict[str, str], controlling: bool) -> tuple[subprocess.Popen, int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    program = [sys.executable, "-m", "permis_tui", *args]
    if controlling:
        program = [sys.executable, "-c", WITH_CONTROLLING_TTY, "-m", "permis_tui", *args]
    proc = subprocess.Popen(
        program,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env=dict(env, TERM="xterm-256color"),
        close_fds=True,
    )
    os.close(slave)
    return proc, master


def _read_until_started(master: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    seen = b""
    deadline = time.monotonic() + timeout
    while ALT_SCREEN not in seen:
        assert time.monotonic() < deadline and proc.poll() is None, f"the app did not start: {seen[-300:]!r}"
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            seen += os.read(master, 65536)


def _hang_up_after(master: int, delay: float) -> None:
    """Keep reading what the app draws for `delay` seconds, then close the terminal."""
    deadline = time.monotonic() + delay
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    os.close(master)


@pytest.mark.parametrize("controlling", [True, False], ids=["sighup-and-eio", "eio-only"])
@pytest.mark.parametrize("delay_ms", [0, 50, 200])
@pytest.mark.parametrize("mode", ["normal", "demo"])
def test_hang_up_at_start_ends_the_process(tmp_path, fifty_drafts, mode, delay_ms, controlling):
    env = dict(os.environ, **{DEMO_ROOT_ENV: str(tmp_path / "demo-root")})
    args = ["--demo"] if mode == "demo" else ["--data-dir", str(fifty_drafts)]
    proc, master = _start(args, env, controlling)
    try:
        _read_until_started(master, proc)
        _hang_up_after(master, delay_ms / 1000)
        master = -1
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running 2 s after the hang-up ({mode}, {delay_ms} ms)")
        if mode == "demo":
            assert list((tmp_path / "demo-root").glob(DEMO_PREFIX + "*")) == []
        else:
            assert len(DraftStore(fifty_drafts).list()) == 50
    finally:
        if master >= 0:
            os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def _read_until(master: int, text: bytes, timeout: float = 60) -> None:
    seen = b""
    deadline = time.monotonic() + timeout
    while text not in ANSI.sub(b"", seen):
        assert time.monotonic() < deadline, f"{text!r} not shown: {ANSI.sub(b'', seen)[-300:]!r}"
        if select.select([master], [], [], 0.1)[0]:
            seen += os.read(master, 65536)


def test_hang_up_while_typing_saves_the_text(tmp_path):
    """Later in a session: a step open with unsaved typing, then the terminal goes away."""
    store = DraftStore(tmp_path / "data")
    store.ensure()
    demande = store.create()
    demande.etape = 2
    store.save(demande)
    proc, master = _start(["--data-dir", str(store.root)], dict(os.environ), controlling=True)
    try:
        _read_until(master, b"Mes demandes")
        os.write(master, b"r")  # resume the draft: step 2, field 2.1 focused
        _read_until(master, b"2.1 Nom de naissance")
        os.write(master, "Zoé".encode())  # typed, not saved: no step change, no Ctrl+S
        _read_until(master, "Zoé".encode())
        _hang_up_after(master, 0)
        master = -1
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pytest.fail("still running 2 s after the hang-up")
    finally:
        if master >= 0:
            os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    assert store.load(demande.numero).etat_civil.nom_naissance == "Zoé"
