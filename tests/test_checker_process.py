"""The app's long-lived checker process: the verdicts of an in-process check, the limits of a
child (deadline, memory cap, minimal environment), and a fresh checker after any failure."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fixtures.make_fixtures import make_all, make_hostile
from permis_tui.child_runner import PARSER_ADDRESS_SPACE
from permis_tui.documents import Verdict, VerdictCode, check_file
from permis_tui.documents import checker as checker_module
from permis_tui.documents.checker import CheckerProcess

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("fx-checker"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return make_hostile(tmp_path_factory.mktemp("hostile-checker"))


@pytest.fixture(scope="module")
def shared() -> CheckerProcess:
    checker = CheckerProcess()
    yield checker
    checker.shut()


@pytest.fixture
def checker() -> CheckerProcess:
    checker = CheckerProcess()
    yield checker
    checker.shut()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    "key",
    [
        "pdf_1",
        "pdf_2",
        "pdf_7",
        "aes256",
        "rc4",
        "owner_only",
        "truncated",
        "cyclic",
        "deep",
        "bomb",
        "pages_5000",
        "no_xref",
        "jpeg",
        "png",
        "jpeg_tiny",
        "jpeg_as_pdf",
        "png_bad_crc",
        "jpeg_truncated",
    ],
)
def test_same_verdict_as_in_process(fx, shared, key):
    first_pid = shared.pid
    assert check_file(fx[key], 2, checker=shared) == check_file(fx[key], 2)
    if first_pid is not None:
        assert shared.pid == first_pid  # one process for all these files: none is hostile enough to replace it


def test_hostile_files_get_the_in_process_verdicts(hostile, shared):
    for key in ("damaged_kids", "huge_number", "object_stream_65543", "png_rgba_7000"):
        assert check_file(hostile[key], 2, checker=shared) == check_file(hostile[key], 2), key


def test_checker_is_a_new_program_with_its_own_limits(fx, checker, monkeypatch):
    """Spawned with exec (its command line is the checker's, not pytest's), with the minimal
    environment, and capped in address space by itself (the session keeps its own limit)."""
    import resource

    monkeypatch.setenv("PERMIS_TUI_SMTP_PASSWORD", "s3crèt")
    before = resource.getrlimit(resource.RLIMIT_AS)
    assert check_file(fx["pdf_2"], 2, checker=checker).pages == 2
    pid = checker.pid
    assert pid is not None and pid != os.getpid()
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert cmdline[1:3] == [b"-m", b"permis_tui.documents.checker"]
    environ = Path(f"/proc/{pid}/environ").read_bytes()
    assert b"PERMIS_TUI_SMTP_PASSWORD" not in environ and "s3crèt".encode() not in environ
    limits = Path(f"/proc/{pid}/limits").read_text()
    line = next(line for line in limits.splitlines() if line.startswith("Max address space"))
    assert line.split()[3:5] == [str(PARSER_ADDRESS_SPACE)] * 2
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_checker_started_long_before_its_first_check(fx, checker, monkeypatch):
    """The app starts its checker after the first screen; the first file may come minutes
    later, long past the start's own deadline: the ready line waiting in the pipe counts."""
    import time

    monkeypatch.setattr(checker_module, "START_SECONDS", 0.2)
    checker.start()
    pid = checker.pid
    assert pid is not None
    for _ in range(400):  # Pillow's C library mapped: the warm-up is done or nearly
        if "_imaging" in Path(f"/proc/{pid}/maps").read_text():
            break
        time.sleep(0.05)
    time.sleep(0.5)
    verdict = check_file(fx["pdf_1"], 2, checker=checker)
    assert (verdict.valid, verdict.pages, verdict.code) == (True, 1, None)
    assert checker.pid == pid


def test_checker_that_cannot_start_in_time_is_not_the_files_fault(fx, checker, monkeypatch):
    """A checker stopped before its imports (as on a machine too loaded to start it in time):
    the file still gets its true verdict, from a one-shot child, and a fresh checker follows."""
    monkeypatch.setattr(checker_module, "START_SECONDS", 0.3)
    checker.start()
    stuck = checker.pid
    assert stuck is not None
    os.kill(stuck, signal.SIGSTOP)
    verdict = check_file(fx["pdf_7"], 10, checker=checker)
    assert (verdict.valid, verdict.pages) == (True, 7)
    assert not _alive(stuck) and checker.pid not in (None, stuck)


def test_hostile_file_at_its_deadline_then_a_fresh_checker(fx, checker):
    """A 5,000-page tree walked with a budget too short: "trop complexe", and the checker
    that gave up (its worker thread may still run) is replaced before the next file."""
    assert check_file(fx["pdf_1"], 2, checker=checker).valid
    old = checker.pid
    verdict = check_file(fx["pages_5000"], 10_000, timeout=0.001, checker=checker)
    assert verdict.code is VerdictCode.TOO_COMPLEX and not verdict.valid and verdict.pages is None
    assert old is not None and not _alive(old)
    after = check_file(fx["pdf_2"], 2, checker=checker)
    assert (after.valid, after.pages) == (True, 2)
    assert checker.pid not in (None, old)


