"""The document checker on every hostile fixture (built by tests/fixtures/make_fixtures.py): verdict, time, peak memory.

    .venv/bin/python benchmarks/bench_hostile.py [--runs 3] [--piece identite]

Each check runs as `permis-tui check` runs it: parsed in a one-shot child process
(`python -m permis_tui.documents.child`, through `child_runner`) that caps its own address
space. The time is the wall time (interpreter start included), the memory its
peak resident set (ru_maxrss from wait4); a file refused before parsing (empty) needs no
child. Medians over `--runs`. Expected: every verdict in < 2 s and < 200 MiB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
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
    """(verdict, seconds, peak MiB) of one check; the parsing in a one-shot child, as `check` does it."""
    from permis_tui.child_runner import PARSER_ADDRESS_SPACE, child_command, child_env
    from permis_tui.documents import ACCEPTED_TYPES, CheckRequest, check_file, sniff
    from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES, PieceKind

    piece = PieceKind(kind)
    size = path.stat().st_size
    detected = sniff(path.read_bytes()[:4096]) if size else ""
    start = time.perf_counter()
    if not size or detected not in ACCEPTED_TYPES:  # refused before any parsing: no child
        verdict = check_file(path, piece.max_pages, kind=piece).to_json()
        return verdict, time.perf_counter() - start, 0.0
    request = CheckRequest(str(path), piece.max_pages, DEFAULT_MAX_FILE_BYTES, timeout, piece, size, detected)
    envelope = {"memory": PARSER_ADDRESS_SPACE, "payload": request.to_json()}
    # Linux carries the peak RSS of the process that starts a child into the child's own
    # count (vfork): a small intermediate process starts it, so the figure is the child's.
    outer = (
        "import json, os, subprocess, sys; "
        "p = subprocess.Popen(json.loads(sys.argv[1]), stdin=subprocess.PIPE, stdout=subprocess.PIPE, "
        "stderr=subprocess.DEVNULL, env=json.loads(sys.argv[2])); "
        "p.stdin.write(sys.stdin.buffer.read()); p.stdin.close(); out = p.stdout.read(); "
        "_, status, usage = os.wait4(p.pid, 0); "
        "print(json.dumps([out.decode(), os.waitstatus_to_exitcode(status), usage.ru_maxrss]))"
    )
    command = [
        sys.executable,
        "-c",
        outer,
        json.dumps(child_command("permis_tui.documents.child")),
        json.dumps(child_env()),
    ]
    proc = subprocess.run(command, input=json.dumps(envelope).encode(), capture_output=True, check=True)
    seconds = time.perf_counter() - start
    out, code, maxrss = json.loads(proc.stdout)
    verdict = json.loads(out) if code == 0 and out else {"valid": False, "reason": f"enfant arrêté ({code})"}
    return verdict, seconds, maxrss / 1024  # KiB on Linux


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
