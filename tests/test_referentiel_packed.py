"""The référentiel kept packed (one string per column, see referentiel/column.py) answers
as the plain tables it replaced: every INSEE code, every postal code."""

from __future__ import annotations

import gzip

import pytest

from permis_tui.referentiel.codes_postaux import DATA_FILE as CP_FILE
from permis_tui.referentiel.codes_postaux import charger_codes_postaux
from permis_tui.referentiel.column import Column, FixedWidth
from permis_tui.referentiel.commune_index import charger_index


def test_column_and_fixed_width_behave_as_lists() -> None:
    column = Column("Annecy\nÉvian-les-Bains\n\nLœwy")
    assert list(column) == ["Annecy", "Évian-les-Bains", "", "Lœwy"] and len(column) == 4
    assert column[1] == "Évian-les-Bains" and column[-1] == "Lœwy" and column[2] == ""
    with pytest.raises(IndexError):
        column[4]
    assert column.rows_equal("Annecy", 0, 4) == [0] and column.rows_equal("Anne", 0, 4) == []
    packed = FixedWidth("740007494075015", 5)
    assert list(packed) == ["74000", "74940", "75015"] and packed[-1] == "75015"
    with pytest.raises(IndexError):
        packed[3]
    with pytest.raises(ValueError):
        FixedWidth("7400", 5)


def test_every_insee_code_finds_the_rows_a_plain_table_would() -> None:
    index = charger_index()
    first: dict[str, int] = {}
    shared: dict[str, list[int]] = {}
    for row, code in enumerate(index._codes):
        if code in first:
            shared.setdefault(code, [first[code]]).append(row)
        else:
            first[code] = row
    assert len(shared) > 400  # the déléguées that share their chef-lieu's code
    for code, row in first.items():
        rows = shared.get(code, [row])
        assert index._rows_of(code) == rows, code
        expected = next((r for r in rows if index._types[r] == "C"), rows[0])
        assert index._row_of(code) == expected, code
    assert index._row_of("99999") is None and index._row_of("") is None


def test_every_postal_code_answers_as_its_line_in_the_file() -> None:
    lines = gzip.decompress(CP_FILE.read_bytes()).decode("utf-8").split("\n")[2:]
    table = dict(line.split("\t", 1) for line in lines if line)
    base = charger_codes_postaux()
    assert len(base) == len(table) and list(base.commencant_par("")) == sorted(table)
    for cp, raw in table.items():
        assert base.existe(cp)
        assert base.communes(cp) == [tuple(item.split(":", 1)) for item in raw.split("|")]
    assert not base.existe("00000") and base.communes("99999") == []
