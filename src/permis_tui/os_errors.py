"""Every OSError said in French, in one place: the OS's English text ("Is a directory",
"Read-only file system") never reaches anyone.

- `french_os_error`: the short reason, for a parenthesis ("… (accès refusé).");
- `write_reason`: why a folder could not be written, as a person fixes it (read-only, full);
- `cannot_write`: the whole sentence the store shows when a save fails;
- `file_read_code`: the verdict of a chosen file that cannot be read.

Domain core: no Textual here.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING

from permis_tui.safe_files import NotRegularFile

if TYPE_CHECKING:
    from permis_tui.documents.verdict import VerdictCode

_FRENCH = {
    errno.ENOENT: "fichier introuvable",
    errno.EACCES: "accès refusé",
    errno.EPERM: "accès refusé",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.ELOOP: "lien symbolique refusé",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EEXIST: "existe déjà",
    errno.ENOTEMPTY: "dossier non vide",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENFILE: "trop de fichiers ouverts",
    errno.EXDEV: "déplacement entre deux disques impossible",
    errno.EBUSY: "ressource occupée",
    errno.ENXIO: "périphérique ou adresse introuvable",
    errno.EFBIG: "fichier trop volumineux",
    errno.ETXTBSY: "fichier occupé",
}
# A write refused by the modes or by a read-only mount reads the same to the person.
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)
_FULL = (errno.ENOSPC, errno.EDQUOT)


def french_os_error(exc: OSError) -> str:
    """Why an OS call failed, in French (never the OS's English text)."""
    if isinstance(exc, NotRegularFile) and exc.strerror:
        return exc.strerror
    return _FRENCH.get(exc.errno or 0, f"erreur système n° {exc.errno}" if exc.errno else "erreur système")


def write_reason(exc: OSError, subject: str = "le dossier") -> str:
    """Why writing failed: "le dossier est en lecture seule", "le disque est plein", or the
    short reason. `subject` names the folder ("il" when the sentence already did)."""
    if isinstance(exc, PermissionError) or exc.errno in _READ_ONLY:
        return f"{subject} est en lecture seule"
    if exc.errno in _FULL:
        return "le disque est plein"
    return french_os_error(exc)


def cannot_write(exc: OSError, path: Path) -> str:
    """The store's sentence for a save that failed in `path`."""
    if isinstance(exc, PermissionError) or exc.errno in _READ_ONLY:
        return f"Le dossier {path} est en lecture seule : vos modifications ne peuvent pas être enregistrées."
    if exc.errno in _FULL:
        return f"Le disque est plein : impossible d'enregistrer dans {path}."
    return f"Impossible d'écrire dans {path} ({french_os_error(exc)})."


def file_read_code(exc: OSError) -> VerdictCode:
    """The verdict of a file the person chose that cannot be read."""
    from permis_tui.documents.verdict import VerdictCode  # here: the documents package imports this module

    if isinstance(exc, FileNotFoundError):
        return VerdictCode.FILE_MISSING
    if isinstance(exc, PermissionError):
        return VerdictCode.FILE_DENIED
    if isinstance(exc, IsADirectoryError):
        return VerdictCode.NOT_A_FILE
    return VerdictCode.FILE_UNREADABLE
