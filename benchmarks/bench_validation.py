"""Validation with every file written: recap PDF, deposit form, saved state, email in the outbox.

Run by hand: ``.venv/bin/python benchmarks/bench_validation.py [--runs N]``.
Target: ≤ 300 ms median for a demande with 6 attached files (classic photo, so both PDFs).
Each run validates a fresh demande (built by tests/demande_factory.py, not timed) in a
temporary data folder on the same disk as /tmp; no SMTP server (the Maildir outbox only).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from demande_factory import complete_demande
from permis_tui.store import DraftStore
from permis_tui.validation import valider


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--photo", choices=["courrier", "ephoto"], default="courrier")
    parser.add_argument(
        "--isolated", action="store_true", help="render the PDFs in a child process, as the demo mode does"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = DraftStore(Path(tmp) / "data")
        store.ensure()
        wall, cpu = [], []
        first = None
        for i in range(args.runs + 1):
            demande = complete_demande(store, photo=args.photo)
            assert len(demande.pieces.fichiers) == 6
            start, start_cpu = time.perf_counter(), time.process_time()
            result = valider(demande, store, isolated=args.isolated)
            elapsed = time.perf_counter() - start
            assert result.validee, result
            if i == 0:
                first = elapsed  # imports fpdf2, parses and caches the fonts
                continue
            wall.append(elapsed)
            cpu.append(time.process_time() - start_cpu)
    wall.sort()
    p90 = wall[int(len(wall) * 0.9) - 1]
    print(
        f"valider ({args.photo}, 6 pièces) first {first * 1000:6.1f} ms | median {statistics.median(wall) * 1000:5.1f} ms wall,"
        f" {statistics.median(cpu) * 1000:5.1f} ms CPU | p90 {p90 * 1000:5.1f} ms | max {wall[-1] * 1000:5.1f} ms | {args.runs} runs"
    )


if __name__ == "__main__":
    main()
