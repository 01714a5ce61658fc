"""Atomic, private file writes: temporary file, fsync, os.replace, fsync of the folder.

Temporary files carry the writer's pid (".<name>.<pid>.<random>.tmp"), so that recovery
after a crash removes only those whose writer is gone (`temp_writer_alive`).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# ".<name>.<pid>.<random>.tmp" (atomic writes) and ".incoming-<pid>-<random>" (attachments).
_TEMP_RE = re.compile(r"^\.(?:.+\.(?P<pid>\d+)\.[^.]+\.tmp|incoming-(?P<ipid>\d+)-.*)$")


def temp_prefix(name: str) -> str:
    return f".{name}.{os.getpid()}."


def is_temp_name(name: str) -> bool:
    """A temporary file left by an atomic write or an attachment copy (any version's naming)."""
    return (
        bool(_TEMP_RE.match(name)) or (name.startswith(".") and name.endswith(".tmp")) or name.startswith(".incoming-")
    )


def temp_writer_alive(name: str) -> bool:
    """True when the process named in a temporary file's name still runs (this one included)."""
    match = _TEMP_RE.match(name)
    if not match:
        return False  # older naming, without a pid: a leftover of a previous version
    return process_alive(int(match.group("pid") or match.group("ipid")))


def process_alive(pid: int) -> bool:
    """True when `pid` still runs, this process included: recovery runs in a worker while this
    session may already be writing (an attach, an autosave); a leftover of an earlier process
    that had our pid goes at the next start."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def ensure_private_dir(path: Path) -> Path:
    """`path` as a 0700 folder, whatever the umask; missing parents are created 0700 too
    (mkdir(parents=True) would give them the umask's 0755: demandes/ open to all)."""
    missing = []
    probe = Path(path)
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass  # another session made it meanwhile: its mode is checked below for `path`
        else:
            os.chmod(folder, DIR_MODE)  # the umask may have taken bits off (or a umask of 0 kept none off)
    if (path.stat().st_mode & 0o777) != DIR_MODE:
        os.chmod(path, DIR_MODE)
    return path


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_replace(dest: Path, fill, *, private_dir: bool = True, durable: bool = True) -> None:
    """Write through a 0600 temporary file beside `dest`, fsync, rename, fsync the folder.

    `private_dir=False` is for a folder the user chose (an export into ~/Documents):
    created 0700 if new, but an existing one keeps its permissions.
    """
    if private_dir:
        ensure_private_dir(dest.parent)
    else:
        dest.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(dest.name), suffix=".tmp", dir=dest.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if durable:
        fsync_dir(dest.parent)


def atomic_write(path: Path, data: bytes, *, private_dir: bool = True, durable: bool = True) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file.

    `durable=False` skips the fsyncs: still all or nothing for a crash of the program, but a
    power cut may leave the old file or an empty one. Only for caches rebuilt from the
    drafts when found damaged (the index of the demandes, recovery's memory)."""
    _atomic_replace(path, lambda handle: handle.write(data), private_dir=private_dir, durable=durable)


def atomic_copy(src: Path, dest: Path, chunk: int = 1 << 20) -> None:
    """Copy a file through a private temporary file, then rename it into place."""

    def fill(out) -> None:
        from permis_tui.safe_files import open_regular

        with os.fdopen(open_regular(src), "rb") as inp:  # never a FIFO (it would block) nor a symlink
            while block := inp.read(chunk):
                out.write(block)

    _atomic_replace(dest, fill)


def rename_dir(src: Path, dest: Path) -> None:
    """Move a folder in one rename (fails if `dest` is a non-empty folder), then fsync both parents."""
    os.rename(src, dest)
    fsync_dir(dest.parent)
    if src.parent != dest.parent:
        fsync_dir(src.parent)
