"""Shown while the terminal is smaller than 80×24; goes away when it grows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen #too-small { width: 100%; height: auto; content-align: center middle; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small", markup=False)

    def on_mount(self) -> None:
        self.update_size()

    def update_size(self, w: int | None = None, h: int | None = None) -> None:
        if w is None or h is None:
            w, h = self.app.size
        self.query_one("#too-small", Static).update(
            f"Fenêtre trop petite ({w} × {h}).\n"
            f"Agrandissez-la à {MIN_WIDTH} × {MIN_HEIGHT} caractères au moins.\n"
            "Rien n'est perdu : l'assistant reprend dès que la fenêtre est assez grande."
        )
