"""Helpers for pilot tests: type into fields and choose options the way a person would."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import events
from textual.widgets import Input, RadioButton, RadioSet

from permis_tui.app import PermisApp
from permis_tui.store import DraftStore
from permis_tui.widgets.field_row import field_dom_id


class InProcessChecker:
    """A ContentChecker that declines every file, so `check_file` parses it in this process:
    the same verdicts, without the checker process each app starts when it is shown."""

    def check_content(self, request):  # a documents.CheckRequest: declined, None
        return None


def make_app(data_dir: Path, *, checker_process: bool = False) -> PermisApp:
    """The app on `data_dir`. Its files are checked in-process unless `checker_process`: the
    tests about that process (and one journey through step 5) ask for the app's own."""
    return PermisApp(DraftStore(data_dir), checker=None if checker_process else InProcessChecker())


async def type_into(pilot, field_id: str, text: str, *, keys: bool = False) -> None:
    """Focus the field, clear it, enter the text, then leave it with Tab.

    The text arrives at once, the way a terminal paste does (the field's own paste handling,
    its Changed message, the check when Tab leaves it); with `keys`, key by key, as typed
    (a walk through the steps keeps doing that: one key costs a pilot round trip)."""
    widget = pilot.app.screen.query_one("#" + field_dom_id(field_id))
    if not isinstance(widget, Input):
        widget = widget.query_one(Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    if keys and len(text) < 200 and text.isprintable():
        await pilot.press(*text)
    else:
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


async def start_checks_done(app, timeout: float = 30.0) -> None:
    """Wait for the app's start-up checks (writability, crash recovery, waiting emails) to end,
    what they found handed to the app (they wait for that): a test that writes a demande's files behind
    the app's back must not race recovery's clean-up of folders that have no demande.json yet.
    The checks start after the first frame: until then there is no worker to wait on."""
    from time import monotonic

    assert app.is_running, "the app is not running: it has no start-up checks to wait for"
    deadline = monotonic() + timeout
    while app.start_checks is None:
        if monotonic() > deadline:
            raise AssertionError("the start-up checks never started")
        await asyncio.sleep(0.005)
    await asyncio.wait_for(app.start_checks.wait(), timeout)


async def wait_until(pilot, condition, what: str = "the expected state", timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (a worker's result, a search's hits, a new
    screen), checking every 20 ms; fail after `timeout` seconds. Waiting on the condition, not
    on a fixed pause, keeps a test both quick and right on a loaded machine."""
    from time import monotonic

    deadline = monotonic() + timeout
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"never reached: {what}")
        await pilot.pause(0.02)


async def wait_focus_shown(pilot, field_id: str) -> None:
    """Wait until the field has the focus and is wholly on screen: the focus lands first, and
    the step scrolls to it at its next refresh."""
    from focus_checks import visible_problem

    app = pilot.app
    await wait_until(
        pilot,
        lambda: (
            app.focused is not None
            and app.focused.id == field_dom_id(field_id)
            and visible_problem(app, app.focused) is None
        ),
        f"the focus on {field_id}, on screen",
    )


def palette_prompts(app) -> list[str]:
    """The lines the open command palette lists now (none while it is not open)."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists:
        return []
    options = lists.first()
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def palette_pick(pilot, query: str, expected: str) -> None:
    """Ctrl+P, type `query` key by key, wait until the first line offered contains
    `expected`, then Entrée."""
    from textual.command import CommandPalette

    app = pilot.app
    if not isinstance(app.screen, CommandPalette):
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette open")
    await pilot.press(*query)
    await wait_until(
        pilot,
        lambda: (prompts := palette_prompts(app)) != [] and expected in prompts[0],
        f"« {expected} » first in the palette for « {query} »",
    )
    await pilot.press("enter")


def alert_text(app) -> str:
    """What the home screen's alert line says now."""
    from textual.widgets import Static

    return str(app.screen.query_one("#home-alert", Static).render())


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
