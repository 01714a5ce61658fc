"""The 7 steps of the procedure, the current one highlighted in words and style."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from permis_tui.model.completeness import STEP_TITLES

SHORT_TITLES = {1: "Motif", 2: "État civil", 3: "Adresse", 4: "Photo", 5: "Pièces", 6: "Récap.", 7: "Confirm."}


class Stepper(Static):
    DEFAULT_CSS = """
    Stepper { height: 2; padding: 0 1; background: $panel; }
    """

    def __init__(self, current: int, done: set[int] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.current = current
        self.done = done or set()

    def on_mount(self) -> None:
        self.update(self.render_steps())

    def show(self, current: int, done: set[int]) -> None:
        if (current, done) != (self.current, self.done):
            self.current, self.done = current, done
            self.update(self.render_steps())

    def render_steps(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for step, short in SHORT_TITLES.items():
            if step > 1:
                text.append("  ")
            mark = "✓" if step in self.done and step != self.current else str(step)
            if step == self.current:
                text.append(f"[{mark} {short}]", style="bold reverse")
            else:
                text.append(f"{mark} {short}")
        text.append(f"\nÉtape {self.current} sur 7 : {STEP_TITLES[self.current]}", style="bold")
        return text
