"""Textual's pilot waits for the screen at the cost of the widgets that have work queued.

Before every `pilot.pause()` and after every `pilot.press()`, Textual's `Pilot` posts a
callback to every widget of the screen and waits until each has run it: some 150 messages
on step 5, each waking the widget's task and computing the callback's signature. That was
a third of the suite's CPU time (a keyboard walk pauses after each of its hundreds of keys).

Here only the app, the screen and the widgets with messages still queued get one: every
message queued when the wait starts is processed before it ends, as with Textual's. The one
difference: a widget whose last message is being handled (its queue already empty) is not
waited for; the pause's wait for the process to go idle, which follows unchanged, covers a
handler that computes, not one awaiting I/O. The rest of the contract is Textual's: an
exception in the app ends the wait, and one that never ends raises `WaitForScreenTimeout`.

The wait for the process to go idle (after each pause and twice per key) sleeps in slices
and ends after the first slice in which the process hardly used the CPU (a twentieth of the
slice). Textual's slices are 20 ms; here they are 5 ms. A test that types or pauses hundreds
of times spent most of its time asleep in them (15 s for the walk through steps 1 to 3 typed
key by key, 2 s of it computing). The shorter wait showed waits that were long enough only by
luck (for the start-up checks' worker, for the scroll that follows a focus): those tests now
wait for what they need.

`Pilot._wait_for_screen` and `textual._wait`'s slices are private: they are replaced for the
textual release pinned in pyproject.toml, and `test_pilot_wait.py` fails if another one is
installed, so that a new release's version is read before this one is carried over.
"""

from __future__ import annotations

import asyncio

import textual._wait
from textual.pilot import Pilot, WaitForScreenTimeout

WRITTEN_FOR = "8.2.8"
IDLE_SLICE = 0.005  # seconds; Textual's is 1/50


async def wait_for_busy_widgets(self: Pilot, timeout: float = 30.0) -> bool:
    """Pilot._wait_for_screen, posting only to the widgets with messages queued."""
    app = self.app
    try:
        screen = app.screen
    except Exception:  # noqa: BLE001 - no screen (the app is closing): nothing to wait for, as in Textual's
        return False
    pumps = [app, screen, *(w for w in screen.walk_children() if w.message_queue_size)]
    count = 0
    all_done = asyncio.Event()

    def done() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            all_done.set()

    for pump in pumps:
        if pump.call_later(done):
            count += 1
    if not count:
        return True
    waits = [asyncio.create_task(all_done.wait()), asyncio.create_task(app._exception_event.wait())]
    _, pending = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if len(pending) == len(waits):
        raise WaitForScreenTimeout("Timed out while waiting for widgets to process pending messages.")
    return count == 0


def install() -> None:
    Pilot._wait_for_screen = wait_for_busy_widgets  # type: ignore[method-assign]
    textual._wait.SLEEP_GRANULARITY = IDLE_SLICE
    textual._wait.SLEEP_IDLE = IDLE_SLICE / 20  # Textual's ratio
