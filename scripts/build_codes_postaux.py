#!/usr/bin/env python3
"""Build the postal-code index shipped in ``src/permis_tui/referentiel/data/codes_postaux.txt.gz``.

Source: the npm package ``codes-postaux@4.1.2`` (MIT, Base Adresse Nationale):
for each postal code, the communes it serves and the libellé d'acheminement
(the town line of a postal address: "75015 PARIS"). Its README says it is built
from the INSEE Code officiel géographique and the DGFiP's FIMOCT, not from
La Poste's own base (ODbL).

Usage::

    python scripts/build_codes_postaux.py [PATH_TO_UNPACKED_PACKAGE]

PATH is the unpacked package directory (holding ``codes-postaux.json``).
Without it, the script runs ``npm pack codes-postaux@4.1.2`` in a temporary
directory and unpacks the tarball.

codes-postaux has no entry for the collectivités d'outre-mer (Saint-Pierre-et-
Miquelon, Saint-Barthélemy, Saint-Martin, Wallis-et-Futuna, Polynésie française,
Nouvelle-Calédonie…): for a département or collectivité it does not cover at
all, the postal codes of the Code officiel géographique are used, with the
commune's name in capitals without accents as libellé.

The INSEE codes are checked against the shipped communes index (built by
``build_referentiel.py`` from ``@etalab/decoupage-administratif``, a later
Code officiel géographique): a code that has since become a commune déléguée
is replaced by its commune nouvelle; a code unknown there is dropped and
reported.

Output (deterministic): gzip of UTF-8 text. Line 1 the format tag, line 2 the
source, then one line per postal code, sorted::

    code_postal <TAB> insee:LIBELLE|insee:LIBELLE…

communes in INSEE-code order, each once.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from npm_package import check_version, fetch_package  # noqa: E402  (beside this script)

from permis_tui.referentiel.codes_postaux import libelle_depuis_nom  # noqa: E402
from permis_tui.referentiel.commune import COMMUNE_ASSOCIEE, COMMUNE_DELEGUEE  # noqa: E402
from permis_tui.referentiel.commune_index import CommuneIndex  # noqa: E402
from permis_tui.referentiel.prefectures import departements  # noqa: E402

PACKAGE = "codes-postaux"
VERSION = "4.1.2"
OUT = ROOT / "src" / "permis_tui" / "referentiel" / "data" / "codes_postaux.txt.gz"
FORMAT = "permis-tui-codes-postaux 1"


def build(package: Path, out: Path = OUT) -> None:
    entries = json.loads((package / "codes-postaux.json").read_text("utf-8"))
    index = CommuneIndex.from_file()
    par_cp: dict[str, dict[str, str]] = defaultdict(dict)
    remapped, dropped = 0, []
    for e in entries:
        code, libelle = e["codeCommune"], e["libelleAcheminement"]
        assert "|" not in libelle and ":" not in libelle and "\t" not in libelle, libelle
        commune = index.commune_par_code(code)
        if commune is not None and commune.type in (COMMUNE_DELEGUEE, COMMUNE_ASSOCIEE):
            # Merged since: the code now names a déléguée; the address is the commune nouvelle's.
            commune = next(
                (
                    c
                    for c in index.rechercher(commune.chef_lieu or "", commune.departement, 50)
                    if c.nom == commune.chef_lieu and c.type not in (COMMUNE_DELEGUEE, COMMUNE_ASSOCIEE)
                ),
                None,
            )
            remapped += 1
        if commune is None:
            dropped.append(f"{e['codePostal']} {code} {e['nomCommune']}")
            continue
        par_cp[e["codePostal"]].setdefault(commune.code, libelle)
    covered = {code[:3] if code[:2] in ("97", "98") else code[:2] for codes in par_cp.values() for code in codes}
    completed = []
    for dep in departements():
        if dep.code in covered:
            continue
        completed.append(dep.code)
        for commune in index.communes_du_departement(dep.code):
            if commune.type not in (COMMUNE_DELEGUEE, COMMUNE_ASSOCIEE):
                for cp in commune.codes_postaux:
                    par_cp[cp].setdefault(commune.code, libelle_depuis_nom(commune.nom))
    lines = [FORMAT, f"{PACKAGE}@{VERSION}"]
    for cp in sorted(par_cp):
        lines.append(cp + "\t" + "|".join(f"{code}:{lib}" for code, lib in sorted(par_cp[cp].items())))
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the gzip header: reproducible bytes.
    with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(
        f"{len(entries)} entries, {len(par_cp)} postal codes, {remapped} codes of merged communes "
        f"remapped, {len(dropped)} dropped (unknown INSEE code); taken from the COG for "
        f"{' '.join(completed)} -> {out}"
    )
    for line in dropped:
        print(f"  dropped: {line}")


def main(argv: list[str]) -> None:
    if len(argv) > 1:
        package = Path(argv[1])
        check_version(package, VERSION)
        build(package)
        return
    with tempfile.TemporaryDirectory() as tmp:
        package = fetch_package(PACKAGE, VERSION, Path(tmp))
        check_version(package, VERSION)
        build(package)


if __name__ == "__main__":
    main(sys.argv)
