"""`permis-tui import FICHIER... [--replace]`: add demandes from JSON files, or from the
folders or .zip files `permis-tui export` writes (their pieces restored after their SHA-256
and a fresh check of each file).

Each JSON is strict (strict_json: no duplicate key, no NaN, no BOM) and validated
exactly as a saved draft is (`load_demande`: schema migration, then every field rule).
Nothing is written unless it is fully valid. An existing numéro is never overwritten
without `--replace`, and a validée never. Files are independent: one refused file does
not stop the others.

Output: for each imported file, "Demande n° <numéro> importée." on stdout, then one line
per restored piece. For each refused file, the errors in French on stderr, one per line
with its location ("etat_civil.nom_naissance : …"). With several files, a last line
counts both. Exit 0 when every file was imported, 1 otherwise. `-` reads a JSON from
the standard input (once).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
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
        help="importer des demandes (fichiers JSON, ou dossiers / .zip écrits par « permis-tui export »)",
        description=(
            "Importe une ou plusieurs demandes depuis des fichiers JSON (voir « permis-tui schema »), "
            "ou depuis les dossiers ou archives .zip écrits par « permis-tui export » : les pièces "
            "sont alors restaurées après vérification de leurs empreintes SHA-256 et de chaque "
            "fichier. Chaque demande est entièrement vérifiée avant d'être enregistrée ; un fichier "
            "refusé n'empêche pas d'importer les autres. Une demande existante n'est jamais remplacée "
            "sans --replace, une demande validée jamais. "
            "Code de sortie : 0 toutes importées, 1 au moins une refusée."
        ),
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FICHIER",
        help="fichier JSON, dossier ou .zip écrit par « permis-tui export » (« - » : JSON sur l'entrée standard)",
    )
    parser.add_argument("--replace", action="store_true", help="remplacer la demande qui porte déjà ce numéro")
    parser.set_defaults(func=run)


def _printable(text: str, limit: int = 120) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _french(error: Mapping[str, Any]) -> str:
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


class CannotRead(Exception):
    """The file itself cannot be read (missing, not a regular file…); the message is French."""


class Refused(Exception):
    """The file cannot be imported: `lines` say why, in French."""

    def __init__(self, *lines: str) -> None:
        super().__init__(lines[0] if lines else "")
        self.lines = list(lines)


def _read_source(path: str):
    """(demande bytes, Bundle or None) from a JSON file, an export folder or a .zip (or stdin)."""
    import os
    import stat
    import sys
    from pathlib import Path

    from permis_tui import export_bundle as eb
    from permis_tui import store as store_module
    from permis_tui.os_errors import french_os_error
    from permis_tui.safe_files import TooLarge, open_regular

    limit = store_module.MAX_DRAFT_BYTES  # read at call time: tests lower it
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(limit + 1)
            if len(raw) > limit:
                raise TooLarge("")
            return raw, None
        if stat.S_ISDIR(os.lstat(path).st_mode):
            return None, eb.read_folder(Path(path))
        with os.fdopen(open_regular(path), "rb") as handle:
            head = handle.read(4)
            if eb.is_zip(head):
                handle.seek(0)
                return None, eb.read_zip(handle)
            raw = head + handle.read(limit + 1 - len(head))
        if len(raw) > limit:
            raise TooLarge("")
        return raw, None
    except TooLarge:
        raise Refused(
            f"document : fichier trop volumineux pour une demande ({limit // (1024 * 1024)} Mo au maximum)"
        ) from None
    except eb.BundleError as exc:
        raise Refused(f"export : {_printable(str(exc), 300)}") from None
    except OSError as exc:
        raise CannotRead(french_os_error(exc)) from None


def _recheck(demande, bundle, max_bytes: int, checker) -> list[str]:
    """Check every piece the demande names against the export and, in `checker`'s child process,
    as a document again; updates each piece's verdict. Returns one French line per restored piece."""
    import tempfile
    from pathlib import Path

    from permis_tui.documents import check_file

    lines = []
    with tempfile.TemporaryDirectory(prefix="permis-tui-import-") as tmp:
        for index, piece in enumerate(demande.pieces.fichiers):
            data = bundle.pieces.get(piece.fichier)
            if data is None:
                raise Refused(
                    f"pieces : « {_printable(piece.nom_original, 80)} » ({piece.kind.label}) manque dans l'export"
                )
            if piece.sha256 != piece.fichier.split(".")[0]:
                raise Refused(
                    f"pieces : l'empreinte de « {_printable(piece.nom_original, 80)} » ne correspond pas "
                    "à son nom de stockage"
                )
            path = Path(tmp) / piece.fichier
            path.write_bytes(data)
            verdict = check_file(path, piece.kind.max_pages, max_bytes, kind=piece.kind, checker=checker)
            demande.pieces.fichiers[index] = piece = piece.with_verdict(verdict)
            shown = _printable(bundle.noms.get(piece.fichier, piece.nom_original), 80)
            lines.append(f"  pièce restaurée : {piece.kind.label}, « {shown} » — {verdict.label}")
    return lines


