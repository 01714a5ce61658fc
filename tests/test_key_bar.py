"""The key bar shows every key of the screen: at 80 columns it takes a second line rather
than cutting Accueil and Quitter off."""

from __future__ import annotations

import pytest
from rich.text import Text

from permis_tui.model.demande import Demande
from permis_tui.widgets.key_bar import KeyBar, lay_out
from pilot_helpers import make_app, start_checks_done


def _item(key: str, description: str) -> Text:
    text = Text()
    text.append(f" {key} ", style="bold reverse")
    text.append(" " + description)
    return text


def test_lay_out_never_splits_an_item_and_keeps_to_the_width():
    items = [_item("^n", "Suivante"), _item("^b", "Précédente"), _item("f3", "Accueil"), _item("^q", "Quitter")]
    lines = lay_out(items, 30).plain.split("\n")
    assert lines == [" ^n  Suivante   ^b  Précédente", " f3  Accueil   ^q  Quitter"]
    assert all(len(line) <= 30 for line in lines)
    assert lay_out(items, 200).plain.count("\n") == 0


@pytest.mark.parametrize("size, lines", [((80, 24), 2), ((120, 40), 1)])
async def test_every_key_of_a_step_is_on_screen(tmp_path, size, lines):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=size) as pilot:
        await start_checks_done(app)
        d = Demande()
        app.store.save(d)
        app.open_demande(d, 2)
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        shown = str(bar.render()).split("\n")
        assert len(shown) == lines and bar.region.height == lines
        assert bar.region.bottom == size[1]  # the bottom of the terminal, fully visible
        assert all(len(line) <= size[0] - 2 for line in shown)
        text = " ".join(shown)
        for description in ("Suivante", "Précédente", "Enregistrer", "Aide", "Épeler", "Accueil", "Quitter"):
            assert description in text


async def test_home_bar_shows_the_same_delete_key_as_the_actions_line(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(str(app.screen.query_one(KeyBar).render()).split("\n"))
        assert " s  Supprimer" in text and "Quitter" in text
