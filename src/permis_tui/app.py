"""The Textual application: the home screen and the seven steps."""

from __future__ import annotations

import asyncio
import importlib
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding

from permis_tui.safe_text import escape, first_unsafe
from permis_tui.store import DraftStore, StoreError

if TYPE_CHECKING:
    from permis_tui.model.demande import Demande

# step → "module:Class"; imported on first use to keep startup light.
STEP_SCREENS = {
    1: "permis_tui.screens.motif_screen:MotifScreen",
    2: "permis_tui.screens.etat_civil_screen:EtatCivilScreen",
    3: "permis_tui.screens.adresse_screen:AdresseScreen",
    4: "permis_tui.screens.photo_screen:PhotoScreen",
    5: "permis_tui.screens.pieces_screen:PiecesScreen",
    6: "permis_tui.screens.recapitulatif_screen:RecapitulatifScreen",
    7: "permis_tui.screens.confirmation_screen:ConfirmationScreen",
}


def stylesheet_path() -> Path:
    """screens.tcss ships inside the package (a link to the repo's top-level file)."""
    return Path(__file__).with_name("screens.tcss")


def _palette_provider():
    # Imported when the palette opens, not at startup.
    from permis_tui.palette import PermisCommands

    return PermisCommands


class PermisApp(App[None]):
    TITLE = "permis-tui"
    SUB_TITLE = "Demande de permis de conduire"
    CSS_PATH = stylesheet_path()
    BINDINGS = [Binding("ctrl+q", "quit", "Quitter", id="app.quit", priority=True)]

    COMMANDS = App.COMMANDS | {lambda: _palette_provider()}

    def __init__(self, store: DraftStore, *, demo: bool = False) -> None:
        super().__init__()
        self.store = store
        self.demo = demo
        self.demande: Demande | None = None
        # True from "n" until the new demande's first answer is saved: no file before that.
        self.demande_nouvelle = False
        from permis_tui.config import load_config

        self.config = load_config()
        self.store_error: str | None = self.config.error
        # "2.5" → (step, label, field id), filled as step screens are shown; used by the palette.
        self.field_catalogue: dict[str, tuple[int, str, str]] = {}

    @property
    def max_file_bytes(self) -> int:
        return self.config.max_file_bytes

    def on_mount(self) -> None:
        self._install_signal_handlers()
        self._apply_theme()
        self._check_size()

    def _apply_theme(self) -> None:
        from permis_tui.config import THEMES

        if self.config.theme == "contraste":
            from permis_tui.widgets.themes import HIGH_CONTRAST

            self.register_theme(HIGH_CONTRAST)
        self.theme = THEMES[self.config.theme]

    async def on_event(self, event: events.Event) -> None:
        # A paste is how control characters get into a field (the keyboard cannot type ESC
        # as text): they arrive visible (\x1b), so no Input ever sends them to the terminal.
        if isinstance(event, events.Paste) and not event.is_forwarded and first_unsafe(event.text):
            event = events.Paste(escape(event.text, keep_newlines=True))
        await super().on_event(event)

    def on_resize(self, event) -> None:
        # self.size catches up a frame later; the event carries the new size now.
        self._check_size(event.size)

    def _check_size(self, size=None) -> None:
        from permis_tui.screens.too_small_screen import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

        width, height = size or self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif isinstance(self.screen, TooSmallScreen):
            if small:
                self.screen.update_size(width, height)
            else:
                self.pop_screen()

    # -- Textual's palette, in French (see widgets/command_palette.py) ----------
    def action_command_palette(self) -> None:
        from permis_tui.widgets.command_palette import FrenchCommandPalette

        if self.use_command_palette and not FrenchCommandPalette.is_open(self):
            self.push_screen(FrenchCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen):
        from permis_tui.widgets.command_palette import system_commands

        return system_commands(self, screen)

    def action_help_quit(self) -> None:
        # Ctrl+C copies in a field; elsewhere Textual says in English how to quit.
        self.notify("Appuyez sur Ctrl+Q pour enregistrer et quitter l'assistant.", title="Quitter ?")

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from permis_tui.widgets.command_palette import THEME_PLACEHOLDER, FrenchCommandPalette

        self.push_screen(FrenchCommandPalette(providers=[ThemeProvider], placeholder=THEME_PLACEHOLDER))

    def get_default_screen(self):
        # The home screen is the base of the stack: no extra blank screen to build at startup.
        from permis_tui.screens.home_screen import HomeScreen

        try:
            self.store.ensure()
        except StoreError as exc:
            self.store_error = str(exc)
        return HomeScreen()

    def _install_signal_handlers(self) -> None:
        # The terminal closing (SSH dropped) sends SIGHUP: save what was typed first.
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._hang_up)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    def _hang_up(self) -> None:
        self.save_current()
        self.exit()

    # -- the current demande ---------------------------------------------
    def open_demande(self, demande: Demande, step: int | None = None, *, nouvelle: bool = False) -> None:
        self.demande = demande
        self.demande_nouvelle = nouvelle
        self.goto_step(step or min(demande.etape, 7))

    @property
    def rien_a_enregistrer(self) -> bool:
        """A new demande with no answer yet: it gets no file (saved on its first answer)."""
        return self.demande is not None and self.demande_nouvelle and not self.demande.a_des_reponses

    def save_demande(self) -> bool:
        if self.demande is None or self.demande.est_validee or self.rien_a_enregistrer:
            return True
        try:
            self.store.save(self.demande)
        except StoreError as exc:
            self.notify(str(exc), title="Enregistrement impossible", severity="error", timeout=8)
            return False
        self.demande_nouvelle = False
        return True

    def save_first_answer(self) -> None:
        """Called after each answer: the first one of a new demande writes its file."""
        if self.demande is None or not self.demande_nouvelle or not self.demande.a_des_reponses:
            return
        if self.save_demande():
            self.notify(f"Demande n° {self.demande.numero} enregistrée.", timeout=4)

    def save_current(self) -> None:
        screen = self.screen
        save = getattr(screen, "save_before_exit", None)
        if save is not None:
            try:
                save()
            except Exception:  # noqa: BLE001 - saving on the way out must not stop the exit
                pass
        if self.demande is not None and not self.demande.est_validee and not self.rien_a_enregistrer:
            try:
                self.store.save(self.demande)
            except StoreError:
                pass
            else:
                self.demande_nouvelle = False

    def goto_step(self, step: int, *, return_to_recap: bool = False) -> None:
        current = self.screen
        if getattr(current, "STEP", 0):
            # Every way of leaving a step (buttons, keys, palette) keeps what was typed.
            if not current.can_leave():
                return
            self.save_current()
        module_name, _, class_name = STEP_SCREENS[step].partition(":")
        screen_class = getattr(importlib.import_module(module_name), class_name)
        screen = screen_class(return_to_recap=return_to_recap)
        if getattr(self.screen, "STEP", 0):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def goto_field(self, number: str) -> None:
        step = int(number.split(".")[0])
        if getattr(self.screen, "STEP", 0) != step:
            self.goto_step(step)  # saves what the current step holds
        self.call_after_refresh(self._focus_number, number)

    def _focus_number(self, number: str) -> None:
        focus = getattr(self.screen, "focus_number", None)
        if focus is not None and not focus(number):
            self.notify(f"Le champ {number} n'est pas affiché pour cette demande.", severity="warning")

    def open_numero(self, numero: str) -> None:
        from permis_tui.screens.home_screen import HomeScreen

        self.save_current()
        try:
            demande = self.store.load(numero)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        while getattr(self.screen, "STEP", 0):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            return
        self.notify(f"Demande n° {numero} ouverte.")
        self.open_demande(demande)

    def go_home(self) -> None:
        from permis_tui.screens.home_screen import HomeScreen

        current = self.screen
        if getattr(current, "STEP", 0):
            if not current.can_leave():
                return
            self.save_current()
        self.demande = None
        self.demande_nouvelle = False
        if getattr(self.screen, "STEP", 0):
            self.pop_screen()  # the home screen below refreshes when resumed
        elif not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen())

    async def action_quit(self) -> None:
        self.save_current()
        self.exit()
