"""In-memory index of communes, loaded lazily from ``data/communes.txt.gz``.

The file is column-oriented and pre-sorted by ``scripts/build_referentiel.py``
(see its docstring for the format). Each column is kept as one string and the
offsets of its lines (:class:`~.column.Column`): 37k rows × 4 columns as separate str
objects held ~10 MiB in every session (a demo server runs many), one string per
column holds ~3. :class:`Commune` objects are only built for rows actually
returned, then cached: building all 37k frozen dataclasses would alone blow the
50 ms load budget.

Search uses ``bisect`` on pre-sorted folded keys: name prefixes over the rows
(a département is a contiguous, alphabetical row range) and word starts over
packed ``row << 8 | offset`` entries read through ``bisect(key=...)``.
"""

from __future__ import annotations

import base64
import functools
import gzip
import re
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .codes_postaux import charger_codes_postaux
from .column import Column, FixedWidth
from .commune import (
    ARRONDISSEMENT_MUNICIPAL,
    COMMUNE_ACTUELLE,
    COMMUNE_ASSOCIEE,
    COMMUNE_DELEGUEE,
    Commune,
    departement_du_code,
)
from .folding import fold, fold_query

DATA_FILE = Path(__file__).with_name("data") / "communes.txt.gz"
FORMAT = "permis-tui-referentiel-communes 3"

_TYPES = {
    "C": COMMUNE_ACTUELLE,
    "M": ARRONDISSEMENT_MUNICIPAL,
    "D": COMMUNE_DELEGUEE,
    "A": COMMUNE_ASSOCIEE,
}
_CHIFFRES = re.compile(r"(\d+)")
_ARRONDISSEMENTS_MAX = 64  # > the 21 "Paris…" rows that can share a prefix with them
_MAX = "\U0010ffff"  # sorts after any folded text: q + _MAX bounds "starts with q"


def _int32(b64: str) -> array:
    values = array("i", base64.b64decode(b64))
    if sys.byteorder == "big":  # the file stores little-endian
        values.byteswap()
    return values


def _sections(raw: bytes) -> tuple[str, dict[str, str]]:
    """The source line and each section's text (its lines, without the "## name" line).

    Sections are cut at their titles (a name never starts with "## ") and each is
    checked against its announced line count: no per-line work at load.
    """
    first = raw.find(b"\n")
    second = raw.find(b"\n", first + 1)
    third = raw.find(b"\n", second + 1)
    if min(first, second, third) < 0 or raw[:first].decode("utf-8", "replace") != FORMAT:
        raise ValueError(f"unsupported référentiel format: {raw[:60]!r}")
    items = [item.split(":") for item in raw[second + 1 : third].decode("ascii").split()]
    sections: dict[str, str] = {}
    pos = third  # at the "\n" before the first title
    for i, (name, count) in enumerate(items):
        title = f"\n## {name}\n".encode()
        if not raw.startswith(title, pos):
            raise ValueError(f"corrupt référentiel: expected section {name!r}")
        start = pos + len(title)
        if i + 1 < len(items):
            end = raw.find(f"\n## {items[i + 1][0]}\n".encode(), start - 1)
        else:
            end = len(raw.rstrip(b"\n"))
        if end < start - 1:
            raise ValueError(f"corrupt référentiel: section {name!r} is cut")
        chunk = raw[start:end] if end >= start else b""  # end == start - 1: an empty section
        found = chunk.count(b"\n") + 1 if end >= start else 0
        if found != int(count):
            raise ValueError(f"corrupt référentiel: section {name!r} has {found} lines, not {count}")
        sections[name] = chunk.decode("utf-8")
        pos = end
    return raw[first + 1 : second].decode("utf-8"), sections


def _cle_naturelle(nom: str) -> tuple:
    # "Paris 2e" before "Paris 10e": digit runs compare as numbers.
    return tuple(int(t) if t.isdigit() else t for t in _CHIFFRES.split(fold(nom)))


def _normaliser_departement(dep: str) -> str:
    dep = dep.strip().upper()
    return dep.zfill(2) if dep.isdigit() and len(dep) == 1 else dep


