"""`permis-tui delete NUMERO`: move a demande into the corbeille (restorable from the app, key c).

Refused while the demande is open in a session (the app holds its lock).
Exit status: 0 moved; 1 unknown numéro, demande open elsewhere, or the folder cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "delete",
        help="placer une demande dans la corbeille",
        description=(
            "Place une demande dans la corbeille, d'où l'assistant peut la restaurer (touche c de "
            "l'accueil). Refusé tant que la demande est ouverte dans une autre session. "
            "Code de sortie : 0 supprimée, 1 erreur."
        ),
    )
    parser.add_argument("numero", metavar="NUMERO", help="référence de préparation de la demande (AAMM-XXXX-XXXX)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from permis_tui.paths import data_dir
    from permis_tui.store import DraftStore, StoreError

    store = DraftStore(data_dir(args.data_dir))
    try:
        store.delete(args.numero)
    except StoreError as exc:
        print(f"permis-tui delete : {exc}", file=sys.stderr)
        return 1
    print(f"Demande n° {args.numero} placée dans la corbeille.")
    return 0
