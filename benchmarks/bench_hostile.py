"""The document checker on every hostile fixture (built by tests/fixtures/make_fixtures.py): verdict, time, peak memory.

    .venv/bin/python benchmarks/bench_hostile.py [--runs 3] [--piece identite]

Each check runs as the app and `permis-tui check` run it: in a child process
(`python -m permis_tui.documents_child`) with the address-space cap and the hard
deadline of `documents_child`. The time is the child's wall time (interpreter start
included), the memory its peak resident set (ru_maxrss from wait4). Medians over
`--runs`. Expected: every verdict in < 2 s and < 200 MiB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_fixtures", HERE.parent / "tests" / "fixtures" / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)


def run_once(path: Path, kind: str, timeout: float) -> tuple[dict, float, float]:
    """(verdict, seconds, peak MiB) of one child check."""
    from permis_tui.documents_child import CHILD_ADDRESS_SPACE, GRACE_SECONDS, child_env, limit_child
    from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES, PieceKind

    args = {"path": str(path), "max_pages": PieceKind(kind).max_pages, "max_bytes": DEFAULT_MAX_FILE_BYTES,
            "timeout": timeout, "kind": kind}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "permis_tui.documents_child"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=limit_child,
                            env=child_env())
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(args).encode())
    proc.stdin.close()
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    verdict = json.loads(out) if proc.returncode == 0 and out else {"valid": False, "reason": f"enfant arrêté ({proc.returncode})"}
    assert CHILD_ADDRESS_SPACE and GRACE_SECONDS  # the same limits as the app
    return verdict, seconds, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--piece", default="identite")
    parser.add_argument("--timeout", type=float, default=5.0)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fixtures = mf.make_hostile(Path(tmp))
        print(f"{'fixture':22} {'s (median)':>10} {'MiB (max)':>9}  verdict")
        worst_s = worst_mib = 0.0
        for name, path in fixtures.items():
            times, peaks, verdict = [], [], {}
            for _ in range(opts.runs):
                verdict, seconds, mib = run_once(path, opts.piece, opts.timeout)
                times.append(seconds)
                peaks.append(mib)
            med, peak = statistics.median(times), max(peaks)
            worst_s, worst_mib = max(worst_s, med), max(worst_mib, peak)
            label = "Document valide" if verdict.get("valid") else verdict.get("reason")
            pages = f" — {verdict['pages']} p." if verdict.get("valid") else ""
            print(f"{name:22} {med:10.2f} {peak:9.0f}  {label}{pages}")
        print(f"worst: {worst_s:.2f} s, {worst_mib:.0f} MiB (targets: < 2 s, < 200 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
