"""Run one job in a fresh Python process: `run_in_child(module, payload, timeout, memory)`.

The document checks, the previews and the PDF rendering use it, so that pypdf, Pillow,
fpdf2 and fontTools never load into a long-lived session (a shared demo server runs
many), and so that a hostile file meets hard limits: the child is killed at its deadline,
and its address space is capped.

The cap is set by the child itself (`serve`, first thing after reading its envelope), not
with `preexec_fn`: the parent calls this from worker threads, and Python documents
`preexec_fn` as unsafe in the presence of threads (the forked child may deadlock).

Protocol: the parent writes {"memory": bytes or null, "payload": …} as JSON on the child's
stdin; the child's module calls `serve(handler)`, which answers with the handler's JSON
result on stdout. Domain core: no Textual here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

# Address-space cap of a child that parses files: a hostile file must stay under 200 MiB
# resident, with room for the interpreter's own mappings (address space counts more than
# resident memory).
PARSER_ADDRESS_SPACE = 768 * 1024 * 1024
MEMORY_EXIT = 3  # the child's status when its handler ran out of memory


class ChildFailure(Enum):
    UNAVAILABLE = "unavailable"  # no child could be started here (the caller works in-process)
    TIMEOUT = "timeout"  # killed at the deadline
    CRASHED = "crashed"  # out of memory, killed by a signal, or an answer that is not JSON


@dataclass(frozen=True)
class ChildResult:
    value: Any = None
    failure: ChildFailure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


# What a child needs to start Python and find this package; nothing else. The parent's
# environment may hold the SMTP password (password_env) and other secrets, and a child
# parses untrusted files: it must not be able to read them.
_CHILD_ENV_KEYS = (
    "PATH",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSAFEPATH",
    "VIRTUAL_ENV",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TMPDIR",
    "TZ",
    "SYSTEMROOT",
)


def child_env() -> dict[str, str]:
    """The minimal environment of every child process (checks, previews, PDF rendering)."""
    env = {key: os.environ[key] for key in _CHILD_ENV_KEYS if key in os.environ}
    env["MALLOC_ARENA_MAX"] = "2"  # fewer per-thread arenas: less address space used
    return env


def child_command(module: str) -> list[str]:
    return [sys.executable, "-m", module]


def run_in_child(module: str, payload: Any, timeout: float, memory: int | None) -> ChildResult:
    """Run `python -m module` on `payload` (JSON) with a hard deadline and an address-space cap.

    Blocking: call it from a worker thread. Never raises for what the child does.
    """
    envelope = json.dumps({"memory": memory, "payload": payload})
    try:
        proc = subprocess.run(
            child_command(module), input=envelope, capture_output=True, text=True, timeout=timeout, env=child_env()
        )
    except subprocess.TimeoutExpired:
        return ChildResult(failure=ChildFailure.TIMEOUT)  # subprocess.run has killed the child
    except OSError:
        return ChildResult(failure=ChildFailure.UNAVAILABLE)
    if proc.returncode != 0:
        return ChildResult(failure=ChildFailure.CRASHED)
    try:
        return ChildResult(json.loads(proc.stdout))
    except ValueError:
        return ChildResult(failure=ChildFailure.CRASHED)


def limit_memory(memory: int | None) -> None:
    """Cap this process's address space (called by the child on itself)."""
    if memory is None:
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def serve(handler: Callable[[Any], Any]) -> int:
    """The child's side: read the envelope, cap memory, answer with handler(payload) as JSON."""
    envelope = json.loads(sys.stdin.read())
    limit_memory(envelope.get("memory"))
    try:
        result = handler(envelope["payload"])
    except MemoryError:
        return MEMORY_EXIT
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0
