"""`permis-tui export NUMERO -o DOSSIER|FICHIER.zip`: one self-contained copy of a demande.

Layout written (see export_bundle; files 0600, new folders 0700, an existing folder keeps its mode):
    DOSSIER/manifest.json                        SHA-256 of every file below
    DOSSIER/demande.json                         the demande, as `permis-tui import` reads it
    DOSSIER/pieces/<nom d'origine>               attached files, under the names they had
    DOSSIER/formulaires/recapitulatif-<n>.pdf    (and formulaire-depot-<n>.pdf if the photo goes by post)
    DOSSIER/formulaires/delai-inscription-<n>.ics  retour au permis: the last day to register for the
                                                 code only (R224-20), when that route is still open
With an output ending in .zip, the same entries in one archive.

Exit status: 0 all written; 1 unknown numéro, unwritable output or a missing attachment
(nothing is written then: an export that cannot be re-imported whole is not an export).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from permis_tui.atomic import atomic_write


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="exporter une demande (JSON, pièces, PDF, empreintes) dans un dossier ou un .zip",
        description=(
            "Écrit dans un dossier (ou une archive .zip si DESTINATION finit par .zip) la demande "
            "(réimportable avec « permis-tui import »), ses pièces justificatives sous leur nom "
            "d'origine, son récapitulatif PDF, son formulaire de dépôt si la photo est envoyée par "
            "courrier, la date limite d'inscription (fichier iCalendar .ics) pour un retour au permis, et un manifeste des empreintes SHA-256. Code de sortie : 0 tout est écrit, 1 erreur."
        ),
    )
    parser.add_argument("numero", metavar="NUMERO", help="référence de préparation de la demande (AAMM-XXXX-XXXX)")
    parser.add_argument(
        "-o", "--output", required=True, metavar="DESTINATION", help="dossier de destination, ou fichier .zip"
    )
    parser.set_defaults(func=run)


def write_user_file(path: Path, data: bytes) -> None:
    """Atomic 0600 write into a folder the user chose, never re-chmodded (~/Documents stays as it is)."""
    atomic_write(path, data, private_dir=False)


def _err(message: str) -> None:
    from permis_tui.safe_text import escape

    print(f"permis-tui export : {escape(message)}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from permis_tui import export_bundle as eb
    from permis_tui.demande_pdfs import pdfs_of
    from permis_tui.os_errors import french_os_error
    from permis_tui.paths import data_dir
    from permis_tui.recap import maintenant
    from permis_tui.safe_files import read_regular
    from permis_tui.store import DraftStore, StoreError
    from permis_tui.validation import fichiers_existants

    store = DraftStore(data_dir(args.data_dir))
    try:
        demande = store.load(args.numero)
    except StoreError as exc:
        _err(str(exc))
        return 1
    out = Path(args.output).expanduser()
    numero = demande.numero
    now = maintenant()
    files: list[tuple[str, bytes]] = [(eb.DEMANDE, demande.model_dump_json(indent=2).encode("utf-8"))]
    entries: list[dict[str, str]] = [{"chemin": eb.DEMANDE, "sha256": eb.sha256(files[0][1])}]
    taken: set[str] = set()
    for piece in demande.pieces.fichiers:
        if piece.fichier in {e.get("piece") for e in entries}:
            continue  # the same file attached twice: one copy
        try:
            data = read_regular(store.attachment_path(numero, piece.fichier), eb.MAX_FILE_BYTES)
        except (OSError, ValueError) as exc:
            why = french_os_error(exc) if isinstance(exc, OSError) else str(exc)
            _err(f"pièce illisible : {piece.kind.label}, « {piece.nom_original} » ({why}) ; rien n'est exporté.")
            return 1
        chemin = f"{eb.PIECES}/{eb.export_name(piece.nom_original, taken)}"
        files.append((chemin, data))
        entries.append({"chemin": chemin, "sha256": eb.sha256(data), "piece": piece.fichier})
    status = 0
    # A validée's PDFs are the record of what was validated: exported as they were written.
    recorded = fichiers_existants(store, numero) if demande.est_validee else []
    try:
        pdfs = [(path.name, read_regular(path, eb.MAX_FILE_BYTES)) for path in recorded]
    except (OSError, ValueError):
        recorded, pdfs = [], []
    if not recorded:
        from permis_tui.forms.render_child import render

        for pdf in pdfs_of(demande):
            try:
                pdfs.append((pdf.filename, render(pdf.job(demande, now))))
            except ValueError as exc:  # the formulaire de dépôt of an incomplete état civil
                _err(f"formulaire de dépôt non écrit : {exc}.")
                status = 1
        # Retour au permis: the last day to register for the code only (R224-20), as a calendar
        # event; a validée already has the one written at its validation.
        from permis_tui.calendrier import delai_ics, ics_filename
        from permis_tui.recap import aujourdhui

        ics = delai_ics(demande, aujourdhui())
        if ics is not None:
            pdfs.append((ics_filename(numero), ics))
    for name, data in pdfs:
        files.append((f"{eb.FORMULAIRES}/{name}", data))
        entries.append({"chemin": f"{eb.FORMULAIRES}/{name}", "sha256": eb.sha256(data)})
    manifest = eb.manifest_bytes(numero, entries)
    try:
        if out.suffix.lower() == ".zip":
            eb.write_zip(out, files + [(eb.MANIFEST, manifest)])
        else:
            for chemin, data in files:
                write_user_file(out / chemin, data)
            write_user_file(out / eb.MANIFEST, manifest)  # last: a folder with a manifest is complete
    except OSError as exc:
        _err(f"impossible d'écrire dans {out} ({french_os_error(exc)}).")
        return 1
    from permis_tui.safe_text import escape

    pieces = len(entries) - 1 - len(pdfs)
    print(
        f"Demande n° {numero} exportée dans {escape(str(out))} : demande.json, {pieces} pièce(s) dans pieces/, "
        f"{len(pdfs)} fichier(s) (PDF, calendrier) dans formulaires/, manifest.json (empreintes SHA-256)."
    )
    return status
