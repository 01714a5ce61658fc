"""The app's document checker: one child process kept alive between checks.

A new interpreter per check costs ~270 ms before the first byte of the file is read
(Python, then pypdf and Pillow). The app starts this process in the background after its
first screen, with pypdf and Pillow already imported, so a verdict costs the check alone.
Isolation is the same as a one-shot child:
- a separate program (`python -m permis_tui.documents.checker`, started with exec, never
  a fork of the session): no memory is shared with the session, and pypdf/Pillow never
  load into it;
- the minimal environment of `child_runner.child_env` (no secret of the session);
- an address-space cap the process sets on itself before importing anything heavy;
- a hard deadline per check: a checker that has not answered by then is killed.
A checker that was killed, crashed, ran out of memory or gave up on a file (its worker
thread may still be running) is replaced by a fresh one before the next check; so is one
whose resident memory grew past RESIDENT_LIMIT or that has served MAX_CHECKS files, so that
a grown or fragmented heap never carries over for ever. A checker left unused for IDLE_SECONDS
is stopped (a help-desk session may stay open all day on its home screen, and a shared
server runs many sessions): the next check starts a fresh one and waits for its imports.

Protocol (one JSON object per line): the parent sends {"memory": …}, the child answers
{"ready": true} once its imports are done; then each CheckRequest line gets one Verdict line.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import threading
import time
from typing import IO, Any

from permis_tui.child_runner import MEMORY_EXIT, PARSER_ADDRESS_SPACE, child_command, child_env, limit_memory
from permis_tui.documents.check import CheckRequest, check_content
from permis_tui.documents.child import OneShotChecker
from permis_tui.documents.verdict import Verdict, VerdictCode

START_SECONDS = 10.0  # interpreter start and imports, on a loaded machine; paid once per checker
ANSWER_MARGIN = 1.0  # beyond the check's own budget: reading the request, writing the verdict
MAX_CHECKS = 200
IDLE_SECONDS = 600.0  # ten minutes without a check: the ~40 MiB process is given back
# A checker whose heap grew past this after a check (a big file parsed, memory kept by the
# allocator) is replaced: sessions on a shared server each keep one alive.
RESIDENT_LIMIT = 160 * 1024 * 1024
# Verdicts after which the process is not trusted with another file.
_REPLACE_AFTER = frozenset({VerdictCode.TOO_COMPLEX, VerdictCode.TOO_MUCH_MEMORY})
_MAX_LINE = 1 << 20


class _NoAnswer(Exception):
    def __init__(self, timed_out: bool) -> None:
        super().__init__("timeout" if timed_out else "closed")
        self.timed_out = timed_out


class CheckerProcess:
    """A ContentChecker backed by one long-lived child process; thread-safe (one check at a time)."""

    def __init__(
        self, memory: int = PARSER_ADDRESS_SPACE, max_checks: int = MAX_CHECKS, idle_seconds: float = IDLE_SECONDS
    ) -> None:
        self.memory = memory
        self.max_checks = max_checks
        self.idle_seconds = idle_seconds
        self._idle_timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = False
        self._started_at = 0.0
        self._checks = 0
        self._buffer = b""
        self._closed = False

    @property
    def pid(self) -> int | None:
        """The current checker's process id (None before the first start)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def start(self) -> None:
        """Start the checker if none is running (returns at once; it imports in the background)."""
        with self._lock:
            self._ensure()
            self._arm_idle_timer()

    def shut(self) -> None:
        """Stop for good (the session is ending): a late check runs in a one-shot child."""
        with self._lock:
            self._closed = True
            self._stop()

    def _stop_if_idle(self, timer: threading.Timer) -> None:
        with self._lock:
            if self._idle_timer is timer:  # no check or start since this timer was armed
                self._idle_timer = None
                self._stop()

    def _arm_idle_timer(self) -> None:
        """(Re)start the idle countdown; called with the lock held after each start or check."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._idle_timer = None
        if self._proc is None or self._closed:
            return
        timer = threading.Timer(self.idle_seconds, lambda: self._stop_if_idle(timer))
        timer.daemon = True
        self._idle_timer = timer
        timer.start()

    def check_content(self, request: CheckRequest) -> Verdict | None:
        with self._lock:
            try:
                return self._check_locked(request)
            finally:
                self._arm_idle_timer()

    def _check_locked(self, request: CheckRequest) -> Verdict | None:
        if self._closed:
            return OneShotChecker().check_content(request)
        proc = self._ensure()
        if proc is None:
            return None  # no child can start here: the caller checks in-process
        if not self._ready:
            try:
                self._read_line(self._started_at + START_SECONDS)
                self._ready = True
            except (_NoAnswer, OSError, ValueError):
                # A checker that could not start in time says nothing about the file:
                # this one goes to a one-shot child, the next to a fresh checker.
                self._stop()
                self._ensure()
                return OneShotChecker().check_content(request)
        try:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(request.to_json()).encode() + b"\n")
            proc.stdin.flush()
            answer = self._read_line(time.monotonic() + request.timeout + ANSWER_MARGIN)
            verdict = Verdict.from_json(answer)
        except _NoAnswer as exc:
            self._stop()
            self._ensure()  # the next check finds a fresh checker already importing
            return request.too_complex() if exc.timed_out else request.too_much_memory()
        except (OSError, ValueError, TypeError):
            # A broken pipe or a garbled answer: the process died (memory cap, signal).
            self._stop()
            self._ensure()
            return request.too_much_memory()
        self._checks += 1
        if (
            verdict.code in _REPLACE_AFTER
            or self._checks >= self.max_checks
            or _resident_bytes(proc.pid) > RESIDENT_LIMIT
        ):
            self._stop()
            self._ensure()
        return verdict

    # -- internals (called with the lock held) --------------------------------------------
    def _ensure(self) -> subprocess.Popen[bytes] | None:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._proc = None
        try:
            proc = subprocess.Popen(
                child_command(__name__),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=child_env(),
                bufsize=0,
                close_fds=True,
            )
        except OSError:
            return None
        assert proc.stdin is not None
        try:
            proc.stdin.write(json.dumps({"memory": self.memory}).encode() + b"\n")
        except OSError:
            _kill(proc)
            return None
        self._proc, self._ready, self._buffer, self._checks = proc, False, b"", 0
        self._started_at = time.monotonic()
        return proc

    def _stop(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        proc, self._proc = self._proc, None
        if proc is not None:
            _kill(proc)

    def _read_line(self, deadline: float) -> Any:
        """The next JSON line from the checker, or _NoAnswer at the deadline or end of file."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                # What is already in the pipe counts, however late it is read: the ready line
                # of a checker started long ago is read past START_SECONDS.
                if not sel.select(max(0.0, deadline - time.monotonic())):
                    raise _NoAnswer(timed_out=True)
                chunk = os.read(fd, 65536)
                if not chunk or len(self._buffer) > _MAX_LINE:
                    raise _NoAnswer(timed_out=False)
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)


def _resident_bytes(pid: int) -> int:
    """Resident memory of `pid` (Linux); 0 where /proc is not there to tell."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()


def _serve(inp: IO[bytes], out: IO[bytes]) -> int:
    first = inp.readline()
    if not first:
        return 0
    limit_memory(json.loads(first).get("memory"))
    # Imported before the first request, so that a check costs only itself.
    from permis_tui.documents import pdf

    pdf.warm_up()
    out.write(b'{"ready": true}\n')
    out.flush()
    for line in inp:  # ends when the session closes the pipe (or dies)
        try:
            verdict = check_content(CheckRequest.from_json(json.loads(line)))
        except MemoryError:
            return MEMORY_EXIT
        out.write(json.dumps(verdict.to_json()).encode() + b"\n")
        out.flush()
    return 0


def main() -> int:
    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr
    return _serve(sys.stdin.buffer, out)


if __name__ == "__main__":
    sys.exit(main())
