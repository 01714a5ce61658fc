"""A demo session walked to validation, in a process of its own: `python tests/demo_walk.py DATA_DIR`.

The way a person tries the demo: "e" loads the fictional example, Entrée opens it (at the
récapitulatif), Ctrl+B back to step 1, Ctrl+N through every step to the récapitulatif
again, then "v" and "o" validate it, up to the confirmation (step 7). Prints one JSON line:
the heavy modules the session imported (it must import none: documents are checked and
PDFs rendered in child processes), and its peak RSS (VmHWM, KiB) at each stage.

Run in its own process so that nothing another test imported counts; used by
tests/test_demo_memory.py and benchmarks/bench_demo_memory.py.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

HEAVY = ("fpdf", "fontTools", "PIL", "pypdf", "icalendar", "dateutil")


def peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def walk(data_dir: Path) -> dict:
    from permis_tui.app import PermisApp
    from permis_tui.screens.home_screen import HomeScreen
    from permis_tui.store import DraftStore

    stages: dict[str, int] = {}
    app = PermisApp(DraftStore(data_dir), demo=True)
    async with app.run_test(size=(80, 24)) as pilot:

        async def until(condition, what: str, tries: int = 600) -> None:
            for _ in range(tries):
                if condition():
                    return
                await pilot.pause(0.05)
            raise SystemExit(f"demo walk: {what} never happened (screen: {type(app.screen).__name__})")

        await until(lambda: isinstance(app.screen, HomeScreen), "home screen")
        stages["accueil"] = peak_rss_kib()
        await pilot.press("e")
        await until(lambda: app.screen.query_one("#home-table").row_count == 1, "example loaded")
        stages["exemple"] = peak_rss_kib()
        await pilot.press("enter")
        await until(lambda: getattr(app.screen, "STEP", 0) == 6, "récapitulatif")
        for step in (5, 4, 3, 2, 1):
            await pilot.press("ctrl+b")
            await until(lambda step=step: getattr(app.screen, "STEP", 0) == step, f"step {step}")
        for step in (2, 3, 4, 5, 6):
            await pilot.press("ctrl+n")
            await until(lambda step=step: getattr(app.screen, "STEP", 0) == step, f"step {step}")
        stages["etapes"] = peak_rss_kib()
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("o")
        await until(lambda: getattr(app.screen, "STEP", 0) == 7, "confirmation (step 7)", tries=1200)
        stages["validation"] = peak_rss_kib()
        validee = app.demande is not None and app.demande.est_validee
    return {
        "heavy": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY and "." not in m),
        "validee": validee,
        "peak_kib": stages,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(walk(Path(sys.argv[1])))))
