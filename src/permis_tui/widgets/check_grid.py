"""Several boxes to tick, such as licence categories, laid out in a grid."""

from __future__ import annotations

from typing import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A checkbox whose state reads as [x] or [ ], not by colour alone."""

    DEFAULT_CSS = "TickBox { border: none; padding: 0; width: auto; height: 1; }"

    @property
    def _button(self) -> Content:
        return Content.styled("[x]" if self.value else "[ ]", "bold" if self.value else "")


class CheckGrid(Grid):
    DEFAULT_CSS = """
    CheckGrid { grid-size: 5; grid-gutter: 0 1; height: auto; grid-rows: 1; }
    """

    class Changed(Message):
        def __init__(self, grid: "CheckGrid") -> None:
            super().__init__()
            self.grid = grid

        @property
        def control(self) -> "CheckGrid":
            return self.grid

    def __init__(self, options: Iterable[str], selected: Iterable[str] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = list(options)
        self._initial = set(selected)

    def compose(self) -> ComposeResult:
        for option in self.options:
            yield TickBox(option, value=option in self._initial, name=option)

    @property
    def selected(self) -> list[str]:
        return [box.name for box in self.query(TickBox) if box.value]

    @on(Checkbox.Changed)
    def _changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))
