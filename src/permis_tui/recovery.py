"""Recovery at start: what a crash (SIGKILL, power cut) left behind is cleaned or completed.

Only folders no live session holds are touched (their locks are free), and only
temporary files whose writer is gone (its pid is in the name): a second session
running beside this one keeps everything it is writing.

- temporary files of atomic writes and half-copied pieces are removed;
- copies of pieces no saved demande refers to (a piece attached, or removed, just
  before the crash) are removed;
- an interrupted validation is rolled back or completed: a brouillon loses the PDFs
  and the queued email written before its state changed; a validée demande whose
  validation left its mark (see validation) and no confirmation email gets it queued
  again. A validée without the mark is never given an email: it was validated whole,
  here or elsewhere (an import, an older data folder brings it without its outbox), and
  its email belongs to that validation;
- half-built folders in .staging/ (create, duplicate, import) are removed;
- a demande folder without its demande.json is removed when empty, set aside otherwise.

The outbox is not sent from here (no network in the store): `mail.pending` does it.

Cheap when nothing needs it: every change recovery looks for goes through a rename or a
new file in one of a demande's folders (the folder, pieces/, formulaires/, the Maildir's
tmp/, new/, cur/, .sent/cur/), which moves that folder's mtime. A folder found clean is
remembered in `recovery.json` with those mtimes (only once they are a few seconds old: a
change within the file system's clock tick would not move them); at the next start a
folder whose mtimes are the same is not read again. A missing or damaged file means
checking everything, as before.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from permis_tui.atomic import atomic_write, fsync_dir, is_temp_name, process_alive, temp_writer_alive
from permis_tui.demande_lock import LOCK_FILES, SESSION_LOCK, is_locked, try_flock, unlock
from permis_tui.os_errors import french_os_error
from permis_tui.store import VALIDATION_MARK  # store imports this module only when recovery runs

if TYPE_CHECKING:
    from permis_tui.store import DraftStore


@dataclass
class RecoveryReport:
    temp_files: int = 0  # temporary files and half-copied pieces removed
    temp_bytes: int = 0
    orphan_pieces: int = 0  # copies no demande refers to
    staging: int = 0  # half-built folders removed
    completed: list[str] = field(default_factory=list)  # validée: email queued again
    rolled_back: list[str] = field(default_factory=list)  # brouillon: stray PDFs/email removed
    set_aside: list[str] = field(default_factory=list)  # folders without demande.json, kept in damaged/
    skipped: list[str] = field(default_factory=list)  # held by a live session: left alone
    errors: list[str] = field(default_factory=list)  # French

    @property
    def resume(self) -> str:
        """One French line for the home screen; empty when there was nothing to do."""
        parts = []
        removed = self.temp_files + self.staging
        if removed:
            parts.append(
                f"{removed} fichier(s) temporaire(s) laissé(s) par un arrêt brutal supprimé(s)"
                f" ({_size(self.temp_bytes)})"
            )
        if self.orphan_pieces:
            parts.append(f"{self.orphan_pieces} copie(s) de pièce sans demande supprimée(s)")
        for numero in self.completed:
            parts.append(f"validation de la demande n° {numero} terminée (courriel remis dans la boîte d'envoi)")
        for numero in self.rolled_back:
            parts.append(
                f"validation interrompue de la demande n° {numero} annulée (documents retirés, elle reste un brouillon)"
            )
        for name in self.set_aside:
            parts.append(f"dossier incomplet {name} mis de côté dans damaged/")
        parts += self.errors
        if not parts:
            return ""
        return "Reprise après un arrêt inattendu : " + " ; ".join(parts) + "."

    @property
    def changed(self) -> bool:
        return bool(self.resume)


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024)) if n else 0} Ko"
    return f"{n / (1024 * 1024):.1f} Mo".replace(".", ",")


def _remove_temps(folder: Path, report: RecoveryReport) -> None:
    if not folder.is_dir():
        return
    with os.scandir(folder) as entries:  # the name first: no stat (nor Path) for 1,000 demande folders
        temps = [e.name for e in entries if is_temp_name(e.name) and e.is_file()]
    for name in temps:
        if not temp_writer_alive(name):
            _unlink(folder / name, report)


def _unlink(path: Path, report: RecoveryReport, *, count: bool = True) -> None:
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return
    if count:
        report.temp_files += 1
        report.temp_bytes += size


def _messages(outbox: Path, *subs: str) -> list[Path]:
    return [p for sub in subs if (outbox / sub).is_dir() for p in (outbox / sub).iterdir() if p.is_file()]


STAMPS_FILE = "recovery.json"
STAMPS_VERSION = 1
# A folder is remembered as clean only when its mtimes are older than this (seconds): a
# change made in the same tick of the file system's clock would leave them as they were.
SETTLED = 2.0
_WATCHED = ("", "pieces", "formulaires", "outbox/tmp", "outbox/new", "outbox/cur", "outbox/.sent/cur")


def _mtimes(folder: str) -> list[int]:
    """The mtime (ns) of a demande folder and of each subfolder recovery reads; 0 if absent."""
    found = []
    for sub in _WATCHED:
        try:
            # Plain strings: 7,000 paths with 1,000 demandes, in a thread beside the first screen.
            found.append(os.stat(f"{folder}/{sub}" if sub else folder, follow_symlinks=False).st_mtime_ns)
        except OSError:
            found.append(0)
    return found


def _read_stamps(store: DraftStore) -> dict[str, list[int]]:
    """recovery.json, or {} if missing or not exactly as written (then everything is checked)."""
    from permis_tui.safe_files import read_regular

    try:
        data = json.loads(read_regular(store.root / STAMPS_FILE, 64 * 1024 * 1024))
    except (OSError, ValueError, RecursionError):
        return {}
    if type(data) is not dict or data.get("version") != STAMPS_VERSION or type(data.get("dossiers")) is not dict:
        return {}
    stamps = data["dossiers"]
    for value in stamps.values():
        if type(value) is not list or len(value) != len(_WATCHED) or not all(type(v) is int for v in value):
            return {}
    return stamps


def recover(store: DraftStore) -> RecoveryReport:
    report = RecoveryReport()
    store._ready()
    if not store.root.is_dir():
        return report
    for folder in (store.root, store.demandes_dir, store.trash_dir, store.damaged_dir):
        _remove_temps(folder, report)
    _clean_staging(store, report)
    known = _read_stamps(store)
    stamps: dict[str, list[int]] = {}
    settled = time.time_ns() - int(SETTLED * 1e9)
    for parent, active in ((store.demandes_dir, True), (store.trash_dir, False)):
        if not parent.is_dir():
            continue
        with os.scandir(parent) as entries:  # names and types from one listing, sorted by name
            names = sorted(e.name for e in entries if not e.name.startswith(".") and e.is_dir())
        for name in names:
            key = f"{parent.name}/{name}"
            before = _mtimes(f"{parent}/{name}")
            if known.get(key) == before:
                stamps[key] = before  # nothing moved in it since it was found clean
                continue
            folder = parent / name
            if store._locks.get(str(folder)) or is_locked(folder):
                report.skipped.append(folder.name)
                continue
            done = report.resume
            try:
                _recover_folder(store, folder, active, report)
            except OSError as exc:
                report.errors.append(f"dossier {folder.name} non vérifié ({french_os_error(exc)})")
            if report.resume == done and max(before) < settled:
                stamps[key] = before
    if stamps != known:
        try:
            atomic_write(
                store.root / STAMPS_FILE,
                json.dumps({"version": STAMPS_VERSION, "dossiers": stamps}, separators=(",", ":")).encode(),
                durable=False,
            )
        except OSError:
            pass  # read-only: everything is checked again next time
    return report


def _clean_staging(store: DraftStore, report: RecoveryReport) -> None:
    if not store.staging_dir.is_dir():
        return
    for folder in store.staging_dir.iterdir():
        if folder.is_dir():
            if _builder_alive(folder.name):
                continue  # being filled by a live session (this one included)
            # Removed under its own lock: a session that has just made the folder and not yet
            # locked it then finds the lock taken (or the folder gone) and starts again.
            try:
                fd = try_flock(folder / SESSION_LOCK)
            except OSError:
                continue  # being filled by a live session (or already gone)
            try:
                report.temp_bytes += sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
                shutil.rmtree(folder, ignore_errors=True)
                report.staging += 1
            finally:
                unlock(fd)
        elif folder.is_file():
            _unlink(folder, report)


def _builder_alive(name: str) -> bool:
    """True when the process named in a staging folder's name ("<pid>-<random>") still runs."""
    pid, _, rest = name.partition("-")
    if not (pid.isdigit() and rest):
        return False  # an erased demande on its way out ("efface-…"), or an older naming
    return process_alive(int(pid))


