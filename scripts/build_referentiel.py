#!/usr/bin/env python3
"""Build the référentiel index shipped in ``src/permis_tui/referentiel/data/``.

Source: the npm package ``@etalab/decoupage-administratif@6.0.0`` (MIT).

Usage::

    python scripts/build_referentiel.py [PATH_TO_UNPACKED_PACKAGE]

PATH is the unpacked package directory (the one holding ``data/communes.json``)
or its ``data/`` directory. Without it, the script runs
``npm pack @etalab/decoupage-administratif@6.0.0`` in a temporary directory
and unpacks the tarball.

Outputs (both deterministic, so rebuilding gives byte-identical files):

``departements.tsv``
    One line per département, sorted (2A/2B where 20 was, outre-mer last):
    code, nom, zone, préfecture ``code:nom``, sous-préfectures
    ``code:nom|code:nom`` (arrondissements' chefs-lieux, préfecture excluded).

``communes.txt.gz``
    Column-oriented UTF-8 text, so loading is one ``str.split`` and list
    slices instead of 37k row parses. Line 1 is the format tag, line 2 the
    source, line 3 ``name:line_count`` for each section; each section is a
    ``## name`` line followed by its lines. Rows are sorted by (département,
    folded name, type, code), so a département is a contiguous row range
    already in alphabetical order.

    - ``codes``, ``noms``, ``folds`` (:func:`fold` of the name, precomputed),
      ``cps`` (comma-separated postal codes): one line per row.
    - ``types``: one line, one letter per row (C actuelle, M arrondissement
      municipal, D déléguée, A associée).
    - ``chefs``: ``row  chef_row`` for rows that have a chef-lieu commune.
    - ``gorder``: rows sorted by folded name, for global prefix search.
    - ``wsdep`` / ``wsglob``: word-start entries ``row << 8 | offset`` (offset
      of a non-first word in the folded name), sorted by (département,
      suffix) and by suffix; searched with ``bisect(key=...)``.
      These three are one line each: base64 of little-endian int32.
    - ``deps``: ``code  row_lo  row_hi  ws_lo  ws_hi`` (tab-separated).

Postal codes → communes come from another source, La Poste's libellés
included: ``build_codes_postaux.py``. The ``cps`` column keeps the COG's own
list for each commune.

Communes déléguées that repeat their chef-lieu exactly (same code and same
name, e.g. the déléguée "Annecy" of the commune nouvelle Annecy) are dropped:
they would show the same name twice in every list.
"""

from __future__ import annotations

import base64
import gzip
import json
import sys
import tempfile
from array import array
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from npm_package import check_version, fetch_package  # noqa: E402  (beside this script)

from permis_tui.referentiel.departement import cle_departement  # noqa: E402
from permis_tui.referentiel.folding import fold  # noqa: E402

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
OUT = ROOT / "src" / "permis_tui" / "referentiel" / "data"
FORMAT = "permis-tui-referentiel-communes 3"

TYPE_LETTRE = {
    "commune-actuelle": "C",
    "arrondissement-municipal": "M",
    "commune-deleguee": "D",
    "commune-associee": "A",
}
TYPE_RANG = {"C": 0, "M": 1, "D": 2, "A": 3}


def _swapped(values: list[int]) -> bytes:
    a = array("i", values)
    a.byteswap()
    return a.tobytes()


def data_dir(path: Path) -> Path:
    for candidate in (path / "data", path):
        if (candidate / "communes.json").is_file():
            return candidate
    raise SystemExit(f"no communes.json under {path}")


