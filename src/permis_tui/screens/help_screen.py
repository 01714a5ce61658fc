"""F1: what the current screen asks, what to have at hand, and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

COMMON_KEYS = """\
### Touches
| Touche | Action |
|---|---|
| Tab / Maj+Tab | champ suivant / précédent |
| ↑ ↓ puis Espace | choisir une option |
| Ctrl+N | Étape suivante >> |
| Ctrl+B | << Étape précédente |
| Ctrl+S | Enregistrer |
| Ctrl+P | palette de commandes (aller à une étape, un champ, une demande) |
| ← → ↑ ↓ puis Espace | cocher une case (catégories) |
| F1 | cette aide |
| F2 | épeler la valeur du champ |
| F3 | Accueil : enregistrer et revenir à « Mes demandes en cours » |
| Ctrl+Q | enregistrer et quitter |
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Fermer l'aide")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.help_title = title
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel"):
            yield Static(f"Aide — {self.help_title}", id="help-title", markup=False)
            yield Markdown(self.body + "\n\n" + COMMON_KEYS)
            yield Static("Échap ou F1 pour fermer.", id="help-close")

    def action_close(self) -> None:
        self.dismiss(None)
