"""Countries with French names, current (ISO 3166-1) and historical (ISO 3166-3).

The départements and collectivités d'outre-mer have ISO 3166-1 codes of their
own (GP, GF, NC…), but a birth there is a birth in France: the procedure asks
for "France", then the "Département ou Collectivité d'outre-mer de naissance"
(its step 2, field 2.7). They are not countries here: searching "Guadeloupe"
offers France with département 971 (:func:`rechercher_pays`). ISO 3166-3's
"France métropolitaine" (FXFR) is left out for the same reason.

pycountry is imported on first call only: its import and JSON parsing are not
needed until the birthplace step.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .folding import fold, fold_query

FRANCE = "FR"
# ISO 3166-1 code → code of the département or collectivité d'outre-mer
# (Code officiel géographique, as in data/departements.tsv).
OUTRE_MER = {
    "GP": "971",  # Guadeloupe
    "MQ": "972",  # Martinique
    "GF": "973",  # Guyane
    "RE": "974",  # La Réunion
    "PM": "975",  # Saint-Pierre-et-Miquelon
    "YT": "976",  # Mayotte
    "BL": "977",  # Saint-Barthélemy
    "MF": "978",  # Saint-Martin
    "TF": "984",  # Terres australes et antarctiques françaises
    "WF": "986",  # Wallis-et-Futuna
    "PF": "987",  # Polynésie française
    "NC": "988",  # Nouvelle-Calédonie
}
# Every other code that means France: the outre-mer, and two ISO 3166-3 codes,
# "France métropolitaine" (FXFR) and the former code of the Terres australes
# (FQHH). Code → département or collectivité, None for metropolitan France.
FRANCE_SOUS_UN_AUTRE_CODE: dict[str, str | None] = {**OUTRE_MER, "FXFR": None, "FQHH": "984"}


@dataclass(frozen=True, slots=True)
class Pays:
    code: str  # ISO 3166-1 alpha-2 ("FR"), or ISO 3166-3 alpha-4 when historique ("SUHH")
    nom: str  # French name from pycountry's gettext catalogue
    historique: bool


@functools.cache
def _charger() -> tuple[tuple[Pays, ...], dict[str, Pays], dict[str, str]]:
    import gettext

    import pycountry

    def catalogue(domain: str) -> gettext.NullTranslations:
        # fallback: an English name beats a crash if a catalogue is missing.
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"], fallback=True)

    fr1, fr3 = catalogue("iso3166-1"), catalogue("iso3166-3")
    tous = [Pays(c.alpha_2, fr1.gettext(c.name), False) for c in pycountry.countries]
    tous += [Pays(c.alpha_4, fr3.gettext(c.name), True) for c in pycountry.historic_countries]
    # ISO's French names of the outre-mer ("Réunion, Île de la"): searched too.
    noms_iso = {p.code: p.nom for p in tous if p.code in OUTRE_MER}
    tous = [p for p in tous if p.code not in FRANCE_SOUS_UN_AUTRE_CODE]
    # French order: folded key, so "Égypte" sits among the E, not after "Zimbabwe".
    tous.sort(key=lambda p: (fold(p.nom), p.nom, p.code))
    return tuple(tous), {p.code: p for p in tous}, noms_iso


def pays() -> list[Pays]:
    """Current and historical countries, sorted by folded French name; the
    outre-mer and "France métropolitaine" are France, not in the list."""
    return list(_charger()[0])


def pays_par_code(code: str) -> Pays | None:
    """By alpha-2 (current) or alpha-4 (historical) code, case-insensitive."""
    return _charger()[1].get(code.strip().upper())


@dataclass(frozen=True, slots=True)
class ChoixPays:
    """One line of the country-of-birth list: a country, or France with a
    département or collectivité d'outre-mer already chosen."""

    libelle: str
    pays: str
    departement: str | None = None


@functools.cache
def _entrees() -> tuple[tuple[ChoixPays, tuple[str, ...]], ...]:
    """Every line of the list with the names it is found by, in French order.

    Each name is stored folded, after a space (" guinee equatoriale": hyphens and
    apostrophes are spaces there), once: a search is then plain string tests.
    """
    from .prefectures import departement

    tous, _, noms_iso = _charger()
    entrees: list[tuple[ChoixPays, tuple[str, ...]]] = [
        (ChoixPays(p.nom + (" (ancien pays)" if p.historique else ""), p.code), (p.nom,)) for p in tous
    ]
    for iso, dep in OUTRE_MER.items():
        d = departement(dep)
        if d is not None:  # found by its own name and by ISO's ("Guyane française")
            entrees.append((ChoixPays(f"{d.nom} — France ({dep})", FRANCE, dep), (d.nom, noms_iso.get(iso, d.nom))))
    entrees.sort(key=lambda e: fold(e[1][0]))
    return tuple((choix, tuple(" " + fold(n) for n in noms)) for choix, noms in entrees)


def rechercher_pays(query: str, limit: int = 30) -> list[ChoixPays]:
    """Names starting with ``query``, then names with a later word starting with it
    (accents, case, hyphens and apostrophes ignored; "st", "ste" written out). A département or collectivité
    d'outre-mer comes as France with it already chosen: "guadeloupe" gives
    ``ChoixPays("Guadeloupe — France (971)", "FR", "971")``."""
    q = fold_query(query).strip()  # "ste lucie" is Sainte-Lucie, as in commune search
    if not q:
        return []
    q = " " + q
    debut = [c for c, noms in _entrees() if any(n.startswith(q) for n in noms)]
    vus = set(debut)
    mot = [c for c, noms in _entrees() if c not in vus and any(q in n for n in noms)]
    return (debut + mot)[:limit]
