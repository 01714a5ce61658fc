"""One keystroke of the home screen's search, with 1,000 demandes.

Run by hand:  .venv/bin/python benchmarks/bench_home_search.py [--size 1000] [--rounds 5] [--dirs DIR]

The app runs headless (80×24) on a data folder of `--size` demandes (made by
make_data_dirs.py). The search field gets focus, then names are typed letter by letter
and erased with Backspace, `--rounds` times. Each keystroke is timed from the moment the
app receives the key to the end of the first refresh after the table was filtered (the
frame that shows the result), in wall time and in the event loop thread's CPU time (on
a shared machine the scheduler takes the CPU away now and then: that shows in the wall
time only); the table is checked against a plain filter of the listing after every key.
Target (issue 12): ≤ 16 ms per keystroke (median; p90 printed too).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

WORDS = ("martin", "obrien", "zoé le", "2601", "validée")


async def measure(data: Path, rounds: int) -> tuple[list[float], list[float]]:
    from textual import events

    from permis_tui.app import PermisApp
    from permis_tui.screens.home_screen import HomeScreen, matches
    from permis_tui.store import DraftStore

    latencies: list[float] = []
    cpu: list[float] = []
    pending: list[tuple[float, float]] = []

    class Bench(PermisApp):
        async def on_event(self, event: events.Event) -> None:
            if isinstance(event, events.Key):
                pending.append((time.perf_counter(), time.thread_time()))
            await super().on_event(event)

    filter_table = HomeScreen.filter_table

    def timed(self: HomeScreen, keep: str | None = None) -> None:
        filter_table(self, keep)
        if pending:
            start, start_cpu = pending.pop()

            def drawn() -> None:
                latencies.append(time.perf_counter() - start)
                cpu.append(time.thread_time() - start_cpu)

            self.call_after_refresh(drawn)

    HomeScreen.filter_table = timed  # type: ignore[method-assign]
    app = Bench(DraftStore(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        table = home.query_one("#home-table")
        await pilot.press("slash")
        for _ in range(rounds):
            for word in WORDS:
                for key in word:
                    await pilot.press("space" if key == " " else key)
                    query = home.query_one("#home-search").value
                    expected = [d.numero for d in home.demandes if matches(d, query)]
                    got = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
                    assert got == expected, (query, len(got), len(expected))
                for _ in word:
                    await pilot.press("backspace")
        assert table.row_count == len(home.demandes)
    return latencies, cpu


def main() -> None:
    from make_data_dirs import fill

    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dirs", type=Path, default=None)
    args = parser.parse_args()
    base = args.dirs or Path(tempfile.mkdtemp(prefix="bench-home-"))
    data = base / f"d{args.size}"
    fill(data, args.size)
    latencies, cpu = asyncio.run(measure(data, args.rounds))
    print(f"{args.size} demandes, {len(latencies)} keystrokes, key to frame (target ≤ 16 ms):")
    for label, values in (("wall", latencies), ("CPU ", cpu)):
        ms = sorted(x * 1000 for x in values)
        p90 = ms[int(0.9 * (len(ms) - 1))]
        print(
            f"  {label}: median {statistics.median(ms):5.1f} ms, p90 {p90:5.1f} ms, max {ms[-1]:6.1f} ms   "
            f"{'met' if statistics.median(ms) <= 16 else 'NOT met'}"
        )
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
