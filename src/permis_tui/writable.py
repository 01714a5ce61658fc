"""Whether a folder can really be written: modes say little (root ignores them, a read-only
mount or a full disk keeps them), so a file is created, synced and removed."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from permis_tui.atomic import temp_prefix
from permis_tui.os_errors import write_reason


def write_problem(folder: Path) -> str | None:
    """None if a file can be written in `folder`, else a French sentence saying why not."""
    try:
        # Named like the atomic writes' temporary files: recovery removes one a crash left.
        fd, name = tempfile.mkstemp(prefix=temp_prefix("ecriture"), suffix=".tmp", dir=folder)
        try:
            os.write(fd, b"permis-tui")
            os.fsync(fd)
        finally:
            os.close(fd)
            try:
                os.unlink(name)
            except FileNotFoundError:  # another session's start-up cleaning got there first
                pass
    except OSError as exc:
        why = "il n'existe pas" if exc.errno == errno.ENOENT else write_reason(exc, subject="il")
        return (
            f"Le dossier des demandes {folder} ne peut pas être écrit ({why}) : "
            "vos modifications ne pourront pas être enregistrées."
        )
    return None
