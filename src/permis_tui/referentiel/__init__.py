"""Reference data: communes, départements, préfectures, countries.

Domain core: no Textual import. Importing this package loads nothing; each
data set is read on first use and cached (``charger_index`` for communes).
"""

from .commune import (
    ARRONDISSEMENT_MUNICIPAL,
    COMMUNE_ACTUELLE,
    COMMUNE_ASSOCIEE,
    COMMUNE_DELEGUEE,
    Commune,
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
from .countries import FRANCE, Pays, pays, pays_par_code
from .departement import ZONE_COM, ZONE_DROM, ZONE_METRO, Departement
from .folding import fold, fold_query
from .prefectures import (
    PREFECTURE,
    PREFECTURE_DE_POLICE,
    SOUS_PREFECTURE,
    Prefecture,
    departement,
    departements,
    prefectures,
)

__all__ = [
    "ARRONDISSEMENT_MUNICIPAL",
    "COMMUNE_ACTUELLE",
    "COMMUNE_ASSOCIEE",
    "COMMUNE_DELEGUEE",
    "FRANCE",
    "PREFECTURE",
    "PREFECTURE_DE_POLICE",
    "SOUS_PREFECTURE",
    "ZONE_COM",
    "ZONE_DROM",
    "ZONE_METRO",
    "Commune",
    "CommuneIndex",
    "Departement",
    "Pays",
    "Prefecture",
    "charger_index",
    "code_postal_existe",
    "commune_par_code",
    "communes_du_departement",
    "communes_par_code_postal",
    "departement",
    "departements",
    "fold",
    "fold_query",
    "pays",
    "pays_par_code",
    "prefectures",
    "rechercher_communes",
]
