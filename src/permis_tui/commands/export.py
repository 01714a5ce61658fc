"""`permis-tui export NUMERO -o DOSSIER`: a demande's JSON, recap PDF, deposit form and attachments.

Layout written (files 0600, new folders 0700; an existing folder keeps its mode):
    DOSSIER/<numero>.json                   the demande, as `permis-tui import` reads it
    DOSSIER/recapitulatif-<numero>.pdf
    DOSSIER/formulaire-depot-<numero>.pdf   only when the photo goes by post
    DOSSIER/delai-inscription-<numero>.ics  retour au permis: the last day to register for the
                                            code only (R224-20), when that route is still open
    DOSSIER/pieces/<sha256>.<ext>           attachments, under the name the JSON refers to

Exit status: 0 all written; 1 unknown numéro, unwritable folder or a missing attachment
(everything else is still exported).
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
        help="exporter une demande (JSON, récapitulatif PDF, formulaire de dépôt, pièces)",
        description=(
            "Écrit dans un dossier le JSON de la demande (réimportable avec « permis-tui import »), "
            "son récapitulatif PDF, son formulaire de dépôt si la photo est envoyée par courrier, "
            "la date limite d'inscription (fichier iCalendar .ics) pour un retour au permis, "
            "et ses pièces justificatives. Code de sortie : 0 tout est écrit, 1 erreur."
        ),
    )
    parser.add_argument("numero", metavar="NUMERO", help="référence de préparation de la demande (AAMM-XXXX-XXXX)")
    parser.add_argument("-o", "--output", required=True, metavar="DOSSIER", help="dossier de destination")
    parser.set_defaults(func=run)


def write_user_file(path: Path, data: bytes) -> None:
    """Atomic 0600 write into a folder the user chose, never re-chmodded (~/Documents stays as it is)."""
    atomic_write(path, data, private_dir=False)


def _err(message: str) -> None:
    print(f"permis-tui export : {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from permis_tui.forms.formulaire_depot import render_formulaire_depot
    from permis_tui.forms.recap_pdf import render_recap_pdf
    from permis_tui.model.photo import PhotoChoice
    from permis_tui.paths import data_dir
    from permis_tui.recap import RECAP_PDF_TITRE, depot_data, maintenant, recap_sections
    from permis_tui.store import DraftStore, StoreError
    from permis_tui.validation import depot_filename, recap_filename

    store = DraftStore(data_dir(args.data_dir))
    try:
        demande = store.load(args.numero)
    except StoreError as exc:
        _err(str(exc))
        return 1
    out = Path(args.output).expanduser()
    numero = demande.numero
    now = maintenant()
    files = [
        (out / f"{numero}.json", demande.model_dump_json(indent=2).encode("utf-8")),
        (out / recap_filename(numero),
         render_recap_pdf(numero, RECAP_PDF_TITRE, recap_sections(demande), f"{now:%d/%m/%Y} à {now:%H:%M}")),
    ]
    from permis_tui.calendrier import delai_ics, ics_filename
    from permis_tui.recap import aujourdhui

    ics = delai_ics(demande, aujourdhui())
    if ics is not None:
        files.append((out / ics_filename(numero), ics))
    status = 0
    if demande.photo.choix is PhotoChoice.COURRIER:
        try:
            files.append((out / depot_filename(numero), render_formulaire_depot(depot_data(demande))))
        except ValueError as exc:
            _err(f"formulaire de dépôt non écrit : {exc}.")
            status = 1
    try:
        for path, data in files:
            write_user_file(path, data)
        copied = 0
        for piece in demande.pieces.fichiers:
            src = store.attachment_path(numero, piece.fichier)
            if not src.is_file():
                _err(f"pièce introuvable : {piece.kind.label}, « {piece.nom_original} ».")
                status = 1
                continue
            write_user_file(out / "pieces" / piece.fichier, src.read_bytes())
            copied += 1
    except OSError as exc:
        _err(f"impossible d'écrire dans {out} ({exc.strerror or exc}).")
        return 1
    names = ", ".join(p.name for p, _ in files)
    print(f"Demande n° {numero} exportée dans {out} : {names}, {copied} pièce(s) dans pieces/.")
    return status
