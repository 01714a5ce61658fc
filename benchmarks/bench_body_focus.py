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
from pathlib import Path

from pilot_ab import alternate, run_private


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
    async with app.run_test(size=(80, 24)) as pilot:
        for step in range(1, 7):
            app.open_demande(store.load(demande.numero), step)
            await pilot.pause()
            body = app.screen.query_one("#step-body", StepBody)

            async def focus_pair(body: StepBody = body) -> None:
                body.focus()
                await pilot.pause(0)
                app.screen.focus_next()
                await pilot.pause(0)

            ours, textual = await alternate(StepBody, "watch_has_focus", watchers, rounds, focus_pair)
            widgets = sum(1 for _ in body.walk_children(with_self=True))
            print(
                f"step {step}: {widgets:3} widgets  StepBody {ours:6.1f} ms  "
                f"Textual {textual:6.1f} ms  ratio {ours / textual:.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    run_private(lambda data: measure(data, args.rounds))


if __name__ == "__main__":
    main()
