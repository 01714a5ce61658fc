"""Property tests: whatever is typed, pasted or found on disk, nothing crashes.

- every parser in fields.py raises only `InvalidValue` (never another exception)
  and returns something that parses again to itself;
- `load_demande` on arbitrary JSON-like data raises only ValidationError / ValueError;
- `DraftStore.scan()` on a folder of random files never raises and sets each aside.
"""

from __future__ import annotations

import json
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from permis_tui.model import fields
from permis_tui.model.demande import Demande, load_demande, new_numero
from permis_tui.model.fields import InvalidValue
from permis_tui.store import DraftStore

MODEST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)

# Anything: all of Unicode (control chars, surrogates excluded by text()), short or huge.
any_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=200),
    st.text(alphabet=string.digits + " /.-+@", max_size=40),
    # Characters str.isdigit() accepts but int() or a postal code does not.
    st.text(alphabet="0123456789²³¹٣٧۷０ ", max_size=8),
    st.text(alphabet=string.printable + "\x00\x07\x1b\u200b\u2019ŒÆŸŁØŞ²٣", max_size=60),
    st.text(min_size=1, max_size=3).map(lambda s: s * 7000),  # a huge paste (up to ~20,000 chars)
    st.none(),
)

PARSERS = {
    "normalize_name": lambda s: fields.normalize_name(s),
    "normalize_name_optional": lambda s: fields.normalize_name(s, required=False),
    "normalize_free_text": lambda s: fields.normalize_free_text(s),
    "parse_date": lambda s: fields.parse_date(s, today=date(2025, 6, 15)),
    "parse_date_partial": lambda s: fields.parse_date(s, today=date(2025, 6, 15), allow_partial=True, required=False),
    "parse_email": fields.parse_email,
    "parse_mobile": fields.parse_mobile,
    "parse_code_postal_format": fields.parse_code_postal_format,
    "parse_numero_voie": fields.parse_numero_voie,
    "parse_extension": fields.parse_extension,
    "parse_code_ephoto": fields.parse_code_ephoto,
}
# Parsers added later, if present: (parser, how to turn its result back into text).
_OPTIONAL = {
    "parse_months": lambda s: fields.parse_months(s),
    "parse_full_date": lambda s: fields.parse_full_date(s, today=date(2025, 6, 15)),
}
for _name, _parse in _OPTIONAL.items():
    if hasattr(fields, _name):
        PARSERS[_name] = _parse


def _as_text(value) -> str:
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


@pytest.fixture(autouse=True)
def _no_dns(monkeypatch):
    import email_validator.deliverability as deliv

    def forbid(*a, **k):
        raise AssertionError("parse_email must not check deliverability")

    monkeypatch.setattr(deliv, "validate_email_deliverability", forbid)


@pytest.mark.parametrize("name", sorted(PARSERS))
@MODEST
@given(raw=any_text)
def test_parsers_raise_only_invalid_value(name, raw):
    parse = PARSERS[name]
    try:
        result = parse(raw)
    except InvalidValue as exc:
        message = str(exc)
        assert message and len(message) < 300, "messages stay short"
        if raw and len(raw) > 300:
            assert raw not in message
        return
    if result is not None:
        # Idempotent: the normalised value, typed again, gives the same value.
        assert parse(_as_text(result)) == result


@MODEST
@given(day=st.integers(0, 40), month=st.integers(0, 14), year=st.integers(1850, 2100), sep=st.sampled_from("/.- "))
def test_parse_date_agrees_with_calendar(day, month, year, sep):
    today = date(2025, 6, 15)
    raw = f"{day:02d}{sep}{month:02d}{sep}{year}"
    try:
        real = date(year, month, day)
    except ValueError:
        real = None
    try:
        out = fields.parse_date(raw, today=today)
    except InvalidValue:
        assert real is None or real > today or year < 1900
    else:
        assert real is not None and real <= today and year >= 1900
        assert out == f"{day:02d}/{month:02d}/{year}"


@MODEST
@given(digits=st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_mobile_formats_agree(digits):
    """06/07 national, +33 and 0033 forms of the same number parse alike."""
    for prefix in ("6", "7"):
        national = "0" + prefix + digits
        try:
            expected = fields.parse_mobile(national)
        except InvalidValue:
            expected = None
        for variant in (
            f"+33{prefix}{digits}",
            f"0033{prefix}{digits}",
            " ".join(national[i : i + 2] for i in range(0, 10, 2)),
        ):
            try:
                got = fields.parse_mobile(variant)
            except InvalidValue:
                got = None
            assert got == expected
        if expected:
            assert fields.format_mobile(expected) == " ".join(national[i : i + 2] for i in range(0, 10, 2))


# -- load_demande on arbitrary data ----------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=10), children, max_size=4),
    ),
    max_leaves=15,
)

