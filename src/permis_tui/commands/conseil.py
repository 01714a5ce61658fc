"""`permis-tui conseil`: the advice for a retour au permis without a draft (an agent on the phone)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date


def _date(raw: str) -> date:
    """A JJ/MM/AAAA date for argparse, which puts the option's name before the French message."""
    from permis_tui.model import fields

    try:
        value = fields.parse_full_date(raw, today=date.max)
    except fields.InvalidValue as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None:
        raise argparse.ArgumentTypeError("date obligatoire (format JJ/MM/AAAA).")
    return value


def _months(raw: str) -> int:
    from permis_tui.model import fields

    try:
        value = fields.parse_months(raw)
    except fields.InvalidValue as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None:
        raise argparse.ArgumentTypeError("durée obligatoire, en mois (par exemple 6).")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "conseil",
        help="épreuves à repasser et date limite d'inscription, sans demande enregistrée",
        description=(
            "Calcule, pour un retour au permis, les épreuves à repasser (article R224-20 du code de la "
            "route), le dernier jour pour s'inscrire en ne repassant que le code, et les étapes dans "
            "l'ordre. Les dates s'écrivent JJ/MM/AAAA."
        ),
    )
    parser.add_argument(
        "--mesure",
        required=True,
        choices=["invalidation", "annulation"],
        help="invalidation (solde de points nul, lettre 48SI) ou annulation par un juge",
    )
    parser.add_argument(
        "--premier-permis",
        required=True,
        type=_date,
        metavar="JJ/MM/AAAA",
        help="date d'obtention de la première catégorie",
    )
    parser.add_argument(
        "--date-mesure",
        required=True,
        type=_date,
        metavar="JJ/MM/AAAA",
        help="date de la notification de la lettre 48SI, ou de la décision d'annulation",
    )
    parser.add_argument(
        "--restitution",
        required=True,
        type=_date,
        metavar="JJ/MM/AAAA",
        help="date de restitution du permis à la préfecture",
    )
    parser.add_argument(
        "--duree-mois", required=True, type=_months, metavar="N", help="durée de l'interdiction, en mois"
    )
    parser.add_argument(
        "--fin-interdiction",
        type=_date,
        metavar="JJ/MM/AAAA",
        help="fin de l'interdiction (obligatoire après une annulation : elle figure sur la décision)",
    )
    parser.add_argument(
        "--recidive",
        action="store_true",
        help="une autre invalidation a eu lieu dans les 5 ans précédents (interdiction d'un an)",
    )
    parser.add_argument(
        "--aujourdhui", type=_date, metavar="JJ/MM/AAAA", help="date du jour à retenir (par défaut : aujourd'hui)"
    )
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.set_defaults(func=run)


def _error(message: str) -> int:
    print(f"permis-tui conseil : erreur : {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from permis_tui.model.conseil import conseil_retour
    from permis_tui.model.motif import Mesure, RetourAuPermis

    mesure = Mesure(args.mesure)
    if mesure is Mesure.ANNULATION and args.fin_interdiction is None:
        return _error(
            "--fin-interdiction est obligatoire après une annulation : la fin de l'interdiction "
            "figure sur la décision (elle ne part pas de la restitution du permis)."
        )
    if args.premier_permis > args.date_mesure:
        return _error("--premier-permis doit précéder --date-mesure.")
    if mesure is Mesure.INVALIDATION and args.date_mesure > args.restitution:
        return _error("--date-mesure (lettre 48SI) doit précéder --restitution.")
    retour = RetourAuPermis(
        mesure=mesure,
        date_mesure=args.date_mesure,
        date_restitution=args.restitution,
        duree_interdiction_mois=args.duree_mois,
        date_fin_interdiction=args.fin_interdiction,
        date_premier_permis=args.premier_permis,
        invalidation_precedente_5_ans=args.recidive if mesure is Mesure.INVALIDATION else None,
    )
    conseil = conseil_retour(retour, args.aujourdhui or date.today())
    if args.json:
        print(json.dumps(conseil.as_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(conseil.lignes()))
    return 0
