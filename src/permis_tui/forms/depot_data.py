"""What the formulaire de dépôt prints, without fpdf2: built in the session, rendered in a child."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DepotData:
    numero: str  # the ANTS numéro de demande, "" when not known yet (the box stays blank)
    nom_naissance: str
    nom_usage: str | None
    prenoms: list[str]
    sexe: str  # "F" / "M"
    date_naissance: str  # "JJ/MM/AAAA", may be partial: "00/00/1975"
    adresse_lignes: list[str] = field(default_factory=list)  # already formatted
    brouillon: bool = False  # not validated yet: marked "BROUILLON — ne pas envoyer"
    reference: str = ""  # permis-tui's référence de préparation, printed in small type
