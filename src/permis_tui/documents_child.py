"""Run one document check in a child process: `python -m permis_tui.documents_child`.

The interactive app uses this so that pypdf and Pillow never load into a
long-lived session (a shared demo server runs many), and so that a hostile
file meets a hard limit: the child is killed at the deadline, and its address
space is capped, whatever pypdf is doing at the time.

Protocol: JSON arguments on stdin, the Verdict's fields as JSON on stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

# Address-space cap for the child: a hostile file must stay under 200 MiB resident, with room for
# the interpreter's own mappings (address space counts more than resident memory).
CHILD_ADDRESS_SPACE = 768 * 1024 * 1024
GRACE_SECONDS = 3.0  # interpreter start and imports, on top of the check's own budget


def check_in_child(path: Path, max_pages: int, max_bytes: int, timeout: float, kind: str | None,
                   size: int, detected: str):
    """The Verdict of `documents.check_file` as computed by a child process."""
    from permis_tui.documents import TOO_COMPLEX, TOO_MUCH_MEMORY, Verdict

    args = {"path": str(path), "max_pages": max_pages, "max_bytes": max_bytes, "timeout": timeout, "kind": kind}
    too_complex = Verdict(False, TOO_COMPLEX.format(seconds=f"{timeout:g}"), detected, None, size)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "permis_tui.documents_child"],
            input=json.dumps(args), capture_output=True, text=True,
            timeout=timeout + GRACE_SECONDS, preexec_fn=limit_child, env=child_env(),
        )
    except subprocess.TimeoutExpired:
        return too_complex  # subprocess.run has killed the child
    except OSError:
        return None  # cannot start a child here: the caller checks in-process
    if proc.returncode != 0:
        # Killed by the memory cap (MemoryError or signal): too big to be a scan.
        return Verdict(False, TOO_MUCH_MEMORY, detected, None, size)
    try:
        return Verdict(**json.loads(proc.stdout))
    except (ValueError, TypeError):
        return Verdict(False, TOO_MUCH_MEMORY, detected, None, size)


def limit_child() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


# What a child needs to start Python and find this package; nothing else. The parent's
# environment may hold the SMTP password (password_env) and other secrets, and a child
# parses untrusted files: it must not be able to read them.
_CHILD_ENV_KEYS = ("PATH", "PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "VIRTUAL_ENV",
                   "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "SYSTEMROOT")


def child_env() -> dict[str, str]:
    """The minimal environment of every child process (checks, previews, PDF rendering)."""
    env = {key: os.environ[key] for key in _CHILD_ENV_KEYS if key in os.environ}
    env["MALLOC_ARENA_MAX"] = "2"  # fewer per-thread arenas: less address space used
    return env


def main() -> int:
    from permis_tui.documents import check_file
    from permis_tui.model.piece_kind import PieceKind

    args = json.loads(sys.stdin.read())
    kind = PieceKind(args["kind"]) if args.get("kind") else None
    verdict = check_file(args["path"], args["max_pages"], args["max_bytes"], args["timeout"], kind=kind)
    sys.stdout.write(json.dumps(asdict(verdict)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
