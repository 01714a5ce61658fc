"""The :class:`Commune` value object and French "de + nom" contraction."""

from __future__ import annotations

from dataclasses import dataclass

COMMUNE_ACTUELLE = "commune-actuelle"
COMMUNE_DELEGUEE = "commune-deleguee"
COMMUNE_ASSOCIEE = "commune-associee"
ARRONDISSEMENT_MUNICIPAL = "arrondissement-municipal"

_VOYELLES = frozenset("aeiouyàâäéèêëîïôöùûüÿœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ")


def departement_du_code(code: str) -> str:
    """The département of an INSEE code: its first 2 characters, 3 outre-mer ("97302" → "973")."""
    return code[:3] if code[:2] in ("97", "98") else code[:2]


def de_nom(nom: str) -> str:
    """``"de " + nom`` with French elision and contraction.

    "d'Annecy", "de Valserhône", "du Havre" (Le), "des Sables-d'Olonne" (Les),
    "de La Rochelle". Names starting with H get "de": h muet and h aspiré
    cannot be told apart from spelling, and "de" is never wrong enough to
    mislead.
    """
    if nom.startswith("Le "):
        return "du " + nom[3:]
    if nom.startswith("Les "):
        return "des " + nom[4:]
    if nom[:1] in _VOYELLES:
        return "d'" + nom
    return "de " + nom


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune as listed by the Code officiel géographique.

    ``codes_postaux`` is empty for communes déléguées and associées (the
    source has none for them): use the chef-lieu's, which
    :func:`~permis_tui.referentiel.communes_par_code_postal` already does.
    """

    code: str  # code INSEE, e.g. "74010"
    nom: str
    departement: str  # "74", "2A", "971"
    codes_postaux: tuple[str, ...]
    type: str  # one of the four module constants above
    # Name of the current commune this one belongs to (déléguée/associée), or
    # "Paris"/"Lyon"/"Marseille" for an arrondissement municipal; else None.
    chef_lieu: str | None

    @property
    def libelle(self) -> str:
        """Display label; always shows the département, as 1,441 names are shared."""
        base = f"{self.nom} ({self.departement})"
        if self.type == COMMUNE_DELEGUEE and self.chef_lieu:
            return f"{base} — commune déléguée {de_nom(self.chef_lieu)}"
        if self.type == COMMUNE_ASSOCIEE and self.chef_lieu:
            return f"{base} — commune associée {de_nom(self.chef_lieu)}"
        return base  # arrondissements already read "Paris 1er Arrondissement"
