"""One line listing the keys of the current screen, as plain text.

It replaces Textual's Footer: the same information, far cheaper to build
(startup is measured against a bare Textual app), and easy to read aloud.
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
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    _shown: Text | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            description = TEXTUAL_DESCRIPTIONS.get(binding.description, binding.description)
            if not binding.show or description in seen:
                continue
            seen.add(description)
            if text:
                text.append("  ")
            text.append(f" {self.app.get_key_display(binding)} ", style="bold reverse")
            text.append(" " + description)
        # Bindings are recomputed after every focus change; redraw only when the keys
        # differ (an update re-lays out the whole screen, which made each Tab slow).
        if text != self._shown:
            self._shown = text
            self.update(text)
