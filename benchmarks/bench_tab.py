"""Tab through step 1: CheckGrid finding its boxes among its children, against a CSS query.

Run by hand:  .venv/bin/python benchmarks/bench_tab.py [--rounds 15] [--tabs 20] [--as-tests]

The app runs headless (80×24) on a complete demande (tests/demande_factory.py), frames
drawn as in the app. On step 1 (the licence categories: two grids of boxes), `--tabs`
Tab presses go through the pilot, `--rounds` times, alternately with `CheckGrid.boxes` as
it is (the grid's children) and as it was (`self.query(TickBox)`). Textual asks every box
whether it may take the focus (TickBox.allow_focus) at each Tab. Each Tab is timed in the
event loop thread's CPU time; prints the median per Tab of each and their ratio. With
`--as-tests`, frames are skipped as in the pilot tests (tests/headless_frames.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pilot_ab import alternate, run_private


async def measure(data: Path, rounds: int, tabs: int) -> None:
    from demande_factory import complete_demande
    from permis_tui.app import PermisApp
    from permis_tui.store import DraftStore
    from permis_tui.widgets.check_grid import CheckGrid, TickBox

    def queried(grid: CheckGrid) -> list[TickBox]:
        return list(grid.query(TickBox))

    store = DraftStore(data)
    store.ensure()
    demande = complete_demande(store)
    ways = {"children": CheckGrid.boxes, "query": queried}
    app = PermisApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_demande(store.load(demande.numero), 1)
        await pilot.pause()
        boxes = sum(len(grid.boxes()) for grid in app.screen.query(CheckGrid))

        async def tab_along() -> None:
            await pilot.press(*["tab"] * tabs)

        ours, before = await alternate(CheckGrid, "boxes", ways, rounds, tab_along, tabs)
        print(
            f"step 1: {boxes} boxes  children {ours:5.2f} ms/Tab  query {before:5.2f} ms/Tab  ratio {ours / before:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tabs", type=int, default=20)
    parser.add_argument("--as-tests", action="store_true", help="skip frames as the pilot tests do")
    args = parser.parse_args()
    if args.as_tests:
        import headless_frames

        headless_frames.install()
    run_private(lambda data: measure(data, args.rounds, args.tabs))


if __name__ == "__main__":
    main()
