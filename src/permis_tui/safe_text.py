"""Text on its way to a terminal: control characters are shown, never interpreted.

A file name, an imported draft or a PDF may carry ESC sequences (which retitle the
terminal or redraw the screen), C1 controls, lone surrogates (which crash UTF-8
output) or bidi overrides (which reorder what the eye reads). Everything displayed
that the model did not validate goes through `escape` once, at the display point.

Domain core: no Textual here (Textual markup is escaped by the widgets' own helpers).
"""

from __future__ import annotations

import os
import unicodedata

# Explicit bidi embeddings, overrides and isolates, plus the invisible marks that steer them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Cc: C0, DEL and C1 controls; Cs: lone surrogates (a non-UTF-8 file name decoded with
# surrogateescape); Zl/Zp: line and paragraph separators, which break a one-line layout.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def is_unsafe(ch: str) -> bool:
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in _UNSAFE_CATEGORIES


def first_unsafe(text: str) -> str | None:
    """The first character that must not reach a terminal, or None."""
    return next((ch for ch in text if is_unsafe(ch)), None)


def describe(ch: str) -> str:
    """`\\x1b`, `\\u202e`: how an unsafe character is written when shown."""
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every unsafe character replaced by its visible escape (`\\x1b`)."""
    if not any(is_unsafe(ch) for ch in text):  # the usual case, without building a list
        return text
    return "".join(
        ch if (keep_newlines and ch == "\n") or not is_unsafe(ch) else describe(ch) for ch in text
    )


def escape_path(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A file name as it can be printed: undecodable bytes become `\\udcff`-style escapes."""
    return escape(os.fsdecode(path))
