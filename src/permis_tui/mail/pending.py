"""The emails still waiting in the demandes' outboxes: listed, and sent when SMTP is configured.

Run at start (the outbox retries what a refused server or a crash left unsent) and by
`permis-tui outbox`. Only validées demandes' messages go out: a brouillon's outbox
can hold a message only if a validation was cut, and recovery removes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from permis_tui.os_errors import french_os_error
from permis_tui.safe_files import open_regular

if TYPE_CHECKING:
    from permis_tui.mail.mail_settings import MailSettings
    from permis_tui.store import DraftStore


@dataclass(frozen=True)
class PendingMessage:
    numero: str
    path: Path
    subject: str
    to: str


@dataclass(frozen=True)
class SendOutcome:
    message: PendingMessage
    sent: bool
    text: str  # French


def pending_messages(store: DraftStore) -> list[PendingMessage]:
    """Unsent messages of validated demandes, oldest first."""
    import email
    from email import policy

    from permis_tui.mail.outbox import Outbox

    found = []
    for folder in store.demande_folders():
        outbox = folder / "outbox"
        if not outbox.is_dir() or not _validated(store, folder):
            continue
        for path in Outbox(outbox).pending():
            try:
                with os.fdopen(open_regular(path), "rb") as handle:  # never a FIFO or a symlink
                    msg = email.message_from_binary_file(handle, policy=policy.default)
                subject, to = str(msg.get("Subject", "")), str(msg.get("To", ""))
            except (OSError, ValueError):
                subject, to = "", ""
            found.append(PendingMessage(folder.name, path, subject, to))
    return found


def _validated(store: DraftStore, folder: Path) -> bool:
    try:
        data = store._read_json(folder / "demande.json")
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("etat") == "validee"


def retry_at_start(store: DraftStore, settings: MailSettings | None) -> str:
    """Send what waits (for a worker at start: SMTP may take its timeout); one French line, empty if nothing was tried.

    `settings`: the [smtp] section read at start (None: no server, or a section refused then)."""
    outcomes = send_pending(store, settings)
    sent = sum(o.sent for o in outcomes)
    failed = [o for o in outcomes if not o.sent]
    parts = []
    if sent:
        parts.append(f"{sent} courriel(s) de confirmation en attente envoyé(s)")
    if failed:
        parts.append(f"{len(failed)} courriel(s) toujours en attente ({failed[0].text})")
    return " ; ".join(parts) + "." if parts else ""


def send_pending(store: DraftStore, settings: MailSettings | None) -> list[SendOutcome]:
    """Try each pending message once; without an SMTP server nothing is tried (empty list)."""
    if settings is None:
        return []  # the usual case at start: nothing read, smtplib and ssl not even imported
    from permis_tui.mail.outbox import Outbox

    outcomes = []
    for pending in pending_messages(store):
        try:
            result = Outbox(pending.path.parent.parent).send_stored(pending.path, settings)
            outcomes.append(SendOutcome(pending, result.sent, result.message))
        except (OSError, ValueError) as exc:  # not a regular file, too big: said in French
            why = french_os_error(exc) if isinstance(exc, OSError) else str(exc)
            outcomes.append(SendOutcome(pending, False, f"Message illisible : {pending.path} ({why})."))
    return outcomes
