"""Reference data: communes, départements, préfectures, countries.

Domain core: no Textual import. Importing this package loads nothing; each
data set is read on first use and cached (``charger_index`` for communes).
"""

from .codes_postaux import charger_codes_postaux, libelle_acheminement
from .commune import (
    ARRONDISSEMENT_MUNICIPAL,
    COMMUNE_ACTUELLE,
    COMMUNE_ASSOCIEE,
    COMMUNE_DELEGUEE,
    Commune,
    de_nom,
)
from .commune_index import (
    CommuneIndex,
    charger_index,
    code_postal_existe,
    commune_par_code,
    communes_du_departement,
    communes_par_code_postal,
    rechercher_communes,
)
from .countries import (
    FRANCE,
    FRANCE_SOUS_UN_AUTRE_CODE,
    OUTRE_MER,
    ChoixPays,
    Pays,
    pays,
    pays_par_code,
    rechercher_pays,
)
from .departement import ZONE_COM, ZONE_DROM, ZONE_METRO, Departement
from .folding import fold, fold_query
from .prefectures import (
    PREFECTURE,
    PREFECTURE_DE_POLICE,
    SOUS_PREFECTURE,
    Prefecture,
    departement,
    departements,
    prefecture_par_defaut,
    prefectures,
)

__all__ = [
    "ARRONDISSEMENT_MUNICIPAL",
    "COMMUNE_ACTUELLE",
    "COMMUNE_ASSOCIEE",
    "COMMUNE_DELEGUEE",
    "FRANCE",
    "FRANCE_SOUS_UN_AUTRE_CODE",
    "OUTRE_MER",
    "PREFECTURE",
    "PREFECTURE_DE_POLICE",
    "SOUS_PREFECTURE",
    "ZONE_COM",
    "ZONE_DROM",
    "ZONE_METRO",
    "Commune",
    "ChoixPays",
    "CommuneIndex",
    "Departement",
    "Pays",
    "Prefecture",
    "charger_index",
    "code_postal_existe",
    "commune_par_code",
    "de_nom",
    "communes_du_departement",
    "communes_par_code_postal",
    "departement",
    "departements",
    "fold",
    "fold_query",
    "libelle_acheminement",
    "pays",
    "pays_par_code",
    "prefecture_par_defaut",
    "precharger",
    "prefectures",
    "rechercher_communes",
    "rechercher_pays",
]


def precharger() -> None:
    """Read every data set now, so that the first screen showing one does not wait for it
    (30 to 50 ms each). Meant for a worker thread: each loader is cached, and two threads
    loading one at the same time both get an equivalent result."""
    charger_index()
    charger_codes_postaux()
    pays_par_code(FRANCE)
    departements()