def build(data: Path, out: Path = OUT) -> None:
    communes = json.loads((data / "communes.json").read_text("utf-8"))
    departements = json.loads((data / "departements.json").read_text("utf-8"))
    arrondissements = json.loads((data / "arrondissements.json").read_text("utf-8"))

    actuelles = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    rows = []
    dropped = 0
    for c in communes:
        lettre = TYPE_LETTRE[c["type"]]
        chef = c.get("chefLieu") if lettre in "DA" else c.get("commune") if lettre == "M" else None
        if lettre in "DA" and chef == c["code"] and actuelles[chef]["nom"] == c["nom"]:
            dropped += 1
            continue
        rows.append(
            {
                "code": c["code"],
                "nom": c["nom"],
                "dep": c["departement"],
                "fold": fold(c["nom"]),
                "type": lettre,
                "chef": chef,
                "cps": c.get("codesPostaux") or [],
            }
        )
    rows.sort(key=lambda r: (cle_departement(r["dep"]), r["fold"], TYPE_RANG[r["type"]], r["code"]))
    n = len(rows)
    row_actuelle = {r["code"]: i for i, r in enumerate(rows) if r["type"] == "C"}

    gorder = sorted(range(n), key=lambda i: (rows[i]["fold"], i))

    # Word starts after the first word: "sainte colombe" -> offset 7 ("colombe").
    ws: list[int] = []
    for i, r in enumerate(rows):
        f = r["fold"]
        assert len(f) < 256, f
        ws.extend((i << 8) | (p + 1) for p, ch in enumerate(f) if ch == " ")

    def suffix(e: int) -> str:
        return rows[e >> 8]["fold"][e & 255 :]

    wsglob = sorted(ws, key=lambda e: (suffix(e), e >> 8))
    wsdep = sorted(ws, key=lambda e: (cle_departement(rows[e >> 8]["dep"]), suffix(e), e >> 8))

    dep_codes = sorted((d["code"] for d in departements), key=cle_departement)
    row_bounds: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        row_bounds.setdefault(r["dep"], [i, i])[1] = i + 1
    ws_bounds: dict[str, list[int]] = {}
    for j, e in enumerate(wsdep):
        ws_bounds.setdefault(rows[e >> 8]["dep"], [j, j])[1] = j + 1

    def b64(values: list[int]) -> list[str]:
        # Little-endian int32 in base64: parsed by array.frombytes in ~1 ms,
        # where 90k decimal lines cost ~25 ms of int() calls.
        return [
            base64.b64encode(array("i", values).tobytes() if sys.byteorder == "little" else _swapped(values)).decode(
                "ascii"
            )
        ]

    sections = {
        "codes": [r["code"] for r in rows],
        "noms": [r["nom"] for r in rows],
        "folds": [r["fold"] for r in rows],
        "cps": [",".join(r["cps"]) for r in rows],
        "types": ["".join(r["type"] for r in rows)],
        "chefs": [f"{i}\t{row_actuelle[r['chef']]}" for i, r in enumerate(rows) if r["chef"]],
        "gorder": b64(gorder),
        "wsdep": b64(wsdep),
        "wsglob": b64(wsglob),
        "deps": [
            "\t".join([d, *map(str, row_bounds.get(d, [0, 0])), *map(str, ws_bounds.get(d, [0, 0]))]) for d in dep_codes
        ],
    }
    header = [FORMAT, f"{PACKAGE}@{VERSION}", " ".join(f"{k}:{len(v)}" for k, v in sections.items())]
    text = "\n".join(header + [line for name, lines in sections.items() for line in (f"## {name}", *lines)])
    text += "\n"
    out.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the gzip header: reproducible bytes.
    with (
        open(out / "communes.txt.gz", "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(text.encode("utf-8"))

    # Préfectures: the département's chef-lieu, then the arrondissements' ones.
    nom_commune = {code: c["nom"] for code, c in actuelles.items()}
    sous: dict[str, set[str]] = defaultdict(set)
    for a in arrondissements:
        sous[a["departement"]].add(a["chefLieu"])
    dep_lines = ["code\tnom\tzone\tprefecture\tsous_prefectures"]
    for d in sorted(departements, key=lambda d: cle_departement(d["code"])):
        pref = d["chefLieu"]
        sp = sorted(sous[d["code"]] - {pref}, key=lambda c: fold(nom_commune[c]))
        dep_lines.append(
            "\t".join(
                [
                    d["code"],
                    d["nom"],
                    d["zone"],
                    f"{pref}:{nom_commune[pref]}",
                    "|".join(f"{c}:{nom_commune[c]}" for c in sp),
                ]
            )
        )
    (out / "departements.tsv").write_text("\n".join(dep_lines) + "\n", "utf-8")

    print(
        f"{n} communes ({dropped} redundant déléguées dropped), {len(ws)} word starts, "
        f"{len(departements)} départements -> {out}"
    )


def main(argv: list[str]) -> None:
    if len(argv) > 1:
        path = Path(argv[1])
        check_version(data_dir(path).parent, VERSION)
        build(data_dir(path))
        return
    with tempfile.TemporaryDirectory() as tmp:
        package = fetch_package(PACKAGE, VERSION, Path(tmp))
        check_version(data_dir(package).parent, VERSION)
        build(data_dir(package))


if __name__ == "__main__":
    main(sys.argv)
