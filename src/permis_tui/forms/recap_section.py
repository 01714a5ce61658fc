"""A section of the recap PDF, without fpdf2: built in the session, rendered in a child."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RecapSection:
    titre: str
    lignes: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
