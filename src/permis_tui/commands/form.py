"""`permis-tui form NUMERO -o FICHIER.pdf`: the formulaire de dépôt of a saved demande.

Exit status: 0 written; 1 unknown numéro, photo not sent by post, incomplete état
civil, or the file cannot be written; 2 a malformed --numero-ants (French message on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from permis_tui.os_errors import french_os_error


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "form",
        help="écrire le formulaire de dépôt de photo et de signature (PDF) d'une demande",
        description=(
            "Écrit le formulaire de dépôt de photo et de signature d'une demande enregistrée, "
            "pour une photo d'identité classique envoyée par courrier. Tant que la demande n'est pas "
            "validée, il porte la mention « BROUILLON — ne pas envoyer ». Code de sortie : 0 écrit, 1 erreur."
        ),
    )
    parser.add_argument("numero", metavar="NUMERO", help="référence de préparation de la demande (AAMM-XXXX-XXXX)")
    parser.add_argument("-o", "--output", required=True, metavar="FICHIER.pdf", help="fichier PDF à écrire")
    parser.add_argument(
        "--numero-ants",
        metavar="NUMERO_ANTS",
        help="numéro de demande donné par le site de l'ANTS, imprimé dans la case « Numéro de "
        "demande » (sans lui, la case reste vide, à remplir à la main)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from permis_tui.commands.export import write_user_file
    from permis_tui.demande_pdfs import depot_absent_reason
    from permis_tui.paths import data_dir
    from permis_tui.store import DraftStore, StoreError

    store = DraftStore(data_dir(args.data_dir))
    try:
        demande = store.load(args.numero)
    except StoreError as exc:
        print(f"permis-tui form : {exc}", file=sys.stderr)
        return 1
    why = depot_absent_reason(demande)
    if why is not None:
        print(
            f"permis-tui form : pas de formulaire de dépôt pour la demande n° {demande.numero} : {why}.",
            file=sys.stderr,
        )
        return 1
    from permis_tui.forms.formulaire_depot import render_formulaire_depot
    from permis_tui.model import fields
    from permis_tui.recap import depot_data

    try:
        numero_ants = fields.parse_numero_ants(args.numero_ants) if args.numero_ants else None
    except fields.InvalidValue as exc:
        print(f"permis-tui form : --numero-ants : {exc}", file=sys.stderr)
        return 2
    if numero_ants:
        demande = demande.model_copy(update={"numero_ants": numero_ants})
    try:
        data = render_formulaire_depot(depot_data(demande))
    except ValueError as exc:
        print(f"permis-tui form : demande n° {demande.numero} : {exc} ; complétez l'étape 2.", file=sys.stderr)
        return 1
    out = Path(args.output).expanduser()
    try:
        write_user_file(out, data)
    except OSError as exc:
        print(f"permis-tui form : impossible d'écrire {out} ({french_os_error(exc)}).", file=sys.stderr)
        return 1
    print(f"Formulaire de dépôt de la demande n° {demande.numero} écrit dans {out}")
    if not demande.est_validee:
        print(
            "Demande non validée : le formulaire porte la mention « BROUILLON — ne pas envoyer ». "
            "Validez la demande (étape 6) pour obtenir le formulaire à envoyer."
        )
    return 0