KEYS = {
    "": [
        "schema_version",
        "numero",
        "etat",
        "cree_le",
        "modifie_le",
        "valide_le",
        "etape",
        "motif",
        "etat_civil",
        "adresse",
        "photo",
        "pieces",
        "saisies",
    ],
    "motif": ["motif", "personne", "type_inscription", "categorie_lourde", "categories_lourdes", "retour"],
    "etat_civil": [
        "nom_naissance",
        "nom_usage",
        "sexe",
        "prenoms",
        "date_naissance",
        "pays_naissance",
        "departement_naissance",
        "commune_naissance_code",
        "commune_naissance",
    ],
    "adresse": [
        "numero_voie",
        "extension",
        "type_voie",
        "nom_voie",
        "complement",
        "code_postal",
        "commune_code",
        "commune",
        "prefecture",
        "email",
        "telephone",
        "consentement",
    ],
    "photo": ["choix", "code_ephoto", "date_photo"],
    "pieces": ["fichiers", "domicile_type", "domicile_date", "domicile_au_nom", "identite_type", "identite_expiration"],
}


def _valid_document() -> dict:
    d = Demande.model_validate(
        {
            "motif": {
                "motif": "inscription",
                "type_inscription": "retour",
                "retour": {"date_restitution": "2024-01-01", "categories_detenues": ["B"]},
            },
            "etat_civil": {"nom_naissance": "Lefèvre", "prenoms": ["Zoé", "Anne"], "date_naissance": "00/07/1975"},
            "adresse": {"code_postal": "74000", "email": "a@exemple.fr", "telephone": "0612345678"},
            "photo": {"choix": "ephoto", "code_ephoto": "1234567890123456789012"},
        }
    )
    return json.loads(d.model_dump_json())


@st.composite
def mutated_documents(draw):
    doc = _valid_document()
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from(sorted(KEYS)))
        key = draw(st.sampled_from(KEYS[section]))
        target = doc if section == "" else doc.setdefault(section, {})
        if not isinstance(target, dict):
            break
        if draw(st.booleans()):
            target[key] = draw(json_values)
        else:
            target.pop(key, None)
    return doc


def _load_only_allowed_errors(data):
    try:
        result = load_demande(data)
    except (ValidationError, ValueError):
        return None
    assert isinstance(result, Demande)
    # Whatever loads must survive its own round trip.
    assert load_demande(json.loads(result.model_dump_json())) == result
    return result


@MODEST
@given(data=st.one_of(json_values, st.dictionaries(st.sampled_from(KEYS[""]), json_values, max_size=6)))
def test_load_demande_on_random_json(data):
    _load_only_allowed_errors(data)


@MODEST
@given(doc=mutated_documents())
def test_load_demande_on_mutated_valid_draft(doc):
    _load_only_allowed_errors(doc)


# -- scan() on a folder of random files ------------------------------------


@FEW
@given(blobs=st.lists(st.binary(max_size=300), min_size=1, max_size=5))
def test_scan_sets_random_files_aside(tmp_path_factory, blobs):
    store = DraftStore(tmp_path_factory.mktemp("scan"))
    store.ensure()
    names = []
    for blob in blobs:
        assume(not blob.strip().startswith(b"{"))  # random bytes are never a valid draft
        numero = new_numero()
        (store.demandes_dir / numero).mkdir()
        (store.demandes_dir / numero / "demande.json").write_bytes(blob)
        names.append(f"{numero}/demande.json")
    result = store.scan()
    assert result.demandes == []
    assert sorted(p.fichier for p in result.problems) == sorted(names)
    assert all(p.deplace_vers is not None and p.deplace_vers.exists() for p in result.problems)
    assert list(store.demandes_dir.glob("*/demande.json")) == []
    kept = sorted((p.deplace_vers / "demande.json").read_bytes() for p in result.problems)
    assert kept == sorted(blobs)


@FEW
@given(docs=st.lists(mutated_documents(), min_size=1, max_size=4))
def test_scan_on_mutated_drafts_never_raises(tmp_path_factory, docs):
    store = DraftStore(tmp_path_factory.mktemp("scan"))
    store.ensure()
    for doc in docs:
        numero = doc.get("numero") if isinstance(doc.get("numero"), str) else None
        name = (
            f"{numero}.json" if numero and "/" not in numero and numero not in (".", "..") else f"{new_numero()}.json"
        )
        name = name if len(name) < 200 and "\x00" not in name else f"{new_numero()}.json"
        folder = store.demandes_dir / name.removesuffix(".json")
        folder.mkdir(exist_ok=True)
        (folder / "demande.json").write_text(json.dumps(doc), encoding="utf-8")
    found = len(list(store.demandes_dir.glob("*/demande.json")))
    result = store.scan()
    assert len(result.demandes) + len(result.problems) == found
    assert len(list(store.demandes_dir.glob("*/demande.json"))) == len(result.demandes) + sum(
        1 for p in result.problems if p.deplace_vers is None
    )
