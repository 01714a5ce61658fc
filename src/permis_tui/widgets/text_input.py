"""TextInput: an Input whose typing redraws the field alone, not the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class TextInput(Input):
    """An Input that does not lay the screen out again at each keystroke.

    Textual's Input sets its virtual size (the width of its text) whenever its value changes,
    and `Widget.virtual_size` is a reactive that lays out the whole screen: about two fifths
    of the CPU time of a keystroke on a step (benchmarks/bench_typing.py). An Input's virtual size
    is only the range it scrolls its own text over, which `max_scroll_x` reads as it goes,
    so the field needs drawing again, nothing more. An Input sized by its text (`width:
    auto`) still gets its layout: Textual's `_watch_value` asks for it in that case."""

    virtual_size = Reactive(Size(0, 0), layout=False)
