"""The confirmation email sent once a demande is validated (step 7)."""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from permis_tui.preparation import AVERTISSEMENT

DEFAULT_SENDER = "permis-tui <ne-pas-repondre@permis-tui.invalid>"
# Fixed domain: make_msgid() would otherwise put the machine's host name in the header.
MSGID_DOMAIN = "permis-tui.invalid"


def confirmation_subject(numero: str) -> str:
    return f"Demande de permis de conduire préparée (référence {numero}) : à déposer sur le site de l'ANTS"


def confirmation_body(
    *, numero: str, prenom: str, nom: str, prochaines_etapes: list[str], attachment_names: list[str], now: datetime
) -> str:
    who = " ".join(part.strip() for part in (prenom, nom) if part.strip())
    lines = [
        f"Bonjour {who}," if who else "Bonjour,",
        "",
        f"Vous avez terminé la préparation de votre demande de permis de conduire le {now:%d/%m/%Y} "
        f"à {now:%H:%M} (référence de préparation {numero}).",
        "",
        AVERTISSEMENT,
        "",
    ]
    if prochaines_etapes:
        lines.append("Prochaines étapes :")
        lines += [f"  {i}. {etape}" for i, etape in enumerate(prochaines_etapes, 1)]
        lines.append("")
    if attachment_names:
        lines.append("Pièces jointes : " + ", ".join(attachment_names) + ".")
        lines.append("")
    lines += [
        f"La référence {numero} retrouve cette préparation dans permis-tui ; ce n'est pas un numéro de demande ANTS.",
        "",
        "Ce message a été envoyé automatiquement par permis-tui ; merci de ne pas y répondre.",
    ]
    return "\n".join(lines) + "\n"


def build_confirmation_email(
    *,
    to: str,
    numero: str,
    prenom: str,
    nom: str,
    prochaines_etapes: list[str],
    attachments: list[tuple[str, bytes]],
    sender: str = DEFAULT_SENDER,
    now: datetime | None = None,
) -> EmailMessage:
    """RFC 5322 message (policy SMTP: CRLF, 78-column folding); PDFs attached as given."""
    now = now or datetime.now().astimezone()
    if now.tzinfo is None:
        now = now.astimezone()
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = confirmation_subject(numero)
    msg["Date"] = format_datetime(now)
    # No idstring: the ID must stay under 78 columns, or it gets folded onto a new line.
    msg["Message-ID"] = make_msgid(domain=MSGID_DOMAIN)
    body = confirmation_body(
        numero=numero,
        prenom=prenom,
        nom=nom,
        prochaines_etapes=prochaines_etapes,
        attachment_names=[name for name, _ in attachments],
        now=now,
    )
    # Quoted-printable keeps the message 7-bit clean for servers without 8BITMIME.
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    for filename, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return msg