class CommuneIndex:
    """All communes, with name, word-start and postal-code search."""

    def __init__(self, raw: bytes) -> None:
        self.source, sections = _sections(raw)
        # INSEE codes are 5 characters: packed without offsets (a Column if one is not).
        self._codes: Column | FixedWidth = FixedWidth.of_lines(sections["codes"], 5) or Column(sections["codes"])
        self._noms = Column(sections["noms"])
        self._folds = Column(sections["folds"])
        self._cps = Column(sections["cps"])
        self._types = sections["types"]  # one letter per row, no per-row objects
        n = len(self._codes)
        if not n == len(self._noms) == len(self._folds) == len(self._cps) == len(self._types):
            raise ValueError("corrupt référentiel: column lengths differ")
        # Sparse: only déléguées, associées and arrondissements have a chef-lieu.
        self._chefs: dict[int, int] = {}
        for line in filter(None, sections["chefs"].split("\n")):
            row, chef = line.split("\t")
            self._chefs[int(row)] = int(chef)
        self._gorder = _int32(sections["gorder"])
        self._wsdep = _int32(sections["wsdep"])
        self._wsglob = _int32(sections["wsglob"])
        self._deps: dict[str, tuple[int, int, int, int]] = {}
        for line in filter(None, sections["deps"].split("\n")):
            code, *bounds = line.split("\t")
            self._deps[code] = tuple(map(int, bounds))  # type: ignore[assignment]
        self._anciennes: dict[int, list[int]] | None = None
        self._ordre_affichage: dict[str, list[int]] = {}
        self._communes: list[Commune | None] = [None] * n
        # bisect key for word starts: the folded name from the word on.
        folds = self._folds
        self._cle_ws: Callable[[int], str] = lambda e: folds[e >> 8][e & 255 :]

    @classmethod
    def from_file(cls, path: Path = DATA_FILE) -> CommuneIndex:
        return cls(gzip.decompress(path.read_bytes()))

    def __len__(self) -> int:
        return len(self._codes)

    # -- rows -> Commune ------------------------------------------------------

    def _commune(self, row: int) -> Commune:
        c = self._communes[row]
        if c is None:
            code = self._codes[row]
            chef = self._chefs.get(row)
            cps = self._cps[row]
            c = Commune(
                code=code,
                nom=self._noms[row],
                departement=departement_du_code(code),
                codes_postaux=tuple(cps.split(",")) if cps else (),
                type=_TYPES[self._types[row]],
                chef_lieu=None if chef is None else self._noms[chef],
            )
            self._communes[row] = c
        return c

    def _communes_de(self, rows: Iterable[int]) -> list[Commune]:
        return [self._commune(r) for r in rows]

    # -- lookups --------------------------------------------------------------

    def communes_du_departement(self, dep: str) -> list[Commune]:
        dep = _normaliser_departement(dep)
        rows = self._ordre_affichage.get(dep)
        if rows is None:
            lo, hi = self._deps.get(dep, (0, 0))[:2]
            rows = list(range(lo, hi))
            if any(_CHIFFRES.search(self._folds[r]) for r in rows):
                # Only 13/69/75 (arrondissements) have digits: natural order there.
                rows.sort(key=lambda r: (_cle_naturelle(self._noms[r]), r))
            self._ordre_affichage[dep] = rows
        return self._communes_de(rows)

    def _rows_of(self, code: str) -> list[int]:
        """Rows with this INSEE code (déléguées may share their chef-lieu's), searched in its
        département's rows first: a few hundred codes, one C-level find, no table kept. A
        few associées sit with their chef-lieu in another département: then all rows."""
        bounds = self._deps.get(departement_du_code(code))
        rows = [] if bounds is None else self._codes.rows_equal(code, bounds[0], bounds[1])
        return rows or self._codes.rows_equal(code, 0, len(self._codes))

    def _row_of(self, code: str) -> int | None:
        """Row of the commune with this INSEE code: the actuelle when déléguées share it."""
        rows = self._rows_of(code)
        if len(rows) > 1:
            return next((r for r in rows if self._types[r] == "C"), rows[0])
        return rows[0] if rows else None

    def commune_par_code(self, code: str, nom: str | None = None) -> Commune | None:
        code = code.strip().upper()
        rows = self._rows_of(code)
        if nom is not None and len(rows) > 1:
            # 510 déléguées share their chef-lieu's code: the name tells them apart.
            for r in rows:
                if self._noms[r] == nom:
                    return self._commune(r)
        row = self._row_of(code)
        return None if row is None else self._commune(row)

    # -- postal codes ---------------------------------------------------------

    def communes_par_code_postal(self, cp: str) -> list[Commune]:
        rows = (self._row_of(code) for code, _ in charger_codes_postaux().communes(cp.replace(" ", "")))
        return self._communes_de(r for r in rows if r is not None)  # the build keeps only codes of this index

    def code_postal_existe(self, cp: str) -> bool:
        return charger_codes_postaux().existe(cp.replace(" ", ""))

    def _anciennes_communes(self, row: int) -> list[int]:
        """Rows of the déléguées and associées of the commune at ``row``."""
        if self._anciennes is None:
            anciennes: dict[int, list[int]] = {}
            for r, chef in self._chefs.items():
                if self._types[r] in "DA":
                    anciennes.setdefault(chef, []).append(r)
            self._anciennes = anciennes
        return self._anciennes.get(row, [])

    def _recherche_cp(self, q: str, dep: str | None, limit: int) -> list[Commune]:
        # A search (the birthplace) lists each served commune's former communes
        # after it: someone born in Annecy-le-Vieux may remember 74940. A postal
        # address (communes_par_code_postal) never does.
        out: list[int] = []
        seen: set[int] = set()
        base = charger_codes_postaux()
        for cp in base.commencant_par(q, dep):
            rows = []
            for code, _ in base.communes(cp):
                row = self._row_of(code) if dep is None or departement_du_code(code) == dep else None
                if row is not None:
                    rows.append(row)
            for row in rows + [a for r in rows for a in self._anciennes_communes(r)]:
                if row not in seen:
                    seen.add(row)
                    out.append(row)
                    if len(out) >= limit:
                        return self._communes_de(out)
        return self._communes_de(out)

    # -- name search ----------------------------------------------------------

    def _prefixes(self, q: str, order: Sequence[int], i: int, hi: int, limit: int) -> list[int]:
        folds = self._folds
        out: list[int] = []
        while i < hi and len(out) < limit:
            r = order[i]
            if not folds[r].startswith(q):
                break
            out.append(r)
            i += 1
        return out

    def rechercher(self, query: str, departement: str | None = None, limit: int = 20) -> list[Commune]:
        """Prefix matches by folded name, then word-start matches by folded name
        (the query folded by ``fold_query``: "ste foy" finds Sainte-Foy-…).

        A query made of digits (spaces ignored) searches postal codes by prefix
        instead; results then come by postal code, holders before déléguées.
        """
        if limit <= 0:
            return []
        dep = None
        if departement is not None:
            dep = _normaliser_departement(departement)
            if dep not in self._deps:
                return []
        compact = query.replace(" ", "")
        if compact.isdigit() and compact.isascii():
            return self._recherche_cp(compact, dep, limit)
        q = fold_query(query)  # "st denis" is Saint-Denis
        if not q:
            return []
        folds = self._folds
        if dep is None:
            order: Sequence[int] = self._gorder
            hi = len(order)
            i = bisect_left(order, q, key=folds.__getitem__)
            ws, ws_lo, ws_hi = self._wsglob, 0, len(self._wsglob)
        else:
            lo, hi, ws_lo, ws_hi = self._deps[dep]
            order = range(len(folds))  # département rows are already in name order
            i = bisect_left(folds, q, lo, hi)
            ws = self._wsdep
        out = self._prefixes(q, order, i, hi, limit)
        if any(self._types[r] == "M" for r in out):
            # Arrondissements: "Paris 2e" before "Paris 10e". Take the whole
            # (small: at most 21 for Paris) prefix range so no number is skipped.
            out = self._prefixes(q, order, i, hi, limit + _ARRONDISSEMENTS_MAX)
            out.sort(key=lambda r: (_cle_naturelle(self._noms[r]), r))
            del out[limit:]
        if len(out) < limit:
            a = bisect_left(ws, q, ws_lo, ws_hi, key=self._cle_ws)
            b = bisect_left(ws, q + _MAX, a, ws_hi, key=self._cle_ws)
            if a < b:
                seen = set(out)
                extra = {e >> 8 for e in ws[a:b]} - seen
                # Rows are numbered by (département, name): order by name, then row.
                key = (lambda r: (folds[r], r)) if dep is None else None
                out.extend(sorted(extra, key=key)[: limit - len(out)])
        return self._communes_de(out)


