"""Printable PDFs: formulaire de dépôt and recap (no Textual here).

Names are re-exported lazily so that importing this package does not import
fpdf2 (a few hundred ms cold), which only the confirmation step needs.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DepotData": "depot_data",
    "render_formulaire_depot": "formulaire_depot",
    "RecapSection": "recap_section",
    "render_recap_pdf": "recap_pdf",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
