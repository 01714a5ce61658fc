"""SIGKILL campaign on the store: N kills per operation (default 1,000), at random points.

    .venv/bin/python benchmarks/bench_crash.py [--kills 1000] [--ops save,attach,...] [--seed 0]

After each kill, recovery runs as at the next start, then every demande must load as its
old or new state with all its pieces (SHA-256 checked), in one place only, with nothing
left behind (see tests/crash_harness.py). Prints, per operation: kills, runs that finished
before the kill landed, demandes lost or split, runs with residue after recovery.
Exit status 1 if anything was lost, split or left.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import crash_harness as harness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--ops", default=",".join(harness.OPERATIONS))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    bad = 0
    with tempfile.TemporaryDirectory(prefix="permis-crash-") as tmp:
        base = Path(tmp)
        ctx = harness.prepare(base / "template", base / "fixtures")
        for op in args.ops.split(","):
            start = time.perf_counter()

            def progress(c: harness.Campaign) -> None:
                if (c.kills + c.finished) % 100 == 0:
                    print(f"  … {c.line()}", flush=True)

            campaign = harness.run_campaign(
                op, args.kills, base / "template", base / "work", ctx, seed=args.seed, progress=progress
            )
            print(f"{campaign.line()}  ({time.perf_counter() - start:.0f} s)", flush=True)
            for failure in campaign.failures[:5]:
                print(f"    {failure}")
            bad += campaign.lost + campaign.split + campaign.residue
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
