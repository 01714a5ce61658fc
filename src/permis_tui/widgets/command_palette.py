"""Textual's command palette and system commands, in French.

Textual 8.2.8 writes its palette texts in English: the placeholder ("Search for
commands…"), "No matches found", and the system commands (Theme, Quit, Keys,
Maximize, Screenshot). The person only ever reads French, so the app opens this
palette and yields these commands instead (``PermisApp.action_command_palette``,
``PermisApp.get_system_commands``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

PLACEHOLDER = "Rechercher une commande : étape, champ (2.5), demande…"
THEME_PLACEHOLDER = "Rechercher un thème…"
NO_MATCHES = "Aucune commande ne correspond"


class FrenchCommandPalette(CommandPalette):
    """CommandPalette whose "no matches" line is French (Textual hard-codes it)."""

    def __init__(self, placeholder: str = PLACEHOLDER, **kwargs) -> None:
        super().__init__(placeholder=placeholder, **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Same timing and behaviour as Textual's, with the French text.
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


def system_commands(app: App, screen: Screen) -> Iterable[SystemCommand]:
    """Textual's system commands, in French.

    "Keys" opens our own help (F1), which lists the keys in French, rather than
    Textual's panel, which describes its widgets' keys in English. "Screenshot" is
    left out: it writes an image of the screen, personal data included, into the
    current folder with default permissions, outside the private data folder.
    """
    yield SystemCommand("Thème", "Changer les couleurs de l'écran (pour cette session)", app.action_change_theme)
    yield SystemCommand("Quitter", "Enregistrer et quitter l'assistant (Ctrl+Q)", app.action_quit)
    if hasattr(screen, "action_help"):
        yield SystemCommand("Aide et touches", "Ce que demande l'écran et les touches utiles (F1)", screen.action_help)
    if screen.maximized is not None:
        yield SystemCommand("Réduire", "Rendre au champ agrandi sa taille normale", screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand("Agrandir", "Agrandir le champ actif à tout l'écran", screen.action_maximize)
