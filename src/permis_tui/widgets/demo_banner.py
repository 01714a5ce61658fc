"""The banner every screen shows in demo mode."""

from __future__ import annotations

from textual.widgets import Static

DEMO_TEXT = "DÉMONSTRATION — aucune donnée n'est conservée"


class DemoBanner(Static):
    DEFAULT_CSS = """
    DemoBanner { dock: top; height: 1; width: 100%; content-align: center middle;
                 background: $warning; color: $text; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__(DEMO_TEXT, markup=False)
