"""Pièces jointes de l'étape 5 : joindre, retirer, re-vérifier (domain core, no Textual).

Attaching copies the chosen file into the request's own folder of the store first,
hashing it on the way, and then checks the *copy*: the verdict is about the exact
bytes kept, whatever happens to the original afterwards. The copy is named
"<sha256>.<ext>", the extension coming from the detected type, never the name.

A file that cannot be read at all, or is over the size limit, is refused without
being stored (there is nothing worth keeping); any other file is stored with its
verdict, valid or not, so the person sees why and removes it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from permis_tui import documents
from permis_tui.atomic import atomic_copy, ensure_private_dir, fsync_dir
from permis_tui.documents import COPY_PROBLEMS, ContentChecker, Details, VerdictCode
from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES, PieceKind
from permis_tui.model.pieces import PieceJointe, Pieces
from permis_tui.os_errors import file_read_code
from permis_tui.store import DraftStore, StoreError

STORED_EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}  # anything else: .bin
PICKABLE_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png"})
ALREADY_ATTACHED = "Ce fichier est déjà joint dans cette catégorie."
STORE_FAILED = "Impossible d'enregistrer la copie du fichier dans le dossier de la demande."
_CHUNK = 1 << 20


@dataclass(frozen=True)
class AttachOutcome:
    """`piece` is what to add to the draft; when None, `message` says why nothing was added."""

    piece: PieceJointe | None
    message: str | None = None


def stored_name(sha256: str, detected_type: str | None) -> str:
    return f"{sha256}.{STORED_EXTENSIONS.get(detected_type or '', 'bin')}"


def _copy_hashing(src: Path, dest_dir: Path, suffix: str, max_bytes: int) -> tuple[Path, str, int]:
    """Copy `src` into a private temporary file of `dest_dir`; returns (temp, sha256, size).

    Reads at most max_bytes + 1 bytes, so a file growing after the size check stays bounded.
    """
    digest = hashlib.sha256()
    # The pid in the name lets recovery tell a copy cut by a crash from one still being written.
    fd, tmp = tempfile.mkstemp(prefix=f".incoming-{os.getpid()}-", suffix=suffix, dir=dest_dir)
    size = 0
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            while size <= max_bytes and (block := inp.read(_CHUNK)):
                size += len(block)
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp), digest.hexdigest(), size


def _too_large(size: int, max_bytes: int) -> str:
    return VerdictCode.TOO_LARGE.text(Details(size=size, max_bytes=max_bytes))


def _os_reason(exc: OSError) -> str:
    return file_read_code(exc).text()


def attach(
    store: DraftStore,
    numero: str,
    src: str | os.PathLike[str],
    kind: PieceKind,
    *,
    existing: list[PieceJointe] = (),  # type: ignore[assignment]
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    timeout: float = 5.0,
    now: datetime | None = None,
    isolated: bool = False,
    checker: ContentChecker | None = None,
) -> AttachOutcome:
    """Copy, hash and check one file for category `kind`. Never raises for a bad file."""
    src = Path(src)
    try:
        st = src.stat()
    except OSError as exc:
        return AttachOutcome(None, _os_reason(exc))
    if not stat.S_ISREG(st.st_mode):
        return AttachOutcome(None, VerdictCode.NOT_A_FILE.text())
    if st.st_size > max_bytes:  # refused without copying a byte
        return AttachOutcome(None, _too_large(st.st_size, max_bytes))
    try:
        folder = store.pieces_dir(numero)
        ensure_private_dir(folder)
    except (OSError, StoreError):
        return AttachOutcome(None, STORE_FAILED)
    # Keep a known suffix on the temporary copy: the check names a renamed file from it.
    suffix = src.suffix.lower() if src.suffix.lower() in PICKABLE_SUFFIXES else ""
    try:
        tmp, sha, size = _copy_hashing(src, folder, suffix, max_bytes)
    except OSError as exc:
        # The source vanished or became unreadable between choosing and copying,
        # or the store could not be written.
        reason = _os_reason(exc) if exc.filename in (str(src), os.fsdecode(src)) else STORE_FAILED
        return AttachOutcome(None, reason)
    try:
        if size > max_bytes:
            return AttachOutcome(None, _too_large(size, max_bytes))
        if any(p.kind is kind and p.sha256 == sha for p in existing):
            return AttachOutcome(None, ALREADY_ATTACHED)
        verdict = documents.check_file(
            tmp, kind.max_pages, max_bytes, timeout, kind=kind, isolated=isolated, checker=checker
        )
        name = stored_name(sha, verdict.detected_type)
        try:
            os.replace(tmp, folder / name)  # same content under the same name: replacing is harmless
            fsync_dir(folder)
        except OSError:
            return AttachOutcome(None, STORE_FAILED)
    finally:
        tmp.unlink(missing_ok=True)
    piece = PieceJointe.from_verdict(
        verdict,
        kind=kind,
        nom_original=src.name[:255] or "fichier",
        sha256=sha,
        fichier=name,
        ajoute_le=now or datetime.now().astimezone().replace(microsecond=0),
    )
    return AttachOutcome(piece)


def remove(store: DraftStore, numero: str, pieces: Pieces, piece: PieceJointe, save: Callable[[], bool]) -> bool:
    """Take `piece` out of the draft, save it with `save`, then delete its copy unless another entry uses it.

    The copy goes only once the draft without it is on disk: a crash in between leaves an
    unreferenced copy (which recovery removes), never a draft pointing to a missing file.
    Returns what `save` returned; the copy is kept when the save failed.
    """
    pieces.fichiers = [p for p in pieces.fichiers if p != piece]
    if not save():
        return False
    still_used = any(p.fichier == piece.fichier for p in pieces.fichiers)
    store.remove_attachment(numero, piece.fichier, still_used=still_used)
    return True


def reverify(
    store: DraftStore,
    numero: str,
    fichiers: list[PieceJointe],
    *,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    timeout: float = 5.0,
    isolated: bool = False,
    checker: ContentChecker | None = None,
) -> list[tuple[PieceJointe, PieceJointe]]:
    """Check the stored copies of a reopened draft. Returns (old, new) for each entry whose
    verdict had to change: copy missing, unreadable, or different from its SHA-256.

    An unchanged copy keeps its stored verdict: the check is not run again.
    """
    changes: list[tuple[PieceJointe, PieceJointe]] = []
    by_name: dict[str, list[PieceJointe]] = {}
    for p in fichiers:
        by_name.setdefault(p.fichier, []).append(p)
    for name, group in by_name.items():
        path = store.attachment_path(numero, name)
        try:
            sha = documents.sha256_file(path)
        except FileNotFoundError:
            changes += [
                (p, p.refused_as(VerdictCode.COPY_MISSING)) for p in group if p.code is not VerdictCode.COPY_MISSING
            ]
            continue
        except OSError:
            changes += [
                (p, p.refused_as(VerdictCode.COPY_UNREADABLE))
                for p in group
                if p.code is not VerdictCode.COPY_UNREADABLE
            ]
            continue
        stale = [p for p in group if p.sha256 != sha or p.code in COPY_PROBLEMS]
        if not stale:
            continue
        new_name = name
        for p in stale:
            verdict = documents.check_file(
                path, p.kind.max_pages, max_bytes, timeout, kind=p.kind, isolated=isolated, checker=checker
            )
            new_name = stored_name(sha, verdict.detected_type)
            changes.append((p, p.with_verdict(verdict, sha256=sha, fichier=new_name)))
        if new_name != name and not _second_name(path, store.attachment_path(numero, new_name)):
            # No second name could be made: the entries keep the name the copy has on disk.
            changes[-len(stale) :] = [
                (old, new.model_copy(update={"fichier": name})) for old, new in changes[-len(stale) :]
            ]
    return changes


def _second_name(path: Path, dest: Path) -> bool:
    """Give the stored copy a second name, not a rename: the saved draft still refers to the
    old one until the caller saves, and recovery removes it once nothing refers to it."""
    try:
        os.link(path, dest)
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links (FAT, some network shares): a copy
        try:
            atomic_copy(path, dest)
        except OSError:
            return False
    return True
