"""Outgoing mail: stored in a Maildir first, then sent over SMTP if configured.

The Maildir copy is written before any network attempt, so a refused or
unreachable server never loses the confirmation: it stays in ``new/`` (the
outbox) and can be sent again with :meth:`Outbox.send_stored`. A message that
went out is moved to the ``.sent`` Maildir++ sub-folder with the seen flag.
Directories are 0700 and files 0600: these messages hold personal data.
"""

from __future__ import annotations

import base64
import email
import itertools
import mailbox
import os
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path

from permis_tui.atomic import fsync_dir
from permis_tui.mail.mail_settings import MailSettings
from permis_tui.os_errors import french_os_error

SENT_FOLDER = "sent"
NO_SERVER = "Aucun serveur de messagerie n'est configuré (section [smtp] de la configuration)"
_counter = itertools.count(1)
_DIR_MODE = 0o700
_FILE_MODE = 0o600
MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # the confirmation and its PDFs, base64: a few MB


@dataclass(frozen=True)
class DeliveryResult:
    stored_path: Path  # where the message is now (outbox, or sent folder)
    sent: bool
    message: str  # French, for the user


class Outbox:
    def __init__(self, maildir_path: Path) -> None:
        self.path = Path(maildir_path)
        self._maildir = mailbox.Maildir(self.path, factory=None, create=True)
        self._secure_dirs(self.path)

    # --- storage ---

    def store(self, msg: Message) -> Path:
        """Write ``msg`` to the outbox (``new/``) and return its path.

        Written as Maildir delivers: a 0600 file in ``tmp/`` (created private, never
        readable by others even half-written), fsync, then renamed into ``new/``.
        """
        # LF line endings, as Maildir readers expect; SMTP gets CRLF on sending.
        data = msg.as_bytes(policy=policy.SMTP.clone(linesep="\n"))
        name = _unique_name()
        tmp = self.path / "tmp" / name
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, _FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            dest = self.path / "new" / name
            os.rename(tmp, dest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(dest.parent)
        return dest

    def pending(self) -> list[Path]:
        """Messages still waiting in the outbox, oldest first."""
        found = [
            p
            for sub in ("new", "cur")
            if (self.path / sub).is_dir()
            for p in (self.path / sub).iterdir()
            if p.is_file()
        ]
        return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))

    def sent_dir(self) -> Path:
        return self.path / f".{SENT_FOLDER}"

    # --- delivery ---

    def deliver(self, msg: Message, settings: MailSettings | None) -> DeliveryResult:
        """Store ``msg``, then send it if ``settings`` name an SMTP server."""
        return self.send_if_configured(self.store(msg), settings)

    def send_if_configured(self, path: Path, settings: MailSettings | None) -> DeliveryResult:
        """Send a message of the outbox if ``settings`` name an SMTP server; otherwise it waits."""
        if settings is None:
            return DeliveryResult(
                path,
                False,
                f"{NO_SERVER} : le message n'a pas été envoyé. Il est enregistré dans la boîte d'envoi : {path}",
            )
        return self.send_stored(path, settings)

    def send_stored(self, path: Path, settings: MailSettings) -> DeliveryResult:
        """Send a message of the outbox; on success move it to the sent folder."""
        from permis_tui.safe_files import read_regular

        msg = email.message_from_bytes(read_regular(path, MAX_MESSAGE_BYTES), policy=policy.SMTP)
        assert isinstance(msg, EmailMessage)
        error = _send(msg, settings)
        if error is not None:
            return DeliveryResult(path, False, f"{error} Le message reste dans la boîte d'envoi : {path}")
        sent_path = self._mark_sent(path)
        return DeliveryResult(sent_path, True, f"Le courriel de confirmation a été envoyé à {msg['To']}.")

    # --- internals ---

    def _mark_sent(self, path: Path) -> Path:
        sent = self.sent_dir()
        if not sent.is_dir():
            self._maildir.add_folder(SENT_FOLDER)
            self._secure_dirs(sent)
        key = path.name.split(self._maildir.colon)[0]
        target = sent / "cur" / f"{key}{self._maildir.colon}2,S"
        os.replace(path, target)  # same file system: atomic, keeps the 0600 mode
        fsync_dir(target.parent)
        fsync_dir(path.parent)
        return target

    @staticmethod
    def _secure_dirs(root: Path) -> None:
        # Maildir creates 0700 dirs, but an existing (or umask-less) one may be wider.
        for directory in (root, root / "tmp", root / "new", root / "cur"):
            if directory.is_dir() and directory.stat().st_mode & 0o077:
                os.chmod(directory, _DIR_MODE)


