"""One document check in a fresh child process: `python -m permis_tui.documents.child`.

`check_file(..., isolated=True)` uses it: a new interpreter per file (~270 ms). The app and
the `check` and `import` commands keep one checker process for all their files instead
(`documents.checker`), with the same limits; this one is also what a checker that was shut
down falls back on.

Protocol: `child_runner` (a CheckRequest's JSON in, a Verdict's JSON out).
"""

from __future__ import annotations

import sys
from typing import Any

from permis_tui.child_runner import PARSER_ADDRESS_SPACE, ChildFailure, run_in_child, serve
from permis_tui.documents.check import CheckRequest, check_content
from permis_tui.documents.verdict import Verdict

GRACE_SECONDS = 3.0  # interpreter start and imports, on top of the check's own budget


class OneShotChecker:
    """A ContentChecker that starts a new child for each file."""

    def check_content(self, request: CheckRequest) -> Verdict | None:
        result = run_in_child(__name__, request.to_json(), request.timeout + GRACE_SECONDS, PARSER_ADDRESS_SPACE)
        if result.failure is ChildFailure.UNAVAILABLE:
            return None  # cannot start a child here: the caller checks in-process
        if result.failure is ChildFailure.TIMEOUT:
            return request.too_complex()
        try:
            return Verdict.from_json(result.value) if result.ok else request.too_much_memory()
        except (ValueError, TypeError):
            # Killed by the memory cap (MemoryError or signal), or no answer: too big to be a scan.
            return request.too_much_memory()


def _handle(payload: Any) -> dict[str, Any]:
    return check_content(CheckRequest.from_json(payload)).to_json()


if __name__ == "__main__":
    sys.exit(serve(_handle))
