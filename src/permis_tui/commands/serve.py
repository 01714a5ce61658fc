"""`permis-tui serve [--host H] [--port N]`: the demo mode in a web browser (textual-serve).

textual-serve comes with the `serve` extra (`pip install 'permis-tui[serve]'`); without it
this command says so and exits 1, like the other commands when they cannot do their work.

Each browser tab gets its own process `python -m permis_tui --demo`, hence its own
throwaway demo folder, removed when the tab closes. It never serves real drafts:
`--data-dir` is refused. Bind to 127.0.0.1 (the default) and put a reverse proxy
with TLS in front for anything beyond this machine; then pass `--public-url`.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8000
MISSING_TEXTUAL_SERVE = (
    "permis-tui serve : le paquet textual-serve, qui sert la démonstration dans un navigateur, "
    "n'est pas installé.\n"
    "Installez permis-tui avec l'option serve : pip install 'permis-tui[serve]' "
    "(depuis le dossier des sources : pip install '.[serve]')."
)
# Our copy of textual-serve's page: it names no outside host (see the file's header).
PAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "serve_page"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="sert le mode démonstration dans un navigateur (option serve : textual-serve)",
        description="Sert le mode démonstration dans un navigateur : chaque onglet ouvre une "
        "session de démonstration privée, effacée à sa fermeture.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port d'écoute (défaut : {DEFAULT_PORT})")
    parser.add_argument(
        "--public-url", metavar="URL", help="adresse publique, derrière un proxy (défaut : http://HOTE:PORT)"
    )
    parser.set_defaults(func=run)


def served_command() -> str:
    """The shell command textual-serve starts for each browser tab."""
    return f"{shlex.quote(sys.executable)} -m permis_tui --demo"


def run(args: argparse.Namespace) -> int:
    if getattr(args, "data_dir", None):
        print("permis-tui serve : --data-dir refusé ; seul le mode démonstration est servi.", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"permis-tui serve : port invalide : {args.port}", file=sys.stderr)
        return 2
    try:
        from textual_serve.server import Server
    except ImportError:
        # An optional extra: the app and the other commands never need it.
        print(MISSING_TEXTUAL_SERVE, file=sys.stderr)
        return 1
    server = Server(
        served_command(),
        host=args.host,
        port=args.port,
        title="permis-tui — démonstration",
        public_url=args.public_url,
        templates_path=PAGE_TEMPLATES,
    )
    server.serve()
    return 0
