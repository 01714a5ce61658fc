"""Command line entry point: `permis-tui [options] [command]`.

Each sub-command lives in `permis_tui.commands.<name>` and exposes
`register(subparsers)`. Those modules import their heavy dependencies
inside their `run` function so that `--help` and the app start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from permis_tui import __version__

# argparse's own messages, in French: the whole interface is French.
_ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "show this help message and exit": "affiche cette aide et quitte",
    "show program's version number and exit": "affiche la version et quitte",
    "positional arguments": "arguments",
    "options": "options",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (valeurs possibles : %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
}


def _french_argparse() -> None:
    from gettext import gettext

    # argparse looks its messages up through its module-level `_` (gettext), absent from its stubs.
    argparse._ = lambda text: _ARGPARSE_FR.get(text, gettext(text))  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse swallows a failed write of --help or --version and exits 0; let it reach
    `main`, so that a closed pipe ends every command the same way (EXIT_BROKEN_PIPE)."""

    def _print_message(self, message: str, file=None) -> None:
        if message:
            (file or sys.stderr).write(message)


COMMANDS = (
    "list",
    "schema",
    "check",
    "form",
    "export",
    "import_",
    "delete",
    "purge",
    "outbox",
    "checklist",
    "conseil",
    "serve",
)


def build_parser() -> argparse.ArgumentParser:
    _french_argparse()
    parser = _Parser(
        prog="permis-tui",
        description=(
            "Assistant en terminal pour la demande de permis de conduire : "
            "inscription à l'examen, notamment après une invalidation ou une "
            "annulation du permis. Sans commande, lance l'assistant."
        ),
    )
    # argparse's version action has an English default help that gettext never sees.
    parser.add_argument(
        "--version", action="version", version=f"permis-tui {__version__}", help="affiche la version et quitte"
    )
    parser.add_argument(
        "--data-dir",
        metavar="DOSSIER",
        help="dossier des demandes (par défaut : $PERMIS_TUI_DATA_DIR, sinon le dossier de données de l'utilisateur)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="mode démonstration : dossier privé temporaire, effacé à la sortie",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"permis_tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"permis_tui.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


# What a shell reports for a tool stopped by a closed pipe (128 + SIGPIPE): `a | head -1`
# then says the same for permis-tui as for `seq`, `yes` or `grep`.
EXIT_BROKEN_PIPE = 141


def main(argv: list[str] | None = None) -> int:
    """Run one command; a reader that goes away (`list --json | head -1`) ends it quietly.

    Python ignores SIGPIPE, so a write to a closed pipe raises BrokenPipeError wherever
    it happens, and once more when the interpreter flushes stdout at exit. The pattern
    from the Python docs (signal module, "Note on SIGPIPE"): catch it here, for every
    command, flush inside the try, then point stdout at /dev/null so that the final flush
    has nowhere to fail.
    """
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.demo and args.data_dir:
        parser.error(
            "--demo ne peut pas être combiné avec --data-dir : la démonstration "
            "utilise toujours un dossier temporaire privé, effacé à la sortie."
        )
    if args.command is None:
        # The app closes its data folder itself (get_default_screen), and says so on screen.
        from permis_tui.commands.run_app import run_app

        return run_app(args)
    if args.command not in ("schema", "check", "serve") and not args.demo:
        _make_data_dir_private(args.data_dir)
    from permis_tui.safe_text import EscapingStream

    # Commands print file names and draft fields: no control character reaches the terminal.
    sys.stdout, sys.stderr = EscapingStream(sys.stdout), EscapingStream(sys.stderr)
    try:
        return int(args.func(args) or 0)
    finally:
        sys.stdout, sys.stderr = sys.stdout._stream, sys.stderr._stream


def _make_data_dir_private(override: str | None) -> None:
    """A data folder found open to other accounts is closed before the command reads it, and said."""
    from permis_tui.paths import data_dir
    from permis_tui.privacy import close_data_dir, notice

    root = data_dir(override)
    fixed = close_data_dir(root)
    if fixed:
        print(f"permis-tui : {notice(root, fixed)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
