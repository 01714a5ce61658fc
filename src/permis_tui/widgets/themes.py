"""A high-contrast theme, chosen with `theme = "contraste"` in the configuration file."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="permis-contraste",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFD700",
    error="#FF5555",
    success="#55FF55",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#303030",
    dark=True,
    variables={"text-muted": "#E0E0E0", "border-blurred": "#FFFFFF", "input-selection-background": "#FFFF00 40%"},
)
