"""Data folders of 0, 50, 500 and 1,000 demandes for the scale benchmarks.

Run by hand:  .venv/bin/python benchmarks/make_data_dirs.py OUT [--sizes 0,50,500,1000]

Writes OUT/d0, OUT/d50, OUT/d500, OUT/d1000 (an existing folder of the right size is kept).
Every demande goes through the store (atomic writes, index kept up to date), with varied
names and états: drafts at steps 1 to 6 with a name or not, and one in ten validée.
A seeded random generator makes the same folders on every machine.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

PRENOMS = (
    "Zoé",
    "Jean-Pierre",
    "Seán",
    "Anne",
    "Mohamed",
    "Léa",
    "Hélène",
    "Nicolas",
    "Inès",
    "Éric",
    "Marie-Claire",
    "Yannick",
    "Aïcha",
    "Thomas",
    "Chloé",
    "François",
)
NOMS = (
    "LEFÈVRE",
    "O'BRIEN",
    "MARTIN",
    "DUPONT",
    "N'DIAYE",
    "GARCÍA",
    "BERNARD",
    "D'ALMEIDA",
    "ROUX",
    "LE GOFF",
    "MÜLLER",
    "FONTAINE",
    "NGUYEN",
    "CHEVALIER",
    "BOYER",
    "GIRARD",
)


def fill(root: Path, count: int, seed: int = 12) -> None:
    from permis_tui.model.demande import Etat
    from permis_tui.store import DraftStore

    rng = random.Random(seed)
    store = DraftStore(root)
    store.ensure()
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    have = len(store.demande_folders())
    for i in range(have, count):
        demande = store.new()
        if rng.random() > 0.1:  # a few drafts were left before the first name
            demande.etat_civil.prenoms = [rng.choice(PRENOMS)] + ([rng.choice(PRENOMS)] if rng.random() < 0.3 else [])
            demande.etat_civil.nom_naissance = rng.choice(NOMS)
        demande.etape = rng.randint(1, 6)
        demande.cree_le = start + timedelta(hours=7 * i)
        demande.modifie_le = demande.cree_le + timedelta(minutes=rng.randint(1, 5000))
        if rng.random() < 0.1:
            demande.etat, demande.valide_le, demande.etape = Etat.VALIDEE, demande.cree_le, 7
        store.save(demande, touch=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--sizes", default="0,50,500,1000")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        folder = args.out / f"d{size}"
        fill(folder, size)
        print(f"{folder}: {size} demandes", file=sys.stderr)


if __name__ == "__main__":
    main()
