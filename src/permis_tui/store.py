"""The draft store: one JSON file per demande, private and written atomically.

Layout under the data folder (all folders 0700, files 0600):
    demandes/<numero>.json      the demandes
    pieces/<numero>/<sha>.<ext>  copies of attached files
    corbeille/                   deleted demandes (and their pieces), restorable
    damaged/                     files that could not be read, set aside with a .raison.txt
"""

from __future__ import annotations

import json
import re
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING, Any, Callable

from permis_tui.atomic import atomic_copy, atomic_write, ensure_private_dir, fsync_dir
from permis_tui.model.schema import (NUMERO_PATTERN, SCHEMA_VERSION, DraftFormatError, FutureSchemaError,
                                     future_schema_message, new_numero)

# The model (pydantic) is imported on first full read, not at startup: the home
# screen lists drafts from their JSON alone and validates them in the background.
if TYPE_CHECKING:
    from permis_tui.model.demande import Demande



_NUMERO_RE = re.compile(NUMERO_PATTERN)
MAX_DRAFT_BYTES = 5 * 1024 * 1024
_STAMP_RE = re.compile(r"^\d{8}-\d{6}(?:\.\d+)?-")  # prefix _set_aside gives to a damaged file


class StoreError(Exception):
    """A store operation failed; the message is French and safe to show."""


@dataclass(frozen=True)
class DraftProblem:
    fichier: str              # file name as it was found
    raison: str               # French
    deplace_vers: Path | None  # where it was set aside, None if left in place


@dataclass(frozen=True)
class DraftSummary:
    """What the home screen shows of a draft, read from its JSON without the model."""

    numero: str
    prenoms: tuple[str, ...]
    nom: str
    nom_usage: str
    cree_le: datetime
    modifie_le: datetime
    etat: str   # "brouillon" | "validee"
    etape: int

    @property
    def prenom(self) -> str:
        return self.prenoms[0] if self.prenoms else ""

    @property
    def etat_label(self) -> str:
        return "Validée" if self.etat == "validee" else "Brouillon"

    @classmethod
    def from_json(cls, data: Any) -> "DraftSummary":
        if not isinstance(data, dict):
            raise DraftFormatError("le fichier ne contient pas un objet JSON")
        version = data.get("schema_version", 1)
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise FutureSchemaError(future_schema_message(version))
        ec = data.get("etat_civil") or {}
        prenoms = ec.get("prenoms") or []
        if not isinstance(ec, dict) or not isinstance(prenoms, list):
            raise DraftFormatError("état civil mal formé")
        return cls(
            numero=str(data["numero"]),
            prenoms=tuple(str(p) for p in prenoms),
            nom=str(ec.get("nom_naissance") or ""),
            nom_usage=str(ec.get("nom_usage") or ""),
            cree_le=datetime.fromisoformat(data["cree_le"]),
            modifie_le=datetime.fromisoformat(data["modifie_le"]),
            etat=str(data.get("etat", "brouillon")),
            etape=int(data.get("etape", 1)),
        )

    @classmethod
    def of(cls, demande: "Demande") -> "DraftSummary":
        e = demande.etat_civil
        return cls(demande.numero, tuple(e.prenoms), e.nom_naissance or "", e.nom_usage or "",
                   demande.cree_le, demande.modifie_le, demande.etat.value, demande.etape)


@dataclass(frozen=True)
class ScanResult:
    demandes: list  # list[Demande] from scan(), list[DraftSummary] from summaries()
    problems: list[DraftProblem]


def _reason(exc: Exception) -> str:
    if isinstance(exc, FutureSchemaError):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return f"fichier JSON illisible (ligne {exc.lineno}, colonne {exc.colno})"
    if isinstance(exc, UnicodeDecodeError):
        return "fichier illisible : ce n'est pas du texte UTF-8"
    if type(exc).__name__ == "ValidationError" and hasattr(exc, "error_count"):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        return f"contenu non conforme ({exc.error_count()} erreur(s), d'abord « {where} »)"
    if isinstance(exc, DraftFormatError):
        return str(exc)
    if isinstance(exc, (KeyError, TypeError, ValueError)):
        # Python's own messages are English and may quote the file: say it plainly instead.
        return "contenu non conforme (champ manquant ou mal formé)"
    return f"fichier illisible ({type(exc).__name__})"


class DraftStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.demandes_dir = self.root / "demandes"
        self.pieces_root = self.root / "pieces"
        self.trash_dir = self.root / "corbeille"
        self.damaged_dir = self.root / "damaged"

    # -- folders ---------------------------------------------------------
    def ensure(self) -> None:
        try:
            for folder in (self.root, self.demandes_dir):
                ensure_private_dir(folder)
        except OSError as exc:
            raise StoreError(self._io_message(exc, self.root)) from None

    @staticmethod
    def _io_message(exc: OSError, path: Path) -> str:
        if isinstance(exc, PermissionError) or exc.errno in (13, 30):
            return f"Le dossier {path} est en lecture seule : vos modifications ne peuvent pas être enregistrées."
        if exc.errno == 28:
            return f"Le disque est plein : impossible d'enregistrer dans {path}."
        return f"Impossible d'écrire dans {path} ({exc.strerror or type(exc).__name__})."

    def path_of(self, numero: str) -> Path:
        if not isinstance(numero, str) or not _NUMERO_RE.fullmatch(numero):
            raise StoreError(f"Numéro de demande invalide : {numero[:30]}")
        return self.demandes_dir / f"{numero}.json"

    def pieces_dir(self, numero: str) -> Path:
        self.path_of(numero)
        return self.pieces_root / numero

    # -- reading ---------------------------------------------------------
    @staticmethod
    def _read_json(path: Path) -> Any:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_DRAFT_BYTES + 1)
        if len(raw) > MAX_DRAFT_BYTES:
            raise DraftFormatError("fichier trop volumineux pour une demande")
        return json.loads(raw.decode("utf-8"))

    def _read(self, path: Path) -> "Demande":
        from permis_tui.model.demande import load_demande

        return load_demande(self._read_json(path))

    def summaries(self) -> ScanResult:
        """Fast listing for the home screen: JSON only, no model validation.

        Files that are not even JSON are set aside at once; `scan()` (run in the
        background) then validates every draft fully.
        """
        return self._walk(lambda path: DraftSummary.from_json(self._read_json(path)))

    def scan(self) -> ScanResult:
        """Every readable demande, newest first; unreadable files are set aside and reported."""
        return self._walk(self._read)

    def _walk(self, read: Callable[[Path], Any]) -> ScanResult:
        """Read every draft with `read`; a file that fails is set aside (or left, if newer) and reported."""
        found: list[Any] = []
        problems: list[DraftProblem] = []
        if not self.demandes_dir.is_dir():
            return ScanResult([], self.damaged_reports())
        for path in sorted(self.demandes_dir.glob("*.json")):
            try:
                item = read(path)
                if item.numero != path.stem:
                    raise DraftFormatError("le numéro ne correspond pas au nom du fichier")
                found.append(item)
            except FutureSchemaError as exc:
                problems.append(DraftProblem(path.name, str(exc), None))
            except OSError as exc:
                problems.append(DraftProblem(path.name, f"lecture impossible ({exc.strerror})", None))
            except Exception as exc:  # noqa: BLE001 - any parse failure sets the file aside
                problems.append(self._set_aside(path, _reason(exc)))
        found.sort(key=lambda d: d.modifie_le, reverse=True)
        return ScanResult(found, problems + self.damaged_reports(exclude={p.deplace_vers for p in problems}))

    def _set_aside(self, path: Path, reason: str) -> DraftProblem:
        """Move a damaged file into damaged/ with its reason; never delete it."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            ensure_private_dir(self.damaged_dir)
            dest = self.damaged_dir / f"{stamp}-{path.name}"
            n = 1
            while dest.exists():
                dest = self.damaged_dir / f"{stamp}.{n}-{path.name}"
                n += 1
            os.replace(path, dest)
            atomic_write(dest.with_name(dest.name + ".raison.txt"), (reason + "\n").encode())
            fsync_dir(self.demandes_dir)
            return DraftProblem(path.name, reason, dest)
        except OSError:
            return DraftProblem(path.name, reason, None)

    def damaged_reports(self, exclude: set[Path | None] = frozenset()) -> list[DraftProblem]:
        """Files set aside earlier, still waiting in damaged/."""
        if not self.damaged_dir.is_dir():
            return []
        reports = []
        for path in sorted(self.damaged_dir.iterdir()):
            if path.name.endswith(".raison.txt") or path in exclude:
                continue
            note = path.with_name(path.name + ".raison.txt")
            try:
                reason = note.read_text(encoding="utf-8").strip()
            except OSError:
                reason = "raison inconnue"
            # Report the name the file had in demandes/, without the stamp _set_aside added.
            original = _STAMP_RE.sub("", path.name, count=1) or path.name
            reports.append(DraftProblem(original, reason, path))
        return reports

    def load(self, numero: str) -> Demande:
        path = self.path_of(numero)
        try:
            return self._read(path)
        except FileNotFoundError:
            raise StoreError(f"Aucune demande n° {numero}.") from None
        except FutureSchemaError as exc:
            raise StoreError(str(exc)) from None
        except OSError as exc:
            raise StoreError(f"Lecture impossible de la demande n° {numero} ({exc.strerror}).") from None
        except Exception as exc:  # noqa: BLE001
            problem = self._set_aside(path, _reason(exc))
            raise StoreError(f"La demande n° {numero} est endommagée ({problem.raison}) ; elle a été mise de côté.") from None

    def list(self) -> list[Demande]:
        return self.scan().demandes

    def exists(self, numero: str) -> bool:
        return self.path_of(numero).exists()

    # -- writing ---------------------------------------------------------
    def save(self, demande: Demande, *, touch: bool = True) -> None:
        if touch:
            demande.touch()
        path = self.path_of(demande.numero)
        demande.bound_saisies()
        if not demande.est_validee and self._validated_on_disk(path):
            # A validée demande is final: a late save of an old in-memory copy
            # (quit during validation, say) must not turn it back into a brouillon.
            return
        data = demande.model_dump_json(indent=2).encode("utf-8")
        try:
            ensure_private_dir(self.demandes_dir)
            atomic_write(path, data)
        except OSError as exc:
            raise StoreError(self._io_message(exc, self.demandes_dir)) from None

    def _validated_on_disk(self, path: Path) -> bool:
        try:
            data = self._read_json(path)
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and data.get("etat") == "validee"

    def new(self) -> "Demande":
        """A new demande with a numéro no file uses, not written yet: the app saves it on
        its first answer, so looking and leaving leaves no empty draft behind.

        Raises StoreError if the folder cannot take it: better said now than at the first answer.
        """
        from permis_tui.model.demande import Demande

        self.ensure()
        if not os.access(self.demandes_dir, os.W_OK | os.X_OK):
            raise StoreError(self._io_message(PermissionError(13, "lecture seule"), self.demandes_dir))
        demande = Demande()
        while self.path_of(demande.numero).exists():
            demande.numero = new_numero()
        return demande

    def create(self) -> "Demande":
        """A new demande, written at once (the example of the demo, imports, tests)."""
        demande = self.new()
        self.save(demande)
        return demande

    # Folders that belong to a demande, moved with it to and from the corbeille.
    _FOLDERS = ("pieces", "formulaires")

    def _move_folders(self, numero: str, src_root: Path, dest_root: Path) -> None:
        for name in self._FOLDERS:
            src = src_root / name / numero
            if not src.exists():
                continue
            dest = dest_root / name / numero
            if dest.exists():
                # A stale copy left by an earlier delete: the one being moved is newer.
                shutil.rmtree(dest)
            ensure_private_dir(dest.parent)
            os.replace(src, dest)

    def delete(self, numero: str) -> None:
        """Move the demande, its pieces and forms into the corbeille (restorable).

        The folders go first and the JSON last, so a failure half-way leaves the
        demande listed and whole rather than half in the corbeille.
        """
        src = self.path_of(numero)
        if not src.exists():
            raise StoreError(f"Aucune demande n° {numero}.")
        try:
            ensure_private_dir(self.trash_dir)
            self._move_folders(numero, self.root, self.trash_dir)
            os.replace(src, self.trash_dir / src.name)
            fsync_dir(self.demandes_dir)
        except FileNotFoundError:
            raise StoreError(f"Aucune demande n° {numero}.") from None
        except OSError as exc:
            raise StoreError(self._io_message(exc, self.root)) from None

    def trash(self) -> list[Demande]:
        if not self.trash_dir.is_dir():
            return []
        found = []
        for path in sorted(self.trash_dir.glob("*.json")):
            try:
                found.append(self._read(path))
            except Exception:  # noqa: BLE001 - a damaged trashed file just stays there
                continue
        return found

    def restore(self, numero: str) -> None:
        src = self.trash_dir / self.path_of(numero).name
        if self.path_of(numero).exists():
            raise StoreError(f"Une demande n° {numero} existe déjà.")
        if not src.exists():
            raise StoreError(f"La demande n° {numero} n'est pas dans la corbeille.")
        try:
            ensure_private_dir(self.demandes_dir)
            self._move_folders(numero, self.trash_dir, self.root)
            os.replace(src, self.path_of(numero))
        except FileNotFoundError:
            raise StoreError(f"La demande n° {numero} n'est pas dans la corbeille.") from None
        except OSError as exc:
            raise StoreError(self._io_message(exc, self.root)) from None

    def duplicate(self, numero: str) -> Demande:
        """A new brouillon with the same answers and copies of the attached files."""
        source = self.load(numero)
        copy = source.model_copy(deep=True)
        copy.numero = new_numero()
        while self.path_of(copy.numero).exists():
            copy.numero = new_numero()
        from permis_tui.model.demande import Etat

        copy.etat = Etat.BROUILLON
        copy.valide_le = None
        copy.cree_le = copy.modifie_le = datetime.now().astimezone().replace(microsecond=0)
        src_dir = self.pieces_dir(numero)
        try:
            if src_dir.exists():
                for item in src_dir.iterdir():
                    atomic_copy(item, self.pieces_dir(copy.numero) / item.name)
        except OSError as exc:
            raise StoreError(self._io_message(exc, self.pieces_root)) from None
        self.save(copy, touch=False)
        return copy

    def import_demande(self, demande: Demande, *, replace: bool = False) -> None:
        if self.exists(demande.numero) and not replace:
            raise StoreError(f"La demande n° {demande.numero} existe déjà (utilisez --replace pour la remplacer).")
        self.save(demande, touch=False)

    # -- attachments -----------------------------------------------------
    def store_attachment(self, numero: str, src: Path, stored_name: str) -> Path:
        dest = self.pieces_dir(numero) / stored_name
        if not dest.exists():
            ensure_private_dir(self.pieces_root)
            atomic_copy(src, dest)
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

    def purge_trash(self) -> None:
        shutil.rmtree(self.trash_dir, ignore_errors=True)
