"""F1: what the current screen asks, its fields, what to have at hand, and the keys.

The keys table is written from the bindings themselves (their `tooltip` is the long
description), so that a key added or changed shows in F1 without a second table.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from permis_tui.model.catalogue import Field

# Keys handled by the widgets themselves (focus, radio sets, check grids): no binding names them.
FIELD_KEYS = (
    ("Tab / Maj+Tab", "champ suivant / précédent"),
    ("↑ ↓ puis Entrée ou Espace", "choisir une option"),
    ("← → ↑ ↓ puis Espace", "cocher une case (catégories : une seule étape de Tab pour toute la grille)"),
    ("↑ ↓ (barre à gauche de la page)", "faire défiler la page : Tab s'y arrête quand elle ne tient pas à l'écran"),
)
_KEY_NAMES = {"escape": "Échap", "enter": "Entrée", "delete": "Suppr", "slash": "/", "space": "Espace"}


def key_name(key: str) -> str:
    """A binding's key as the help names it: "ctrl+n" → "Ctrl+N", "delete" → "Suppr"."""

    def one(k: str) -> str:
        *mods, base = k.split("+")
        # Ctrl+N and F1 as printed on keyboards; a letter alone stays as typed (n, r, s).
        upper = bool(mods) or (base[0] == "f" and base[1:].isdigit())
        name = _KEY_NAMES.get(base, base.upper() if upper else base)
        return "+".join([m.capitalize() for m in mods] + [name])

    return " ou ".join(one(k.strip()) for k in key.split(","))


def key_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    # Every BINDINGS entry here is a Binding; Textual's type also allows (key, action) tuples.
    return [
        (key_name(b.key), b.tooltip or b.description)
        for b in bindings
        if isinstance(b, Binding) and (b.tooltip or b.show)
    ]


def key_table(rows: Iterable[tuple[str, str]]) -> str:
    lines = ["| Touche | Action |", "|---|---|"]
    lines += [f"| {key} | {action} |" for key, action in rows]
    return "\n".join(lines)


def fields_list(fields: Iterable[Field]) -> str:
    """The step's fields by number, as an agent and the person aided name them."""
    lines = []
    for f in fields:
        star = " *" if f.required else ""
        lines.append(f"- **{f.number}** {f.label}{star}")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Fermer l'aide")]

    def __init__(
        self, title: str, body: str, keys: Iterable[tuple[str, str]] = (), fields: Iterable[Field] = ()
    ) -> None:
        super().__init__()
        self.help_title = title
        self.body = body
        self.keys = list(keys)
        self.fields = list(fields)

    def markdown(self) -> str:
        parts = [self.body]
        if self.fields:
            parts.append("### Champs de l'étape (* : obligatoire lorsqu'il est demandé)\n" + fields_list(self.fields))
        if self.keys:
            parts.append("### Touches\n" + key_table(self.keys))
        return "\n\n".join(parts)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-panel"):
            yield Static(f"Aide — {self.help_title}", id="help-title", markup=False)
            yield Markdown(self.markdown())
            yield Static("Échap ou F1 pour fermer.", id="help-close")

    def action_close(self) -> None:
        self.dismiss(None)
