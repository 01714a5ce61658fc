"""Every text Textual or argparse would show in English is French: the palette, key bar, --help."""

from __future__ import annotations

import re

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import Select

from permis_tui.cli import main
from permis_tui.model.demande import Demande
from permis_tui.widgets.field_row import field_dom_id
from permis_tui.widgets.key_bar import KeyBar
from pilot_helpers import make_app, palette_pick, palette_prompts, record_notifications, start_checks_done, wait_until

ENGLISH = (
    "Press",
    "Do you want to quit",
    "Search for commands",
    "Theme",
    "Quit",
    "Keys",
    "Maximize",
    "Minimize",
    "Screenshot",
    "No matches found",
    "Dismiss menu",
    "show program's version number",
)


def english_in(text: str) -> list[str]:
    return [e for e in ENGLISH if re.search(rf"\b{re.escape(e)}\b", text)]


def _prompts(palette: CommandPalette) -> list[str]:
    command_list = palette.query_one(CommandList)
    return [str(command_list.get_option_at_index(i).prompt) for i in range(command_list.option_count)]


async def test_palette_placeholder_and_system_commands_are_french(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: palette_prompts(app) != [], "the palette's commands")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(CommandInput).placeholder.startswith("Rechercher une commande")
        prompts = "\n".join(_prompts(palette))
        for french in ("Thème", "Quitter", "Aide et touches"):
            assert french in prompts
        assert english_in(prompts) == []
        await pilot.press(*"zzzzqq")
        await wait_until(
            pilot,
            lambda: "Aucune commande ne correspond" in "\n".join(_prompts(palette)),
            "the palette's French « no match »",
        )


async def test_palette_help_command_opens_the_french_help(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await palette_pick(pilot, "aide et touches", "Aide et touches")
        from permis_tui.screens.help_screen import HelpScreen

        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")


async def test_theme_command_opens_a_french_theme_search(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await palette_pick(pilot, "thème", "Thème")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, CommandPalette)
                and app.screen.query_one(CommandInput).placeholder == "Rechercher un thème…"
            ),
            "the French theme search",
        )


async def test_open_select_key_bar_says_fermer_la_liste(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_checks_done(app)
        d = Demande()
        app.store.save(d)
        app.open_demande(d, 3)
        await pilot.pause()
        select = app.screen.query_one("#" + field_dom_id("adresse.type_voie"), Select)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert select.expanded
        bar = str(app.screen.query_one(KeyBar).render())
        assert "Fermer la liste" in bar and "Dismiss menu" not in bar


async def test_ctrl_c_tells_how_to_quit_in_french(tmp_path):
    app = make_app(tmp_path / "data")
    shown = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        [(title, message)] = shown
        assert title == "Quitter ?"
        assert message == "Appuyez sur Ctrl+Q pour enregistrer et quitter l'assistant."
        assert english_in(message + title) == []


def test_help_has_no_english(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "affiche la version et quitte" in out
    assert english_in(out) == []