def _import_one(path: str, store: Any, replace: bool, max_bytes: int, checker: Any) -> bool:
    """Import one file, folder or .zip into `store`; messages on stdout/stderr. True when imported."""
    import sys

    from permis_tui import strict_json
    from permis_tui.model.demande import Etat, load_demande
    from permis_tui.store import StoreError

    shown = "entrée standard" if path == "-" else _printable(path, 200)
    try:
        raw, bundle = _read_source(path)
        if bundle is not None:
            raw = bundle.demande_raw
        try:
            demande = load_demande(strict_json.loads(raw))
        except (ValueError, RecursionError) as exc:  # strict JSON, ValidationError, FutureSchemaError
            raise Refused(
                *(["document : imbrication trop profonde"] if isinstance(exc, RecursionError) else error_lines(exc))
            ) from None
        restored = _recheck(demande, bundle, max_bytes, checker) if bundle is not None else []
    except CannotRead as exc:
        print(f"Impossible de lire {shown} : {exc}.", file=sys.stderr)
        return False
    except Refused as exc:
        print(f"{shown} refusé ({len(exc.lines)} erreur(s)) :", file=sys.stderr)
        for line in exc.lines:
            print(f"  {line}", file=sys.stderr)
        return False
    if bundle is None and demande.pieces.fichiers:
        restored = [
            f"  {len(demande.pieces.fichiers)} pièce(s) citée(s) sans leur fichier : importez le dossier "
            "ou le .zip écrit par « permis-tui export » pour les restaurer"
        ]
    files = {f"pieces/{name}": data for name, data in (bundle.pieces.items() if bundle else ())}
    if bundle is not None and demande.etat is Etat.VALIDEE:  # the record of its validation
        files.update({f"formulaires/{name}": data for name, data in bundle.formulaires.items()})
    try:
        replaced = store.exists(demande.numero)
        store.import_demande(demande, replace=replace, files=files)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return False
    print(f"Demande n° {demande.numero} {'remplacée' if replaced else 'importée'}.")
    for line in restored:
        print(line)
    return True


def run(args: argparse.Namespace) -> int:
    import contextlib
    import sys
    import tempfile

    from permis_tui.documents.checker import CheckerProcess
    from permis_tui.paths import data_dir
    from permis_tui.settings import load_settings
    from permis_tui.store import DraftStore

    if args.files.count("-") > 1:
        print("L'entrée standard (« - ») ne peut être lue qu'une fois.", file=sys.stderr)
        return 1
    settings, error = load_settings()  # a restored piece is checked against max_file_mb
    if error:
        print(f"permis-tui import : {error}", file=sys.stderr)
    with contextlib.ExitStack() as stack:
        if getattr(args, "demo", False):
            store = DraftStore(stack.enter_context(tempfile.TemporaryDirectory(prefix="permis-tui-demo-")))
        else:
            store = DraftStore(data_dir(args.data_dir))
        # The restored pieces are parsed in one checker process, started at the first piece,
        # with the limits of the app's: not a new interpreter for each (~270 ms apiece).
        checker = CheckerProcess()
        stack.callback(checker.shut)
        imported = sum(_import_one(path, store, args.replace, settings.max_file_bytes, checker) for path in args.files)
    refused = len(args.files) - imported
    if len(args.files) > 1:
        print(f"{imported} demande(s) importée(s), {refused} refusée(s).", file=sys.stderr if refused else sys.stdout)
    return 0 if refused == 0 else 1
