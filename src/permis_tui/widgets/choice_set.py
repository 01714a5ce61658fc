"""A RadioSet whose buttons carry model values, not just indexes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.content import Content
from textual.geometry import Size
from textual.widgets import RadioButton, RadioSet


class WrappingRadioButton(RadioButton):
    """The procedure's option texts are long: wrap them rather than cut them,
    so that a help-desk agent can read the whole sentence at 80 columns."""

    DEFAULT_CSS = """
    WrappingRadioButton { width: 1fr; height: auto; text-wrap: wrap; text-overflow: fold; }
    """

    def render(self) -> Content:
        # Chosen or not must read in words and shapes, not colour alone (NO_COLOR, 16 colours).
        button = Content.styled("(●)" if self.value else "( )", "bold" if self.value else "")
        return Content.assemble(button, self.label.pad(1, 1).stylize_before(self.get_visual_style("toggle--label")))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Content.get_height documents "the Widget's styles object" as its rules, but is annotated RulesMap.
        return max(1, self.render().get_height(self.styles, width))  # type: ignore[arg-type]


class ChoiceSet(RadioSet):
    def __init__(self, options: Iterable[tuple[Any, str]], *, value: Any = None, id: str | None = None) -> None:
        self.options = list(options)
        buttons = [WrappingRadioButton(label, value=(v == value and value is not None)) for v, label in self.options]
        super().__init__(*buttons, id=id)

    @property
    def value(self) -> Any:
        index = self.pressed_index
        return self.options[index][0] if index >= 0 else None

    def can_show(self, value: Any) -> bool:
        """A radio set never goes back to no choice: None can be shown only while nothing is pressed."""
        return value is not None or self.pressed_index < 0

    def show_value(self, value: Any) -> None:
        """Press the button of `value` (see can_show), as the constructor does."""
        if value is not None and value != self.value:
            self.select(value)

    def select(self, value: Any) -> None:
        for button, (v, _) in zip(self.query(RadioButton), self.options, strict=False):
            if v == value:
                button.value = True
