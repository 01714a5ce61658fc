"""The scrolling body of a step: its fields, between the banner and the navigation buttons."""

from __future__ import annotations

from textual.containers import VerticalScroll


class StepBody(VerticalScroll):
    """Tab stops on the body when it can scroll (then ↑ ↓ scroll it), and Textual restyles a
    widget and everything in it when its focus changes: on a step, 40 to 150 widgets, 15 to
    30 ms at each Tab onto or off the body. No rule styles what the body holds by the body's
    focus (`test_step_body.py` compares with Textual's full restyle), so only the body is."""

    def watch_has_focus(self, has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
