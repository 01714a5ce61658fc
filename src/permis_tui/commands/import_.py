"""`permis-tui import FICHIER.json... [--replace]`: add demandes from JSON files.

Each file is validated exactly as a saved draft is (`load_demande`: schema
migration, then every field rule). Nothing is written unless it is fully valid.
An existing numéro is never overwritten without `--replace`. Files are
independent: one refused file does not stop the others.

Output: for each imported file, "Demande n° <numéro> importée." on stdout.
For each refused file, the errors in French on stderr, one per line with its
location ("etat_civil.nom_naissance : …"). With several files, a last line
counts both. Exit 0 when every file was imported, 1 otherwise. `-` reads the
standard input (once).
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
            "Importe une ou plusieurs demandes depuis des fichiers JSON (voir « permis-tui schema »). "
            "Chaque fichier est entièrement vérifié avant d'être enregistré ; un fichier refusé "
            "n'empêche pas d'importer les autres. Une demande existante n'est jamais remplacée sans "
            "--replace. Code de sortie : 0 toutes importées, 1 au moins une refusée."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FICHIER.json",
                        help="fichier(s) à importer (« - » : entrée standard)")
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


def _raison(exc: OSError) -> str:
    """Why a file cannot be read, in French: the system's strerror follows the
    machine's locale, often English."""
    import errno

    reasons = {
        errno.ENOENT: "fichier introuvable",
        errno.EACCES: "accès refusé",
        errno.EPERM: "accès refusé",
        errno.EISDIR: "c'est un dossier, pas un fichier",
        errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
        errno.ENAMETOOLONG: "nom trop long",
        errno.ELOOP: "trop de liens symboliques",
        errno.EIO: "erreur d'entrée-sortie du disque",
    }
    return reasons.get(exc.errno, exc.strerror or type(exc).__name__)


def _import_one(path: str, store: Any, replace: bool) -> bool:
    """Import one file into ``store``; messages on stdout/stderr. True when imported."""
    import json
    import sys

    from permis_tui.model.demande import load_demande
    from permis_tui.store import MAX_DRAFT_BYTES, StoreError

    shown = "entrée standard" if path == "-" else _printable(path, 200)
    try:
        raw = _read(path, MAX_DRAFT_BYTES)
    except OSError as exc:
        print(f"Impossible de lire {shown} : {_raison(exc)}.", file=sys.stderr)
        return False
    except ValueError as exc:
        print(f"{shown} refusé :\n  document : {exc}", file=sys.stderr)
        return False
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
        return False
    try:
        replaced = store.exists(demande.numero)
        store.import_demande(demande, replace=replace)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return False
    print(f"Demande n° {demande.numero} {'remplacée' if replaced else 'importée'}.")
    return True


def run(args: argparse.Namespace) -> int:
    import contextlib
    import sys
    import tempfile

    from permis_tui.paths import data_dir
    from permis_tui.store import DraftStore

    if args.files.count("-") > 1:
        print("L'entrée standard (« - ») ne peut être lue qu'une fois.", file=sys.stderr)
        return 1
    with contextlib.ExitStack() as stack:
        if getattr(args, "demo", False):
            store = DraftStore(stack.enter_context(tempfile.TemporaryDirectory(prefix="permis-tui-demo-")))
        else:
            store = DraftStore(data_dir(args.data_dir))
        imported = sum(_import_one(path, store, args.replace) for path in args.files)
    refused = len(args.files) - imported
    if len(args.files) > 1:
        print(f"{imported} demande(s) importée(s), {refused} refusée(s).",
              file=sys.stderr if refused else sys.stdout)
    return 0 if refused == 0 else 1
