"""Startup time and memory of permis-tui's home screen against a minimal Textual app.

Run by hand:  .venv/bin/python benchmarks/bench_startup.py [-n RUNS]

Both programs run headless as whole processes, alternately (A B A B …), so that the
ratio is measured pair by pair on this shared, noisy machine. Peak RSS comes from
the kernel's accounting of each finished child (wait4).
Targets: time ratio ≤ 1.25, peak RSS ratio ≤ 1.3.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("bonjour")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Minimal().run(headless=True)
"""

PERMIS = """
import sys
from pathlib import Path
from permis_tui.app import PermisApp
from permis_tui.screens.home_screen import HomeScreen
from permis_tui.store import DraftStore
class Bench(PermisApp):
    def on_mount(self):
        # Textual calls PermisApp.on_mount too (handlers run for each class in the MRO).
        self.call_after_refresh(self.done)
    def done(self):
        if isinstance(self.screen, HomeScreen) and self.screen.is_mounted:
            self.exit()
        else:
            self.call_after_refresh(self.done)
app = Bench(DraftStore(Path(sys.argv[1])))
app.run(headless=True)
heavy = [m for m in ("pypdf", "fpdf", "PIL", "pycountry", "phonenumbers", "email_validator") if m in sys.modules]
assert not heavy, heavy
"""


def run(code: str, *args: str) -> tuple[float, int, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode or "Traceback" in err or "Error" in err:
        raise SystemExit(f"run failed ({proc.returncode}): {err[-2000:]}")
    # CPU time (user + sys) is less disturbed than wall time by other jobs on a shared machine.
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=15)
    args = parser.parse_args()
    data = tempfile.mkdtemp()
    # Warm-up: the OS page cache and .pyc files.
    run(MINIMAL)
    run(PERMIS, data)
    a_times, b_times, a_rss, b_rss, ratios, rss_ratios, cpu_ratios = [], [], [], [], [], [], []
    a_cpu, b_cpu = [], []
    for _ in range(args.n):
        ta, ra, ca = run(PERMIS, data)
        tb, rb, cb = run(MINIMAL)
        a_times.append(ta); b_times.append(tb); a_rss.append(ra); b_rss.append(rb); a_cpu.append(ca); b_cpu.append(cb)
        ratios.append(ta / tb); rss_ratios.append(ra / rb); cpu_ratios.append(ca / cb)
    med = statistics.median
    print(f"runs: {args.n} pairs")
    print(f"permis-tui home screen : median {med(a_times)*1000:7.1f} ms   peak RSS {med(a_rss)/1024:6.1f} MiB")
    print(f"minimal Textual app    : median {med(b_times)*1000:7.1f} ms   peak RSS {med(b_rss)/1024:6.1f} MiB")
    print(f"time ratio (pairwise)  : median {med(ratios):.3f}  (min {min(ratios):.3f}, max {max(ratios):.3f})  target ≤ 1.25")
    print(f"CPU time (user+sys)    : median {med(a_cpu)*1000:7.1f} ms vs {med(b_cpu)*1000:7.1f} ms; "
          f"ratio median {med(cpu_ratios):.3f}  (min {min(cpu_ratios):.3f}, max {max(cpu_ratios):.3f})")
    print(f"RSS ratio (pairwise)   : median {med(rss_ratios):.3f}  (min {min(rss_ratios):.3f}, max {max(rss_ratios):.3f})  target ≤ 1.30")


if __name__ == "__main__":
    main()