def _recover_folder(store: DraftStore, folder: Path, active: bool, report: RecoveryReport) -> None:
    pieces, formulaires, outbox = folder / "pieces", folder / "formulaires", folder / "outbox"
    for sub in (folder, pieces, formulaires):
        _remove_temps(sub, report)
    for tmp in _messages(outbox, "tmp"):  # Maildir tmp/: a message cut while being written
        _unlink(tmp, report)
    path = folder / "demande.json"
    if not path.exists():
        _incomplete(store, folder, report)
        return
    try:
        data = store._read_json(path)
    except (OSError, ValueError):
        return  # the scan sets an unreadable demande aside with its reason
    if not isinstance(data, dict):
        return
    fichiers = ((data.get("pieces") or {}).get("fichiers") or []) if isinstance(data.get("pieces"), dict) else []
    used = {f.get("fichier") for f in fichiers if isinstance(f, dict)}
    if pieces.is_dir():
        for item in pieces.iterdir():
            if item.is_file() and not item.name.startswith(".") and item.name not in used:
                item.unlink()
                report.orphan_pieces += 1
    if not active:
        return
    numero = folder.name
    mark = folder / VALIDATION_MARK
    cut = mark.is_file()
    if data.get("etat") == "validee":
        missing = cut and not _messages(outbox, "new", "cur", ".sent/cur")
        if missing and not _queue_again(store, numero, report):
            return  # the mark stays: tried again at the next start
    else:
        stray = [p for p in formulaires.iterdir() if p.is_file()] if formulaires.is_dir() else []
        stray += _messages(outbox, "new", "cur")
        if stray:
            for p in stray:
                _unlink(p, report, count=False)
            report.rolled_back.append(numero)
    if cut:
        _unlink(mark, report, count=False)  # after what it stood for is finished or undone