def test_stuck_checker_is_killed_at_the_deadline(fx, checker, monkeypatch):
    """A checker that does not answer at all (stopped here, as by a parse stuck in C code) is
    killed at the check's deadline; the file is "trop complexe" and the next check works."""
    monkeypatch.setattr(checker_module, "ANSWER_MARGIN", 0.2)
    assert check_file(fx["pdf_1"], 2, checker=checker).valid
    stuck = checker.pid
    assert stuck is not None
    os.kill(stuck, signal.SIGSTOP)
    verdict = check_file(fx["bomb"], 2, timeout=0.3, checker=checker)
    assert verdict.code is VerdictCode.TOO_COMPLEX
    assert verdict.reason == "Fichier trop complexe\u00a0: vérification abandonnée après 0.3 secondes."
    assert not _alive(stuck)
    assert check_file(fx["pdf_2"], 2, checker=checker).pages == 2
    assert checker.pid not in (None, stuck)


def test_checker_killed_during_a_check_gives_a_verdict(fx, checker):
    """Killed mid-check (what the memory cap or the kernel does): the file gets "trop de
    mémoire", never an exception, and a fresh checker takes the next file."""
    assert check_file(fx["pdf_1"], 2, checker=checker).valid
    pid = checker.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # the request is written, no answer can come before the kill
    box: list[Verdict] = []
    worker = threading.Thread(target=lambda: box.append(check_file(fx["pdf_7"], 2, checker=checker)))
    worker.start()
    worker.join(0.3)
    assert worker.is_alive()  # waiting for the answer
    os.kill(pid, signal.SIGKILL)
    worker.join(10)
    assert [v.code for v in box] == [VerdictCode.TOO_MUCH_MEMORY]
    assert check_file(fx["pdf_7"], 10, checker=checker).pages == 7
    assert checker.pid not in (None, pid)


def test_checker_replaced_after_max_checks(fx):
    checker = CheckerProcess(max_checks=2)
    try:
        check_file(fx["pdf_1"], 2, checker=checker)
        first = checker.pid
        check_file(fx["pdf_2"], 2, checker=checker)
        assert first is not None and not _alive(first)
        assert check_file(fx["jpeg"], 2, checker=checker).valid
    finally:
        checker.shut()


def test_idle_checker_is_stopped_then_restarted_by_the_next_check(fx):
    """A checker left unused gives its memory back; the next check starts a fresh one and gets
    the same verdict. A check in the meantime puts the countdown back to zero."""
    checker = CheckerProcess(idle_seconds=1.0)
    try:
        checker.start()
        first = checker.pid
        assert first is not None
        for _ in range(3):  # checks closer together than the idle time keep the same process
            threading.Event().wait(0.5)
            assert check_file(fx["pdf_2"], 2, checker=checker).pages == 2
            assert checker.pid == first
        deadline = threading.Event()
        for _ in range(100):
            if not _alive(first):
                break
            deadline.wait(0.05)
        assert not _alive(first) and checker.pid is None
        assert check_file(fx["pdf_7"], 10, checker=checker).pages == 7
        assert checker.pid not in (None, first)
    finally:
        checker.shut()


def test_shut_checker_hands_checks_back(fx):
    """After the session ends, a late worker's check still gets its verdict (one-shot child)."""
    checker = CheckerProcess()
    checker.start()
    pid = checker.pid
    checker.shut()
    assert pid is not None and not _alive(pid)
    assert check_file(fx["pdf_2"], 2, checker=checker).pages == 2
    assert checker.pid is None  # not restarted


_SESSION_SCRIPT = """
import asyncio, json, os, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path

from demande_factory import inscription_at_step5
from permis_tui.model.piece_kind import PieceKind
from pilot_helpers import make_app


async def main():
    app = make_app(Path(sys.argv[2]), checker_process=True)
    async with app.run_test(size=(80, 24)) as pilot:
        d = inscription_at_step5()
        app.store.save(d)
        app.open_demande(d, 5)
        await pilot.pause()
        for path in sys.argv[3:]:
            app.screen.start_check(PieceKind.DOMICILE, Path(path))
            for worker in list(app.workers):
                if worker.group == "pieces-check":
                    await worker.wait()
            await pilot.pause()
        pieces = [(p.valide, p.pages, p.code) for p in app.demande.pieces.fichiers]
        checker_pid = app.checker.pid
    print(json.dumps({"pieces": pieces, "checker": checker_pid, "session": os.getpid(),
                      "loaded": sorted(m for m in ("pypdf", "PIL", "fpdf", "fontTools") if m in sys.modules)}))


asyncio.run(main())
"""


def test_session_never_imports_pypdf_or_pillow(fx, tmp_path):
    """In the app, after checking a PDF and an image through step 5: verdicts right, and
    neither pypdf nor Pillow in the session's own modules (a fresh interpreter: pytest's has them)."""
    proc = subprocess.run(
        [sys.executable, "-c", _SESSION_SCRIPT, str(HERE), str(tmp_path / "data"), str(fx["pdf_1"]), str(fx["jpeg"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["pieces"] == [[True, 1, None], [True, 1, None]]
    assert out["checker"] is not None and out["checker"] != out["session"]
    assert out["loaded"] == []
