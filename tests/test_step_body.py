"""The step's body restyles only itself when it takes or loses the focus (StepBody)."""

from __future__ import annotations

import pytest

from demande_factory import complete_demande
from permis_tui.model.piece_kind import PieceKind
from permis_tui.widgets.step_body import StepBody
from pilot_helpers import make_app, start_checks_done


def styles_of(body: StepBody) -> list[tuple[str, str]]:
    return [(repr(widget), widget.styles.css) for widget in body.walk_children(with_self=True)]


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6])  # step 7 fits at 80×24 until validated
async def test_focus_on_the_body_styles_it_and_its_fields_as_a_full_restyle_would(tmp_path, step):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        files = {PieceKind.IDENTITE: 1, PieceKind.DOMICILE: 1, PieceKind.MEDICAL: 1}
        demande = complete_demande(app.store, files=files)
        app.open_demande(app.store.load(demande.numero), step)
        await pilot.pause()
        body = app.screen.query_one("#step-body", StepBody)
        assert body.max_scroll_y > 0  # it scrolls at 80×24: Tab stops on the body
        for focused in (True, False):
            if focused:
                body.focus()
            else:
                app.screen.focus_next()
            await pilot.pause()
            assert body.has_focus is focused
            restyled = styles_of(body)
            app.update_styles(body)  # Textual's own restyle: the body and everything in it
            assert styles_of(body) == restyled


@pytest.mark.parametrize("step", [2, 6])
async def test_a_focused_body_shows_a_bar_down_its_left_edge_and_moves_nothing(tmp_path, step):
    from textual.geometry import Region

    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        demande = complete_demande(app.store)
        app.open_demande(app.store.load(demande.numero), step)
        await pilot.pause()
        body = app.screen.query_one("#step-body", StepBody)
        height = body.size.height

        def left_edge() -> str:
            return "".join(strip.text[:1] for strip in body.render_lines(Region(0, 0, 1, height)))

        app.screen.set_focus(None)
        await pilot.pause()
        unfocused = (left_edge(), body.content_region, [w.region for w in body.children])
        body.focus()
        await pilot.pause()
        assert app.focused is body and left_edge() == "▌" * height
        assert (body.content_region, [w.region for w in body.children]) == unfocused[1:]
        assert unfocused[0] == " " * height
