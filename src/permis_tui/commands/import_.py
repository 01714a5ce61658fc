"""`permis-tui import FICHIER.json [--replace]`: add a demande from a JSON file.

The file is validated exactly as a saved draft is (`load_demande`: schema
migration, then every field rule). Nothing is written unless it is fully valid.
An existing numéro is never overwritten without `--replace`.

Output: on success, "Demande n° <numéro> importée." on stdout, exit 0.
On failure, the errors in French on stderr, one per line with its location
("etat_civil.nom_naissance : …"), exit 1. `-` reads the standard input.
"""

from __future__ import annotations

import argparse
from typing import Any

MAX_ERRORS_SHOWN = 50

# pydantic error types → French; {name} placeholders come from the error's ctx.
_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu",
    "enum": "valeur non prévue (attendu : {expected})",
    "literal_error": "valeur non prévue (attendu : {expected})",
    "string_type": "texte attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_type": "true ou false attendu",
    "bool_parsing": "true ou false attendu",
    "date_type": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "date_from_datetime_inexact": "date sans heure attendue (AAAA-MM-JJ)",
    "datetime_type": "date et heure attendues (ISO 8601, par exemple 2025-06-15T10:00:00+02:00)",
    "datetime_parsing": "date et heure attendues (ISO 8601, par exemple 2025-06-15T10:00:00+02:00)",
    "datetime_from_date_parsing": "date et heure attendues (ISO 8601, par exemple 2025-06-15T10:00:00+02:00)",
    "list_type": "liste attendue",
    "dict_type": "objet attendu",
    "model_type": "objet attendu",
    "model_attributes_type": "objet attendu",
    "string_pattern_mismatch": "format non conforme",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "greater_than": "doit être supérieur à {gt}",
    "less_than": "doit être inférieur à {lt}",
    "too_long": "trop d'éléments ({max_length} au maximum)",
    "too_short": "pas assez d'éléments ({min_length} au minimum)",
    "string_too_long": "texte trop long ({max_length} caractères au maximum)",
    "string_too_short": "texte trop court ({min_length} caractères au minimum)",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
}
_PATTERN_HINTS = {
    "numero": "numéro de demande attendu au format AAMM-XXXX-XXXX",
    "sha256": "empreinte SHA-256 attendue (64 caractères hexadécimaux)",
    "fichier": "nom de fichier attendu : <sha256>.pdf, .jpg, .png ou .bin",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="importer une demande depuis un fichier JSON",
        description=(
            "Importe une demande depuis un fichier JSON (voir « permis-tui schema »). Le fichier "
            "est entièrement vérifié avant d'être enregistré. Une demande existante n'est jamais "
            "remplacée sans --replace. Code de sortie : 0 importée, 1 refusée."
        ),
    )
    parser.add_argument("file", metavar="FICHIER.json", help="fichier à importer (« - » : entrée standard)")
    parser.add_argument("--replace", action="store_true", help="remplacer la demande qui porte déjà ce numéro")
    parser.set_defaults(func=run)


def _printable(text: str, limit: int = 120) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _french(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        # Our own validators raise French messages; pydantic prefixes them.
        message = str(ctx.get("error") or error.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        return message
    if kind == "string_pattern_mismatch":
        last = next((str(p) for p in reversed(error.get("loc", ())) if isinstance(p, str)), "")
        if last in _PATTERN_HINTS:
            return _PATTERN_HINTS[last]
    template = _MESSAGES.get(kind)
    if template is None:
        return f"valeur non valide ({kind or 'erreur'})"
    try:
        # pydantic joins the expected values with an English "or".
        return template.format(**{k: str(v).replace("' or '", "' ou '") for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return template.split(" (")[0]


def _location(loc: tuple[Any, ...]) -> str:
    return _printable(".".join(str(p) for p in loc), 100) or "document"


def error_lines(exc: Exception) -> list[str]:
    """The reasons a document is refused, in French, one per line with its location."""
    import json

    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        lines = [f"{_location(tuple(e['loc']))} : {_printable(_french(e), 300)}" for e in exc.errors()]
        if len(lines) > MAX_ERRORS_SHOWN:
            rest = len(lines) - MAX_ERRORS_SHOWN
            lines = lines[:MAX_ERRORS_SHOWN] + [f"… et {rest} autre(s) erreur(s)"]
        return lines
    if isinstance(exc, json.JSONDecodeError):
        return [f"ligne {exc.lineno}, colonne {exc.colno} : JSON illisible ({_printable(exc.msg, 80)})"]
    if isinstance(exc, UnicodeDecodeError):
        return ["document : le fichier n'est pas du texte UTF-8"]
    return [f"document : {_printable(str(exc), 300)}"]


def _read(path: str, limit: int) -> bytes:
    import sys

    if path == "-":
        raw = sys.stdin.buffer.read(limit + 1)
    else:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise ValueError(f"fichier trop volumineux pour une demande ({limit // (1024 * 1024)} Mo au maximum)")
    return raw


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    import tempfile

    from permis_tui.model.demande import load_demande
    from permis_tui.paths import data_dir
    from permis_tui.store import MAX_DRAFT_BYTES, DraftStore, StoreError

    shown = "entrée standard" if args.file == "-" else _printable(args.file, 200)
    try:
        raw = _read(args.file, MAX_DRAFT_BYTES)
    except OSError as exc:
        print(f"Impossible de lire {shown} : {exc.strerror or type(exc).__name__}.", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"{shown} refusé :\n  document : {exc}", file=sys.stderr)
        return 1
    try:
        demande = load_demande(json.loads(raw.decode("utf-8")))
    except (ValueError, RecursionError) as exc:  # JSON, UTF-8, ValidationError, FutureSchemaError
        if isinstance(exc, RecursionError):
            lines = ["document : imbrication trop profonde"]
        else:
            lines = error_lines(exc)
        print(f"{shown} refusé ({len(lines)} erreur(s)) :", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
        return 1

    replaced = False
    try:
        if getattr(args, "demo", False):
            with tempfile.TemporaryDirectory(prefix="permis-tui-demo-") as tmp:
                DraftStore(tmp).import_demande(demande, replace=args.replace)
        else:
            store = DraftStore(data_dir(args.data_dir))
            replaced = store.exists(demande.numero)
            store.import_demande(demande, replace=args.replace)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Demande n° {demande.numero} {'remplacée' if replaced else 'importée'}.")
    return 0
