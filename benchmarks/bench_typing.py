"""Typing into a step's field: TextInput (the field redrawn) against Textual's Input (the
screen laid out again at each keystroke).

Run by hand:  .venv/bin/python benchmarks/bench_typing.py [--rounds 15] [--keys 20]

The app runs headless (80×24) on a complete demande (tests/demande_factory.py), frames
drawn as in the app. On a text field of steps 2 and 3, `--keys` letters are typed
through the pilot, then erased, `--rounds` times, alternately with TextInput's virtual
size (redraw only) and Textual's (a layout of the screen). Each keystroke is timed in the
event loop thread's CPU time; prints the median per keystroke of each and their ratio.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pilot_ab import alternate, run_private

FIELDS = {2: "etat_civil.nom_usage", 3: "adresse.complement"}


async def measure(data: Path, rounds: int, keys: int) -> None:
    from textual.widget import Widget

    from demande_factory import complete_demande
    from permis_tui.app import PermisApp
    from permis_tui.store import DraftStore
    from permis_tui.widgets.field_row import field_dom_id
    from permis_tui.widgets.text_input import TextInput

    store = DraftStore(data)
    store.ensure()
    demande = complete_demande(store)
    sizes = {"TextInput": TextInput.__dict__["virtual_size"], "Textual": Widget.__dict__["virtual_size"]}
    app = PermisApp(store)
    letters = ("abcdefghij" * (keys // 10 + 1))[: max(1, keys)]
    async with app.run_test(size=(80, 24)) as pilot:
        for step, field_id in FIELDS.items():
            app.open_demande(store.load(demande.numero), step)
            await pilot.pause()
            field = app.screen.query_one("#" + field_dom_id(field_id), TextInput)
            field.focus()
            await pilot.pause()

            async def type_and_erase() -> None:
                await pilot.press(*letters, *["backspace"] * len(letters))

            ours, textual = await alternate(TextInput, "virtual_size", sizes, rounds, type_and_erase, 2 * len(letters))
            widgets = sum(1 for _ in app.screen.walk_children())
            print(
                f"step {step}: {widgets:3} widgets  TextInput {ours:5.2f} ms/key  "
                f"Textual {textual:5.2f} ms/key  ratio {ours / textual:.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    run_private(lambda data: measure(data, args.rounds, args.keys))


if __name__ == "__main__":
    main()
