"""Helpers for pilot tests: type into fields and choose options the way a person would."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, RadioButton, RadioSet

from permis_tui.app import PermisApp
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id


def make_app(data_dir: Path) -> PermisApp:
    return PermisApp(DraftStore(data_dir))


async def type_into(pilot, field_id: str, text: str) -> None:
    """Focus the field, clear it, type the text, then leave it with Tab."""
    widget = pilot.app.screen.query_one("#" + field_dom_id(field_id))
    if not isinstance(widget, Input):
        widget = widget.query_one(Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    if len(text) < 200 and text.isprintable():
        await pilot.press(*text)
    else:
        # Long or odd text arrives the way a terminal paste does.
        widget.post_message(events.Paste(text))
        await pilot.pause()
    await pilot.press("tab")
    await pilot.pause()


async def choose(pilot, field_id: str, index: int) -> None:
    """Pick option `index` of a radio set with the keyboard: focus, arrows, Entrée."""
    radio = pilot.app.screen.query_one("#" + field_dom_id(field_id), RadioSet)
    radio.focus()
    await pilot.pause()
    # The highlighted button carries RadioSet's "-selected" class; move from it to `index`.
    buttons = list(radio.query(RadioButton))
    here = next((i for i, b in enumerate(buttons) if b.has_class("-selected")), 0)
    for _ in range(abs(index - here)):
        await pilot.press("down" if index > here else "up")
    await pilot.press("enter")
    await pilot.pause()


def error_of(app, field_id: str) -> str | None:
    return app.screen.row_for(field_id).error


def screen_text(app) -> str:
    """All the text the current screen shows, widget by widget (for asserting wording)."""
    from textual.widgets import Static

    parts = []
    for widget in app.screen.query(Static):
        if widget.display:
            parts.append(str(widget.render()))
    return "\n".join(parts)


def draft_app(data_dir: Path, step: int):
    """A saved draft waiting at `step`, and an app on that data folder: (store, demande, app)."""
    store = DraftStore(data_dir)
    store.ensure()
    demande = store.create()
    demande.etape = step
    store.save(demande)
    return store, demande, make_app(data_dir)


def focus_is_in(app, field_id: str) -> bool:
    row = app.screen.row_for(field_id)
    node = app.focused
    while node is not None:
        if node is row:
            return True
        node = node.parent
    return False


async def start_checks_done(app) -> None:
    """Wait for the app's start-up worker (writability check, crash recovery): a test that
    writes a demande's files behind the app's back must not race recovery's clean-up of
    folders that have no demande.json yet."""
    for worker in [w for w in app.workers if w.group == "start-checks"]:
        await worker.wait()


def record_notifications(app) -> list[tuple[str, str]]:
    """(title, message) of every notification the app shows from now on, through its public
    `notify` (widgets and screens call the app's)."""
    shown: list[tuple[str, str]] = []
    notify = app.notify

    def recording(message, *, title: str = "", **options):
        shown.append((title, str(message)))
        return notify(message, title=title, **options)

    app.notify = recording
    return shown
