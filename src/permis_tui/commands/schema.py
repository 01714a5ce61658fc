"""`permis-tui schema`: the JSON Schema of a demande file (what `import` accepts)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="afficher le schéma JSON d'une demande",
        description="Affiche le schéma JSON (draft 2020-12) des fichiers de demande, tels que les accepte « import ».",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json

    from permis_tui.model.demande import Demande

    print(json.dumps(Demande.model_json_schema(), indent=2, ensure_ascii=False))
    return 0
