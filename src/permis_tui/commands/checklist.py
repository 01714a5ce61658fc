"""`permis-tui checklist`: what to prepare before a call, from the motif answers."""

from __future__ import annotations

import argparse
import json

from permis_tui.commands.conseil import _date


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "checklist",
        help="liste des documents et informations à préparer",
        description="Affiche les documents et informations à préparer avant la demande, selon le motif.",
    )
    parser.add_argument(
        "--retour",
        choices=["invalidation", "annulation"],
        help="retour au permis après une invalidation ou une annulation",
    )
    parser.add_argument("--mineur", action="store_true", help="la demande concerne une personne mineure")
    parser.add_argument("--lourde", action="store_true", help="la demande inclut une catégorie lourde (C, D…)")
    parser.add_argument(
        "--hebergement", action="store_true", help="le justificatif de domicile n'est pas au nom de la personne"
    )
    parser.add_argument(
        "--photo",
        choices=["ephoto", "courrier", "sans"],
        default="ephoto",
        help="code photo numérique, photo par courrier, ou pas encore de photo",
    )
    parser.add_argument(
        "--depuis",
        type=_date,
        metavar="JJ/MM/AAAA",
        help="retour au permis : date de restitution du permis (invalidation) ou de fin de "
        "l'interdiction (annulation), pour afficher la date limite d'inscription",
    )
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from permis_tui.checklist import build_motif, checklist, render

    sections = checklist(
        build_motif(mineur=args.mineur, retour=args.retour, lourde=args.lourde),
        hebergement=args.hebergement,
        photo=args.photo,
        depuis=args.depuis if args.retour else None,
    )
    if args.json:
        print(json.dumps([{"titre": t, "elements": items} for t, items in sections], ensure_ascii=False, indent=2))
    else:
        print(render(sections), end="")
    return 0
