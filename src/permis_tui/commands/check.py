"""`permis-tui check --piece KIND FILE...`: the step-5 verdicts, from the command line.

Exit status: 0 when the category is valid, 1 when it is not, 2 on a usage error (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES, PieceKind

_MIB = 1024 * 1024


def _size_mb(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"taille invalide : {text!r} (nombre de Mo attendu)") from None
    if not 0 < value <= 1024:
        raise argparse.ArgumentTypeError("la taille doit être comprise entre 0 et 1024 Mo")
    return value


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="vérifier des pièces justificatives comme à l'étape 5",
        description=(
            "Vérifie des fichiers comme l'étape 5 : type réel (PDF, JPEG, PNG), taille, "
            "pages, protection par mot de passe, intégrité ; puis le total de pages de la "
            "catégorie. Code de sortie : 0 catégorie valide, 1 non valide, 2 erreur d'usage."
        ),
    )
    parser.add_argument(
        "--piece",
        required=True,
        choices=[kind.cli_name for kind in PieceKind],
        help="catégorie de la pièce (fixe la limite de pages)",
    )
    parser.add_argument("--json", action="store_true", help="résultat en JSON sur la sortie standard")
    parser.add_argument(
        "--max-size-mb",
        type=_size_mb,
        default=None,
        metavar="N",
        help=(
            "taille maximale d'un fichier en Mo (par défaut : max_file_mb de la configuration, comme à "
            f"l'étape 5, sinon {DEFAULT_MAX_FILE_BYTES // _MIB})"
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FICHIER", help="fichiers de la catégorie")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from permis_tui.documents import check_category, pages_text
    from permis_tui.safe_text import escape, escape_path

    kind = PieceKind.from_cli_name(args.piece)
    if args.max_size_mb is not None:
        max_bytes = int(args.max_size_mb * _MIB)
    else:  # the limit the app applies at step 5
        from permis_tui.settings import load_settings

        settings, error = load_settings()
        if error:
            print(f"permis-tui check : {error}", file=sys.stderr)
        max_bytes = settings.max_file_bytes
    # The files are parsed in one checker process, killed at each file's deadline and capped in
    # memory, as in the app: one interpreter for them all, not one apiece (~270 ms each).
    from permis_tui.documents.checker import CheckerProcess

    checker = CheckerProcess()
    try:
        result = check_category(args.files, kind, max_bytes=max_bytes, checker=checker)
    finally:
        checker.shut()
    if args.json:
        payload = {
            "piece": kind.cli_name,
            "files": [
                {
                    # A non-UTF-8 name (surrogateescape) is written escaped: the JSON stays UTF-8.
                    "path": escape_path(path),
                    "detected_type": v.detected_type,
                    "pages": v.pages,
                    "valid": v.valid,
                    "code": v.code,
                    "reason": v.reason,
                    "warning": v.warning,
                    "size": v.size,
                }
                for path, v in result.files
            ],
            "total_pages": result.total_pages,
            "total_exact": result.total_exact,
            "max_pages": result.max_pages,
            "valid": result.valid,
            "reason": result.reason,
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if result.valid else 1

    out = [f"{kind.label} ({pages_text(kind.max_pages)} maximum)"]
    for path, v in result.files:
        pages = f" — {pages_text(v.pages)}" if v.valid and v.pages else ""
        # File names come from the user's disk: never let them inject terminal escapes.
        out.append(f"{escape_path(path)} : {v.label}{pages}")
        if v.warning:
            out.append(f"    Attention : {escape(v.warning)}")
    total = pages_text(result.total_pages) if result.total_exact else f"au moins {pages_text(result.total_pages)}"
    if result.valid:
        status = "catégorie valide"
    elif result.total_pages > result.max_pages:
        status = "catégorie non valide"  # the total just printed says why
    else:
        status = f"catégorie non valide ({(result.reason or '').rstrip('.')})"
    out.append(f"Total : {total} / {pages_text(result.max_pages)} maximum — {status}")
    print("\n".join(out))
    return 0 if result.valid else 1
