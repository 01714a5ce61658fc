"""The pilot tests' screens are drawn once, at exit (headless_frames): what that must keep."""

from __future__ import annotations

import pytest
import textual
from textual.app import App, ComposeResult
from textual.widget import Widget

import headless_frames


class Fragile(Widget):
    """A fixed-size widget (its layout never asks for its content) that can fail to draw."""

    DEFAULT_CSS = "Fragile { width: 12; height: 1; }"
    broken = False

    def render(self) -> str:
        if self.broken:
            raise RuntimeError("cannot draw")
        return "fragile"


class FragileApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Fragile()


def test_written_for_the_pinned_textual() -> None:
    # Screen._compositor_refresh is private: read the new release's before carrying this over.
    assert textual.__version__ == headless_frames.WRITTEN_FOR


async def test_a_widget_that_fails_to_draw_still_fails_the_test() -> None:
    app = FragileApp()
    with pytest.raises(RuntimeError, match="cannot draw"):
        async with app.run_test() as pilot:
            app.query_one(Fragile).broken = True
            app.query_one(Fragile).refresh()
            await pilot.pause()
            await pilot.press("tab")
            # No frame is drawn during the test, so nothing has failed yet…
            assert app.is_running and app.return_code is None
        # …the drawing as the app exits fails, and so does the test.
