"""OS locks on a demande's folder: `fcntl.flock` on a file inside it.

The kernel releases a flock when its process dies, however it dies, so a lock never
outlives its session. Two lock files live in each demande's folder:

- ``.lock``: held by a session (the app, a CLI command) for as long as it has the
  demande open for changes; a second session finds it taken and opens read-only;
- ``.ecriture.lock``: held for the few milliseconds of a save's read-check-write,
  so that two savers cannot both pass the revision check.

flock locks belong to an open file description: opening the file again in the same
process and locking it conflicts too, which is what lets two stores (two sessions)
in one process exclude each other as two processes would.

Holders take the lock exclusively; "is it held?" probes (recovery, another session's
home screen) take it shared for an instant, so two probes never see each other as
holders. A holder still waits out a probe's instant (`HOLD_GRACE`) before concluding
that another session has the demande.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path

SESSION_LOCK = ".lock"
# Seconds a session waits for its lock before opening read-only: far longer than a
# probe holds it, even on a loaded machine, and short enough not to be felt.
HOLD_GRACE = 0.5
WRITE_LOCK = ".ecriture.lock"
LOCK_FILES = frozenset({SESSION_LOCK, WRITE_LOCK})


class LockBusy(OSError):
    """The lock is held by another session."""


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)


def try_flock(path: Path, mode: int = fcntl.LOCK_EX) -> int:
    """Take a lock without waiting; returns the fd. LockBusy if held elsewhere."""
    fd = _open(path)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise LockBusy(exc.errno, "verrou occupé", str(path)) from None
        raise
    return fd


def flock_waiting(path: Path, timeout: float = 10.0) -> int:
    """Take an exclusive lock, waiting at most `timeout` seconds (a save takes milliseconds)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return try_flock(path)
        except LockBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def unlock(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def held_elsewhere(path: Path) -> bool:
    """True when another open file description holds the lock file `path` (a shared probe)."""
    try:
        fd = try_flock(path, fcntl.LOCK_SH)
    except LockBusy:
        return True
    unlock(fd)
    return False


def is_locked(folder: Path) -> bool:
    """True when another open file description holds either lock of `folder`."""
    for name in LOCK_FILES:
        path = folder / name
        if not path.exists():
            continue
        try:
            if held_elsewhere(path):
                return True
        except OSError:
            return True  # cannot tell: treat as in use, never clean under a live session
    return False


class DemandeLock:
    """A session's hold on one demande; `release()` (or leaving the `with` block) lets it go.

    Taking the same demande's lock twice from one store nests: the OS lock is let go
    when the last holder releases it.
    """

    def __init__(self, numero: str, path: Path, fd: int, on_release) -> None:
        self.numero = numero
        self.path = path
        self._fd: int | None = fd
        self._holders = 1
        self._on_release = on_release

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _nest(self) -> DemandeLock:
        self._holders += 1
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        self._holders -= 1
        if self._holders > 0:
            return
        fd, self._fd = self._fd, None
        self._on_release(self)
        unlock(fd)

    def __enter__(self) -> DemandeLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"DemandeLock({self.numero!r}, held={self.held})"
