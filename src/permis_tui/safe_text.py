"""Text on its way to a terminal: control characters are shown, never interpreted.

A file name, an imported draft or a PDF may carry ESC sequences (which retitle the
terminal or redraw the screen), C1 controls, lone surrogates (which crash UTF-8
output) or bidi overrides (which reorder what the eye reads). Everything displayed
that the model did not validate goes through `escape` once, at the display point.

Domain core: no Textual here (Textual markup is escaped by the widgets' own helpers).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any, TextIO

# Explicit bidi embeddings, overrides and isolates, plus the invisible marks that steer them.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Cc: C0, DEL and C1 controls; Cs: lone surrogates (a non-UTF-8 file name decoded with
# surrogateescape); Zl/Zp: line and paragraph separators, which break a one-line layout.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


# The same set as one character class (Cc is U+0000-001F and U+007F-009F, Cs the
# surrogates, Zl U+2028, Zp U+2029), for a search in C: `list --json` of 1,000 demandes
# writes 200 KB through EscapingStream. tests/test_home_scale.py checks that both agree.
# Compiled on first use (~0.6 ms each): the first screen escapes nothing when it has no alert.
@cache
def unsafe_pattern(keep_newlines: bool) -> re.Pattern[str]:
    """The unsafe characters (with `keep_newlines`: except line feeds and tabs), as a regex."""
    controls = "\x00-\x08\x0b-\x1f" if keep_newlines else "\x00-\x1f"
    return re.compile(f"[{controls}\x7f-\x9f\ud800-\udfff\u2028\u2029{''.join(sorted(BIDI_CONTROLS))}]")


def is_unsafe(ch: str) -> bool:
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in _UNSAFE_CATEGORIES


def first_unsafe(text: str) -> str | None:
    """The first character that must not reach a terminal, or None."""
    return next((ch for ch in text if is_unsafe(ch)), None)


def describe(ch: str) -> str:
    """`\\x1b`, `\\u009b`, `\\u202e`: how an unsafe character is written when shown.

    C0 controls keep the familiar `\\xNN`; everything else is `\\uNNNN`, which is also a
    valid JSON escape (JSON output already escapes C0 itself, but not DEL, C1 or bidi).
    """
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def escape(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every unsafe character replaced by its visible escape (`\\x1b`).

    With `keep_newlines`, line feeds and tabs stay (output made of several lines).
    """
    pattern = unsafe_pattern(keep_newlines)
    if not pattern.search(text):  # the usual case, without building anything
        return text
    return pattern.sub(lambda found: describe(found.group()), text)


def storable(text: str) -> str:
    """`text` with lone surrogates escaped (UTF-8 cannot hold them); every other character kept."""
    if not any(unicodedata.category(ch) == "Cs" for ch in text):
        return text
    return "".join(describe(ch) if unicodedata.category(ch) == "Cs" else ch for ch in text)


def escape_path(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A file name as it can be printed: undecodable bytes become `\\udcff`-style escapes."""
    return escape(os.fsdecode(path))


class EscapingStream:
    """A text stream that escapes what it is given: the CLI's stdout and stderr.

    Every message of every command passes here, whatever it quotes (a file name, a
    field of an imported draft, an OS error), so none can write a raw control.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape(text, keep_newlines=True))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, encoding, isatty…
        return getattr(self._stream, name)
