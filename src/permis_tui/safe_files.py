"""Reading files that may be hostile: regular files only, never followed, never waited on.

A FIFO named demande.json would block `open()` for ever (until a writer comes), a
symlink to /etc/passwd would be read as a demande, a device could be read without end.
Every file the store, the import and the configuration read goes through `read_regular`:
opened with O_NOFOLLOW | O_NONBLOCK (a FIFO opens at once, a symlink fails), checked
with fstat before one byte is read. `os_errors.french_os_error` says any OSError in French.

Domain core: no Textual here.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path is a symlink, FIFO, device, socket or folder: it is not read. strerror is French."""

    def __init__(self, path: os.PathLike[str] | str, what: str) -> None:
        super().__init__(errno.EINVAL, f"ce n'est pas un fichier ordinaire ({what})", str(path))


# The kinds of special files, as a person calls them.
def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "c'est un dossier"
    if stat.S_ISFIFO(mode):
        return "c'est un tube nommé (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "c'est un périphérique"
    if stat.S_ISSOCK(mode):
        return "c'est une socket"
    if stat.S_ISLNK(mode):
        return "c'est un lien symbolique, qui n'est pas suivi"
    return "type de fichier inconnu"


def open_regular(path: os.PathLike[str] | str) -> int:
    """A read-only descriptor on `path` if it is a regular file (never following a symlink).

    Raises NotRegularFile for anything else, or the OSError of the open (FileNotFoundError…).
    The descriptor is switched back to blocking reads: a regular file never blocks anyway.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW on a symlink
            raise NotRegularFile(path, _kind(stat.S_IFLNK)) from None
        if exc.errno in (errno.ENXIO, errno.EISDIR):  # a socket; a folder opened for writing
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                raise exc from None
            raise NotRegularFile(path, _kind(mode)) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, _kind(mode))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


class TooLarge(ValueError):
    """The file is larger than the caller accepts; the message is French."""


def read_regular(path: os.PathLike[str] | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (TooLarge beyond)."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge(f"fichier trop volumineux ({_size(limit)} au maximum)")
    return raw


def is_regular(path: Path) -> bool:
    """True for a regular file that is not a symlink (lstat: nothing is followed or opened)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} Mo" if n >= 1024 * 1024 else f"{n // 1024} Ko"
