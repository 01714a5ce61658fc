"""French typography for every text the person reads (screens, PDFs, email, command output).

Rules (Lexique des règles typographiques en usage à l'Imprimerie nationale):
- a no-break space (U+00A0) before colon, semicolon, exclamation and question marks, so that
  the sign never starts a line;
- no-break spaces inside French quotation marks (guillemets);
- "35 x 45 mm": no-break spaces around the multiplication sign and before a unit symbol;
- ordinals "2e", "1re", never "2eme", "1ere";
- "etc." with one point.
`typographie` is idempotent; `scripts/typographie_sources.py` applies it to the string literals
of the sources (not to docstrings), and a test checks that none is left unapplied.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"  # espace insécable
# U+202F (espace fine insécable) would be finer, but the PDF font (Open Sans) has no glyph for
# it and some terminals draw it badly: U+00A0 everywhere, which French typography accepts.
NNBSP = NBSP

UNITES = ("mm", "cm", "km", "Mo", "Ko", "Go", "€", "%")

# Patterns spell the spaces and guillemets as escapes (\x20, \u00ab), so that the script
# rewriting string literals leaves this table as it is.
_RULES: list[tuple[re.Pattern[str], str]] = [
    # A plain space before ; ! ? becomes a narrow no-break space; before : a no-break space.
    (re.compile(r"\x20([;!?])"), NNBSP + r"\1"),
    (re.compile(r"\x20:(?=\s|$|\W)"), NBSP + ":"),
    (re.compile("\u00ab\x20"), "\u00ab" + NBSP),
    (re.compile("\x20\u00bb"), NBSP + "\u00bb"),
    (re.compile(r"([\d}])\x20\u00d7\x20([\d{])"), r"\1" + NNBSP + "\u00d7" + NNBSP + r"\2"),
    # A number, or in a source template the placeholder of one ("{prix} €"), before a unit.
    (re.compile(r"([\d}])\x20(" + "|".join(map(re.escape, UNITES)) + r")(?![\w])"), r"\1" + NBSP + r"\2"),
    (re.compile(r"\b1\u00e8re\b"), "1re"),
    (re.compile(r"\b(\d+)\u00e8me\b"), r"\1e"),
    # "etc..." or "etc…" → "etc."; a bare "etc" gets its point (not in a path: /etc/passwd).
    (re.compile(r"(?<![/\w])etc(?:\.{2,}|\u2026|(?![\w./]))"), "etc."),
    (re.compile(r"\bCode\x20Postal\b"), "Code postal"),
]


def typographie(text: str) -> str:
    """The same text with French typography applied; idempotent."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def compte(n: int, mot: str, pluriel: str | None = None) -> str:
    """ "0 page", "1 page", "2 pages": in French a count below 2 takes the singular
    (Académie française, « Accord du nom après un nombre décimal ou zéro »)."""
    return f"{n} {mot if abs(n) < 2 else (pluriel or mot + 's')}"
