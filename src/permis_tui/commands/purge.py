"""`permis-tui purge [--corbeille] [--avant JJ/MM/AAAA] [--oui]`: delete demandes for good.

    --corbeille          every demande of the corbeille
    --avant JJ/MM/AAAA   every demande (corbeille included) last changed before that day
    both                 the demandes of the corbeille last changed before that day

Deleted for good means gone from disk: the demande, its pieces, its PDFs, its outbox and
the copies of it set aside in damaged/.
A demande open in another session is kept (and named). The list is shown first; the
deletion needs `oui` typed at the terminal, or --oui (scripts, cron). Without a terminal
and without --oui nothing is deleted.
Exit status: 0 deleted (or nothing to delete); 1 refused, not confirmed, or some kept.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any


def _jour(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date attendue au format JJ/MM/AAAA, par exemple 01/01/2025 (reçu : {text[:20]!r})"
        ) from None


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "purge",
        help="supprimer définitivement des demandes (corbeille, ou modifiées avant une date)",
        description=(
            "Supprime définitivement des demandes : la demande, ses pièces justificatives, ses PDF et "
            "ses courriels en attente sont effacés du disque, sans retour possible. --corbeille : toute "
            "la corbeille ; --avant JJ/MM/AAAA : toutes les demandes (corbeille comprise) modifiées pour "
            "la dernière fois avant ce jour ; les deux : celles de la corbeille modifiées avant ce jour. "
            "La liste est affichée puis une confirmation est demandée (tapez « oui »), sauf avec --oui. "
            "Une demande ouverte dans une autre session n'est pas supprimée. "
            "Code de sortie : 0 supprimées (ou rien à supprimer), 1 refusé ou non confirmé."
        ),
    )
    parser.add_argument("--corbeille", action="store_true", help="supprimer les demandes de la corbeille")
    parser.add_argument(
        "--avant",
        type=_jour,
        metavar="JJ/MM/AAAA",
        help="supprimer les demandes modifiées pour la dernière fois avant ce jour",
    )
    parser.add_argument("--oui", action="store_true", help="ne pas demander de confirmation")
    parser.set_defaults(func=run)


def _line(candidate, copies: int) -> str:
    where = "corbeille" if candidate.in_trash else "demandes"
    extra = f"  (+ {copies} copie(s) mise(s) de côté)" if copies else ""
    s = candidate.summary
    if s is None:
        return f"  {candidate.numero}  (illisible)  [{where}]{extra}"
    nom = " ".join(filter(None, (s.prenom, s.nom))) or "—"
    nom = "".join(c if c.isprintable() else "?" for c in nom)[:40]
    return f"  {candidate.numero}  {nom}  modifiée le {s.modifie_le:%d/%m/%Y}  {s.etat_label}  [{where}]{extra}"


def _confirmed(count: int) -> bool:
    if not sys.stdin.isatty():
        print(
            "permis-tui purge : confirmation impossible sans terminal ; relancez avec --oui pour "
            "supprimer sans confirmation. Rien n'a été supprimé.",
            file=sys.stderr,
        )
        return False
    try:
        answer = input(f"Supprimer définitivement ces {count} demande(s) ? Tapez « oui » pour confirmer : ")
    except EOFError:
        answer = ""
    if answer.strip().lower() != "oui":
        print("Rien n'a été supprimé.")
        return False
    return True


def run(args: argparse.Namespace) -> int:
    from permis_tui.paths import data_dir
    from permis_tui.store import DraftStore, StoreError

    if not args.corbeille and args.avant is None:
        print("permis-tui purge : indiquez --corbeille, --avant JJ/MM/AAAA ou les deux.", file=sys.stderr)
        return 1
    store = DraftStore(data_dir(args.data_dir))
    try:
        candidates = ([] if args.corbeille else store.purge_candidates(False, args.avant)) + store.purge_candidates(
            True, args.avant
        )
    except StoreError as exc:
        print(f"permis-tui purge : {exc}", file=sys.stderr)
        return 1
    if not candidates:
        print("Aucune demande à supprimer.")
        return 0
    print(f"{len(candidates)} demande(s) à supprimer définitivement :")
    for candidate in candidates:
        print(_line(candidate, len(store.damaged_copies(candidate.numero))))
    sys.stdout.flush()
    if not args.oui and not _confirmed(len(candidates)):
        return 1
    report = store.purge(
        in_demandes=not args.corbeille, in_trash=True, before=args.avant, only={c.numero for c in candidates}
    )
    print(f"{len(report.erased)} demande(s) supprimée(s) définitivement.")
    for numero in report.busy:
        print(f"permis-tui purge : demande n° {numero} ouverte dans une autre session : conservée.", file=sys.stderr)
    for error in report.errors:
        print(f"permis-tui purge : {error}", file=sys.stderr)
    return 1 if report.busy or report.errors else 0
