"""A numbered form field: "2.5 Date de naissance *", a hint, the control, and its message."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static


def field_dom_id(field_id: str) -> str:
    """DOM ids cannot hold dots: "etat_civil.nom_naissance" → "f-etat_civil-nom_naissance"."""
    return "f-" + field_id.replace(".", "-")


class FieldRow(Vertical):
    """Wraps one control. The number is the same at every terminal size, so a
    help-desk agent and the caller can both say "champ 2.5"."""

    DEFAULT_CSS = """
    FieldRow { height: auto; margin: 0 0 1 0; }
    FieldRow > .field-label { text-style: bold; }
    FieldRow > .field-hint { color: $text-muted; }
    FieldRow > .field-message { display: none; }
    FieldRow.-error > .field-message, FieldRow.-warning > .field-message { display: block; }
    """

    class ErrorChanged(Message):
        """The message under the field changed: the step's error summary must follow."""

        def __init__(self, row: FieldRow) -> None:
            super().__init__()
            self.row = row

        @property
        def control(self) -> FieldRow:
            return self.row

    class HeightChanged(Message):
        """The row grew or shrank (a message appeared or went): every field below it moved."""

    def __init__(
        self,
        field_id: str,
        number: str,
        label: str,
        control: Widget,
        *,
        hint: str | None = None,
        required: bool = False,
        classes: str | None = None,
    ) -> None:
        super().__init__(id="row-" + field_dom_id(field_id)[2:], classes=classes)
        self.field_id = field_id
        self.number = number
        self.label = label
        self.hint = hint
        self.required = required
        self.control = control
        self.error: str | None = None
        self.warning: str | None = None
        # One line widget for both messages, each in its colour: every widget adds to the
        # step's first build, and most fields never show either.
        self._message = Static("", classes="field-message")

    @property
    def title(self) -> str:
        return f"{self.number} {self.label}"

    def compose(self) -> ComposeResult:
        star = " *" if self.required else ""
        yield Static(f"{self.number} {self.label}{star}", classes="field-label", markup=False)
        if self.hint:
            yield Static(self.hint, classes="field-hint", markup=False)
        yield self.control
        yield self._message

    def set_error(self, message: str | None) -> None:
        message = message or None
        if message == self.error:
            return  # nothing to redraw: leaving a field must not re-lay out the whole step
        self.error = message
        self.post_message(self.ErrorChanged(self))
        self._show_messages()
        self.set_class(bool(message), "-error")

    def set_warning(self, message: str | None) -> None:
        message = message or None
        if message == self.warning:
            return
        self.warning = message
        self._show_messages()
        self.set_class(bool(message), "-warning")

    def _show_messages(self) -> None:
        # The "Erreur :" prefix says it in words, not only in colour.
        lines = [(f"✗ Erreur : {self.error}", "$text-error")] if self.error else []
        if self.warning:
            lines.append((f"⚠ Attention : {self.warning}", "$text-warning"))
        self._message.update(Content("\n").join(Content.styled(text, style) for text, style in lines))

    def on_resize(self, event: events.Resize) -> None:
        # Sent once the new layout is known, unlike the change that caused it.
        self.post_message(self.HeightChanged())
