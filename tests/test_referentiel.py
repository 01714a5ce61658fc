"""Reference data: communes, départements, préfectures, countries, folding.

Facts checked against @etalab/decoupage-administratif 6.0.0 and pycountry's
French catalogue. No timings here: see benchmarks/bench_referentiel.py.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter

import pytest

from permis_tui.referentiel import (
    ARRONDISSEMENT_MUNICIPAL,
    COMMUNE_ACTUELLE,
    COMMUNE_ASSOCIEE,
    COMMUNE_DELEGUEE,
    Commune,
    Departement,
    Pays,
    Prefecture,
    charger_index,
    code_postal_existe,
    commune_par_code,
    communes_du_departement,
    communes_par_code_postal,
    departement,
    departements,
    fold,
    pays,
    pays_par_code,
    prefectures,
    rechercher_communes,
)

# -- fold ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ANNECY-LE-VIEUX", "annecy le vieux"),
        ("Annecy-le-Vieux", "annecy le vieux"),
        ("Œuilly", "oeuilly"),
        ("Lætitia", "laetitia"),
        ("Weiß", "weiss"),
        ("Łódź", "lodz"),
        ("Søren", "soren"),
        ("Đorđe", "dorde"),
        ("L’Haÿ-les-Roses", "l hay les roses"),
        ("Berre-l'Étang", "berre l etang"),
        ("  Saint -- Denis  ", "saint denis"),
        ("Château-Chinon (Ville)", "chateau chinon ville"),
        ("Şanlıurfa", "sanliurfa"),
        ("", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_sorts_the_french_way() -> None:
    assert sorted(["Zimbabwe", "Égypte", "Espagne"], key=fold) == ["Égypte", "Espagne", "Zimbabwe"]


def test_stored_folds_match_fold() -> None:
    # The build script precomputes folded names: they must agree with fold()
    # (if this fails, rerun scripts/build_referentiel.py).
    index = charger_index()
    assert all(fold(n) == f for n, f in zip(index._noms, index._folds, strict=True))


# -- communes --------------------------------------------------------------------


def test_annecy_le_vieux_is_deleguee_of_annecy() -> None:
    for query in ("annecy le vieux", "ANNECY-LE-VIEUX", "Annecy-le-Vieux"):
        found = rechercher_communes(query, departement="74")
        assert [c.nom for c in found] == ["Annecy-le-Vieux"], query
    c = rechercher_communes("annecy le vieux", "74")[0]
    assert c.code == "74011"
    assert c.type == COMMUNE_DELEGUEE
    assert c.chef_lieu == "Annecy"
    assert c.departement == "74"
    assert c.libelle == "Annecy-le-Vieux (74) — commune déléguée d'Annecy"
    assert c in communes_du_departement("74")


def test_search_prefix_before_word_start() -> None:
    noms = [c.nom for c in rechercher_communes("annecy", "74")]
    assert noms[:2] == ["Annecy", "Annecy-le-Vieux"]
    # "colombe" finds the Sainte-Colombe by word start, after prefix matches.
    found = rechercher_communes("colombe", limit=100)
    noms = [c.nom for c in found]
    first_word_start = next(i for i, c in enumerate(found) if not fold(c.nom).startswith("colombe"))
    assert all(not fold(c.nom).startswith("colombe") for c in found[first_word_start:])
    assert "Sainte-Colombe" in noms
    assert noms.index("Colombes") < noms.index("Sainte-Colombe")


def test_search_results_sorted_by_folded_name_within_groups() -> None:
    found = rechercher_communes("e", limit=50)
    keys = [fold(c.nom) for c in found]
    assert keys == sorted(keys)
    assert any(c.nom.startswith("É") for c in found)  # É among the E, not after Z


def test_search_word_start_spanning_words() -> None:
    found = rechercher_communes("julien en genevois")
    assert [c.code for c in found] == ["74243"]


def test_search_departement_filter_and_limit() -> None:
    found = rechercher_communes("s", departement="74", limit=7)
    assert len(found) == 7
    assert all(c.departement == "74" for c in found)
    assert rechercher_communes("s", limit=0) == []
    assert rechercher_communes("a", departement="XX") == []
    assert rechercher_communes("   ") == []
    assert rechercher_communes("qqqqzz") == []
    # Corsica codes are case-insensitive.
    assert all(c.departement == "2A" for c in rechercher_communes("a", "2a"))


def test_sainte_colombe_homonyms_show_their_departement() -> None:
    found = [c for c in rechercher_communes("sainte colombe", limit=100) if c.nom == "Sainte-Colombe"]
    assert len(found) == 12
    libelles = {c.libelle for c in found}
    assert len(libelles) == 12
    assert "Sainte-Colombe (05)" in libelles
    assert all(c.libelle == f"Sainte-Colombe ({c.departement})" for c in found)


def test_oe_finds_oe_ligature() -> None:
    noms = [c.nom for c in rechercher_communes("oe", limit=50)]
    assert "Œuilly" in noms
    assert [c.nom for c in rechercher_communes("oeuilly")] == ["Œuilly", "Œuilly"]  # 02 and 51
    assert "Crèvecœur-en-Auge" in [c.nom for c in rechercher_communes("crevecoeur", limit=50)]


def test_postal_code_search() -> None:
    assert [c.nom for c in rechercher_communes("74000")][0] == "Annecy"
    # A birthplace search lists the former communes after the one holding the code
    # (someone born in Annecy-le-Vieux may remember 74940); an address never does.
    found = rechercher_communes("74940")
    assert found[0].nom == "Annecy" and found[0].type == COMMUNE_ACTUELLE
    assert "Annecy-le-Vieux" in [c.nom for c in found[1:]]
    assert all(c.type == COMMUNE_DELEGUEE and c.chef_lieu == "Annecy" for c in found[1:])
    found = rechercher_communes("750", limit=30)
    assert found[0].nom == "Paris 1er Arrondissement"
    assert {c.departement for c in found} == {"75", "92"}  # 75015, 75016 also serve Issy, Boulogne
    assert [c.nom for c in rechercher_communes("75 001")] == ["Paris 1er Arrondissement"]
    # 75015 also serves part of Issy-les-Moulineaux (92): a département filter keeps Paris only.
    assert [c.nom for c in rechercher_communes("75015", departement="75")] == ["Paris 15e Arrondissement"]
    assert all(c.departement == "74" for c in rechercher_communes("7", departement="74"))


def test_communes_par_code_postal() -> None:
    annecy = communes_par_code_postal("74000")
    assert [(c.code, c.type) for c in annecy] == [("74010", COMMUNE_ACTUELLE)]
    paris1 = communes_par_code_postal("75001")
    assert [c.nom for c in paris1] == ["Paris 1er Arrondissement"]
    arr = paris1[0]
    assert arr.type == ARRONDISSEMENT_MUNICIPAL
    assert arr.code == "75101" and arr.chef_lieu == "Paris" and arr.libelle == "Paris 1er Arrondissement (75)"
    assert communes_par_code_postal("00000") == []


def test_code_postal_existe() -> None:
    assert code_postal_existe("74000")
    assert code_postal_existe("75001")
    assert code_postal_existe("97400")
    assert not code_postal_existe("00000")
    assert not code_postal_existe("7400")
    assert not code_postal_existe("")


def test_commune_par_code_prefers_actuelle() -> None:
    annecy = commune_par_code("74010")
    assert annecy is not None and annecy.nom == "Annecy" and annecy.type == COMMUNE_ACTUELLE
    assert "74000" in annecy.codes_postaux
    # 01033 is both Valserhône (actuelle) and Bellegarde-sur-Valserine (déléguée).
    assert commune_par_code("01033").nom == "Valserhône"
    bellegarde = commune_par_code("01033", "Bellegarde-sur-Valserine")
    assert bellegarde.type == COMMUNE_DELEGUEE and bellegarde.chef_lieu == "Valserhône"
    assert commune_par_code("01033", "Valserhône").type == COMMUNE_ACTUELLE
    assert commune_par_code("01033", "Nowhere").nom == "Valserhône"
    assert commune_par_code("74011").chef_lieu == "Annecy"
    assert commune_par_code("99999") is None


def test_deleguee_repeating_its_chef_lieu_is_not_listed_twice() -> None:
    annecy = [c for c in communes_du_departement("74") if c.nom == "Annecy"]
    assert len(annecy) == 1 and annecy[0].type == COMMUNE_ACTUELLE
    # But a déléguée with the same code and another name is kept.
    bellegarde = rechercher_communes("bellegarde sur valserine", "01")
    assert bellegarde and bellegarde[0].libelle == "Bellegarde-sur-Valserine (01) — commune déléguée de Valserhône"


def test_communes_du_departement() -> None:
    communes = communes_du_departement("74")
    assert all(c.departement == "74" for c in communes)
    keys = [fold(c.nom) for c in communes]
    assert keys == sorted(keys)
    types = Counter(c.type for c in communes)
    assert types[COMMUNE_ACTUELLE] > 250 and types[COMMUNE_DELEGUEE] > 0
    assert communes_du_departement("99") == []
    assert communes_du_departement("2A")[0].departement == "2A"
    assert {c.departement for c in communes_du_departement("971")} == {"971"}


def test_paris_arrondissements_in_natural_order() -> None:
    noms = [c.nom for c in communes_du_departement("75")]
    assert noms[:3] == ["Paris", "Paris 1er Arrondissement", "Paris 2e Arrondissement"]
    assert noms[-1] == "Paris 20e Arrondissement"
    assert len(noms) == 21
    assert "Paris 9e Arrondissement" in [c.nom for c in rechercher_communes("paris")]


def test_associee_libelle_and_elision() -> None:
    oey = next(c for c in rechercher_communes("oey", "55"))
    assert oey.type == COMMUNE_ASSOCIEE
    assert oey.libelle == "Oëy (55) — commune associée de Chanteraine"


def test_totals_match_the_source() -> None:
    index = charger_index()
    # 37,590 source rows minus the 74 déléguées identical to their chef-lieu.
    assert len(index) == 37_590 - 74
    assert index.source == "@etalab/decoupage-administratif@6.0.0"


def test_commune_is_frozen() -> None:
    c = commune_par_code("74010")
    assert isinstance(c, Commune)
    with pytest.raises(AttributeError):
        c.nom = "x"  # type: ignore[misc]


# -- départements and préfectures ----------------------------------------------------------


def test_departements() -> None:
    deps = departements()
    assert len(deps) == 109
    assert all(isinstance(d, Departement) for d in deps)
    codes = [d.code for d in deps]
    assert codes[:2] == ["01", "02"]
    assert codes.index("19") + 1 == codes.index("2A") == codes.index("2B") - 1 == codes.index("21") - 2
    assert codes.index("95") < codes.index("971")
    assert {"971", "972", "973", "974", "976"} <= set(codes)
    assert departement("976") == Departement("976", "Mayotte", "drom")
    assert departement("975").zone == "com"
    assert departement("74").nom == "Haute-Savoie"
    assert departement("2a").code == "2A"
    assert departement("1").code == "01"
    assert departement("20") is None


def test_prefectures_haute_savoie() -> None:
    prefs = prefectures("74")
    assert prefs[0] == Prefecture("74010", "Préfecture d'Annecy", "préfecture")
    assert [p.nom for p in prefs[1:]] == [
        "Sous-préfecture de Bonneville",
        "Sous-préfecture de Saint-Julien-en-Genevois",
        "Sous-préfecture de Thonon-les-Bains",
    ]
    assert all(p.type == "sous-préfecture" for p in prefs[1:])


def test_prefectures_paris_and_contraction() -> None:
    assert [p.nom for p in prefectures("75")] == ["Préfecture de police"]
    assert "Sous-préfecture du Havre" in [p.nom for p in prefectures("76")]
    assert prefectures("99") == []
    # code_commune is a stable id within a département.
    for d in departements():
        codes = [p.code_commune for p in prefectures(d.code)]
        assert codes and len(codes) == len(set(codes))


# -- countries ---------------------------------------------------------------------------


def test_pays() -> None:
    tous = pays()
    assert all(isinstance(p, Pays) for p in tous)
    assert pays_par_code("FR") == Pays("FR", "France", False)
    assert pays_par_code("de").nom == "Allemagne"
    urss = pays_par_code("SUHH")
    assert urss is not None and urss.historique and "URSS" in urss.nom
    assert pays_par_code("DDDE").nom == "République démocratique allemande"
    assert pays_par_code("XX") is None
    noms = [p.nom for p in tous]
    assert noms.index("Égypte") < noms.index("Espagne") < noms.index("Zimbabwe")
    keys = [fold(p.nom) for p in tous]
    assert keys == sorted(keys)
    assert len({p.code for p in tous}) == len(tous)


# -- laziness -----------------------------------------------------------------------------


def test_import_is_lazy() -> None:
    code = textwrap.dedent(
        """
        import sys
        import permis_tui.referentiel as r
        assert "pycountry" not in sys.modules, "pycountry imported"
        assert "textual" not in sys.modules, "textual imported"
        assert r.charger_index.cache_info().currsize == 0, "index loaded"
        r.departements()
        assert r.charger_index.cache_info().currsize == 0, "departements loaded the communes"
        r.rechercher_communes("annecy")
        assert r.charger_index.cache_info().currsize == 1
        assert "pycountry" not in sys.modules
        r.pays()
        assert "pycountry" in sys.modules
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)
