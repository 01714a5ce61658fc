"""`permis-tui list [--json]`: the saved demandes, and the files that could not be read.

Text output: one table row per demande (Numéro, Prénom, Nom, Création, Mise à jour,
État), newest first, then one line per damaged file.

JSON output (`--json`), a stable shape meant for scripts::

    {
      "demandes": [
        {
          "numero": "2506-ABCD-EFGH",
          "prenom": "Zoé",                          # "" when not entered yet
          "nom": "Lefèvre",                         # nom de naissance, "" when not entered yet
          "cree_le": "2025-06-15T10:02:03+02:00",   # ISO 8601 with offset
          "modifie_le": "2025-06-15T10:12:44+02:00",
          "etat": "brouillon"                       # "brouillon" or "validee"
        }
      ],
      "problems": [
        {
          "fichier": "2506-WXYZ-2345/demande.json", # the file, in its demande's folder
          "raison": "fichier JSON illisible (ligne 1, colonne 9)",
          "deplace_vers": "/…/damaged/20250615-101500-2506-WXYZ-2345"
                                                    # the whole folder, pieces included;
                                                    # null: left in place (newer format, unreadable)
        }
      ]
    }

Listing never creates the data folder (a folder of the previous layout is converted first). Exit status: 0, damaged files included
(they are reported, not fatal).
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "list",
        help="lister les demandes enregistrées",
        description=(
            "Liste les demandes enregistrées (les plus récentes d'abord) et signale les "
            "fichiers illisibles, mis de côté dans le dossier damaged/."
        ),
    )
    parser.add_argument("--json", action="store_true", help="résultat en JSON sur la sortie standard")
    parser.set_defaults(func=run)


_PIECE = 16 * 1024  # characters per write of `list --json`


def _printable(text: str) -> str:
    # Names and file names come from disk: never let them inject terminal escapes.
    return "".join(c if c.isprintable() else "?" for c in text)


def _when(value) -> str:
    return value.astimezone().strftime("%d/%m/%Y %H:%M")


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    import tempfile

    from permis_tui.paths import data_dir
    from permis_tui.store import DraftStore

    # From the index (draft_index): the model reads only the demandes it has not read at
    # their current state, so the output is scan()'s without parsing 1,000 files.
    if getattr(args, "demo", False):
        with tempfile.TemporaryDirectory(prefix="permis-tui-demo-") as tmp:
            result = DraftStore(tmp).summaries(verify=True)
    else:
        result = DraftStore(data_dir(args.data_dir)).summaries(verify=True)

    if args.json:
        payload = {
            "demandes": [
                {
                    "numero": d.numero,
                    "prenom": d.prenom,
                    "nom": d.nom,
                    "cree_le": d.cree_le.isoformat(),
                    "modifie_le": d.modifie_le.isoformat(),
                    "etat": d.etat,
                }
                for d in result.demandes
            ],
            "problems": [
                {
                    "fichier": p.fichier,
                    "raison": p.raison,
                    "deplace_vers": str(p.deplace_vers) if p.deplace_vers else None,
                }
                for p in result.problems
            ],
        }
        # In a few large pieces: json.dump would send thousands of small ones through the
        # escaping stream. Not in one: a reader gone mid-write (`| head -1`) must be told by
        # the next write (BrokenPipeError), not end with a short write and status 0.
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
        for start in range(0, len(text), _PIECE):
            sys.stdout.write(text[start : start + _PIECE])
        return 0

    lines: list[str] = []
    if result.demandes:
        header = ("Numéro", "Prénom", "Nom", "Création", "Mise à jour", "État")
        rows = [
            (
                d.numero,
                _printable(d.prenom) or "—",
                _printable(d.nom) or "—",
                _when(d.cree_le),
                _when(d.modifie_le),
                d.etat_label,
            )
            for d in result.demandes
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if row is header:
                lines.append("  ".join("─" * w for w in widths))
    else:
        lines.append("Aucune demande enregistrée.")
    for p in result.problems:
        where = f"mis de côté dans {p.deplace_vers}" if p.deplace_vers else "laissé en place"
        lines.append(f"Fichier illisible : {_printable(p.fichier)} — {_printable(p.raison)} ({_printable(where)})")
    print("\n".join(lines))
    return 0
