"""Several boxes to tick, such as licence categories, laid out in a grid.

The grid is one stop for Tab, like a radio set: only its current box can take the
focus, the arrows move from box to box and Espace ticks. Fifteen Tab stops for the
licence categories made step 1 a long walk.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A checkbox whose state reads as [x] or [ ], not by colour alone."""

    DEFAULT_CSS = "TickBox { border: none; padding: 0; width: auto; height: 1; }"

    def allow_focus(self) -> bool:
        grid = self.parent
        return super().allow_focus() and (not isinstance(grid, CheckGrid) or grid.current_box is self)

    def render(self) -> Content:
        # Checkbox draws its state as a coloured block; the mark replaces it, before the label
        # padded and styled as Checkbox does.
        label = self.label.pad(1, 1).stylize_before(self.get_visual_style("toggle--label"))
        return Content.assemble(self._mark(), label)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._mark().cell_length + (self.label.cell_length + 2 if self.label else 0)

    def _mark(self) -> Content:
        return Content.styled("[x]" if self.value else "[ ]", "bold" if self.value else "")


COLUMNS = 5


class CheckGrid(Grid):
    DEFAULT_CSS = f"""
    CheckGrid {{ grid-size: {COLUMNS}; grid-gutter: 0 1; height: auto; grid-rows: 1; }}
    """
    BINDINGS = [
        Binding("right", "move(1)", "Case suivante", show=False),
        Binding("left", "move(-1)", "Case précédente", show=False),
        Binding("down", f"move({COLUMNS})", "Ligne suivante", show=False),
        Binding("up", f"move(-{COLUMNS})", "Ligne précédente", show=False),
    ]

    class Changed(Message):
        def __init__(self, grid: CheckGrid) -> None:
            super().__init__()
            self.grid = grid

        @property
        def control(self) -> CheckGrid:
            return self.grid

    def __init__(self, options: Iterable[str], selected: Iterable[str] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = list(options)
        self._initial = set(selected)
        self.current = 0  # index of the box that Tab reaches

    def compose(self) -> ComposeResult:
        for option in self.options:
            # Compact: a focused box keeps one line (a full one draws a tall border that
            # hides its label) and shows the focus by its highlighted label.
            yield TickBox(option, value=option in self._initial, name=option, compact=True)

    def show_selected(self, selected: Iterable[str]) -> None:
        """Tick exactly `selected`, as the constructor does."""
        chosen = set(selected)
        for box in self.boxes():
            box.value = box.name in chosen

    def boxes(self) -> list[TickBox]:
        # Its children, not a CSS query: Tab asks every box whether it may take the focus
        # (TickBox.allow_focus), and a query per box cost 6-11 % of a Tab's CPU on step 1
        # (bench_tab.py).
        return [child for child in self.children if isinstance(child, TickBox)]

    @property
    def current_box(self) -> TickBox | None:
        boxes = self.boxes()
        return boxes[self.current] if boxes else None

    def action_move(self, step: int) -> None:
        index = self.current + step
        if 0 <= index < len(self.options):
            self.current = index
            self.boxes()[index].focus()

    @property
    def selected(self) -> list[str]:
        return [box.name for box in self.boxes() if box.value and box.name is not None]

    @on(Checkbox.Changed)
    def _changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        # A box ticked with the mouse becomes the current one, where Tab comes back.
        if event.checkbox in self.boxes() and self.current_box is not event.checkbox:
            self.current = self.boxes().index(event.checkbox)
            event.checkbox.focus()
        self.post_message(self.Changed(self))
