"""The keys of the current screen, as plain text, at the bottom.

It replaces Textual's Footer: the same information, far cheaper to build
(startup is measured against a bare Textual app), and easy to read aloud.
When the keys do not fit on one line (80 columns), the bar takes a second line
rather than cutting the last keys off (Accueil and Quitter were lost at 80×24).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

# Textual's own widgets describe their keys in English; the bar shows them in French.
TEXTUAL_DESCRIPTIONS = {
    "Dismiss menu": "Fermer la liste",  # Select's open list
    "Open link": "Ouvrir le lien",
    "Exit the command palette": "Fermer la palette",
}


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: auto; max-height: 3; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: Text | None = None
        self._items: list[Text] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_resize(self) -> None:
        self._show()

    def _bindings_changed(self, screen) -> None:
        items: list[Text] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            description = TEXTUAL_DESCRIPTIONS.get(binding.description, binding.description)
            if not binding.show or description in seen:
                continue
            seen.add(description)
            item = Text()
            item.append(f" {self.app.get_key_display(binding)} ", style="bold reverse")
            item.append(" " + description)
            items.append(item)
        self._items = items
        self._show()

    def _show(self) -> None:
        text = lay_out(self._items, self.content_region.width or self.app.size.width - 2)
        # Bindings are recomputed after every focus change; redraw only when the keys
        # differ (an update re-lays out the whole screen, which made each Tab slow).
        if text != self._shown:
            self._shown = text
            self.update(text)


def lay_out(items: list[Text], width: int) -> Text:
    """The items on as few lines as `width` allows, two spaces apart; an item is never split."""
    text = Text(no_wrap=True, overflow="ellipsis")
    line = 0
    for item in items:
        if line and line + 2 + item.cell_len > width:
            text.append("\n")
            line = 0
        elif line:
            text.append("  ")
            line += 2
        text.append_text(item)
        line += item.cell_len
    return text
