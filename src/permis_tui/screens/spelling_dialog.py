"""« Épeler » : the focused field's value, as a help-desk agent reads it aloud."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from permis_tui.spelling import kind_of_field, spell


class SpellingDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,f2,q,enter", "close", "Fermer")]

    def __init__(self, title: str, field_id: str, value: str) -> None:
        super().__init__()
        self.title_text = title
        self.lines = spell(value, kind_of_field(field_id))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="spelling-panel"):
            yield Static(f"Épeler — {self.title_text}", id="spelling-title", markup=False)
            yield Static("\n".join(self.lines), id="spelling-lines", markup=False)
            yield Static("Échap pour fermer.", id="spelling-close")

    def action_close(self) -> None:
        self.dismiss(None)
