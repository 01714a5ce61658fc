"""A column of the shipped référentiel: its lines as one string and where each starts.

37k communes × 4 columns as separate str objects hold ~10 MiB in every session (a demo
server runs many); one string per column and an array of offsets hold ~3.
"""

from __future__ import annotations

import itertools
from array import array
from bisect import bisect_right
from collections.abc import Iterator


class Column:
    """The lines of one section, as one string and the offsets where each line starts."""

    __slots__ = ("_text", "_starts")

    def __init__(self, text: str) -> None:
        self._text = text
        # One C-level split for the lengths, then dropped: only the offsets stay.
        self._starts = array("I", list(itertools.accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0)))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, row: int) -> str:  # rows only, no slices
        if row < 0:
            row += len(self)
        return self._text[self._starts[row] : self._starts[row + 1] - 1]

    def __iter__(self) -> Iterator[str]:
        return iter(self._text.split("\n"))

    def rows_equal(self, value: str, lo: int, hi: int) -> list[int]:
        """The rows in [lo, hi) whose line is `value`, found by str.find in that stretch."""
        if not value or "\n" in value or not 0 <= lo < hi <= len(self):
            return []
        text, starts = self._text, self._starts
        found = []
        pos = text.find(value, starts[lo], starts[hi])
        while pos != -1:
            row = bisect_right(starts, pos) - 1
            if starts[row] == pos and starts[row + 1] - 1 == pos + len(value):
                found.append(row)
            pos = text.find(value, pos + 1, starts[hi])
        return found


class FixedWidth:
    """Items of one width packed in one string (the 5-character postal codes, in order)."""

    __slots__ = ("_text", "_width")

    def __init__(self, text: str, width: int) -> None:
        if len(text) % width:
            raise ValueError("corrupt référentiel: items of unequal width")
        self._text = text
        self._width = width

    def __len__(self) -> int:
        return len(self._text) // self._width

    def __getitem__(self, i: int) -> str:  # items only, no slices
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._text[i * self._width : (i + 1) * self._width]

    def __iter__(self) -> Iterator[str]:
        return (self._text[i : i + self._width] for i in range(0, len(self._text), self._width))

    @classmethod
    def of_lines(cls, text: str, width: int) -> FixedWidth | None:
        """The lines of `text` packed, if every one is `width` long (None otherwise)."""
        packed = text.replace("\n", "")
        lines = len(packed) // width if width else 0
        if not packed or len(packed) % width or len(text) != lines * (width + 1) - 1:
            return None
        return cls(packed, width)

    def rows_equal(self, value: str, lo: int, hi: int) -> list[int]:
        """The items in [lo, hi) equal to `value`, found by str.find in that stretch."""
        if len(value) != self._width or not 0 <= lo < hi <= len(self):
            return []
        found = []
        pos = self._text.find(value, lo * self._width, hi * self._width)
        while pos != -1:
            if pos % self._width == 0:
                found.append(pos // self._width)
            pos = self._text.find(value, pos + 1, hi * self._width)
        return found
