"""Tab onto a step's body and off it again: StepBody's restyle against Textual's own.

Run by hand:  .venv/bin/python benchmarks/bench_body_focus.py [--rounds 30]

The app runs headless (80×24) on a complete demande (tests/demande_factory.py, three
one-page PDFs attached). On each of steps 1 to 6, the body takes the focus and gives it to
the next widget, `--rounds` times, alternately with StepBody's focus watcher (the body alone
is restyled) and Textual's (the body and every widget in it). Each pair of focus changes is
timed in the event loop thread's CPU time, its frames drawn as in the app; prints the
median of each and their ratio, per step, with the number of widgets in the body.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


async def measure(data: Path, rounds: int) -> None:
    from textual.widget import Widget

    from demande_factory import complete_demande
    from permis_tui.app import PermisApp
    from permis_tui.model.piece_kind import PieceKind
    from permis_tui.store import DraftStore
    from permis_tui.widgets.step_body import StepBody

    store = DraftStore(data)
    store.ensure()
    files = {PieceKind.IDENTITE: 1, PieceKind.DOMICILE: 1, PieceKind.MEDICAL: 1}
    demande = complete_demande(store, files=files)
    watchers = {"StepBody": StepBody.watch_has_focus, "Textual": Widget.watch_has_focus}
    app = PermisApp(store)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for step in range(1, 7):
                app.open_demande(store.load(demande.numero), step)
                await pilot.pause()
                body = app.screen.query_one("#step-body", StepBody)
                times: dict[str, list[float]] = {name: [] for name in watchers}
                for _ in range(rounds):
                    for name, watcher in watchers.items():
                        StepBody.watch_has_focus = watcher  # type: ignore[method-assign]
                        start = time.thread_time()
                        body.focus()
                        await pilot.pause(0)
                        app.screen.focus_next()
                        await pilot.pause(0)
                        times[name].append((time.thread_time() - start) * 1000)
                ours, textual = (statistics.median(times[name]) for name in watchers)
                widgets = sum(1 for _ in body.walk_children(with_self=True))
                print(
                    f"step {step}: {widgets:3} widgets  StepBody {ours:6.1f} ms  "
                    f"Textual {textual:6.1f} ms  ratio {ours / textual:.2f}"
                )
    finally:
        StepBody.watch_has_focus = watchers["StepBody"]  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "xdg-data")
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "xdg-config")
        asyncio.run(measure(Path(tmp) / "data", args.rounds))


if __name__ == "__main__":
    main()