@functools.cache
def charger_index() -> CommuneIndex:
    """The shared index, loaded on first use and cached.

    Two threads racing on the very first call may both load it (~30 ms each);
    both results are equivalent, so no lock is needed.
    """
    return CommuneIndex.from_file()


def communes_du_departement(dep: str) -> list[Commune]:
    """Every commune of ``dep`` (actuelles, déléguées, associées, arrondissements
    municipaux for 75/69/13), sorted by folded name."""
    return charger_index().communes_du_departement(dep)


def rechercher_communes(query: str, departement: str | None = None, limit: int = 20) -> list[Commune]:
    """Search by name (accent/case-insensitive, prefix then word start) or by
    postal-code prefix when ``query`` is numeric."""
    return charger_index().rechercher(query, departement, limit)


def communes_par_code_postal(cp: str) -> list[Commune]:
    """Communes served by ``cp``, from the postal-code base (``codes_postaux``):
    current communes and arrondissements municipaux (75015 gives Paris 15e
    Arrondissement), never the déléguées of a commune nouvelle, which share its
    postal codes only on paper (74940 is Annecy, not Seynod)."""
    return charger_index().communes_par_code_postal(cp)


def code_postal_existe(cp: str) -> bool:
    # The postal-code base alone: no need to load the communes index.
    return charger_codes_postaux().existe(cp.replace(" ", ""))


def commune_par_code(code: str, nom: str | None = None) -> Commune | None:
    """Commune by INSEE code; the commune actuelle when a déléguée shares its code,
    unless ``nom`` names the déléguée (e.g. ``("01033", "Bellegarde-sur-Valserine")``).
    An unknown ``nom`` falls back to the code alone."""
    return charger_index().commune_par_code(code, nom)
