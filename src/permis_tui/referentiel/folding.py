"""Folding of names for search and French sorting.

NFKD alone is not enough: it leaves œ, æ, ß, ł, ø, đ… untouched, and a plain
``sorted()`` puts "Égypte" after "Zimbabwe". Every search key and sort key in
the référentiel goes through :func:`fold`, and the build script stores the
folded commune names, so changing this function means rebuilding the index
(``tests/test_referentiel.py`` checks they agree).

What people type is folded by :func:`fold_query`: :func:`fold`, then the
abbreviations of Saint written out ("st denis", "ste-foy", "St." find
Saint-Denis and Sainte-Foy-…). Every commune and country search uses it.
"""

from __future__ import annotations

import unicodedata

# Letters that NFKD does not decompose into "base letter + combining mark".
_LETTRES = {
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "ß": "ss",
    "ẞ": "ss",
    "ł": "l",
    "Ł": "l",
    "ø": "o",
    "Ø": "o",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "þ": "th",
    "Þ": "th",
    "ı": "i",
    "ħ": "h",
    "Ħ": "h",
    "ŧ": "t",
    "Ŧ": "t",
    "ŀ": "l",
    "Ŀ": "l",
    "ĸ": "k",
    "ŋ": "n",
    "Ŋ": "n",
}
# Word separators: apostrophes, hyphens/dashes, the parentheses of names like
# "Château-Chinon (Ville)", and the full stop of an abbreviation ("St. Denis";
# no commune or country name holds one).
_APOSTROPHES_TIRETS = "'’‘ʼ`´-‐‑‒–—−"
_SEPARATEURS = _APOSTROPHES_TIRETS + "()."

_TABLE = str.maketrans({**_LETTRES, **{c: " " for c in _SEPARATEURS}})
_TABLE_ASCII = str.maketrans({c: " " for c in _SEPARATEURS if c.isascii()})
_SANS_APOSTROPHES_TIRETS = str.maketrans(dict.fromkeys(_APOSTROPHES_TIRETS))

# As the names are written in the official lists (Saint-Denis, Sainte-Foy-la-Grande,
# Saintes-Maries-de-la-Mer, Sainte-Lucie); no name holds "st" or "ste" as a word.
ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


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


def fold_query(text: str) -> str:
    """:func:`fold` of what a person typed, with "st", "ste", "sts", "stes" written out.

    An abbreviation is written out only once the word is finished (another word, a
    space, a hyphen or a full stop follows it): "st" alone is still the start of
    Strasbourg or Stains, while "st denis", "st-" and "St." mean Saint.
    """
    words = fold(text).split(" ")
    finished = len(words) if text[-1:].isspace() or text[-1:] in _SEPARATEURS else len(words) - 1
    for i in range(finished):
        words[i] = ABREVIATIONS.get(words[i], words[i])
    return " ".join(words)


def fold_joined(text: str) -> str:
    """:func:`fold` with apostrophes and hyphens removed rather than made spaces:
    "O'Brien" → "obrien", "Jean-Pierre" → "jeanpierre", as some people type them."""
    return fold(text.translate(_SANS_APOSTROPHES_TIRETS))


def search_text(*parts: str) -> str:
    """One text to find query words in (each query word with ``in``): every part folded
    both ways, so "obrien", "o'brien" and "brien" all find O'BRIEN."""
    spaced = fold(" ".join(parts))
    joined = fold_joined(" ".join(parts))
    return spaced if joined == spaced else f"{spaced} {joined}"
