"""Countries with French names, current (ISO 3166-1) and historical (ISO 3166-3).

pycountry is imported on first call only: its import and JSON parsing are not
needed until the birthplace step.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .folding import fold

FRANCE = "FR"


@dataclass(frozen=True, slots=True)
class Pays:
    code: str  # ISO 3166-1 alpha-2 ("FR"), or ISO 3166-3 alpha-4 when historique ("SUHH")
    nom: str  # French name from pycountry's gettext catalogue
    historique: bool


@functools.cache
def _charger() -> tuple[tuple[Pays, ...], dict[str, Pays]]:
    import gettext

    import pycountry

    def catalogue(domain: str) -> gettext.NullTranslations:
        # fallback: an English name beats a crash if a catalogue is missing.
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"], fallback=True)

    fr1, fr3 = catalogue("iso3166-1"), catalogue("iso3166-3")
    tous = [Pays(c.alpha_2, fr1.gettext(c.name), False) for c in pycountry.countries]
    tous += [Pays(c.alpha_4, fr3.gettext(c.name), True) for c in pycountry.historic_countries]
    # French order: folded key, so "Égypte" sits among the E, not after "Zimbabwe".
    tous.sort(key=lambda p: (fold(p.nom), p.nom, p.code))
    return tuple(tous), {p.code: p for p in tous}


def pays() -> list[Pays]:
    """Current and historical countries, sorted by folded French name."""
    return list(_charger()[0])


def pays_par_code(code: str) -> Pays | None:
    """By alpha-2 (current) or alpha-4 (historical) code, case-insensitive."""
    return _charger()[1].get(code.strip().upper())
