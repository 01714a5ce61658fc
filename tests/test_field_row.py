"""FieldRow's messages: the error and the warning share one line widget, each in its colour."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Input

from permis_tui.widgets.field_row import FieldRow


class RowApp(App):
    CSS = "Screen { background: black; }"

    def compose(self) -> ComposeResult:
        yield FieldRow("etat_civil.date_naissance", "2.5", "Date de naissance", Input(compact=True), required=True)


def message_lines(row: FieldRow) -> list[tuple[str, str]]:
    """(text, colour) of each line the message widget draws; [] when it is hidden."""
    widget = row.query_one(".field-message")
    if not widget.display or widget.size.height == 0:
        return []
    lines = []
    for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)):
        segments = [s for s in strip if s.text.strip()]
        if segments:
            colour = segments[0].style.color
            lines.append(("".join(s.text for s in segments).strip(), colour.name if colour else ""))
    return lines


async def test_error_and_warning_show_in_order_each_in_its_colour_and_go():
    app = RowApp()
    async with app.run_test(size=(80, 10)) as pilot:
        row = app.query_one(FieldRow)
        await pilot.pause()
        assert message_lines(row) == []
        assert row.query_one(".field-message").size.height == 0  # takes no line while empty

        row.set_warning("âge à vérifier")
        row.set_error("date impossible")
        await pilot.pause()
        variables = app.theme_variables
        (error, error_colour), (warning, warning_colour) = message_lines(row)
        assert error == "✗ Erreur\u00a0: date impossible"
        assert warning == "⚠ Attention\u00a0: âge à vérifier"
        assert error_colour.lower() == variables["text-error"].lower()
        assert warning_colour.lower() == variables["text-warning"].lower()
        assert row.size.height == 1 + 1 + 2  # label, control, two message lines

        row.set_error(None)
        await pilot.pause()
        assert [text for text, _ in message_lines(row)] == ["⚠ Attention\u00a0: âge à vérifier"]
        row.set_warning(None)
        await pilot.pause()
        assert message_lines(row) == []
        assert row.size.height == 2
