"""Converting a data folder of layout 1 into one folder per demande (layout 2).

Layout 1: demandes/<n>.json, pieces/<n>/, formulaires/<n>/, corbeille/<n>.json,
corbeille/pieces/<n>/, corbeille/formulaires/<n>/, and one shared Maildir outbox/.

Each step is a rename or an atomic write, and each can be run again: a crash at any
point leaves every file in the old place or in the new one, and the next start (the
layout-version file is written only at the very end) carries on where it stopped.
The JSON is moved last, so a demande is never listed without its pieces.

Folders split by a crash of layout 1 (a delete or restore killed between its two
renames left the JSON on one side and its pieces on the other) are reunited:
pieces are named by their content, so merging two folders of copies loses nothing.
Pieces, forms or messages that belong to no demande are set aside in damaged/.
"""

from __future__ import annotations

import email
import os
import re
import shutil
from email import policy
from pathlib import Path
from typing import TYPE_CHECKING

from permis_tui.atomic import atomic_copy, ensure_private_dir, fsync_dir, is_temp_name, rename_dir
from permis_tui.demande_lock import flock_waiting, unlock
from permis_tui.model.schema import NUMERO_PATTERN
from permis_tui.safe_files import is_regular, open_regular

if TYPE_CHECKING:
    from permis_tui.store import DraftStore

_NUMERO_RE = re.compile(NUMERO_PATTERN)
# The numéro anywhere in the subject: old messages say "n° …", newer ones "référence …".
_SUBJECT_NUMERO = re.compile(r"(?<![0-9A-Z-])(" + NUMERO_PATTERN.strip("^$") + r")(?![0-9A-Z-])")
MIGRATION_LOCK = ".layout.lock"


def _has_layout_1(root: Path) -> bool:
    demandes = root / "demandes"
    if demandes.is_dir() and any(p.suffix == ".json" for p in demandes.iterdir()):
        return True
    return any((root / name).exists() for name in ("pieces", "formulaires", "outbox")) or (
        (root / "corbeille").is_dir()
        and any(p.suffix == ".json" or p.name in ("pieces", "formulaires") for p in (root / "corbeille").iterdir())
    )


def migrate_layout(store: DraftStore) -> int:
    """Convert `store.root` if it holds layout 1; returns the number of demandes moved.

    Two processes starting together: the second waits for the first (a lock on the root),
    then finds the version file written and has nothing to do.
    """
    root = store.root
    fd = flock_waiting(root / MIGRATION_LOCK, timeout=120)
    try:
        if (root / "layout-version").exists():
            return 0
        moved = 0
        if _has_layout_1(root):
            moved = _migrate(store)
        store._write_layout_version()
        return moved
    finally:
        unlock(fd)


def _migrate(store: DraftStore) -> int:
    root = store.root
    old_trash = root / "corbeille"
    sides = [  # (where the JSON was, its pieces/forms root, the other side's roots, new parent)
        (root / "demandes", root, old_trash, store.demandes_dir),
        (old_trash, old_trash, root, store.trash_dir),
    ]
    messages = _old_messages(root / "outbox")
    moved = 0
    for json_dir, own, other, new_parent in sides:
        if not json_dir.is_dir():
            continue
        for path in sorted(json_dir.glob("*.json")):
            numero = path.stem
            if not _NUMERO_RE.fullmatch(numero):
                continue  # not a demande of ours: the scan sets it aside once it is in a folder
            if not is_regular(path):  # a FIFO, device or symlink named like a demande: never opened
                store.move_to_damaged(path, path.name, "ce n'est pas un fichier ordinaire : il n'a pas été lu")
                continue
            target = new_parent / numero
            ensure_private_dir(target)
            for name in ("pieces", "formulaires"):
                _merge(own / name / numero, target / name)
                # The other side's copy, left there by a delete or restore cut between its renames.
                other_json = (other / "demandes" if other == root else other) / f"{numero}.json"
                if not other_json.exists():
                    _merge(other / name / numero, target / name)
            for msg_path, sub in messages.pop(numero, []):
                _move_message(msg_path, sub, target / "outbox")
            atomic_copy(path, target / "demande.json")
            path.unlink()
            fsync_dir(path.parent)
            moved += 1
    _set_aside_leftovers(store, messages)
    return moved


def _merge(src: Path, dest: Path) -> None:
    """Move the files of `src` into `dest` (content-named copies: a name present in both is the same file)."""
    if not src.is_dir():
        return
    if not dest.exists():
        ensure_private_dir(dest.parent)
        rename_dir(src, dest)
        return
    for item in src.iterdir():
        if is_temp_name(item.name) or (dest / item.name).exists():
            item.unlink()
        else:
            os.replace(item, dest / item.name)
    fsync_dir(dest)
    src.rmdir()


def _old_messages(outbox: Path) -> dict[str, list[tuple[Path, str]]]:
    """Messages of the shared outbox by numéro (read from the subject): (path, "new"|"cur"|".sent")."""
    found: dict[str, list[tuple[Path, str]]] = {}
    for sub, folder in (("new", outbox / "new"), ("cur", outbox / "cur"), (".sent", outbox / ".sent" / "cur")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            numero = ""
            try:
                with os.fdopen(open_regular(path), "rb") as handle:
                    msg = email.message_from_binary_file(handle, policy=policy.default)
                match = _SUBJECT_NUMERO.search(str(msg.get("Subject", "")))
                numero = match.group(1) if match else ""
            except (OSError, ValueError):
                pass
            found.setdefault(numero, []).append((path, sub))
    return found


def _move_message(path: Path, sub: str, outbox: Path) -> None:
    folder = outbox / ".sent" / "cur" if sub == ".sent" else outbox / sub
    for d in (outbox, outbox / "tmp", outbox / "new", outbox / "cur", folder):
        ensure_private_dir(d)
    os.replace(path, folder / path.name)
    fsync_dir(folder)


def _set_aside_leftovers(store: DraftStore, messages: dict[str, list[tuple[Path, str]]]) -> None:
    """What belongs to no demande goes to damaged/ (never deleted); empty old folders go."""
    root = store.root
    for paths in messages.values():
        for path, _ in paths:
            store.move_to_damaged(
                path,
                f"courriel-{path.name.split(':')[0]}",
                "courriel de l'ancienne boîte d'envoi sans demande correspondante",
            )
    for base in (root, root / "corbeille"):
        for name in ("pieces", "formulaires"):
            folder = base / name
            if not folder.is_dir():
                continue
            for item in sorted(folder.iterdir()):
                if item.is_dir() and any(not is_temp_name(f.name) for f in item.iterdir()):
                    where = "corbeille-" if base != root else ""
                    store.move_to_damaged(
                        item,
                        f"{where}{name}-{item.name}",
                        f"{name} d'une demande introuvable (ancien format des données)",
                    )
            shutil.rmtree(folder)
    for folder in (root / "demandes", root / "corbeille"):
        if not folder.is_dir():
            continue
        for item in sorted(folder.iterdir()):
            if item.is_file() and is_temp_name(item.name):
                item.unlink()  # draft copies half-written by a crash of the old layout
            elif item.is_file() and item.suffix == ".json":
                store.move_to_damaged(
                    item,
                    item.name,  # a JSON whose name is no numéro
                    "le nom du fichier n'est pas un numéro de demande",
                )
    outbox = root / "outbox"
    if outbox.is_dir():
        shutil.rmtree(outbox)  # only empty Maildir folders and half-written tmp/ files remain
    fsync_dir(root)