def _incomplete(store: DraftStore, folder: Path, report: RecoveryReport) -> None:
    """A folder without demande.json: nothing but lock files is removed; anything else is kept aside."""
    content = [p for p in folder.rglob("*") if p.is_file() and p.name not in LOCK_FILES and p.name != VALIDATION_MARK]
    if not content:
        shutil.rmtree(folder, ignore_errors=True)
        fsync_dir(folder.parent)
        report.staging += 1
        return
    store.move_to_damaged(
        folder, folder.name, "dossier de demande sans son fichier demande.json (après un arrêt brutal)"
    )
    report.set_aside.append(folder.name)


def _queue_again(store: DraftStore, numero: str, report: RecoveryReport) -> bool:
    """A validée demande whose validation left its mark and no confirmation email; False if it could not be queued."""
    from permis_tui.mail.outbox import Outbox
    from permis_tui.validation import (
        CONFIRMATION_FILE,
        ConfirmationInfo,
        confirmation_message,
        fichiers_existants,
        prochaines_etapes,
    )

    try:
        demande = store.load(numero)
        when = demande.valide_le or demande.modifie_le
        etapes = prochaines_etapes(demande, when.date())
        queued = Outbox(store.outbox_dir(numero)).store(confirmation_message(demande, store, etapes, when))
    except Exception as exc:  # noqa: BLE001 - reported, the demande itself is untouched
        report.errors.append(f"courriel de la demande n° {numero} non préparé ({type(exc).__name__})")
        return False
    info = ConfirmationInfo(
        numero,
        [str(p) for p in fichiers_existants(store, numero)],
        False,
        f"Le courriel de confirmation attend dans la boîte d'envoi : {queued}",
        etapes,
    )
    try:
        atomic_write(
            store.formulaires_dir(numero) / CONFIRMATION_FILE,
            json.dumps(info.__dict__, ensure_ascii=False, indent=2).encode(),
        )
    except OSError:
        pass
    report.completed.append(numero)
    return True
