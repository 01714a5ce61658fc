"""FilterTable draws its cells directly (widgets/filter_table.py): what it draws must be what
DataTable draws for the same rows, character by character: text, colours and the position
each cell carries for mouse clicks, in every state a cell can be in (zebra rows, the cursor,
focus or not)."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from permis_tui.widgets.filter_table import FilterTable

COLUMNS = ("Prénom", "Nom", "Numéro")
ROWS = [(f"n{i}", (f"Prénom {i}", f"NOM [b]{i}[/b]", f"2025-{i:05d}")) for i in range(30)]


class Tables(App[None]):
    CSS = "DataTable { height: 12; }"
    AUTO_FOCUS = None  # each table is compared in the same state: neither focused, then each in turn

    def compose(self) -> ComposeResult:
        yield FilterTable(id="direct", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="plain", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        direct, plain = self.query_one("#direct", FilterTable), self.query_one("#plain", DataTable)
        for table in (direct, plain):
            for label in COLUMNS:
                table.add_column(label, width=14)
        direct.set_rows(ROWS)
        for key, cells in ROWS:
            # What the home screen's cells are to DataTable: plain text, never markup.
            plain.add_row(*(Text(cell) for cell in cells), key=key)


def drawn(table: DataTable) -> list[list[tuple[str, object, object]]]:
    """Each line as characters with their style and the cell position in its meta."""
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [
        [
            (char, _colours(segment), segment.style.meta if segment.style else {})
            for segment in strip
            for char in segment.text
        ]
        for strip in lines
    ]


def _colours(segment: Segment) -> tuple:
    style = segment.style
    if style is None:
        return ()
    return (style.color, style.bgcolor, style.bold, style.italic, style.underline, style.reverse, style.dim)


async def test_cells_drawn_directly_are_the_cells_datatable_draws() -> None:
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        direct, plain = app.query_one("#direct", FilterTable), app.query_one("#plain", DataTable)
        await pilot.pause()
        for state in ("unfocused", "focused", "cursor moved"):
            if state == "focused":
                direct.focus()
                await pilot.pause()
                ours = drawn(direct)
                plain.focus()
                await pilot.pause()
            elif state == "cursor moved":
                for table in (direct, plain):
                    table.move_cursor(row=3)
                direct.focus()
                await pilot.pause()
                ours = drawn(direct)
                plain.focus()
                await pilot.pause()
            else:
                ours = drawn(direct)
            theirs = drawn(plain)
            assert len(ours) == 12 and ours == theirs, (state, _first_difference(ours, theirs))
        # Some cell was in each style: the zebra rows and the cursor differ in colour.
        assert len({line[3][1] for line in ours[1:]}) >= 3
        assert "[b]" in "".join(char for char, _, _ in ours[2])  # a name is never read as markup


def _first_difference(ours, theirs):
    for y, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        for x, (p, q) in enumerate(zip(a, b, strict=False)):
            if p != q:
                return y, x, p, q
        if len(a) != len(b):
            return y, len(a), len(b)
    return None
