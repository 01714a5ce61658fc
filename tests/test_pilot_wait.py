"""The pilot's cheaper wait for the screen (pilot_wait.py): installed, for the pinned textual,
and still waiting for what a widget has queued."""

from __future__ import annotations

import asyncio
from importlib.metadata import version

import pytest
import textual._wait
from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot, WaitForScreenTimeout
from textual.widgets import Static

import pilot_wait


def test_written_for_the_installed_textual():
    # A new textual release: read its Pilot._wait_for_screen and textual._wait before
    # carrying these over.
    assert version("textual") == pilot_wait.WRITTEN_FOR
    assert Pilot._wait_for_screen is pilot_wait.wait_for_busy_widgets
    assert textual._wait.SLEEP_GRANULARITY == pilot_wait.IDLE_SLICE


class Ping(Message):
    pass


class Counter(Static):
    def __init__(self) -> None:
        super().__init__("0")
        self.seen = 0

    async def on_ping(self, message: Ping) -> None:
        await asyncio.sleep(0.005)  # work that yields: the app and the screen finish before it
        self.seen += 1


class Pings(App):
    def compose(self) -> ComposeResult:
        for _ in range(30):
            yield Counter()


async def test_pause_waits_for_every_message_queued_to_a_widget():
    app = Pings()
    async with app.run_test() as pilot:
        counters = list(app.query(Counter))
        for counter in counters:
            for _ in range(3):
                counter.post_message(Ping())
        await pilot._wait_for_screen()
        assert [c.seen for c in counters] == [3] * len(counters)


async def test_the_wait_ends_when_the_app_fails():
    class Failing(App):
        BINDINGS = [("x", "fail")]

        def action_fail(self) -> None:
            raise RuntimeError("boom")

    app = Failing()
    outcome: object = None
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            app.post_message(events.Key("x", "x"))
            await asyncio.wait_for(app._exception_event.wait(), 5)  # the action raised: nothing more is processed
            try:
                # Ends at once, as Textual's does: not after its timeout, with nothing processed.
                outcome = await pilot._wait_for_screen(timeout=5)
            except WaitForScreenTimeout:
                outcome = "timed out"
    assert outcome is False
    assert app.return_code == 1
