"""First screen and memory of permis-tui with 0 to 1,000 demandes, against a minimal Textual app.

Run by hand:  .venv/bin/python benchmarks/bench_startup.py [-n RUNS] [--sizes 0,50,500,1000] [--dirs DIR]

The data folders (0, 50, 500 and 1,000 demandes) are made by make_data_dirs.py in --dirs
(a temporary folder by default) before anything is timed. Both programs run headless as
whole processes, alternately (permis-tui at each size, then the minimal app, pair by
pair), so that each ratio is measured against a reference of the same moment on this
shared, noisy machine. Both are told the size of an 80×24 terminal (COLUMNS, LINES), as a
terminal would tell them (see TERMINAL_ENV).

- time to the first screen: from spawning the process to the end of the first refresh
  that shows "Mes demandes en cours" with its table filled (the minimal app: its first
  refresh); each child writes the moment on stdout;
- the CPU time its main thread (the event loop) used by then, less sensitive than the wall
  time to the load of a shared machine (printed beside the ratios, not a target);
- peak RSS: the kernel's accounting of the finished child (wait4); permis-tui exits only
  once its background work (start-up recovery, lazy validation) is over, so the peak
  includes it.

It fails if pypdf, fpdf2, fontTools, Pillow, pycountry, phonenumbers, email-validator or
the model of a demande (permis_tui.model.demande) were imported by a session that only
showed its home screen (the index being fresh: the data folders are opened once, untimed,
before the runs).
Targets (issue 12): first screen ≤ 1.3× and peak RSS ≤ 1.3× the minimal app at 1,000 demandes.
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

MINIMAL = """
import sys, time
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("bonjour")
    def on_mount(self):
        # The screen's content is mounted: its first frame is the next refresh.
        self.call_after_refresh(self.done)
    def done(self):
        print(time.time(), time.thread_time(), flush=True)
        self.exit()
Minimal().run(headless=True)
"""

PERMIS = """
import sys, time
from pathlib import Path
from permis_tui.app import PermisApp
from permis_tui.screens.home_screen import HomeScreen
from permis_tui.store import DraftStore
class Home(HomeScreen):
    def on_mount(self):
        # Textual calls HomeScreen.on_mount first (handlers run for each class in the MRO):
        # the table is filled, and the first frame that shows it is the next refresh.
        self.call_after_refresh(self.app.shown)
class Bench(PermisApp):
    def get_default_screen(self):
        super().get_default_screen()
        return Home()
    def shown(self):
        self.shown_at, self.shown_cpu = time.time(), time.thread_time()
        self.set_interval(0.02, self.idle)
    def idle(self):
        if all(w.is_finished for w in self.workers):
            self.rows = self.screen.query_one("#home-table").row_count
            self.exit()
from permis_tui.commands.run_app import settle_imports
settle_imports()  # as `permis-tui` does before running the app
app = Bench(DraftStore(Path(sys.argv[1])))
app.run(headless=True)
heavy = [m for m in ("pypdf", "fpdf", "fontTools", "PIL", "pycountry", "phonenumbers", "email_validator",
                     "permis_tui.model.demande") if m in sys.modules]
print(app.shown_at, app.shown_cpu, app.rows, ",".join(heavy) or "-", flush=True)
"""


# The size an 80×24 terminal reports. Headless with its output in a pipe, a child would take
# Rich's default (80×25) as its first size and the headless driver's (80×24) as the next: two
# more layouts and frames of the whole screen before the first screen settles, which no
# terminal causes (there, both read the terminal's own size). Both programs get the same.
TERMINAL_ENV = {**os.environ, "COLUMNS": "80", "LINES": "24"}


def run(code: str, *args: str) -> tuple[float, float, int, list[str]]:
    """(seconds from spawn to the first screen, CPU seconds of its main thread by then, peak RSS
    in KiB, heavy modules imported)."""
    start = time.time()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=TERMINAL_ENV
    )
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode()
    code_ = os.waitstatus_to_exitcode(status)
    if code_ or "Traceback" in err or "Error" in err:
        raise SystemExit(f"run failed ({code_}): {err[-2000:]}")
    words = out.split()
    if len(args) > 1 and words[2] != args[1]:
        raise SystemExit(f"{args[0]}: {words[2]} rows on the home screen, {args[1]} demandes on disk")
    heavy = [] if len(words) < 4 or words[3] == "-" else words[3].split(",")
    return float(words[0]) - start, float(words[1]), usage.ru_maxrss, heavy


def main() -> None:
    from make_data_dirs import fill

    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=11)
    parser.add_argument("--sizes", default="0,50,500,1000")
    parser.add_argument("--dirs", type=Path, default=None, help="where the data folders are (made if missing)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base = args.dirs or Path(tempfile.mkdtemp(prefix="bench-startup-"))
    for size in sizes:
        fill(base / f"d{size}", size)
    # The bytecode of permis-tui, as an installed wheel has it (pip compiles on install) and as
    # Textual has it here: an editable install run with PYTHONDONTWRITEBYTECODE (set in this
    # sandbox) would otherwise compile every module in every run, and the minimal app never.
    import compileall

    import permis_tui

    compileall.compile_dir(Path(permis_tui.__file__).parent, quiet=1)
    # Warm-up: the OS page cache, and each folder opened once (index up to date).
    run(MINIMAL)
    for size in sizes:
        run(PERMIS, str(base / f"d{size}"), str(size))
    times: dict[int, list[float]] = {s: [] for s in sizes}
    rss: dict[int, list[int]] = {s: [] for s in sizes}
    t_ratio: dict[int, list[float]] = {s: [] for s in sizes}
    c_ratio: dict[int, list[float]] = {s: [] for s in sizes}
    m_ratio: dict[int, list[float]] = {s: [] for s in sizes}
    ref_t: list[float] = []
    ref_m: list[int] = []
    heavy: set[str] = set()
    for _ in range(args.n):
        for size in sizes:
            ta, ca, ra, loaded = run(PERMIS, str(base / f"d{size}"), str(size))
            tb, cb, rb, _ = run(MINIMAL)
            heavy.update(loaded)
            times[size].append(ta)
            rss[size].append(ra)
            ref_t.append(tb)
            ref_m.append(rb)
            t_ratio[size].append(ta / tb)
            c_ratio[size].append(ca / cb)
            m_ratio[size].append(ra / rb)
    med = statistics.median
    print(f"runs: {args.n} pairs per size; data in {base}")
    print(
        f"minimal Textual app      : first screen {med(ref_t) * 1000:6.1f} ms   peak RSS {med(ref_m) / 1024:5.1f} MiB"
    )
    for size in sizes:
        print(
            f"permis-tui, {size:>5} demandes: first screen {med(times[size]) * 1000:6.1f} ms   "
            f"peak RSS {med(rss[size]) / 1024:5.1f} MiB   "
            f"ratios (pairwise medians): time {med(t_ratio[size]):.2f}×  RSS {med(m_ratio[size]):.2f}×  "
            f"(CPU by the first screen {med(c_ratio[size]):.2f}×)"
        )
    last = sizes[-1]
    print(
        f"targets at {last} demandes: time ≤ 1.30× (now {med(t_ratio[last]):.2f}×), "
        f"RSS ≤ 1.30× (now {med(m_ratio[last]):.2f}×)"
    )
    print(f"load average: {Path('/proc/loadavg').read_text().split()[0]} on {os.cpu_count()} CPUs")
    if heavy:
        raise SystemExit(f"imported by a session that only showed its home screen: {', '.join(sorted(heavy))}")


if __name__ == "__main__":
    main()
