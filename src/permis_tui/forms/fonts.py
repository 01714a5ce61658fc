"""Open Sans for the generated PDFs.

The core PDF fonts only cover Latin-1/cp1252, so names such as "Łukasz" or
"Şahin" would be lost; Open Sans (package ``ttf-opensans``) covers Latin
Extended-A and fpdf2 embeds only the glyphs actually used.

Parsing a TTF costs ~4 ms per face (``add_font``: 7.9 ms for regular + bold,
against 0.2 ms from the cache). ``add_open_sans`` therefore parses each face once per process
and hands every new document a shallow copy: the read-only tables (widths, cmap,
descriptor) are shared, while the parts fpdf2 mutates per document (the
fontTools object, which its subsetter prunes in place, and the subset map) are
fresh. The copy relies on fpdf2 internals, so any surprise falls back to the
plain ``FPDF.add_font``.

The module also holds the small wrapping helpers both renderers share.
"""

from __future__ import annotations

import copy
import io
import logging
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from fpdf import FPDF

FAMILY = "OpenSans"
_FILES = {"": "OpenSans-Regular.ttf", "B": "OpenSans-Bold.ttf"}

_log = logging.getLogger(__name__)


@cache
def font_path(style: str = "") -> Path:
    """Path of the Open Sans TTF for ``style`` ("" or "B")."""
    path = Path(str(resources.files("ttf_opensans") / "ttf" / _FILES[style]))
    if not path.is_file():
        raise FileNotFoundError(f"Police Open Sans introuvable : {path}")
    return path


@cache
def _font_bytes(style: str) -> bytes:
    return font_path(style).read_bytes()


@cache
def _template(style: str) -> Any:
    """A parsed fpdf2 TTFFont, never attached to a document itself."""
    from fpdf import FPDF

    scratch = FPDF()
    scratch.add_font(FAMILY, style, font_path(style))
    return scratch.fonts[_fontkey(style)]


def _fontkey(style: str) -> str:
    return f"{FAMILY.lower()}{style}"


def _fresh_copy(template: Any, index: int) -> Any:
    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    # Shallow: cw/glyph_ids/cmap/desc are only read (cw is a defaultdict whose
    # misses insert the same default width, harmless to share).
    font = copy.copy(template)
    font.i = index
    font.ttfont = ttLib.TTFont(
        io.BytesIO(_font_bytes(_style_of(template))),
        recalcTimestamp=False,
        lazy=True,
    )
    font._hbfont = None
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    return font


def _style_of(font: Any) -> str:
    return font.fontkey[len(FAMILY) :]


_cache_broken = False


def add_open_sans(pdf: FPDF, styles: tuple[str, ...] = ("", "B")) -> None:
    """Register Open Sans (regular and bold by default) on ``pdf``."""
    global _cache_broken
    for style in styles:
        key = _fontkey(style)
        if key in pdf.fonts:
            continue
        if not _cache_broken:
            try:
                pdf.fonts[key] = _fresh_copy(_template(style), len(pdf.fonts) + 1)
                continue
            except Exception:  # noqa: BLE001 - fpdf2 internals changed: pay the parse each time
                _log.warning("Cache de police inutilisable, repli sur add_font", exc_info=True)
                _cache_broken = True
        pdf.add_font(FAMILY, style, font_path(style))


# --- Text measuring helpers shared by the renderers ---

ELLIPSIS = "…"
PT_TO_MM = 25.4 / 72
# Open Sans needs ~1.3 em per line so accents of one line clear the descenders above.
LINE_FACTOR = 1.3

# Any run of whitespace becomes one space, except no-break spaces: French typography keeps them
# (permis_tui.typographie) and fpdf2 never breaks a line at them.
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def clean(text: str | None) -> str:
    """One line of printable text: user input may hold tabs or newlines."""
    return _SPACES.sub(" ", text or "").strip()


def line_height(size_pt: float) -> float:
    return size_pt * PT_TO_MM * LINE_FACTOR


def wrap(pdf: FPDF, text: str, width: float, max_lines: int | None = None) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` mm with the current font.

    Words longer than the width are cut by fpdf2. Beyond ``max_lines`` the last
    kept line ends with an ellipsis, so the reader knows it was cut.
    """
    text = clean(text)
    if not text:
        return [""]
    lines = cast(
        list[str],
        pdf.multi_cell(  # output="LINES": the lines alone
            width, 5, text, dry_run=True, output="LINES", padding=0
        ),
    )
    lines = [line.rstrip() for line in lines]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit_with_ellipsis(pdf, lines[-1], width)
    return lines


def fit_with_ellipsis(pdf: FPDF, text: str, width: float) -> str:
    text = text.rstrip()
    while text and pdf.get_string_width(text + ELLIPSIS) > width:
        text = text[:-1].rstrip()
    return text + ELLIPSIS
