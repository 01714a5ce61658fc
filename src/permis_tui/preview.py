"""« Voir » a stored piece in the terminal: a PDF's first-page text, or an image in
half-block characters. Computed in a child process (`python -m permis_tui.preview`),
with the same limits as the checks, so pypdf/Pillow stay out of the session.

Result (JSON): {"kind": "text", "lines": [...]} or {"kind": "image", "rows": [[[r,g,b],[r,g,b]]...]...]}
where each image row is one terminal line: pairs of (top pixel, bottom pixel) colours.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from permis_tui.safe_text import escape

PREVIEW_TIMEOUT = 8.0
TEXT_LINES = 40


def preview_in_child(path: Path, detected_type: str | None, width: int = 64) -> dict | None:
    from permis_tui.documents_child import child_env, limit_child

    try:
        proc = subprocess.run([sys.executable, "-m", "permis_tui.preview", str(path), detected_type or "", str(width)],
                              capture_output=True, text=True, timeout=PREVIEW_TIMEOUT,
                              preexec_fn=limit_child, env=child_env())
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    try:
        return json.loads(proc.stdout)
    except ValueError:
        return None


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
    return [[[list(px[x, y]), list(px[x, y + 1])] for x in range(small.width)]
            for y in range(0, small.height - 1, 2)]


def main() -> int:
    path, kind, width = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    result: dict[str, Any]
    if kind == "pdf":
        result = {"kind": "text", "lines": pdf_text(path)}
    else:
        result = {"kind": "image", "rows": image_rows(path, width)}
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
