"""A step's first visit (built): no garbage collection during the build, collections back
once it is drawn; the other steps' modules and reference data read in a worker meanwhile."""

from __future__ import annotations

import gc
import sys

from demande_factory import complete_demande
from permis_tui.app import STEP_SCREENS
from permis_tui.referentiel import codes_postaux, commune_index, countries
from pilot_helpers import make_app, start_checks_done, wait_until


async def test_collections_pause_while_a_step_is_built_and_resume_once_it_is_drawn(tmp_path):
    app = make_app(tmp_path / "data")
    states: list[tuple[int, bool]] = []
    show_step = app._show_step

    def recording(step: int, *args, **kwargs) -> None:
        show_step(step, *args, **kwargs)
        states.append((step, gc.isenabled()))  # the new screen is built from here on

    app._show_step = recording  # type: ignore[method-assign]
    assert gc.isenabled()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        demande = complete_demande(app.store)
        app.open_demande(app.store.load(demande.numero), 1)
        await wait_until(pilot, lambda: getattr(app.screen, "STEP", 0) == 1 and gc.isenabled(), "step 1 drawn")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: getattr(app.screen, "STEP", 0) == 2 and gc.isenabled(), "step 2 drawn")
        await pilot.press("ctrl+b")  # step 1 again: kept, not built
        await wait_until(pilot, lambda: getattr(app.screen, "STEP", 0) == 1, "step 1 again")
        assert gc.isenabled()
    assert states == [(1, False), (2, False), (1, True)]
    assert gc.isenabled()


async def test_the_other_steps_are_warmed_once_a_step_is_shown(tmp_path):
    commune_index.charger_index.cache_clear()
    codes_postaux.charger_codes_postaux.cache_clear()
    countries._charger.cache_clear()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        demande = complete_demande(app.store)
        app.open_demande(app.store.load(demande.numero), 1)
        assert commune_index.charger_index.cache_info().currsize == 0  # not needed by step 1
        await wait_until(
            pilot,
            lambda: (
                commune_index.charger_index.cache_info().currsize == 1
                and codes_postaux.charger_codes_postaux.cache_info().currsize == 1
                and all(path.partition(":")[0] in sys.modules for path in STEP_SCREENS.values())
            ),
            "the other steps warmed",
        )
        await wait_until(pilot, lambda: countries._charger.cache_info().currsize == 1, "the countries read")