def _unique_name() -> str:
    """A Maildir file name: time, microseconds, pid, a counter and the host (without / or :)."""
    now = time.time()
    host = socket.gethostname().replace("/", "\\057").replace(":", "\\072")
    return f"{int(now)}.M{int((now % 1) * 1e6)}P{os.getpid()}Q{next(_counter)}.{host}"


def _send(msg: EmailMessage, settings: MailSettings) -> str | None:
    """Send over SMTP; None on success, else a French explanation."""
    server = f"{settings.host}:{settings.port}"
    password = settings.password()
    if settings.user and password is None:
        where = (
            f"la variable d'environnement {settings.password_env} n'est pas définie ou est vide"
            if settings.password_env
            else "indiquez dans la section [smtp] password_env, le nom de la variable d'environnement qui le contient"
        )
        return f"Le mot de passe du compte de messagerie {settings.user} est introuvable : {where}."
    if settings.user and settings.tls == "aucun":  # also refused when the config is read
        return (
            f"Le mot de passe de {settings.user} ne sera pas envoyé en clair : "
            'choisissez tls = "starttls" ou "implicite" dans la section [smtp].'
        )
    try:
        with _connect(settings) as smtp:
            if settings.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.user and password is not None:
                _login(smtp, settings.user, password)
            smtp.send_message(msg)
    except smtplib.SMTPAuthenticationError as exc:
        return (
            f"Le serveur de messagerie {server} a refusé l'identification de {settings.user} : "
            f"{_reply(exc.smtp_code, exc.smtp_error)}."
        )
    except smtplib.SMTPRecipientsRefused as exc:
        details = "; ".join(f"{rcpt} : {_reply(*reply)}" for rcpt, reply in exc.recipients.items())
        return f"Le serveur de messagerie a refusé le message : destinataire refusé ({details})."
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError, smtplib.SMTPConnectError) as exc:
        return f"Le serveur de messagerie a refusé le message : {_reply(exc.smtp_code, exc.smtp_error)}."
    except smtplib.SMTPNotSupportedError:
        return (
            f"Le serveur de messagerie {server} ne propose pas STARTTLS ; "
            'le message n\'a pas été envoyé en clair (tls = "starttls" dans la configuration).'
        )
    except smtplib.SMTPServerDisconnected as exc:
        if _caused_by_timeout(exc):
            return _timeout_message(server, settings.timeout)
        return f"Le serveur de messagerie {server} a fermé la connexion avant la fin de l'envoi."
    except smtplib.SMTPResponseException as exc:
        return f"Le serveur de messagerie a refusé le message : {_reply(exc.smtp_code, exc.smtp_error)}."
    except smtplib.SMTPException as exc:
        return f"L'envoi par le serveur de messagerie {server} a échoué : {exc}."
    except ssl.SSLError as exc:
        return f"La connexion chiffrée avec le serveur de messagerie {server} a échoué : {exc.reason or exc}."
    except TimeoutError:
        return _timeout_message(server, settings.timeout)
    except OSError as exc:
        return f"Impossible de joindre le serveur de messagerie {server} : {french_os_error(exc)}."
    except UnicodeError:  # a host name the resolver cannot encode (checked at start too)
        return f"Le nom du serveur de messagerie {server} n'est pas valide ([smtp] host)."
    return None


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.tls == "implicite":  # TLS from the first byte, usually port 465 (RFC 8314)
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=ssl.create_default_context()
        )
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    if (user + password).isascii():
        smtp.login(user, password)
        return
    # smtplib encodes credentials as ASCII; RFC 4616 AUTH PLAIN is UTF-8, so do it by hand.
    smtp.ehlo_or_helo_if_needed()
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPException("identifiant ou mot de passe non ASCII, et le serveur ne propose pas AUTH PLAIN")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, resp = smtp.docmd("AUTH", f"PLAIN {token}")
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, resp)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _caused_by_timeout(exc: BaseException) -> bool:
    # smtplib turns a read timeout into SMTPServerDisconnected, raised while handling it.
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "timed out" in str(exc)


def _timeout_message(server: str, timeout: float) -> str:
    return f"Le serveur de messagerie {server} n'a pas répondu dans le délai de {timeout:g} s."
