"""The scrolling body of a step: its fields, between the banner and the navigation buttons."""

from __future__ import annotations

from textual.containers import VerticalScroll


class StepBody(VerticalScroll):
    """Tab stops on the body when it can scroll (then ↑ ↓ scroll it), and Textual restyles a
    widget and everything in it when its focus changes: on a step, 28 to 109 widgets, which
    made a Tab onto the body and one off it 1.7 to 3 times as costly (bench_body_focus.py).
    No rule styles what the body holds by the body's focus (`test_step_body.py` compares
    with Textual's full restyle), so only the body is restyled."""

    def watch_has_focus(self, has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
