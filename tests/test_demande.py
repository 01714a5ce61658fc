"""The Demande model: defaults, numéro, JSON round trip, schema migration."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from pydantic import ValidationError

from permis_tui.model import demande as demande_mod
from permis_tui.model.demande import (
    NUMERO_PATTERN,
    SCHEMA_VERSION,
    Demande,
    Etat,
    FutureSchemaError,
    load_demande,
    migrate,
    new_numero,
)


def test_new_numero_shape_and_alphabet():
    numero = new_numero(datetime(2025, 3, 9))
    assert re.fullmatch(NUMERO_PATTERN, numero)
    assert numero.startswith("2503-")
    assert not set(numero[5:]) & set("01OI")


def test_new_numero_is_random():
    assert len({new_numero() for _ in range(50)}) == 50


def test_defaults():
    d = Demande()
    assert d.schema_version == SCHEMA_VERSION
    assert d.etat is Etat.BROUILLON and not d.est_validee
    assert d.etape == 1
    assert d.prenom == "" and d.nom == ""
    assert d.cree_le.tzinfo is not None


def test_prenom_nom_properties():
    d = Demande.model_validate({"etat_civil": {"nom_naissance": "Lefèvre", "prenoms": ["Jean-Pierre", "Łukasz"]}})
    assert d.prenom == "Jean-Pierre"
    assert d.nom == "Lefèvre"


def test_json_round_trip():
    d = Demande.model_validate(
        {
            "motif": {
                "motif": "inscription",
                "type_inscription": "retour",
                "retour": {"date_restitution": "2024-01-01", "categories_detenues": ["b", "am", "B"]},
            },
            "etat_civil": {"nom_naissance": "d’Alembert", "date_naissance": "00/00/1975"},
            "adresse": {"telephone": "06 12 34 56 78", "code_postal": "74000"},
            "saisies": {"adresse.email": "pas-encore"},
        }
    )
    again = load_demande(json.loads(d.model_dump_json()))
    assert again == d
    assert again.motif.retour.categories_detenues == ["AM", "B"]
    assert again.etat_civil.nom_naissance == "d'Alembert"
    assert again.adresse.telephone == "+33612345678"


def test_saisies_are_bounded():
    d = Demande(saisies={"k" * 500: "x" * 100_000})
    ((key, value),) = d.saisies.items()
    assert len(key) == 100
    assert len(value) == demande_mod.PENDING_MAX


def test_invalid_numero_refused():
    with pytest.raises(ValidationError):
        Demande(numero="../../etc/passwd")


def test_extra_fields_refused():
    with pytest.raises(ValidationError):
        load_demande({"inconnu": 1})


def test_load_demande_refuses_non_object():
    with pytest.raises(ValueError, match="objet JSON"):
        load_demande([1, 2])


def test_load_demande_does_not_mutate_input():
    data = {"schema_version": 1, "numero": new_numero()}
    copy = dict(data)
    load_demande(data)
    assert data == copy


# -- migrate ---------------------------------------------------------------


def test_migrate_current_version_passes_unchanged():
    data = {"schema_version": SCHEMA_VERSION, "numero": "2501-ABCD-EFGH", "revision": 4}
    assert migrate(dict(data)) == data


def test_drafts_from_before_revisions_start_at_revision_0():
    data = {"schema_version": 1, "numero": "2501-ABCD-EFGH"}
    # Then versions 3, 4 and 5 add nothing to a document without motif or pieces.
    assert migrate(dict(data)) == {"schema_version": SCHEMA_VERSION, "numero": "2501-ABCD-EFGH", "revision": 0}
    assert load_demande(data).revision == 0


def test_migrate_missing_version_is_version_1():
    assert migrate({"numero": "x"})["numero"] == "x"


def test_migrate_future_schema_raises():
    with pytest.raises(FutureSchemaError, match="plus récente"):
        migrate({"schema_version": SCHEMA_VERSION + 1})
    with pytest.raises(FutureSchemaError):
        load_demande({"schema_version": 99})


@pytest.mark.parametrize("version", [0, -1, "1", 1.5, None])
def test_migrate_bad_version(version):
    with pytest.raises(ValueError):
        migrate({"schema_version": version})


def test_registered_migration_is_applied(monkeypatch):
    def v1_to_v2(data):
        data = dict(data)
        data["renamed"] = data.pop("old_name")
        return data

    def v2_to_v3(data):
        data = dict(data)
        data["renamed"] = data["renamed"].upper()
        return data

    monkeypatch.setattr(demande_mod, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(demande_mod, "MIGRATIONS", {1: v1_to_v2, 2: v2_to_v3})
    out = demande_mod.migrate({"schema_version": 1, "old_name": "abc"})
    assert out == {"schema_version": 3, "renamed": "ABC"}
    # A version-2 document only goes through the second step.
    assert demande_mod.migrate({"schema_version": 2, "renamed": "x"}) == {"schema_version": 3, "renamed": "X"}
    # Version 3 is now current; 4 is the future.
    with pytest.raises(FutureSchemaError):
        demande_mod.migrate({"schema_version": 4})


def test_registered_migration_feeds_load_demande(monkeypatch):
    """A v1 draft whose field was renamed in v2 still loads."""

    def v1_to_v2(data):
        data = dict(data)
        data["etape"] = data.pop("etape_courante", 1)
        return data

    monkeypatch.setattr(demande_mod, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(demande_mod, "MIGRATIONS", {1: v1_to_v2})
    d = demande_mod.load_demande({"schema_version": 1, "etape_courante": 4})
    assert d.etape == 4
    assert d.schema_version == 2


def test_version_2_draft_migrates_to_3_with_new_dates_missing():
    v2 = {
        "schema_version": 2,
        "numero": "2501-ABCD-EFGH",
        "revision": 7,
        "motif": {
            "motif": "inscription",
            "type_inscription": "retour",
            "retour": {"mesure": "annulation", "date_restitution": "2024-12-01"},
        },
        "pieces": {"domicile_type": "imposition"},
    }
    d = load_demande(v2)
    assert d.schema_version == SCHEMA_VERSION == 5 and d.revision == 7
    assert d.motif.retour.date_mesure is None and d.pieces.avis_medical_date is None
    assert d.motif.retour.date_restitution.isoformat() == "2024-12-01"


def test_version_1_draft_migrates_with_new_dates_missing():
    """A draft from before date_mesure / avis_medical_date loads; the dates are missing
    and step 1 / step 5 ask for them."""
    from permis_tui.model.completeness import step_issues

    v1 = {
        "schema_version": 1,
        "numero": "2501-ABCD-EFGH",
        "motif": {
            "motif": "inscription",
            "personne": "majeure",
            "type_inscription": "retour",
            "categorie_lourde": False,
            "retour": {
                "mesure": "invalidation",
                "invalidation_precedente_5_ans": False,
                "date_restitution": "2024-12-01",
                "duree_interdiction_mois": 6,
                "date_premier_permis": "2010-05-01",
                "categories_detenues": ["B"],
            },
        },
        "pieces": {"domicile_type": "facture", "domicile_date": "01/05/2025", "domicile_au_nom": True},
    }
    d = load_demande(v1)
    assert d.schema_version == SCHEMA_VERSION == 5
    assert d.revision == 0  # the version-2 step ran too
    assert d.motif.retour.date_mesure is None and d.pieces.avis_medical_date is None
    assert d.motif.retour.date_restitution.isoformat() == "2024-12-01"
    assert [i.field for i in step_issues(d, 1)] == ["motif.retour.date_mesure"]
    assert "pieces.avis_medical_date" in [i.field for i in step_issues(d, 5)]


def test_version_3_draft_migrates_to_4_with_identity_document_missing():
    """F31057: a draft from before identite_type / identite_expiration loads, keeps
    its answers, and step 5 asks for the kind of identity document."""
    from permis_tui.model.completeness import step_issues

    v3 = {
        "schema_version": 3,
        "numero": "2501-ABCD-EFGH",
        "revision": 2,
        "pieces": {"domicile_type": "imposition", "avis_medical_date": "01/05/2025"},
    }
    out = migrate(dict(v3))
    assert out["schema_version"] == SCHEMA_VERSION
    assert out["pieces"] == {
        "domicile_type": "imposition",
        "avis_medical_date": "01/05/2025",
        "identite_type": None,
        "identite_expiration": None,
    }
    d = load_demande(v3)
    assert d.revision == 2 and d.pieces.domicile_type.value == "imposition"
    assert d.pieces.identite_type is None and d.pieces.identite_expiration is None
    assert "pieces.identite_type" in [i.field for i in step_issues(d, 5)]


def test_version_4_pieces_get_the_code_of_their_sentence():
    """Schema 5: a piece keeps its verdict code; a format-4 piece had only the sentence, and the
    migration recognises it, so that re-checks and the details screen decide on the code."""
    from permis_tui.documents import Details, VerdictCode
    from permis_tui.model.piece_kind import PieceKind

    def piece(n: int, valide: bool, raison: str | None) -> dict:
        sha = f"{n:064x}"
        return {
            "kind": "identite",
            "nom_original": f"f{n}.pdf",
            "sha256": sha,
            "fichier": f"{sha}.pdf",
            "taille": 10,
            "type_detecte": "pdf",
            "valide": valide,
            "raison": raison,
            "ajoute_le": "2025-05-01T10:00:00+02:00",
        }

    too_many = VerdictCode.TOO_MANY_PAGES.text(Details(limit=2, kind=PieceKind.IDENTITE))
    v4 = {
        "schema_version": 4,
        "numero": "2501-ABCD-EFGH",
        "revision": 1,
        "pieces": {
            "fichiers": [
                piece(1, True, None),
                piece(2, False, VerdictCode.COPY_MISSING.text()),
                piece(3, False, too_many),
                piece(4, False, "Une phrase d'une autre version."),
            ]
        },
    }
    d = load_demande(v4)
    assert d.schema_version == SCHEMA_VERSION == 5
    assert [p.code for p in d.pieces.fichiers] == [None, VerdictCode.COPY_MISSING, VerdictCode.TOO_MANY_PAGES, None]
    assert [p.raison for p in d.pieces.fichiers][1:3] == [VerdictCode.COPY_MISSING.text(), too_many]  # kept as read
