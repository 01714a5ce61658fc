"""`permis-tui outbox [--list]`: the confirmation emails still waiting to be sent.

Lists each waiting message (numéro, recipient, file), then, unless `--list` is given
and when a server is configured (section [smtp]), tries to send each one; a message
sent moves to the outbox's sent folder.

Exit status: 0 nothing waits any more, or `--list`; 1 a message could not be sent,
no server is configured while messages wait, or the configuration is unreadable.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "outbox",
        help="afficher et envoyer les courriels de confirmation en attente",
        description=(
            "Affiche les courriels de confirmation qui n'ont pas encore été envoyés (serveur absent, "
            "refus, arrêt brutal), puis les envoie si un serveur de messagerie est configuré "
            "(section [smtp]). Code de sortie : 0 plus rien n'attend, 1 un courriel attend encore."
        ),
    )
    parser.add_argument("--list", action="store_true", help="afficher seulement, sans envoyer")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from permis_tui.mail.outbox import NO_SERVER
    from permis_tui.mail.pending import pending_messages, send_pending
    from permis_tui.paths import data_dir
    from permis_tui.settings import load_settings
    from permis_tui.store import DraftStore, StoreError

    store = DraftStore(data_dir(args.data_dir))
    try:
        waiting = pending_messages(store)
    except (StoreError, OSError) as exc:
        print(f"permis-tui outbox : {exc}", file=sys.stderr)
        return 1
    if not waiting:
        print("Aucun courriel en attente.")
        return 0
    print(f"{len(waiting)} courriel(s) en attente :")
    for m in waiting:
        print(f"  n° {m.numero} → {m.to or '(sans destinataire)'} : {m.path}")
    if args.list:
        return 0
    loaded = load_settings()
    if loaded.error:
        print(f"permis-tui outbox : {loaded.error}", file=sys.stderr)
        return 1
    settings = loaded.settings.smtp
    if settings is None:
        print(f"{NO_SERVER} : les courriels restent dans la boîte d'envoi.", file=sys.stderr)
        return 1
    status = 0
    for outcome in send_pending(store, settings):
        print(f"  n° {outcome.message.numero} : {outcome.text}")
        status |= 0 if outcome.sent else 1
    return status
