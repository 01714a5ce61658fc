"""A DataTable whose rows are set in one go, then filtered in place.

With 1,000 demandes, `add_row` one by one (each validating the cursor and counting as an
update) and rebuilding the table on every keystroke of a search cost far more than a
frame. Here every row is built once, kept aside, and a filter only chooses which of
them the table holds, in the same order: no row is built again, no cell measured (the
columns have fixed widths).

Textual's DataTable has no hidden rows, so this sets its row maps (`rows`, `_data`,
`_row_locations`) directly, as its own `sort` does for `_row_locations`; Textual is
pinned (8.2.8) and tests/test_home_scale.py checks the table through its public API.

After a filter every visible cell is drawn anew (the rows changed places). DataTable
draws a cell through Rich's whole pipeline (markup parsing, padding, wrapping: ~0.3 ms a
cell, 100 cells on an 80×24 screen); a cell here is one line of plain text in a fixed
width, so it is drawn directly: the same segments and styles, and a name is never read
as markup ("[b]" stays "[b]").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, Self, cast

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual._two_way_dict import TwoWayDict
from textual.color import Color
from textual.css.styles import RenderStyles
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, Column, Row, RowKey


class _PassStyles:
    """A component's styles with their Rich style worked out once (see FilterTable.render_lines)."""

    __slots__ = ("_styles", "rich_style")

    def __init__(self, styles: RenderStyles) -> None:
        self._styles = styles
        self.rich_style = styles.rich_style

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


