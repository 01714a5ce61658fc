"""The data folder kept private: folders 0700, files 0600, whoever made them and under which umask.

A data folder copied with `cp -r` under umask 022, restored from a backup or opened with
`chmod -R 777` holds identity documents readable by every account of the machine. At start,
`make_private` walks it (never following a symlink) and takes away every permission others
have; the caller tells the person how many paths it fixed.

Domain core: no Textual here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from permis_tui.atomic import DIR_MODE, FILE_MODE


def make_private(root: Path) -> int:
    """Bring every folder under `root` (itself included) to 0700 and every file to 0600.

    Returns how many paths were changed. Symlinks are left as they are (their target is
    not ours to change). Paths that vanish meanwhile or cannot be changed are skipped.
    """
    fixed = 0

    def fix(path: str, wanted: int) -> None:
        nonlocal fixed
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode) or (not stat.S_ISDIR(st.st_mode) and not stat.S_ISREG(st.st_mode)):
                return
            if stat.S_IMODE(st.st_mode) != wanted:
                os.chmod(path, wanted, follow_symlinks=False)
                fixed += 1
        except (OSError, NotImplementedError):
            pass

    if not os.path.isdir(root) or os.path.islink(root):
        return 0
    fix(str(root), DIR_MODE)
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs:
            fix(os.path.join(folder, name), DIR_MODE)
        for name in files:
            fix(os.path.join(folder, name), FILE_MODE)
    return fixed


def close_data_dir(root: Path) -> int:
    """Close the data folder if it was found open; returns how many paths were changed.

    Only a root (or demandes/) found open to others is walked: other accounts cannot go
    through a 0700 folder, so under a private root nothing is within their reach, and the
    walk (one lstat per file and folder: thousands with 1,000 demandes) would cost every
    start for nothing. An open root (a `cp -r` under umask 022, a `chmod -R 777`, a backup
    restored as it was) is what leaves the files open, and is walked in full.
    """
    closed = 0
    for folder in (root, root / "demandes"):
        try:
            st = os.lstat(folder)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) & 0o077:
            closed += 1
    return make_private(root) if closed else 0


def notice(root: Path, fixed: int) -> str:
    """What the person is told when `make_private` fixed something (French, one line)."""
    return (
        f"Le dossier des demandes {root} était lisible par d'autres comptes : {fixed} élément(s) "
        "rendu(s) privé(s) (dossiers 0700, fichiers 0600)."
    )
