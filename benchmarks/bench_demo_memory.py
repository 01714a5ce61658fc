"""Peak memory of a demo session walked to validation.

Run by hand:  .venv/bin/python benchmarks/bench_demo_memory.py [-n RUNS]

Each run is tests/demo_walk.py in a fresh process and a fresh data folder: the example
loaded ("e"), opened at the récapitulatif, Ctrl+B back to step 1, Ctrl+N through every
step, validated ("v", "o") up to the confirmation. It prints the session's peak RSS
(VmHWM) at each stage, median over the runs, and the heavy modules the session imported
(documents are checked and PDFs rendered in child processes: there must be none).
Target (issue 12): ≤ 80 MiB at the end of the walk; no fpdf2, fontTools, Pillow, pypdf,
icalendar or dateutil.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

WALK = Path(__file__).resolve().parents[1] / "tests" / "demo_walk.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args()
    stages: dict[str, list[int]] = {}
    heavy: set[str] = set()
    for _ in range(args.n):
        with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
            proc = subprocess.run(
                [sys.executable, str(WALK), str(Path(tmp) / "demo")], capture_output=True, text=True, timeout=600
            )
        if proc.returncode:
            raise SystemExit(f"demo walk failed: {proc.stderr[-2000:]}")
        outcome = json.loads(proc.stdout.strip().splitlines()[-1])
        if not outcome["validee"]:
            raise SystemExit("the walk did not validate the demande")
        heavy.update(outcome["heavy"])
        for stage, kib in outcome["peak_kib"].items():
            stages.setdefault(stage, []).append(kib)
    print(f"demo session walked to validation, {args.n} runs, peak RSS (VmHWM, median):")
    for stage, values in stages.items():
        print(f"  {stage:10} {statistics.median(values) / 1024:6.1f} MiB")
    end = statistics.median(stages["validation"]) / 1024
    print(f"target ≤ 80 MiB at validation: {'met' if end <= 80 else 'NOT met'} ({end:.1f} MiB)")
    print(f"heavy modules imported by the session: {', '.join(sorted(heavy)) or 'none'}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
