"""Widgets that skip the stylesheet passes Textual runs on them before they are mounted.

Textual's Button, Input, Select and RadioButton set classes in their constructors (compact,
variant, a value's validity, a pressed button), and every class change restyles the node at
once, mounted or not: one to four stylesheet passes per widget (and an Input's four
component styles each time), wasted, since mounting styles the widget with all its classes
anyway. A step builds dozens of them on its first visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Button, Select

from permis_tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget
else:
    # Not a DOMNode at run time: Textual takes a widget's CSS type names, DEFAULT_CSS and
    # component classes from its first DOMNode base only, which must stay the Textual class.
    _Mixin = object


class QuietUntilMounted(_Mixin):
    """Mixed in before a Textual widget class: class changes restyle only once mounted."""

    def update_node_styles(self, animate: bool = True) -> None:
        # Public override: the node is styled in full when it is mounted.
        if self.is_attached:
            super().update_node_styles(animate)


class QuietButton(QuietUntilMounted, Button):
    """A Button styled once, when mounted."""


class FieldInput(QuietUntilMounted, TextInput):
    """An Input of a form field, styled once, when mounted.

    It has no validators, so Textual's Input marks it "-valid" whenever its value changes:
    with the class from the start, a value loaded after mounting (a draft's, on a step's
    first visit) restyles nothing. No rule styles "-valid" on an Input: it looks the same."""

    def __init__(self, *args, classes: str | None = None, **kwargs) -> None:
        super().__init__(*args, classes=" ".join(filter(None, (classes, "-valid"))), **kwargs)


class QuietSelect(QuietUntilMounted, Select[Any]):
    """A Select styled once, when mounted."""
