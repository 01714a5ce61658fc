"""Folding of names for search and French sorting.

NFKD alone is not enough: it leaves œ, æ, ß, ł, ø, đ… untouched, and a plain
``sorted()`` puts "Égypte" after "Zimbabwe". Every search key and sort key in
the référentiel goes through :func:`fold`, and the build script stores the
folded commune names, so changing this function means rebuilding the index
(``tests/test_referentiel.py`` checks they agree).
"""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not decompose into "base letter + combining mark".
_LETTRES = {
    "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ẞ": "ss",
    "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
    "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ħ": "h", "Ħ": "h",
    "ŧ": "t", "Ŧ": "t", "ŀ": "l", "Ŀ": "l", "ĸ": "k", "ŋ": "n", "Ŋ": "n",
}
# Word separators: apostrophes, hyphens/dashes, and the parentheses of names
# like "Château-Chinon (Ville)".
_SEPARATEURS = "'’‘ʼ`´-‐‑‒–—−()"

_TABLE = str.maketrans({**_LETTRES, **{c: " " for c in _SEPARATEURS}})
_TABLE_ASCII = str.maketrans({c: " " for c in _SEPARATEURS if c.isascii()})


def fold(text: str) -> str:
    """Return the search/sort key of ``text``.

    Lowercase, accents removed, ligatures expanded (œ→oe, æ→ae, ß→ss),
    other Latin letters flattened (ł→l, ø→o, đ→d), apostrophes, hyphens and
    parentheses turned into spaces, runs of spaces collapsed, ends stripped.
    """
    if text.isascii():  # fast path: most queries and most commune names
        return " ".join(text.translate(_TABLE_ASCII).lower().split())
    s = unicodedata.normalize("NFKD", text.translate(_TABLE).casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    # Second pass: NFKD may have produced separators (e.g. from compatibility forms).
    return " ".join(s.translate(_TABLE).split())
