"""FilterTable draws its cells directly (widgets/filter_table.py): what it draws must be what
DataTable draws for the same rows, character by character: text, colours and the position
each cell carries for mouse clicks, in every state a cell can be in (zebra rows, the cursor,
focus or not)."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from permis_tui.widgets.filter_table import FilterTable

COLUMNS = ("Prénom", "Nom", "Numéro")
ROWS = [(f"n{i}", (f"Prénom {i}", f"NOM [b]{i}[/b]", f"2025-{i:05d}")) for i in range(30)]


class Tables(App[None]):
    """The same rows in a FilterTable and a DataTable; `labels`: the columns' headers."""

    CSS = "DataTable { height: 12; }"
    AUTO_FOCUS = None  # each table is compared in the same state: neither focused, then each in turn

    def compose(self) -> ComposeResult:
        yield FilterTable(id="direct", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="plain", cursor_type="row", zebra_stripes=True)

    def __init__(self, labels: tuple[str, ...] = COLUMNS, header_height: int = 1, cursor: str = "row") -> None:
        super().__init__()
        self.labels, self.header_height, self.cursor = labels, header_height, cursor

    def on_mount(self) -> None:
        direct, plain = self.query_one("#direct", FilterTable), self.query_one("#plain", DataTable)
        for table in (direct, plain):
            for label in self.labels:
                table.add_column(Text(label), width=14)
            table.header_height = self.header_height
            table.cursor_type = self.cursor
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


@pytest.mark.parametrize(
    ("labels", "header_height", "cursor"),
    [
        (COLUMNS, 1, "row"),
        # As at 80 columns: headers on two lines, some of one line only.
        (("Prénom", "Date de\ncréation", "Date de\nmise à jour"), 2, "row"),
        # A header longer than its column: DataTable wraps it (drawn its way).
        (("Prénom", "Nom", "Un en-tête bien trop long pour sa colonne"), 2, "row"),
        # A cursor on a column: its header takes the cursor's header style.
        (("Prénom", "Date de\ncréation", "Date de\nmise à jour"), 2, "column"),
    ],
)
async def test_cells_drawn_directly_are_the_cells_datatable_draws(labels, header_height, cursor) -> None:
    app = Tables(labels, header_height, cursor)
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
                    table.move_cursor(row=3, column=1)
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