class FilterTable(DataTable):
    def __init__(self, **kwargs) -> None:
        self._every_row: list[tuple[RowKey, Row, dict]] = []
        # A cell's style depends on its place and state, not on the demande shown there:
        # kept across filters, so a keystroke only pads the new texts. (Set before
        # DataTable's __init__, which clears the caches.)
        self._cell_styles: dict[tuple, Style] = {}
        self._state_styles: dict[tuple, Style] = {}  # the same without the cell's place (see _render_cell)
        self._header_cells: dict[tuple, list[list[Segment]]] = {}  # the same for every filter
        self._ordered_columns: tuple[tuple, list[Column]] | None = None
        self._pass_styles: dict[Any, Any] | None = None  # during render_lines only
        self._every_row_shown = False  # the table holds every row of _every_row, unfiltered
        super().__init__(**kwargs)

    def clear(self, columns: bool = False) -> Self:
        self._every_row_shown = False
        super().clear(columns)
        return self

    def set_rows(self, rows: Sequence[tuple[str, Sequence[CellType]]]) -> None:
        """Replace every row with `rows` ((key, cells) in order), all shown; columns come first."""
        columns = [column.key for column in self.ordered_columns]
        every_row = self._every_row = []
        for key, cells in rows:  # a loop rather than a comprehension: one RowKey a row
            row_key = RowKey(key)
            every_row.append((row_key, Row(row_key, 1), dict(zip(columns, cells, strict=True))))
        self._clear_caches()
        self._every_row_shown = False
        self.show_only(None)

    def show_only(self, keys: Collection[str] | None) -> None:
        """Show the rows whose key is in `keys` (every row with None), in their order."""
        if keys is None and self._every_row_shown and len(self.rows) == len(self._every_row):
            # Already so (the home screen filters right after setting the rows): its maps are
            # not built again (three dicts of 1,000 rows on the way to the first screen).
            return
        self._every_row_shown = keys is None
        shown = self._every_row if keys is None else [item for item in self._every_row if item[0].value in keys]
        self.rows = {key: row for key, row, _ in shown}
        self._data = {key: cells for key, _, cells in shown}
        self._row_locations = TwoWayDict({key: index for index, (key, _, _) in enumerate(shown)})
        # What a filter changes: which row is at each place. Styles and the header stay.
        for cache in (
            self._row_render_cache,
            self._cell_render_cache,
            self._row_renderable_cache,
            self._line_cache,
            self._offset_cache,
            self._ordered_row_cache,
        ):
            cache.clear()
        self._require_update_dimensions = False
        self._update_count += 1
        # What DataTable would rebuild from its maps (a lookup per row), known here already.
        self._ordered_row_cache[(len(shown), self._update_count)] = [row for _, row, _ in shown]
        self._set_virtual_size()
        self.cursor_coordinate = self.cursor_coordinate  # clamped to the rows shown
        self.check_idle()
        self.refresh()

    def _set_virtual_size(self) -> None:
        """The virtual size from the rows now held, at once (DataTable waits for the next idle).

        DataTable sets it as a reactive that lays the whole screen out again (~8 ms on an 80×24
        home screen, on every keystroke of a search). Only the table's own scrollbars depend
        on it: they are updated here, and a layout follows only when one appears or goes."""
        width = sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width
        height = len(self.rows) + (self.header_height if self.show_header else 0)  # rows are one line high
        size = Size(width, height)
        if size == self.virtual_size:
            return
        if not self.is_mounted or not self.container_size:
            self.virtual_size = size  # before the first layout: it is laid out with it
            return
        self.set_reactive(DataTable.virtual_size, size)
        # Shows or hides a scrollbar (its `display` lays the screen out then), sets the thumb,
        # brings the scroll offset back within the rows.
        self._scroll_update(size)
        self.hover_coordinate = self.hover_coordinate  # within the rows, as DataTable does

    # -- one drawing pass: what DataTable asks for again at every row -------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # For each row it draws, DataTable asks for its own style, the header's and the row's
        # component styles and the background, each worked out through every ancestor's styles
        # (~0.2 ms a row): within one pass they cannot change, so each is worked out once.
        self._pass_styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._pass_styles = None

    def _in_pass(self, key: object, work_out: Callable[[], Any]) -> Any:
        """`work_out()` once per drawing pass (each time outside one)."""
        memo = self._pass_styles
        if memo is None:
            return work_out()
        if key not in memo:
            memo[key] = work_out()
        return memo[key]

    def get_component_styles(self, *names: str) -> RenderStyles:
        styles = self._in_pass(names, lambda: _PassStyles(super(FilterTable, self).get_component_styles(*names)))
        return cast("RenderStyles", styles)

    @property
    def background_colors(self) -> tuple[Color, Color]:
        return cast(
            "tuple[Color, Color]", self._in_pass("background", lambda: super(FilterTable, self).background_colors)
        )

    @property
    def rich_style(self) -> Style:
        return cast("Style", self._in_pass("rich_style", lambda: super(FilterTable, self).rich_style))

    @property
    def ordered_columns(self) -> list[Column]:
        # DataTable rebuilds this list three times for each row it draws; the columns are
        # set once per listing (set_rows), so it is kept until they change.
        key = (id(self.columns), len(self.columns), id(self._column_locations), len(self._column_locations))
        cached = self._ordered_columns
        if cached is None or cached[0] != key:
            cached = self._ordered_columns = (key, super().ordered_columns)
        return cached[1]

    def _clear_caches(self) -> None:  # new columns, a new theme, new CSS
        super()._clear_caches()
        self._ordered_columns = None
        self._cell_styles.clear()
        self._state_styles.clear()
        self._header_cells.clear()

    def _render_header(
        self, column_index: int, base_style: Style, width: int, cursor: bool, hover: bool
    ) -> list[list[Segment]] | None:
        """A header whose label is plain text that fits (each of its lines within the column,
        as many lines as the header has or fewer), drawn directly as the cells are: the same
        segments and styles as DataTable's Rich pipeline (~0.3 ms a header on the first
        frame). None for any other label, drawn DataTable's way."""
        label = self.ordered_columns[column_index].label
        lines = label.plain.split("\n")
        inner = max(0, width - 2 * self.cell_padding)
        if (
            label.spans
            or label.style
            or label.justify not in (None, "default", "left")
            or len(lines) > self.header_height
            or any(cell_len(line) > inner for line in lines)
        ):
            return None
        component_style, post_style = self._get_styles_to_render_cell(
            True,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        style = base_style + component_style + post_style + Style.from_meta({"row": -1, "column": column_index})
        pad = " " * self.cell_padding
        lines += [""] * (self.header_height - len(lines))
        return [[Segment(pad + set_cell_size(line, inner) + pad, style)] for line in lines]

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        if row_index < 0 or column_index < 0:
            # The header (two lines at 80 columns) is drawn DataTable's way, once per set of rows.
            if column_index < 0:
                return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            header_key = (
                column_index,
                base_style,
                width,
                cursor,
                hover,
                self._show_hover_cursor,
                self._pseudo_class_state,
                self.header_height,
            )
            header = self._header_cells.get(header_key)
            if header is None:
                header = self._header_cells[header_key] = self._render_header(
                    column_index, base_style, width, cursor, hover
                ) or super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            return header
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        value = self._data[row_key][column_key]
        if not isinstance(value, str) or self.rows[row_key].height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(key)
        if lines is None:
            # Reactives, read through Textual's descriptor (a few µs each, five a cell): within
            # one drawing pass they cannot change, so the pass reads them once.
            memo = self._pass_styles
            settings = memo.get("settings") if memo is not None else None
            if settings is None:
                settings = (self.show_cursor, self.fixed_rows, self.fixed_columns, self.cell_padding)
                if memo is not None:
                    memo["settings"] = settings
            show_cursor, fixed_rows, fixed_columns, cell_padding = settings
            place = (
                row_index,
                column_index,
                base_style,
                cursor,
                hover,
                show_cursor,
                self._show_hover_cursor,
                self.cursor_foreground_priority,
                self.cursor_background_priority,
                self._pseudo_class_state,
            )
            style = self._cell_styles.get(place)
            if style is None:
                fixed = row_index < fixed_rows or column_index < fixed_columns
                # The colours depend on the cell's state (row style, cursor, hover), not on its
                # place: worked out once per state (a first frame has ~90 places, 2-4 states).
                state = (base_style, fixed, *place[3:])
                colours = self._state_styles.get(state)
                if colours is None:
                    component_style, post_style = self._get_styles_to_render_cell(
                        False,
                        False,
                        fixed,
                        hover,
                        cursor,
                        show_cursor,
                        self._show_hover_cursor,
                        self.cursor_foreground_priority == "css",
                        self.cursor_background_priority == "css",
                    )
                    colours = self._state_styles[state] = base_style + component_style + post_style
                # As DataTable's Styled(Padding(cell)): the row's style, the cursor's, then the
                # post style over the padded text; and the cell's position (for clicks), which
                # carries no colour or attribute, so its place in the sum changes nothing.
                style = colours + Style.from_meta({"row": row_index, "column": column_index})
                if len(self._cell_styles) > 4096:  # places seen while scrolling a long list
                    self._cell_styles.clear()
                self._cell_styles[place] = style
            pad = " " * cell_padding
            inner = max(0, width - 2 * cell_padding)
            lines = [[Segment(pad + set_cell_size(value.split("\n", 1)[0], inner) + pad, style)]]
            self._cell_render_cache[key] = lines
        return lines
