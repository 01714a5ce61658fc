"""Pilot tests draw the screen once, as their app exits, instead of at every refresh.

In a pilot test the app runs headless: Textual still works out every frame's update (every
widget's lines, cut and joined across the screen) and then discards it, because
`App._display` writes nothing without a terminal. That was a quarter of the CPU time of the
tests that drive the steps with keys (CPU ×0.73 in three of their files, in paired runs).

Here the top screen's refresh does everything but that drawing: layouts, scrolling, what is
where and what covers what are worked out as before (the focus checks read them), and the
screen's dirty regions are cleared, as a drawn frame clears them (a widget's own cache of its
lines is set dirty when it refreshes, not when a frame is drawn, so a later drawing shows the
current state). What is drawn is still checked where tests read it:
- each pilot test's app draws its whole screen once before it exits, so that a widget that
  fails to draw fails the test (`test_headless_frames.py` proves it);
- snapshots, `export_screenshot` and `screen_text` draw what they show;
- the tests that run `permis-tui` in a terminal (hang-up, autosave, SSH, demo) draw for real.

`Screen._compositor_refresh` is private: it is replaced for the textual release pinned in
pyproject.toml, and `test_headless_frames.py` fails if another one is installed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

WRITTEN_FOR = "8.2.8"

_textual_refresh = Screen._compositor_refresh
_textual_run_test = App.run_test


def _refresh_without_drawing(self: Screen) -> None:
    app = self.app
    if not (app.is_headless and self is app.screen):
        _textual_refresh(self)
        return
    # Textual's refresh of the top screen, less the drawing it would hand to `_display`.
    self._compositor._dirty_regions.clear()
    self._dirty_widgets.clear()
    app._update_mouse_over(self)


def draw_screen(app: App[Any]) -> None:
    """Draw the app's whole screen (and the screens it covers), as a frame would."""
    if app.is_running and app.screen_stack:
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


@asynccontextmanager
async def _run_test_drawn_at_exit(self: App[Any], **options: Any) -> AsyncIterator[Pilot[Any]]:
    async with _textual_run_test(self, **options) as pilot:
        yield pilot
        draw_screen(self)


def install() -> None:
    Screen._compositor_refresh = _refresh_without_drawing  # type: ignore[method-assign]
    App.run_test = _run_test_drawn_at_exit  # type: ignore[method-assign,assignment]
