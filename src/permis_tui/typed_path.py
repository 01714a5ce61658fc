"""A file path typed, pasted or dropped by a person, made usable (domain core, no Textual).

Terminals paste a dropped file in many shapes: quoted the shell way
(``'/a/Pièce d'\\''identité.pdf'``), with backslash escapes, as a file:// URL, or
plain with spaces. :func:`clean_typed_path` undoes these, and never raises: a text
that cannot name a file gets a French message instead, shown under the field.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from permis_tui.safe_text import first_unsafe

PATH_MAX = 4096  # Linux PATH_MAX: longer text cannot be a path


@dataclass(frozen=True, slots=True)
class PathProblem:
    """Why the typed text cannot be used as a path: a French message for the person."""

    message: str


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, an undecodable name…
        return False


def _expand_home(text: str) -> str | PathProblem:
    if not text.startswith("~"):
        return text
    # os.path.expanduser leaves "~name" unchanged for an unknown user, where
    # Path.expanduser raises RuntimeError: the unchanged text is the signal.
    expanded = os.path.expanduser(text)
    if expanded.startswith("~"):
        user = text[1:].split("/", 1)[0]
        if not user:
            return PathProblem("Dossier personnel introuvable : tapez le chemin complet du fichier.")
        return PathProblem(
            f"Utilisateur « {user} » inconnu sur cet ordinateur : tapez le chemin "
            f"complet du fichier (par exemple /home/{user}/…)."
        )
    return expanded


def clean_typed_path(raw: str) -> Path | PathProblem:
    """The path named by ``raw``, or the reason it names none.

    The literal text wins when it names an existing file (a name may really hold
    quotes or backslashes); otherwise the shell-unquoted and URL-decoded readings
    are tried. When none exists, the most decoded reading is returned, so the
    caller reports "introuvable" about the path the person meant.
    """
    text = raw.strip()
    if not text:
        return PathProblem("Tapez le chemin d'un fichier, ou choisissez-le dans l'arborescence.")
    if len(text) > PATH_MAX:
        return PathProblem(f"Chemin trop long ({len(text)} caractères, {PATH_MAX} au maximum).")
    if first_unsafe(text) is not None:
        # Only what must not reach a terminal: a no-break space (U+00A0, U+202F), which
        # str.isprintable() refuses, is common in real file names.
        return PathProblem("Le chemin contient un caractère invisible ou de contrôle : retapez-le.")
    candidates = [text]
    if text.startswith("file://"):
        candidates.append(unquote(urlparse(text).path))
    else:
        try:
            words = shlex.split(text)
        except ValueError:  # an unclosed quote: the literal text is all there is
            words = []
        if len(words) > 1 and not _exists(Path(text)) and all(_exists(Path(w)) for w in words):
            return PathProblem("Un seul fichier à la fois : déposez ou collez les fichiers un par un.")
        if len(words) == 1:
            candidates.append(words[0])
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            # Some terminals wrap the name in quotes without escaping the ones inside.
            candidates.insert(1, text[1:-1])
    problem: PathProblem | None = None
    paths: list[Path] = []
    for candidate in candidates:
        expanded = _expand_home(candidate)
        if isinstance(expanded, PathProblem):
            problem = expanded
            continue
        if expanded:
            paths.append(Path(expanded))
    for path in paths:
        if _exists(path):
            return path
    if problem is not None:
        return problem
    return paths[-1] if paths else PathProblem("Tapez le chemin d'un fichier, ou choisissez-le dans l'arborescence.")
