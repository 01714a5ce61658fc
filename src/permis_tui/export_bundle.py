"""An exported demande, self-contained: what `export` writes and `import` reads back.

Layout (a folder, or the same entries at the root of a .zip):
    manifest.json            {"format": "permis-tui-export", "version": 1, "numero": …,
                              "fichiers": [{"chemin": …, "sha256": …, "piece": "<sha>.<ext>"?}]}
    demande.json             the demande, as `permis-tui import` reads it
    pieces/<nom d'origine>   each attached file under the name it had when attached
    formulaires/*.pdf        the récapitulatif (and the formulaire de dépôt if the photo goes by post)

Reading trusts nothing: the manifest is strict JSON, every path in it is one plain name
under a known folder, every file is a regular file (never followed, never waited on),
read within a size limit, and its SHA-256 must match before it is used.

Domain core: no Textual here.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from permis_tui.model.schema import DraftFormatError
from permis_tui.os_errors import french_os_error
from permis_tui.safe_files import read_regular

FORMAT = "permis-tui-export"
VERSION = 1
MANIFEST = "manifest.json"
DEMANDE = "demande.json"
PIECES = "pieces"
FORMULAIRES = "formulaires"
MAX_JSON_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024  # the largest max_file_mb the configuration allows
MAX_ENTRIES = 200
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_PIECE_RE = re.compile(r"^[0-9a-f]{64}\.(pdf|jpg|png|bin)$")


class BundleError(ValueError):
    """The export cannot be read or does not match its manifest; the message is French."""


@dataclass
class Bundle:
    demande_raw: bytes
    pieces: dict[str, bytes] = field(default_factory=dict)  # stored name (<sha>.<ext>) → content
    formulaires: dict[str, bytes] = field(default_factory=dict)  # PDF name → content
    noms: dict[str, str] = field(default_factory=dict)  # stored name → name in the export


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export_name(nom_original: str, taken: set[str]) -> str:
    """A plain file name for a piece in the export: its original name, made safe and unique."""
    # The last part of a path; a backslash is kept as text (the model writes controls as "\\x1b").
    name = nom_original.rsplit("/", 1)[-1].replace("\\", "_")
    # Not printable: controls, bidi overrides, separators, lone surrogates (shown in a terminal later).
    name = "".join(c if c.isprintable() else "_" for c in name).strip() or "piece"
    if name in (".", "..") or name.startswith("."):
        name = "piece" + name.lstrip(".")
    name = name[:200]
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem} ({n}){dot}{ext}"
        n += 1
    taken.add(candidate)
    return candidate


def manifest_bytes(numero: str, entries: list[dict[str, str]]) -> bytes:
    import json

    doc = {"format": FORMAT, "version": VERSION, "numero": numero, "fichiers": entries}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def write_zip(path: Path, files: list[tuple[str, bytes]]) -> None:
    """The bundle as one .zip, written atomically and 0600."""
    from permis_tui.atomic import atomic_write

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    atomic_write(path, buffer.getvalue(), private_dir=False)


# -- reading ---------------------------------------------------------------
def _check_path(chemin: Any) -> tuple[str, str]:
    """(folder or "", name) of a manifest path: one plain name, under pieces/ or formulaires/."""
    if not isinstance(chemin, str) or not chemin:
        raise BundleError("manifeste : chemin de fichier manquant")
    folder, _, name = chemin.rpartition("/")
    if (
        folder not in ("", PIECES, FORMULAIRES)
        or name in ("", ".", "..")
        or "\\" in name
        or "\0" in name
        or (folder == "" and name != DEMANDE)
    ):
        shown = "".join(c if c.isprintable() else "?" for c in chemin)[:80]
        raise BundleError(f"manifeste : chemin refusé « {shown} »")
    return folder, name


def _parse_manifest(raw: bytes) -> dict[str, Any]:
    from permis_tui import strict_json

    try:
        doc = strict_json.loads(raw)
    except DraftFormatError as exc:
        raise BundleError(f"manifeste illisible : {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BundleError("manifeste : ce n'est pas un export de permis-tui")
    if type(doc.get("version")) is not int or doc["version"] != VERSION:
        raise BundleError("manifeste : version d'export non prise en charge (mettez permis-tui à jour)")
    entries = doc.get("fichiers")
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise BundleError("manifeste : liste des fichiers absente ou trop longue")
    seen = set()
    for entry in entries:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("sha256"), str)
            or not _SHA_RE.fullmatch(entry["sha256"])
        ):
            raise BundleError("manifeste : chaque fichier doit avoir une empreinte SHA-256")
        folder, name = _check_path(entry.get("chemin"))
        if entry["chemin"] in seen:
            raise BundleError(f"manifeste : « {entry['chemin']} » apparaît deux fois")
        seen.add(entry["chemin"])
        piece = entry.get("piece")
        if folder == PIECES and (not isinstance(piece, str) or not _PIECE_RE.fullmatch(piece)):
            raise BundleError(f"manifeste : pièce « {name} » sans nom de stockage valide")
    if DEMANDE not in seen:
        raise BundleError("manifeste : demande.json n'y figure pas")
    return doc


def _assemble(manifest_raw: bytes, read: Any) -> Bundle:
    """Read every file the manifest names with `read(chemin, limit)`, checking its sum."""
    doc = _parse_manifest(manifest_raw)
    bundle = Bundle(b"")
    for entry in doc["fichiers"]:
        chemin = entry["chemin"]
        folder, name = _check_path(chemin)
        data = read(chemin, MAX_JSON_BYTES if folder == "" else MAX_FILE_BYTES)
        if sha256(data) != entry["sha256"]:
            raise BundleError(
                f"« {chemin} » ne correspond pas à son empreinte SHA-256 (fichier modifié ou abîmé depuis l'export)"
            )
        if folder == "":
            bundle.demande_raw = data
        elif folder == PIECES:
            if entry["piece"].split(".")[0] != entry["sha256"]:
                raise BundleError(f"manifeste : la pièce « {name} » ne correspond pas à son nom de stockage")
            bundle.pieces[entry["piece"]] = data
            bundle.noms[entry["piece"]] = name
        else:
            bundle.formulaires[name] = data
    return bundle


def read_folder(root: Path) -> Bundle:
    def read(chemin: str, limit: int) -> bytes:
        folder, _, _ = chemin.rpartition("/")
        if folder and not stat.S_ISDIR(os.lstat(root / folder).st_mode):  # a symlinked pieces/ is not followed
            raise BundleError(f"« {folder} » n'est pas un dossier")
        return read_regular(root / chemin, limit)

    try:
        manifest = read_regular(root / MANIFEST, MAX_JSON_BYTES)
    except FileNotFoundError:
        raise BundleError("ce dossier n'est pas un export de permis-tui (manifest.json introuvable)") from None
    except OSError as exc:
        raise BundleError(f"manifest.json : {french_os_error(exc)}") from None
    try:
        return _assemble(manifest, read)
    except OSError as exc:
        where = getattr(exc, "filename", None)
        shown = Path(where).relative_to(root) if where and str(where).startswith(str(root)) else "fichier"
        raise BundleError(f"{shown} : {french_os_error(exc)}") from None
    except ValueError as exc:
        if isinstance(exc, BundleError):
            raise
        raise BundleError(str(exc)) from None


def read_zip(handle: Any) -> Bundle:
    try:
        zf = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BundleError("archive .zip illisible ou endommagée") from None
    with zf:
        infos = {info.filename: info for info in zf.infolist()}
        if len(infos) > MAX_ENTRIES + 1:
            raise BundleError("archive .zip : trop de fichiers pour un export")

        def read(chemin: str, limit: int) -> bytes:
            info = infos.get(chemin)
            if info is None or info.is_dir():
                raise BundleError(f"archive .zip : « {chemin} » manque")
            if info.file_size > limit:
                raise BundleError(f"archive .zip : « {chemin} » est trop volumineux")
            try:
                with zf.open(info) as member:
                    data = member.read(limit + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
                raise BundleError(f"archive .zip : « {chemin} » est illisible") from None
            if len(data) > limit:
                raise BundleError(f"archive .zip : « {chemin} » est trop volumineux")
            return data

        return _assemble(read(MANIFEST, MAX_JSON_BYTES), read)


def is_zip(head: bytes) -> bool:
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
