"""`permis-tui list --json` with 1,000 demandes, as a whole process.

Run by hand:  .venv/bin/python benchmarks/bench_list.py [-n RUNS] [--size 1000] [--dirs DIR]

The data folder (made by make_data_dirs.py) is listed `-n` times with its index up to
date (the usual case), then `-n` times with the index removed before each run (the first
listing after an upgrade, or after the index was found damaged: every demande.json is
read and validated, and the index written again). Wall time and peak RSS (wait4) of
each process; every output must be the same JSON.
Target (issue 12): ≤ 0.3 s with 1,000 demandes (index up to date).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def run(data: Path) -> tuple[float, int, bytes]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "permis_tui", "--data-dir", str(data), "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0 or err:
        raise SystemExit(f"list failed: {err.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss, out


def main() -> None:
    from make_data_dirs import fill

    from permis_tui.draft_index import INDEX_FILE

    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=9)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--dirs", type=Path, default=None)
    args = parser.parse_args()
    base = args.dirs or Path(tempfile.mkdtemp(prefix="bench-list-"))
    data = base / f"d{args.size}"
    fill(data, args.size)
    _, _, reference = run(data)  # warm-up: page cache, .pyc files, index up to date
    results: dict[str, tuple[list[float], list[int]]] = {"index up to date": ([], []), "index removed": ([], [])}
    for _ in range(args.n):
        for label, times_rss in results.items():
            if label == "index removed":
                (data / INDEX_FILE).unlink(missing_ok=True)
            elapsed, rss, out = run(data)
            if out != reference:
                raise SystemExit(f"{label}: the output differs from the first run's")
            times_rss[0].append(elapsed)
            times_rss[1].append(rss)
    print(f"permis-tui list --json, {args.size} demandes, {args.n} runs (medians):")
    for label, (times, rss) in results.items():
        med = statistics.median(times)
        target = f"   target ≤ 0.30 s: {'met' if med <= 0.3 else 'NOT met'}" if label == "index up to date" else ""
        print(f"  {label:17}: {med:.3f} s   peak RSS {statistics.median(rss) / 1024:5.1f} MiB{target}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
