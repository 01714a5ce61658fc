"""The draft store: one folder per demande, private, written atomically.

Layout under the data folder (all folders 0700, files 0600), version LAYOUT_VERSION:
    layout-version                    the layout's version ("2")
    demandes/<numero>/demande.json    the demande (its `revision` counts the saves)
                     /pieces/<sha>.<ext>  copies of attached files
                     /formulaires/    PDFs written at validation, confirmation.json
                     /outbox/         the confirmation email (Maildir: tmp/ new/ cur/ .sent/)
                     /.validation-en-cours  only while a validation writes (see validation, recovery)
                     /.lock, /.ecriture.lock  OS locks (see demande_lock)
    corbeille/<numero>/               deleted demandes, whole folders, restorable (or erased for good:
                                      renamed into .staging/, then removed, see erase)
    damaged/                          what could not be read, set aside with a .raison.txt
    index.json                        the summary line of each demande, checked against its file (draft_index)
    recovery.json                     folders recovery found clean, by their mtimes (recovery)
    .staging/                         folders being built (create, duplicate, import)

Files are read with safe_files.read_regular (never a symlink, FIFO or device) and parsed
with strict_json.

Every change of a whole demande (delete, restore, duplicate, import of a new
numéro) is one rename of one folder, so a crash leaves it on one side or the other.
Data folders of the earlier layout (demandes/<numero>.json, pieces/<numero>/,
formulaires/<numero>/, corbeille/, outbox/) are converted on first use (store_migration).
"""

from __future__ import annotations

import builtins  # DraftStore.list shadows `list` in the class's annotations
import errno
import os
import re
import shutil
import stat
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from permis_tui.atomic import atomic_copy, atomic_write, ensure_private_dir, rename_dir
from permis_tui.demande_lock import (
    HOLD_GRACE,
    SESSION_LOCK,
    WRITE_LOCK,
    DemandeLock,
    LockBusy,
    flock_waiting,
    held_elsewhere,
    is_locked,
    try_flock,
    unlock,
)
from permis_tui.draft_index import DraftIndex, IndexEntry, stamp_of
from permis_tui.draft_summary import DraftSummary as DraftSummary  # also imported from here
from permis_tui.model.schema import NUMERO_PATTERN, DraftFormatError, FutureSchemaError, new_numero
from permis_tui.os_errors import cannot_write, french_os_error
from permis_tui.safe_files import TooLarge, read_regular

# The model (pydantic) is imported on first full read, not at startup: the home
# screen lists drafts from their JSON alone and validates them in the background.
if TYPE_CHECKING:
    from permis_tui.model.demande import Demande
    from permis_tui.recovery import RecoveryReport


_NUMERO_RE = re.compile(NUMERO_PATTERN)
MAX_DRAFT_BYTES = 5 * 1024 * 1024
_STAMP_RE = re.compile(r"^\d{8}-\d{6}(?:\.\d+)?-")  # prefix _set_aside gives to a damaged file


LAYOUT_VERSION = 2
LAYOUT_FILE = "layout-version"
DEMANDE_FILE = "demande.json"
PIECES = "pieces"
FORMULAIRES = "formulaires"
OUTBOX = "outbox"
# Present while a validation writes its PDFs, email and state (see validation): recovery
# finishes or undoes only a validation that left it behind.
VALIDATION_MARK = ".validation-en-cours"


class StoreError(Exception):
    """A store operation failed; the message is French and safe to show."""


class DemandeVerrouillee(StoreError):
    """The demande is open for changes in another session (its lock is held)."""

    def __init__(self, numero: str) -> None:
        self.numero = numero
        super().__init__(
            f"Cette demande est ouverte dans une autre session (n° {numero}) : elle ne peut pas être "
            "modifiée ici tant que l'autre session ne l'a pas fermée ; elle s'ouvre en lecture seule."
        )


class RevisionConflict(StoreError):
    """The demande changed on disk since it was loaded: saving would overwrite someone else's changes."""

    def __init__(self, numero: str, disk_revision: int | None) -> None:
        self.numero = numero
        self.disk_revision = disk_revision  # None: the demande is no longer there (deleted, moved)
        if disk_revision is None:
            text = (
                f"La demande n° {numero} a été supprimée ou déplacée dans une autre session depuis son "
                "ouverture : vos modifications n'ont pas été enregistrées."
            )
        else:
            text = (
                f"La demande n° {numero} a été modifiée dans une autre session depuis son ouverture : "
                "vos modifications n'ont pas été enregistrées, pour ne pas effacer les siennes."
            )
        super().__init__(text)


# Named tuples and a plain class rather than dataclasses: this module is on the way to the
# first screen, and a dataclass takes ~0.4 ms to build at import (generated methods).
class DraftProblem(NamedTuple):
    fichier: str  # file name as it was found
    raison: str  # French
    deplace_vers: Path | None  # where it was set aside, None if left in place


