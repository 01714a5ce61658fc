"""Postal codes → communes and libellés d'acheminement, from the codes-postaux base."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from permis_tui.model.adresse import AdresseContact
from permis_tui.referentiel import (
    code_postal_existe,
    commune_par_code,
    communes_par_code_postal,
    libelle_acheminement,
)
from permis_tui.referentiel.codes_postaux import charger_codes_postaux


def test_source_is_the_pinned_package() -> None:
    base = charger_codes_postaux()
    assert base.source == "codes-postaux@4.1.2"
    assert len(base) == 6323  # 6201 from codes-postaux, the collectivités d'outre-mer from the COG


def test_74940_is_annecy_not_its_other_communes_deleguees() -> None:
    noms = [c.nom for c in communes_par_code_postal("74940")]
    assert noms == ["Annecy"]
    # Seynod and Cran-Gevrier are déléguées of Annecy too, with codes of their own.
    assert [c.nom for c in communes_par_code_postal("74600")] == ["Annecy", "Montagny-les-Lanches", "Quintal"]
    assert "Seynod" not in noms and "Cran-Gevrier" not in noms


def test_a_code_serving_several_communes_lists_them_all() -> None:
    assert [c.nom for c in communes_par_code_postal("75015")] == ["Paris 15e Arrondissement", "Issy-les-Moulineaux"]
    assert [c.nom for c in communes_par_code_postal("97300")] == ["Cayenne"]
    assert communes_par_code_postal("00000") == []
    assert code_postal_existe("97133") and not code_postal_existe("74999")
    # The collectivités d'outre-mer, absent from codes-postaux, come from the COG.
    assert [(c.nom, libelle_acheminement("97150", c.code)) for c in communes_par_code_postal("97150")] == [
        ("Saint-Martin", "SAINT-MARTIN")
    ]
    assert [c.nom for c in communes_par_code_postal("98800")] == ["Nouméa"]


def test_every_insee_code_of_the_base_is_a_current_commune_of_the_index() -> None:
    base = charger_codes_postaux()
    for cp in base.commencant_par(""):
        for code, libelle in base.communes(cp):
            commune = commune_par_code(code)
            assert commune is not None and commune.type in ("commune-actuelle", "arrondissement-municipal"), (cp, code)
            assert libelle == libelle.upper()


def test_libelle_acheminement() -> None:
    assert libelle_acheminement("75015", "75115") == "PARIS"
    assert libelle_acheminement("75015", "92040") == "PARIS"
    assert libelle_acheminement("74940", "74010") == "ANNECY"
    assert libelle_acheminement("74940", "75115") is None


def test_printed_address_follows_the_postal_standard() -> None:
    a = AdresseContact(
        numero_voie="12",
        type_voie="rue",
        nom_voie="de Vaugirard",
        code_postal="75015",
        commune_code="75115",
        commune="Paris 15e Arrondissement",
    )
    assert a.lignes() == ["12 rue de Vaugirard", "75015 PARIS"]


def test_address_outside_the_base_is_upper_case_without_accents() -> None:
    # An imported request whose commune the base does not list at that code.
    a = AdresseContact(nom_voie="Grande Rue", code_postal="60360", commune="Crèvecœur-le-Grand")
    assert a.lignes()[-1] == "60360 CREVECOEUR-LE-GRAND"


def test_loaded_lazily_and_separately_from_the_communes() -> None:
    code = textwrap.dedent(
        """
        import permis_tui.referentiel as r
        from permis_tui.referentiel.codes_postaux import charger_codes_postaux
        r.rechercher_communes("annecy")
        assert charger_codes_postaux.cache_info().currsize == 0, "name search loaded the postal codes"
        r.charger_index.cache_clear()
        assert r.code_postal_existe("74940")
        assert r.charger_index.cache_info().currsize == 0, "a postal-code check loaded the communes"
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)
