"""A modal question with a few named answers, each with its own key; Échap gives the safe one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceDialog(ModalScreen[str]):
    """Dismisses with the id of the answer chosen; `escape` is the id Échap gives."""

    BINDINGS = [Binding("escape", "escape", "Annuler")]

    def __init__(self, title: str, detail: str, answers: list[tuple[str, str, str]], *, escape: str) -> None:
        """`answers`: (id, label, key) in the order shown; the first is focused."""
        super().__init__(classes="choice-dialog")
        self.title_text = title
        self.detail = detail
        self.answers = answers
        self.escape_answer = escape

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-question", markup=False)
            yield Static(self.detail, id="dialog-detail", markup=False)
            with Vertical(id="dialog-answers"):
                for answer_id, label, key in self.answers:
                    yield Button(f"{label} ({key})", id=f"answer-{answer_id}", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#answer-{self.answers[0][0]}", Button).focus()

    def on_key(self, event) -> None:
        for answer_id, _, key in self.answers:
            if event.key == key.lower():
                event.stop()
                self.dismiss(answer_id)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("answer-"))

    def action_escape(self) -> None:
        self.dismiss(self.escape_answer)