class PurgeCandidate(NamedTuple):
    numero: str
    summary: DraftSummary | None  # None: its demande.json cannot be read
    in_trash: bool


class PurgeReport:
    def __init__(self) -> None:
        self.erased: list[str] = []  # numéros gone from disk
        self.busy: list[str] = []  # open in another session: kept
        self.errors: list[str] = []  # French


class ScanResult(NamedTuple):
    demandes: list  # list[Demande] from scan(), list[DraftSummary] from summaries()
    problems: list[DraftProblem]
    # summaries(): the numéros the model has not read at their current state (see verify)
    unverified: frozenset[str] = frozenset()


def _aware(moment: datetime) -> datetime:
    """A naive time (an old file, a date typed on the command line) read as local time."""
    return moment if moment.tzinfo else moment.astimezone()


def _reason(exc: Exception) -> str:
    if isinstance(exc, FutureSchemaError):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "fichier illisible : ce n'est pas du texte UTF-8"
    if type(exc).__name__ == "ValidationError" and hasattr(exc, "error_count"):
        first = exc.errors()[0]  # type: ignore[attr-defined]  # a pydantic ValidationError, not imported here
        where = ".".join(str(p) for p in first["loc"]) or "document"
        return f"contenu non conforme ({exc.error_count()} erreur(s), d'abord « {where} »)"
    if isinstance(exc, DraftFormatError):
        return str(exc)
    if isinstance(exc, (KeyError, TypeError, ValueError)):
        # Python's own messages are English and may quote the file: say it plainly instead.
        return "contenu non conforme (champ manquant ou mal formé)"
    return f"fichier illisible ({type(exc).__name__})"


class DraftStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.demandes_dir = self.root / "demandes"
        self.trash_dir = self.root / "corbeille"
        self.damaged_dir = self.root / "damaged"
        self.staging_dir = self.root / ".staging"
        self._locks: dict[str, DemandeLock] = {}  # session locks this store holds, by folder
        self._index = DraftIndex(self.root)  # kept: it remembers what it last wrote
        self._layout_ready = False

    # -- folders ---------------------------------------------------------
    def ensure(self) -> None:
        try:
            ensure_private_dir(self.root)
            self._ready()  # first: a newer layout is refused before anything is written
            ensure_private_dir(self.demandes_dir)
        except OSError as exc:
            raise StoreError(cannot_write(exc, self.root)) from None

    def _ready(self) -> None:
        """Bring an existing data folder to this layout once per store (before any read or write)."""
        if self._layout_ready:
            return
        version_file = self.root / LAYOUT_FILE
        try:
            text = read_regular(version_file, 64).decode("ascii").strip()
        except FileNotFoundError:
            text = None
        except (OSError, ValueError):  # not a regular file, too big, not ASCII
            text = ""
        if text is not None:
            if not text.isdigit() or int(text) > LAYOUT_VERSION:
                raise StoreError(
                    f"Le dossier de données {self.root} a été créé par une version plus récente de "
                    "permis-tui (ou son fichier layout-version est illisible) : mettez permis-tui à jour."
                )
            self._layout_ready = True
            return
        if not self.root.is_dir():
            return  # nothing yet: created, with its version, by the first write
        from permis_tui.store_migration import migrate_layout

        try:
            migrate_layout(self)
        except OSError as exc:
            raise StoreError(cannot_write(exc, self.root)) from None
        self._layout_ready = True

    def _write_layout_version(self) -> None:
        atomic_write(self.root / LAYOUT_FILE, f"{LAYOUT_VERSION}\n".encode("ascii"))

    @staticmethod
    def check_numero(numero: str) -> str:
        if not isinstance(numero, str) or not _NUMERO_RE.fullmatch(numero):
            raise StoreError(f"Numéro de demande invalide : {str(numero)[:30]}")
        return numero

    def folder_of(self, numero: str) -> Path:
        return self.demandes_dir / self.check_numero(numero)

    def path_of(self, numero: str) -> Path:
        return self.folder_of(numero) / DEMANDE_FILE

    def pieces_dir(self, numero: str) -> Path:
        return self.folder_of(numero) / PIECES

    def formulaires_dir(self, numero: str) -> Path:
        return self.folder_of(numero) / FORMULAIRES

    def outbox_dir(self, numero: str) -> Path:
        return self.folder_of(numero) / OUTBOX

    # -- locks -----------------------------------------------------------
    def lock(self, numero: str) -> DemandeLock:
        """Hold the demande for changes until `release()`; DemandeVerrouillee if another session has it."""
        self._ready()
        return self._lock_folder(numero, self.folder_of(numero))

    def _lock_folder(self, numero: str, folder: Path) -> DemandeLock:
        key = str(folder)
        held = self._locks.get(key)
        if held is not None and held.held:
            return held._nest()
        if not os.path.lexists(folder / DEMANDE_FILE):  # a FIFO there can still be locked (and erased)
            raise StoreError(f"Aucune demande n° {numero}.")
        try:
            fd = flock_waiting(folder / SESSION_LOCK, timeout=HOLD_GRACE)
        except LockBusy:
            raise DemandeVerrouillee(numero) from None
        except FileNotFoundError:
            raise StoreError(f"Aucune demande n° {numero}.") from None
        except OSError as exc:
            raise StoreError(cannot_write(exc, folder)) from None
        lock = DemandeLock(numero, folder / SESSION_LOCK, fd, lambda lk: self._locks.pop(key, None))
        self._locks[key] = lock
        return lock

    def holds_lock(self, numero: str) -> bool:
        held = self._locks.get(str(self.folder_of(numero)))
        return held is not None and held.held

    def locked_elsewhere(self, numero: str) -> bool:
        """True when another session holds the demande (this store's own lock does not count)."""
        folder = self.folder_of(numero)
        if self.holds_lock(numero) or not (folder / SESSION_LOCK).exists():
            return False
        try:
            return held_elsewhere(folder / SESSION_LOCK)
        except OSError:
            return False

    # -- reading ---------------------------------------------------------
    @staticmethod
    def _read_json(path: Path) -> Any:
        """The JSON of a regular file (never a FIFO, device or symlink), strictly parsed."""
        from permis_tui import strict_json

        try:
            raw = read_regular(path, MAX_DRAFT_BYTES)
        except TooLarge:
            raise DraftFormatError("fichier trop volumineux pour une demande") from None
        return strict_json.loads(raw)

    def _read(self, path: Path) -> Demande:
        from permis_tui.model.demande import load_demande

        return load_demande(self._read_json(path))

    def summaries(self, *, verify: bool = False) -> ScanResult:
        """The home screen's and `list`'s listing, newest first, from the index (draft_index).

        Each indexed entry is checked against its demande.json's stat; a file changed since,
        or not indexed, is read from its JSON (no model), and the index is rewritten. A file
        that is not even JSON is set aside at once. `unverified` names the demandes the model
        has not read at their current state; with `verify` the model reads those (a damaged
        one is set aside, as `scan()` would) and the index remembers them as valid: the same
        demandes and problems as `scan()`, without reading the others again.
        """
        try:
            self._ready()
        except StoreError as exc:  # a layout from a newer version: reported, never touched
            return ScanResult([], [DraftProblem(LAYOUT_FILE, str(exc), None)])
        index = self._index
        known = index.read()
        entries: dict[str, IndexEntry] = {}
        problems: list[DraftProblem] = []
        read_again = False  # an entry was made anew (rather than comparing 1,000 entries at the end)
        get = known.get
        # Each demande.json is stat'ed relative to the folder (plain strings: a Path per demande
        # costs more than its stat): the kernel resolves two names, not the whole path (~20 %).
        try:
            folder_fd: int | None = os.open(self.demandes_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            folder_fd = None
        try:
            for name in self._folder_names(folder_fd):
                try:
                    st = os.stat(f"{name}/{DEMANDE_FILE}", dir_fd=folder_fd, follow_symlinks=False)
                except FileNotFoundError:
                    continue  # a folder without its demande.json: recovery's business
                except OSError as exc:
                    problems.append(
                        DraftProblem(f"{name}/{DEMANDE_FILE}", f"lecture impossible ({french_os_error(exc)})", None)
                    )
                    continue
                entry = get(name)
                if (
                    entry is None
                    or entry.stamp != (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)  # stamp_of, inlined
                    or not stat.S_ISREG(st.st_mode)
                    or (verify and not entry.valide)
                ):
                    shown = f"{name}/{DEMANDE_FILE}"
                    folder = self.demandes_dir / name
                    path = folder / DEMANDE_FILE
                    try:
                        entry = self._entry(path, st, name, full=verify)
                    except FutureSchemaError as exc:
                        problems.append(DraftProblem(shown, str(exc), None))
                        continue
                    except OSError as exc:
                        problems.append(DraftProblem(shown, f"lecture impossible ({french_os_error(exc)})", None))
                        continue
                    except Exception as exc:  # noqa: BLE001 - any parse failure sets the folder aside
                        problems.append(self._set_aside(folder, _reason(exc)))
                        continue
                    read_again = True
                entries[name] = entry
        finally:
            if folder_fd is not None:
                os.close(folder_fd)
        if read_again or entries.keys() != known.keys():
            index.replace(entries)
        found = sorted([e.summary for e in entries.values()], key=attrgetter("modifie_le"), reverse=True)
        unverified = frozenset(name for name, e in entries.items() if not e.valide)
        return ScanResult(
            found, problems + self.damaged_reports(exclude={p.deplace_vers for p in problems}), unverified
        )

    def _entry(self, path: Path, st: os.stat_result, name: str, *, full: bool) -> IndexEntry:
        """The index entry of one demande.json, read now: its JSON only, or (`full`) the model.

        `st` is the stat taken before reading: if the file changes in between, the entry
        recorded is stale at the next listing, never taken for the newer file."""
        summary = DraftSummary.of(self._read(path)) if full else DraftSummary.from_json(self._read_json(path))
        if summary.numero != name:
            raise DraftFormatError("le numéro ne correspond pas au nom du dossier")
        return IndexEntry(summary, stamp_of(st), full)

    def _folder_names(self, folder_fd: int | None) -> list[str]:
        """demande_folders() by name, from one scandir (no stat per folder: the listing stats
        demande.json) of demandes/, open as `folder_fd` (None: there is no such folder)."""
        if folder_fd is None:
            return []
        with os.scandir(folder_fd) as it:
            return sorted(e.name for e in it if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))

    def _indexed(self, demande: Demande) -> None:
        """Record in the index what was just written (called under the folder's write lock)."""
        try:
            st = os.lstat(self.path_of(demande.numero))
        except OSError:
            return
        self._index.update({demande.numero: IndexEntry(DraftSummary.of(demande), stamp_of(st), True)})

    def scan(self) -> ScanResult:
        """Every readable demande, newest first; unreadable files are set aside and reported."""
        return self._walk(self._read)

    def demande_folders(self, parent: Path | None = None) -> list[Path]:
        """The folders of `parent` (demandes/ by default) that hold a demande.json."""
        parent = self.demandes_dir if parent is None else parent
        try:
            entries = sorted(parent.iterdir())
        except FileNotFoundError:
            return []
        # lexists: a demande.json that is a FIFO, a symlink or a folder is listed, then
        # reported by the reading (never opened blindly, never skipped silently).
        return [
            e
            for e in entries
            if not e.name.startswith(".") and e.is_dir() and not e.is_symlink() and os.path.lexists(e / DEMANDE_FILE)
        ]

    def _walk(self, read: Callable[[Path], Any]) -> ScanResult:
        """Read every draft with `read`; a folder whose file fails is set aside (or left, if newer) and reported."""
        try:
            self._ready()
        except StoreError as exc:  # a layout from a newer version: reported, never touched
            return ScanResult([], [DraftProblem(LAYOUT_FILE, str(exc), None)])
        found: list[Any] = []
        problems: list[DraftProblem] = []
        for folder in self.demande_folders():
            path = folder / DEMANDE_FILE
            shown = f"{folder.name}/{DEMANDE_FILE}"
            try:
                item = read(path)
                if item.numero != folder.name:
                    raise DraftFormatError("le numéro ne correspond pas au nom du dossier")
                found.append(item)
            except FutureSchemaError as exc:
                problems.append(DraftProblem(shown, str(exc), None))
            except OSError as exc:
                problems.append(DraftProblem(shown, f"lecture impossible ({french_os_error(exc)})", None))
            except Exception as exc:  # noqa: BLE001 - any parse failure sets the folder aside
                problems.append(self._set_aside(folder, _reason(exc)))
        found.sort(key=lambda d: d.modifie_le, reverse=True)
        return ScanResult(found, problems + self.damaged_reports(exclude={p.deplace_vers for p in problems}))

    def _set_aside(self, folder: Path, reason: str) -> DraftProblem:
        """Move a damaged demande's whole folder (pieces included) into damaged/ with its reason; never delete it.

        A folder another session holds is only reported: moving it would pull it from under that session.
        """
        shown = f"{folder.name}/{DEMANDE_FILE}"
        if is_locked(folder):
            return DraftProblem(shown, reason, None)
        try:
            dest = self.move_to_damaged(folder, folder.name, reason)
        except OSError:
            return DraftProblem(shown, reason, None)
        return DraftProblem(shown, reason, dest)

    def move_to_damaged(self, src: Path, name: str, reason: str) -> Path:
        """Move a file or folder into damaged/ beside its reason; never deleted.

        The reason is written first: a crash in between leaves a note without its file
        (harmless), never a file without its reason.
        """
        dest = self.set_aside_path(name)
        atomic_write(dest.with_name(dest.name + ".raison.txt"), (reason + "\n").encode())
        rename_dir(src, dest)
        return dest

    def set_aside_path(self, name: str) -> Path:
        """A free name in damaged/ for `name`, stamped with the time it was set aside."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        ensure_private_dir(self.damaged_dir)
        dest = self.damaged_dir / f"{stamp}-{name}"
        n = 1
        while dest.exists():
            dest = self.damaged_dir / f"{stamp}.{n}-{name}"
            n += 1
        return dest

    def damaged_reports(self, exclude: AbstractSet[Path | None] = frozenset()) -> list[DraftProblem]:
        """Files set aside earlier, still waiting in damaged/."""
        if not self.damaged_dir.is_dir():
            return []
        reports = []
        for path in sorted(self.damaged_dir.iterdir()):
            if path.name.endswith(".raison.txt") or path in exclude or path.name.startswith("."):
                continue
            note = path.with_name(path.name + ".raison.txt")
            try:
                reason = read_regular(note, 64 * 1024).decode("utf-8", "replace").strip()
            except (OSError, ValueError):
                reason = "raison inconnue"
            # Report the name it had, without the stamp set_aside_path added.
            original = _STAMP_RE.sub("", path.name, count=1) or path.name
            if (path / DEMANDE_FILE).is_file():
                original = f"{original}/{DEMANDE_FILE}"
            reports.append(DraftProblem(original, reason, path))
        return reports

    def load(self, numero: str) -> Demande:
        path = self.path_of(numero)
        self._ready()
        try:
            return self._read(path)
        except FileNotFoundError:
            raise StoreError(f"Aucune demande n° {numero}.") from None
        except FutureSchemaError as exc:
            raise StoreError(str(exc)) from None
        except OSError as exc:
            raise StoreError(f"Lecture impossible de la demande n° {numero} ({french_os_error(exc)}).") from None
        except Exception as exc:  # noqa: BLE001
            problem = self._set_aside(path.parent, _reason(exc))
            where = "elle a été mise de côté" if problem.deplace_vers else "elle est laissée en place"
            raise StoreError(f"La demande n° {numero} est endommagée ({problem.raison}) ; {where}.") from None

    def list(self) -> list[Demande]:
        return self.scan().demandes

    def exists(self, numero: str) -> bool:
        self._ready()
        return self.path_of(numero).is_file()

    # -- writing ---------------------------------------------------------
    def _disk_revision(self, path: Path) -> tuple[int | None, bool]:
        """(revision on disk or None if absent, validée on disk). An unreadable file counts as revision 0."""
        try:
            data = self._read_json(path)
        except FileNotFoundError:
            return None, False
        except (OSError, ValueError):
            return 0, False
        if not isinstance(data, dict):
            return 0, False
        revision = data.get("revision", 0)
        return (revision if isinstance(revision, int) else 0), data.get("etat") == "validee"

    def save(self, demande: Demande, *, touch: bool = True) -> None:
        """Write `demande` as revision + 1, if the disk still holds the revision it was loaded at.

        RevisionConflict otherwise (another session saved, validated or deleted it meanwhile:
        a validée is never turned back into a brouillon), DemandeVerrouillee if another
        session holds it open. The check and the write happen under the folder's write
        lock, so two savers cannot both pass the check.
        """
        self._ready()
        folder = self.folder_of(demande.numero)
        path = folder / DEMANDE_FILE
        demande.bound_saisies()
        if not path.exists():
            if demande.revision:
                raise RevisionConflict(demande.numero, None)
            self._save_new(demande, touch=touch)
            return
        if self.locked_elsewhere(demande.numero):
            raise DemandeVerrouillee(demande.numero)
        try:
            fd = flock_waiting(folder / WRITE_LOCK)
        except LockBusy:
            raise DemandeVerrouillee(demande.numero) from None
        except FileNotFoundError:
            raise RevisionConflict(demande.numero, None) from None
        except OSError as exc:
            raise StoreError(cannot_write(exc, folder)) from None
        try:
            on_disk, validated = self._disk_revision(path)
            if on_disk is None:
                raise RevisionConflict(demande.numero, None)
            if on_disk != demande.revision or (validated and not demande.est_validee):
                raise RevisionConflict(demande.numero, on_disk)
            self._write(demande, path, on_disk + 1, touch=touch)
            self._indexed(demande)
        finally:
            unlock(fd)

    def _write(self, demande: Demande, path: Path, revision: int, *, touch: bool) -> None:
        """Write `demande` with `revision`; the in-memory copy changes only once it is on disk."""
        previous = demande.modifie_le
        if touch:
            demande.touch()
        data = demande.model_copy(update={"revision": revision}).model_dump_json(indent=2).encode("utf-8")
        if len(data) > MAX_DRAFT_BYTES:  # as written (indented), never set aside as too big when read back
            raise StoreError(
                f"La demande n° {demande.numero} dépasse {MAX_DRAFT_BYTES // (1024 * 1024)} Mo une fois "
                "enregistrée : elle n'est pas enregistrée."
            )
        try:
            atomic_write(path, data)
        except OSError as exc:
            demande.modifie_le = previous
            raise StoreError(cannot_write(exc, path.parent)) from None
        demande.revision = revision

    def _staging(self) -> tuple[Path, int]:
        """A new private folder in .staging/, locked (so recovery leaves it alone while it is filled)."""
        import secrets

        ensure_private_dir(self.root)
        self._write_layout_version_once()
        ensure_private_dir(self.staging_dir)
        # Named after this process: recovery leaves alone the folders of live processes, so a
        # folder is never removed between its mkdir and its lock. Should another session's
        # recovery still take it (a pid reused), the lock is found taken or the folder gone:
        # start again under a new name.
        for attempt in range(5):
            folder = self.staging_dir / f"{os.getpid()}-{secrets.token_hex(8)}"
            folder.mkdir(mode=0o700)
            try:
                return folder, try_flock(folder / SESSION_LOCK)
            except (LockBusy, FileNotFoundError):
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    def _write_layout_version_once(self) -> None:
        if not (self.root / LAYOUT_FILE).exists():
            self._write_layout_version()
        self._layout_ready = True

    def _publish(self, staging: Path, numero: str) -> bool:
        """Rename a filled staging folder to demandes/<numero>; False if that numéro is taken."""
        ensure_private_dir(self.demandes_dir)
        try:
            rename_dir(staging, self.folder_of(numero))
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                return False
            raise
        return True

    def _build(
        self,
        demande: Demande,
        fill: Callable[[Path], None] | None = None,
        *,
        touch: bool = True,
        new_numero_if_taken: bool = True,
    ) -> None:
        """Create demandes/<numero> in one rename: demande.json (revision 1) and what `fill` adds."""
        try:
            staging, fd = self._staging()
        except OSError as exc:
            raise StoreError(cannot_write(exc, self.root)) from None
        try:
            if fill is not None:
                fill(staging)
            while True:
                self._write(demande, staging / DEMANDE_FILE, 1, touch=touch)
                if self._publish(staging, demande.numero):
                    self._indexed(demande)
                    break
                if not new_numero_if_taken:
                    raise StoreError(f"La demande n° {demande.numero} existe déjà.")
                demande.numero = new_numero()
        except BaseException as exc:
            demande.revision = 0  # not on disk: its first save creates it
            if isinstance(exc, OSError):
                raise StoreError(cannot_write(exc, self.root)) from None
            raise
        finally:
            unlock(fd)
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    def _save_new(self, demande: Demande, *, touch: bool) -> None:
        """First write of a demande: a new folder in one rename, or demande.json into the
        folder its first attachments created (attached before the first save)."""
        folder = self.folder_of(demande.numero)
        if not folder.is_dir():
            self._build(demande, touch=touch, new_numero_if_taken=False)
            return
        try:
            fd = flock_waiting(folder / WRITE_LOCK)
        except OSError as exc:
            raise StoreError(cannot_write(exc, folder)) from None
        try:
            if (folder / DEMANDE_FILE).exists():
                raise StoreError(f"La demande n° {demande.numero} existe déjà.")
            self._write(demande, folder / DEMANDE_FILE, 1, touch=touch)
            self._indexed(demande)
        finally:
            unlock(fd)

    def new(self) -> Demande:
        """A new demande with a numéro no file uses, not written yet: the app saves it on
        its first answer, so looking and leaving leaves no empty draft behind.

        Raises StoreError if the folder cannot take it: better said now than at the first answer.
        """
        from permis_tui.model.demande import Demande

        self.ensure()
        if not os.access(self.demandes_dir, os.W_OK | os.X_OK):
            raise StoreError(cannot_write(PermissionError(13, "lecture seule"), self.demandes_dir))
        demande = Demande()
        while self.path_of(demande.numero).exists():
            demande.numero = new_numero()
        return demande

    def create(self) -> Demande:
        """A new demande, written at once (the example of the demo, imports, tests): one rename."""
        demande = self.new()
        self._build(demande)
        return demande

    @contextmanager
    def _session(self, numero: str, folder: Path | None = None):
        """This store's lock on a demande for one operation (nested if already held)."""
        lock = self._lock_folder(numero, folder or self.folder_of(numero))
        try:
            yield lock
        finally:
            lock.release()

    def delete(self, numero: str) -> None:
        """Move the demande's folder into the corbeille (restorable): one rename.

        Refused (DemandeVerrouillee) while another session has it open.
        """
        self._ready()
        folder = self.folder_of(numero)
        if not (folder / DEMANDE_FILE).is_file():
            raise StoreError(f"Aucune demande n° {numero}.")
        with self._session(numero):
            try:
                ensure_private_dir(self.trash_dir)
                dest = self.trash_dir / numero
                if dest.exists():
                    # An older deleted copy with the same numéro (re-imported since): kept, never destroyed.
                    self.move_to_damaged(
                        dest,
                        f"corbeille-{numero}",
                        "ancienne copie de la corbeille, remplacée par une suppression plus récente",
                    )
                rename_dir(folder, dest)
            except FileNotFoundError:
                raise StoreError(f"Aucune demande n° {numero}.") from None
            except OSError as exc:
                raise StoreError(cannot_write(exc, self.root)) from None
            self._index.update({numero: None})

    def trash(self) -> builtins.list[Demande]:
        self._ready()
        found = []
        for folder in self.demande_folders(self.trash_dir):
            try:
                found.append(self._read(folder / DEMANDE_FILE))
            except Exception:  # noqa: BLE001 - a damaged trashed file just stays there
                continue
        return found

    def restore(self, numero: str) -> None:
        self._ready()
        self.check_numero(numero)
        src = self.trash_dir / numero
        if self.exists(numero):
            raise StoreError(f"Une demande n° {numero} existe déjà.")
        if not (src / DEMANDE_FILE).is_file():
            raise StoreError(f"La demande n° {numero} n'est pas dans la corbeille.")
        with self._session(numero, src):
            try:
                ensure_private_dir(self.demandes_dir)
                rename_dir(src, self.folder_of(numero))
            except FileNotFoundError:
                raise StoreError(f"La demande n° {numero} n'est pas dans la corbeille.") from None
            except OSError as exc:
                if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                    raise StoreError(f"Une demande n° {numero} existe déjà.") from None
                raise StoreError(cannot_write(exc, self.root)) from None

    def duplicate(self, numero: str) -> Demande:
        """A new brouillon with the same answers and copies of the attached files: one rename."""
        source = self.load(numero)
        copy = source.model_copy(deep=True)
        copy.numero = new_numero()
        from permis_tui.model.demande import Etat

        copy.etat = Etat.BROUILLON
        copy.valide_le = None
        # The copy of a validée resumes at the récapitulatif, where a brouillon is validated,
        # not at the confirmation of a validation it never had.
        copy.etape = min(copy.etape, 6)
        copy.revision = 0
        copy.cree_le = copy.modifie_le = datetime.now().astimezone().replace(microsecond=0)
        src_dir = self.pieces_dir(numero)

        def fill(staging: Path) -> None:
            if not src_dir.is_dir():
                return
            for item in sorted(src_dir.iterdir()):
                if item.is_file() and not item.name.startswith("."):
                    atomic_copy(item, staging / PIECES / item.name)

        self._build(copy, fill, touch=False)
        return copy

    def import_demande(self, demande: Demande, *, replace: bool = False, files: dict[str, bytes] | None = None) -> None:
        """Add `demande` with `files` ({"pieces/<name>": bytes, "formulaires/<name>": bytes}) in one
        rename of a new folder, or with `replace` rewrite an existing one under its lock
        (DemandeVerrouillee while another session has it open). A validée is never replaced:
        it is the record of what was sent."""
        self._ready()
        files = files or {}

        def fill(folder: Path) -> None:
            for relative, data in files.items():
                sub, _, name = relative.partition("/")
                if sub not in (PIECES, FORMULAIRES) or not name or "/" in name or name.startswith("."):
                    raise StoreError(f"Nom de fichier refusé : {relative[:80]}")
                atomic_write(folder / sub / name, data)

        if not self.exists(demande.numero):
            demande.revision = 0
            if not self.folder_of(demande.numero).is_dir():
                self._build(demande, fill, touch=False, new_numero_if_taken=False)
                return
            try:
                fill(self.folder_of(demande.numero))
            except OSError as exc:
                raise StoreError(cannot_write(exc, self.folder_of(demande.numero))) from None
            self._save_new(demande, touch=False)
            return
        if not replace:
            raise StoreError(f"La demande n° {demande.numero} existe déjà (utilisez --replace pour la remplacer).")
        folder = self.folder_of(demande.numero)
        with self._session(demande.numero):
            try:
                fd = flock_waiting(folder / WRITE_LOCK)
            except LockBusy:
                raise DemandeVerrouillee(demande.numero) from None
            try:
                on_disk, validated = self._disk_revision(folder / DEMANDE_FILE)
                if validated:
                    raise StoreError(
                        f"La demande n° {demande.numero} est validée : elle ne peut pas être "
                        "remplacée par un import (c'est la trace de ce qui a été envoyé)."
                    )
                fill(folder)
                self._write(demande, folder / DEMANDE_FILE, (on_disk or 0) + 1, touch=False)
                self._indexed(demande)
            except OSError as exc:
                raise StoreError(cannot_write(exc, folder)) from None
            finally:
                unlock(fd)

    # -- attachments -----------------------------------------------------
    def store_attachment(self, numero: str, src: Path, stored_name: str) -> Path:
        dest = self.pieces_dir(numero) / stored_name
        if not dest.exists():
            try:
                atomic_copy(src, dest)
            except OSError as exc:
                raise StoreError(cannot_write(exc, dest.parent)) from None
        return dest

    def remove_attachment(self, numero: str, stored_name: str, still_used: bool = False) -> None:
        if still_used:
            return
        try:
            (self.pieces_dir(numero) / stored_name).unlink()
        except FileNotFoundError:
            pass

    def attachment_path(self, numero: str, stored_name: str) -> Path:
        return self.pieces_dir(numero) / stored_name

    # -- erasure -------------------------------------------------------
    def erase(self, numero: str, *, in_trash: bool = True) -> None:
        """Delete a demande for good: its folder (demande, pieces, PDFs, outbox) leaves the disk,
        and so do the copies of it set aside in damaged/ (they hold the same personal data).

        The folder is first renamed into .staging/ (one rename: it is gone from the lists at
        once, and a crash during the removal leaves only a staging folder, which recovery
        removes), then removed. Refused (DemandeVerrouillee) while another session has it open.
        """
        import secrets

        self._ready()
        self.check_numero(numero)
        folder = (self.trash_dir if in_trash else self.demandes_dir) / numero
        if not os.path.lexists(folder / DEMANDE_FILE):
            where = "dans la corbeille" if in_trash else "parmi les demandes"
            raise StoreError(f"Aucune demande n° {numero} {where}.")
        with self._session(numero, folder):
            try:
                ensure_private_dir(self.staging_dir)
                doomed = self.staging_dir / f"efface-{secrets.token_hex(8)}"
                rename_dir(folder, doomed)
            except FileNotFoundError:
                raise StoreError(f"Aucune demande n° {numero}.") from None
            except OSError as exc:
                raise StoreError(cannot_write(exc, folder)) from None
            if not in_trash:
                self._index.update({numero: None})
            self._remove_tree(doomed)
            for copy in self.damaged_copies(numero):
                self._erase_damaged(copy)

    def damaged_copies(self, numero: str) -> builtins.list[Path]:
        """The folders of this demande set aside in damaged/ when they could not be read."""
        if not self.damaged_dir.is_dir():
            return []
        return sorted(
            path
            for path in self.damaged_dir.iterdir()
            if _STAMP_RE.match(path.name) and _STAMP_RE.sub("", path.name, count=1) == numero
        )

    def _erase_damaged(self, copy: Path) -> None:
        """Like erase: out of damaged/ in one rename, then removed; its note goes last."""
        import secrets

        doomed = self.staging_dir / f"efface-{secrets.token_hex(8)}"
        try:
            rename_dir(copy, doomed)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError(cannot_write(exc, copy)) from None
        if doomed.is_dir() and not doomed.is_symlink():
            self._remove_tree(doomed)
        else:
            doomed.unlink()
        copy.with_name(copy.name + ".raison.txt").unlink(missing_ok=True)

    def _remove_tree(self, folder: Path) -> None:
        """Remove a folder taken out of the lists; a failure is said (the files are still there)."""
        failures: builtins.list[OSError] = []
        shutil.rmtree(
            folder, onerror=lambda _f, _p, info: failures.append(cast(OSError, info[1]))
        )  # rmtree's are OSErrors
        if failures:
            raise StoreError(
                f"Effacement incomplet de {folder} ({french_os_error(failures[0])}) : "
                "il sera retenté au prochain démarrage."
            )

    def empty_trash(self) -> PurgeReport:
        """Erase everything in the corbeille, except demandes another session has open."""
        return self.purge(in_demandes=False, in_trash=True)

    def purge(
        self, *, in_demandes: bool, in_trash: bool, before: datetime | None = None, only: set[str] | None = None
    ) -> PurgeReport:
        """Erase the demandes of demandes/ and/or corbeille/ last changed before `before` (all if None;
        only the numéros of `only` when given). One that cannot be dated (unreadable) is kept
        when `before` is given; an open one is kept and named."""
        report = PurgeReport()
        for in_trash_side, wanted in ((False, in_demandes), (True, in_trash)):
            if not wanted:
                continue
            for item in self.purge_candidates(in_trash_side, before):
                if only is not None and item.numero not in only:
                    continue
                try:
                    self.erase(item.numero, in_trash=in_trash_side)
                    report.erased.append(item.numero)
                except DemandeVerrouillee:
                    report.busy.append(item.numero)
                except StoreError as exc:
                    report.errors.append(str(exc))
        return report

    def purge_candidates(self, in_trash: bool, before: datetime | None = None) -> builtins.list[PurgeCandidate]:
        """What `purge` would erase on one side: (numéro, summary or None if unreadable)."""
        self._ready()
        parent = self.trash_dir if in_trash else self.demandes_dir
        found = []
        for folder in self.demande_folders(parent):
            if not _NUMERO_RE.fullmatch(folder.name):
                continue
            try:
                summary = DraftSummary.from_json(self._read_json(folder / DEMANDE_FILE))
            except Exception:  # noqa: BLE001 - unreadable: erasable from the corbeille, never by date
                summary = None
            if before is not None and (summary is None or _aware(summary.modifie_le) >= _aware(before)):
                continue
            found.append(PurgeCandidate(folder.name, summary, in_trash))
        return found

    # -- after a crash ---------------------------------------------------
    def recover(self) -> RecoveryReport:
        """Clean what a crash left and finish or undo interrupted validations (see recovery)."""
        from permis_tui.recovery import recover

        return recover(self)
