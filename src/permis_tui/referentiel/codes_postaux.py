"""Postal codes: which communes a code serves, and its libellé d'acheminement.

Loaded lazily from ``data/codes_postaux.txt.gz``, built by
``scripts/build_codes_postaux.py`` from the npm package ``codes-postaux``
(see its docstring for the source and the format). One line per postal code;
a line is only split when that code is asked for. The codes are kept packed in one
string and their lines in a Column (see column.py): ~6,000 codes, no object each.
"""

from __future__ import annotations

import functools
import gzip
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path

from .column import Column, FixedWidth
from .commune import departement_du_code

DATA_FILE = Path(__file__).with_name("data") / "codes_postaux.txt.gz"
FORMAT = "permis-tui-codes-postaux 1"


class CodesPostaux:
    """Postal code → [(code INSEE, libellé d'acheminement)], in INSEE-code order."""

    def __init__(self, text: str) -> None:
        lines = text.split("\n")
        if lines[0] != FORMAT:
            raise ValueError(f"unsupported codes postaux format: {lines[0]!r}")
        self.source = lines[1]
        rows = [line.split("\t", 1) for line in lines[2:] if line]
        if any(len(row) != 2 or len(row[0]) != 5 for row in rows):
            raise ValueError("corrupt codes postaux: a line is not code<TAB>communes")
        self._tries = FixedWidth("".join(cp for cp, _ in rows), 5)  # the file is sorted by code postal
        self._communes = Column("\n".join(raw for _, raw in rows))
        if any(self._tries[i] >= self._tries[i + 1] for i in range(len(self._tries) - 1)):
            raise ValueError("corrupt codes postaux: codes not in order")
        self._par_dep: dict[str, list[str]] | None = None  # built on first filtered search

    @classmethod
    def from_file(cls, path: Path = DATA_FILE) -> CodesPostaux:
        return cls(gzip.decompress(path.read_bytes()).decode("utf-8"))

    def __len__(self) -> int:
        return len(self._tries)

    def _row(self, cp: str) -> int | None:
        i = bisect_left(self._tries, cp)
        return i if i < len(self._tries) and self._tries[i] == cp else None

    def existe(self, cp: str) -> bool:
        return self._row(cp) is not None

    def communes(self, cp: str) -> list[tuple[str, str]]:
        row = self._row(cp)
        raw = None if row is None else self._communes[row]
        if not raw:
            return []
        return [tuple(item.split(":", 1)) for item in raw.split("|")]  # type: ignore[misc]

    def _codes_du_departement(self, dep: str) -> list[str]:
        if self._par_dep is None:
            # One pass over all codes: a code may serve communes of two
            # départements (75015: Paris and Issy-les-Moulineaux).
            par_dep: dict[str, list[str]] = {}
            for cp, raw in zip(self._tries, self._communes, strict=True):
                for d in {departement_du_code(item[:5]) for item in raw.split("|")}:
                    par_dep.setdefault(d, []).append(cp)
            self._par_dep = par_dep
        return self._par_dep.get(dep, [])

    def commencant_par(self, prefix: str, departement: str | None = None) -> Iterator[str]:
        """Postal codes starting with ``prefix``, in order; with ``departement``, only
        those serving at least one commune of it."""
        tries = self._tries if departement is None else self._codes_du_departement(departement)
        i = bisect_left(tries, prefix)
        while i < len(tries) and tries[i].startswith(prefix):
            yield tries[i]
            i += 1


@functools.cache
def charger_codes_postaux() -> CodesPostaux:
    return CodesPostaux.from_file()


def libelle_depuis_nom(nom: str) -> str:
    """A commune name in the shape of a libellé d'acheminement: upper case, no accents,
    ligatures spelled out ("Crèvecœur-le-Grand" → "CREVECOEUR-LE-GRAND")."""
    nom = nom.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    return "".join(c for c in unicodedata.normalize("NFKD", nom) if not unicodedata.combining(c)).upper()


def libelle_acheminement(cp: str, code_commune: str) -> str | None:
    """The town line of a postal address for this commune at this code ("PARIS" for
    75015 and Paris 15e Arrondissement), or None if the code does not serve it."""
    for code, libelle in charger_codes_postaux().communes(cp.replace(" ", "")):
        if code == code_commune:
            return libelle
    return None
