"""A DataTable whose rows are set in one go, then filtered in place.

With 1,000 demandes, `add_row` one by one (each validating the cursor and counting as an
update) and rebuilding the table on every keystroke of a search cost far more than a
frame. Here every row is built once, kept aside, and a filter only chooses which of
them the table holds, in the same order: no row is built again, no cell measured (the
columns have fixed widths).

Textual's DataTable has no hidden rows, so this sets its row maps (`rows`, `_data`,
`_row_locations`) directly, as its own `sort` does for `_row_locations`; Textual is
pinned (8.2.8) and tests/test_home_scale.py checks the table through its public API.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from textual._two_way_dict import TwoWayDict
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, Row, RowKey


class FilterTable(DataTable):
    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - DataTable's own
        super().__init__(**kwargs)
        self._every_row: list[tuple[RowKey, Row, dict]] = []

    def set_rows(self, rows: Sequence[tuple[str, Sequence[CellType]]]) -> None:
        """Replace every row with `rows` ((key, cells) in order), all shown; columns come first."""
        columns = [column.key for column in self.ordered_columns]
        self._every_row = [(RowKey(key), Row(RowKey(key), 1), dict(zip(columns, cells))) for key, cells in rows]
        self.show_only(None)

    def show_only(self, keys: Collection[str] | None) -> None:
        """Show the rows whose key is in `keys` (every row with None), in their order."""
        shown = self._every_row if keys is None else [item for item in self._every_row if item[0].value in keys]
        self.rows = {key: row for key, row, _ in shown}
        self._data = {key: cells for key, _, cells in shown}
        self._row_locations = TwoWayDict({key: index for index, (key, _, _) in enumerate(shown)})
        self._clear_caches()
        self._require_update_dimensions = True  # the virtual size, from the rows now held
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate  # clamped to the rows shown
        self.check_idle()
        self.refresh()
