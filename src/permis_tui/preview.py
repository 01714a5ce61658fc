"""« Voir » a stored piece in the terminal: a PDF's first-page text, or an image in
half-block characters. Computed in a child process (`python -m permis_tui.preview`, through
`child_runner`), with the same limits as the checks, so pypdf/Pillow stay out of the session.

Result (JSON): {"kind": "text", "lines": [...]} or {"kind": "image", "rows": [[[r,g,b],[r,g,b]]...]...]}
where each image row is one terminal line: pairs of (top pixel, bottom pixel) colours.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from permis_tui.child_runner import PARSER_ADDRESS_SPACE, run_in_child, serve
from permis_tui.safe_text import escape

PREVIEW_TIMEOUT = 8.0
TEXT_LINES = 40


def preview_in_child(path: Path, detected_type: str | None, width: int = 64) -> dict[str, Any] | None:
    """The preview of a stored piece, or None when it cannot be made (shown as such)."""
    payload = {"path": str(path), "kind": detected_type or "", "width": width}
    result = run_in_child(__name__, payload, PREVIEW_TIMEOUT, PARSER_ADDRESS_SPACE)
    return result.value if result.ok and isinstance(result.value, dict) else None


def pdf_text(path: Path) -> list[str]:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with open(path, "rb") as handle:
        reader = PdfReader(handle)
        if reader.is_encrypted:
            reader.decrypt("")
        text = reader.pages[0].extract_text() or ""
    # A PDF's text is the sender's: controls shown escaped, never sent to the terminal.
    lines = [escape(" ".join(line.split())) for line in text.splitlines()]
    lines = [line for line in lines if line][:TEXT_LINES]
    return lines or ["(aucun texte sur la première page : document numérisé en image)"]


def image_rows(path: Path, width: int) -> list[list[list[list[int]]]]:
    from PIL import Image

    with Image.open(path) as opened:
        img = opened.convert("RGB")
        # Terminal cells are about twice as tall as wide; one cell shows two pixels stacked.
        height = max(2, round(img.height * width / img.width))
        height += height % 2
        small = img.resize((width, min(height, 2 * 30)))
    px: Any = small.load()  # RGB: each pixel an (r, g, b) tuple
    return [[[list(px[x, y]), list(px[x, y + 1])] for x in range(small.width)] for y in range(0, small.height - 1, 2)]


def _handle(payload: dict[str, Any]) -> dict[str, Any]:
    path, kind, width = Path(payload["path"]), str(payload["kind"]), int(payload["width"])
    if kind == "pdf":
        return {"kind": "text", "lines": pdf_text(path)}
    return {"kind": "image", "rows": image_rows(path, width)}


if __name__ == "__main__":
    sys.exit(serve(_handle))
