"""Autocomplete: a text field with a list of matches below it, keyboard-first.

Type to filter, ↓ to enter the list, Entrée to choose. The search itself is a
plain callable (from the referentiel), so this widget knows nothing of communes.
After a choice the cursor is at the end of the chosen text; the list closes as
soon as focus leaves the widget.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from permis_tui.widgets.quiet import FieldInput

SearchFn = Callable[[str], list[tuple[str, str]]]  # query → [(label, value)]


class ChoiceList(OptionList):
    BINDINGS = [Binding("escape", "back_to_input", "Retour à la saisie", show=False)]

    def action_back_to_input(self) -> None:
        self.query_ancestor(SearchSelect).query_one(Input).focus()


class SearchSelect(Vertical):
    DEFAULT_CSS = """
    SearchSelect { height: auto; }
    SearchSelect > ChoiceList { max-height: 7; display: none; }
    SearchSelect.-open > ChoiceList { display: block; }
    """

    class Selected(Message):
        def __init__(self, search_select: SearchSelect, value: str | None, label: str) -> None:
            super().__init__()
            self.search_select = search_select
            self.value = value
            self.label = label

        @property
        def control(self) -> SearchSelect:
            return self.search_select

    def __init__(
        self,
        search: SearchFn,
        *,
        placeholder: str = "",
        value: str | None = None,
        label: str = "",
        id: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id, disabled=disabled)
        self._search = search
        self.value = value
        self._label = label
        self._placeholder = placeholder
        # The text shown for the current choice: seeing it again is not a new search.
        self._chosen_label = label if value is not None else None

    def compose(self) -> ComposeResult:
        yield FieldInput(self._label, placeholder=self._placeholder, select_on_focus=False, compact=True)
        yield ChoiceList()

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def text(self) -> str:
        return self.input.value

    def set_choice(self, value: str | None, label: str) -> None:
        self.value = value
        self._chosen_label = label if value is not None else None
        self.input.value = label
        # Textual keeps the old cursor column (e.g. after "annecy-le-v"): typing
        # on must continue after the chosen name, not inside it.
        self.input.cursor_position = len(label)
        self.remove_class("-open")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Focus moving from the input to the list stays inside: check once it has landed.
        self.call_after_refresh(self._close_if_left)

    def _close_if_left(self) -> None:
        if self.is_attached and not self.has_focus_within:
            self.remove_class("-open")

    def set_search(self, search: SearchFn) -> None:
        self._search = search

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.value is not None and event.value == self._chosen_label:
            return
        self.value = None  # typed text is not a choice until one is picked
        query = event.value.strip()
        options = self.query_one(ChoiceList)
        options.clear_options()
        if not query:
            self.remove_class("-open")
            return
        matches = self._search(query[:100])
        options.add_options([Option(label, id=value) for label, value in matches])
        self.set_class(bool(matches), "-open")
        if matches:  # the list opens below the field: bring it into view with the field
            self.call_after_refresh(self.scroll_visible, animate=False)
        # A name typed in full is chosen without going through the list.
        from permis_tui.referentiel import fold, fold_query

        typed = fold_query(query)
        exact = [m for m in matches if fold(m[0]) == typed]
        if len(exact) == 1:
            self.value = exact[0][1]
            self.post_message(self.Selected(self, self.value, exact[0][0]))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(ChoiceList)
        if self.has_class("-open") and options.option_count:
            event.stop()
            options.highlighted = 0
            options.focus()

    def on_key(self, event) -> None:
        if event.key in ("tab", "shift+tab") and self.input.has_focus:
            # Tab leaves the field (↓ is the way into the list): close it first so
            # the hidden list is not the next stop.
            self.remove_class("-open")
            return
        if event.key == "down" and self.input.has_focus and self.has_class("-open"):
            event.stop()
            options = self.query_one(ChoiceList)
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        label = str(event.option.prompt)
        self.set_choice(event.option.id, label)
        self.input.focus()
        self.post_message(self.Selected(self, self.value, label))
