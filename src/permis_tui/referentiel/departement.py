"""The :class:`Departement` value object."""

from __future__ import annotations

from dataclasses import dataclass

ZONE_METRO = "metro"
ZONE_DROM = "drom"  # départements et régions d'outre-mer (971–974, 976)
ZONE_COM = "com"  # collectivités d'outre-mer (975, 977, 978, 984–989)


@dataclass(frozen=True, slots=True)
class Departement:
    code: str  # "01", "2A", "971"
    nom: str
    zone: str  # ZONE_METRO | ZONE_DROM | ZONE_COM

    @property
    def libelle(self) -> str:
        return f"{self.code} — {self.nom}"


def cle_departement(code: str) -> tuple[int, str]:
    """Sort key: "19" < "2A" < "2B" < "21" < … < "95" < "971" < … < "989".

    Corsica's 2A/2B sit where "20" used to be, as in every French listing.
    """
    if code[:1] == "2" and code[1:2] in ("A", "B"):
        return (20, code[1])
    return (int(code), "")
