"""Confirmation email, Maildir outbox and SMTP delivery against real local servers."""

from __future__ import annotations

import email
import socket
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from permis_tui.mail.confirmation_email import build_confirmation_email
from permis_tui.mail.mail_settings import MailSettings
from permis_tui.mail.outbox import Outbox
from permis_tui.settings import Settings, SettingsError

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
NOW = datetime(2025, 5, 12, 14, 3, tzinfo=timezone(timedelta(hours=2)))
ETAPES = [
    "Imprimez le formulaire de dépôt joint, collez-y votre photo et signez-le.",
    "Envoyez-le par courrier simple au CTN, CS 80168, 53102 MAYENNE CEDEX.",
]


def _message(**overrides: object) -> EmailMessage:
    kwargs: dict = dict(
        to="Łucja Œuvray <lucja@example.org>",
        numero="DPC-2025-000123",
        prenom="Łucja",
        nom="Œuvray",
        prochaines_etapes=ETAPES,
        attachments=[("formulaire-dépôt.pdf", PDF), ("recapitulatif.pdf", PDF[::-1])],
        now=NOW,
    )
    kwargs.update(overrides)
    return build_confirmation_email(**kwargs)


def _parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _assert_same_message(received: EmailMessage, original: EmailMessage) -> None:
    for header in ("From", "To", "Subject", "Date", "Message-ID"):
        assert received[header] == original[header], header

    def body(m: EmailMessage) -> str:
        return m.get_body(("plain",)).get_content().replace("\r\n", "\n")

    assert body(received) == body(original)
    got = [(p.get_filename(), p.get_content()) for p in received.iter_attachments()]
    assert got == [(p.get_filename(), p.get_content()) for p in original.iter_attachments()]


# --- building ---


def test_build_and_parse_back() -> None:
    raw = _message().as_bytes()
    raw.decode("ascii")  # 7-bit clean: no 8BITMIME needed
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    msg = _parse(raw)
    assert msg["From"] == "permis-tui <ne-pas-repondre@permis-tui.invalid>"
    assert msg["To"].addresses[0].addr_spec == "lucja@example.org"
    assert msg["To"].addresses[0].display_name == "Łucja Œuvray"
    # A preparation, not a filed request.
    assert msg["Subject"] == (
        "Demande de permis de conduire préparée (référence DPC-2025-000123) : à déposer sur le site de l'ANTS"
    )
    assert msg["Date"].datetime == NOW
    assert msg["Message-ID"].endswith("@permis-tui.invalid>")

    body = msg.get_body(("plain",))
    assert body.get_content_charset() == "utf-8"
    text = body.get_content()
    assert text.startswith("Bonjour Łucja Œuvray,")
    assert "le 12/05/2025 à 14:03 (référence de préparation DPC-2025-000123)" in text
    assert "elle n'est pas encore déposée" in text and "site de l'ANTS (France Titres" in text
    for wrong in ("confirmation de dépôt", "a bien été enregistrée", "numéro de demande (DPC"):
        assert wrong not in text and wrong not in msg["Subject"]
    assert "  1. " + ETAPES[0] in text and "  2. " + ETAPES[1] in text
    assert "ce n'est pas un numéro de demande ANTS" in text

    attachments = list(msg.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["formulaire-dépôt.pdf", "recapitulatif.pdf"]
    assert all(a.get_content_type() == "application/pdf" for a in attachments)
    assert [a.get_content() for a in attachments] == [PDF, PDF[::-1]]


def test_message_ids_are_unique_and_leak_no_host_name() -> None:
    first, second = _message()["Message-ID"], _message()["Message-ID"]
    assert first != second
    assert socket.gethostname() not in first or socket.gethostname() == "permis-tui.invalid"


# --- settings ---


def test_settings_from_the_file() -> None:
    assert Settings.from_toml({}).smtp is None
    s = Settings.from_toml({"smtp": {"host": "smtp.example.org", "user": "u", "password_env": "SMTP_PW"}}).smtp
    assert s == MailSettings(
        host="smtp.example.org", port=587, tls="starttls", user="u", password_env="SMTP_PW", timeout=10.0
    )
    implicit = Settings.from_toml({"smtp": {"host": "smtp.example.org", "tls": "implicite"}}).smtp
    assert implicit is not None and (implicit.tls, implicit.port) == ("implicite", 465)  # RFC 8314's port
    legacy = Settings.from_toml({"smtp": {"host": "127.0.0.1", "starttls": False}}).smtp
    assert legacy is not None and (legacy.tls, legacy.port, legacy.user) == ("aucun", 587, None)


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"port": 587}, "host"),
        ({"host": "h", "port": 70000}, "port"),
        ({"host": "h", "port": "587"}, "port"),
        ({"host": "h", "starttls": "oui"}, "starttls"),
        ({"host": "h", "tls": "ssl"}, "implicite"),
        ({"host": "h", "tls": "aucun", "starttls": True}, "pas les deux"),
        ({"host": "h", "tls": "aucun", "user": "u", "password_env": "PW"}, "en clair"),
        ({"host": "h", "starttls": False, "user": "u"}, "en clair"),
        ({"host": "smtp..exemple.fr"}, "nom de serveur valide"),
        ({"host": "smtp.exemple.fr…"}, "nom de serveur valide"),  # UnicodeError from the IDNA codec
        ({"host": "smtp,exemple.fr"}, "nom de serveur valide"),
        ({"host": "smtp\x1b]2;x\x07.fr"}, "contrôle"),
        ({"host": "x" * 64 + ".fr"}, "nom de serveur valide"),
        ({"host": "h", "user": "u", "password": "secret"}, "mot de passe"),
        ({"host": "h", "user": "u", "password_env": "MY-VAR"}, "password_env"),
        ({"host": "h", "hots": "x"}, "inconnue"),
        ({"host": "h", "timeout": 0}, "timeout"),
    ],
)
def test_bad_settings_are_refused_in_french(table: dict, fragment: str) -> None:
    with pytest.raises(SettingsError, match=fragment) as refused:
        Settings.from_toml({"smtp": table})
    assert str(refused.value).startswith("[smtp] ")
    assert refused.value.fallback.smtp is None  # the section is dropped, not half used


# --- outbox without SMTP ---


def test_deliver_without_settings_stores_privately(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox")
    original = _message()
    result = outbox.deliver(original, None)
    assert not result.sent
    assert result.stored_path.parent == tmp_path / "outbox" / "new"
    assert stat.S_IMODE(result.stored_path.stat().st_mode) == 0o600
    for sub in ("", "tmp", "new", "cur"):
        assert stat.S_IMODE((tmp_path / "outbox" / sub).stat().st_mode) == 0o700
    assert "boîte d'envoi" in result.message and str(result.stored_path) in result.message
    assert outbox.pending() == [result.stored_path]
    _assert_same_message(_parse(result.stored_path.read_bytes()), original)


# --- outbox with real local servers ---


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, data_reply: str | None = None, rcpt_reply: str | None = None) -> None:
        self.received: list[bytes] = []
        self.data_reply = data_reply
        self.rcpt_reply = rcpt_reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.received.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data == (b"marie", b"s3cr\xc3\xa8t")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd sends the 535


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, _Handler]]:
    handlers: list[Controller] = []

    def start(handler: _Handler, **kwargs: object) -> tuple[Controller, _Handler]:
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), server_hostname="localhost", **kwargs)
        controller.start()
        handlers.append(controller)
        return controller, handler

    yield start  # type: ignore[misc]
    for controller in handlers:
        controller.stop()


def _settings(port: int, **kw: object) -> MailSettings:
    return MailSettings.model_validate({"host": "127.0.0.1", "port": port, "tls": "aucun", "timeout": 3.0, **kw})


def _assert_kept(outbox: Outbox, result) -> None:
    assert not result.sent
    assert result.stored_path.is_file() and result.stored_path.parent.name == "new"
    assert outbox.pending() == [result.stored_path]
    assert f"Le message reste dans la boîte d'envoi : {result.stored_path}" in result.message


def test_deliver_over_smtp_marks_sent(tmp_path: Path, smtp_server) -> None:
    controller, handler = smtp_server(_Handler())
    outbox = Outbox(tmp_path / "outbox")
    original = _message()
    result = outbox.deliver(original, _settings(controller.port))
    assert result.sent, result.message
    assert "envoyé" in result.message
    assert len(handler.received) == 1
    _assert_same_message(_parse(handler.received[0]), original)
    assert outbox.pending() == []
    assert result.stored_path.parent == outbox.sent_dir() / "cur"
    assert result.stored_path.name.endswith(":2,S")
    assert stat.S_IMODE(result.stored_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.sent_dir().stat().st_mode) == 0o700


def test_login_with_password_from_environment(tmp_path: Path, smtp_server, tls_pair, monkeypatch) -> None:
    # The server requires TLS before AUTH (aiosmtpd's default), as a real submission server does.
    controller, handler = smtp_server(_Handler(), authenticator=_authenticator, tls_context=tls_pair.server)
    monkeypatch.setenv("PERMIS_TUI_TEST_PW", "s3crèt")
    outbox = Outbox(tmp_path / "outbox")
    tls = {"tls": "starttls", "user": "marie", "password_env": "PERMIS_TUI_TEST_PW"}
    result = outbox.deliver(_message(), _settings(controller.port, **tls))
    assert result.sent, result.message

    monkeypatch.setenv("PERMIS_TUI_TEST_PW", "wrong")
    result = outbox.deliver(_message(), _settings(controller.port, **tls))
    _assert_kept(outbox, result)
    assert "refusé l'identification de marie" in result.message
    assert "wrong" not in result.message

    monkeypatch.delenv("PERMIS_TUI_TEST_PW")
    result = outbox.send_stored(result.stored_path, _settings(controller.port, **tls))
    _assert_kept(outbox, result)
    assert "PERMIS_TUI_TEST_PW n'est pas définie" in result.message
    assert len(handler.received) == 1  # no attempt without a password


@pytest.mark.parametrize(
    ("handler", "fragment"),
    [
        (_Handler(data_reply="550 5.7.1 Message refusé par la politique du site"), "550 5.7.1"),
        (_Handler(rcpt_reply="550 5.1.1 Destinataire inconnu"), "destinataire refusé"),
    ],
    ids=["data", "rcpt"],
)
def test_refusal_keeps_message_in_outbox(tmp_path: Path, smtp_server, handler: _Handler, fragment: str) -> None:
    controller, _ = smtp_server(handler)
    outbox = Outbox(tmp_path / "outbox")
    result = outbox.deliver(_message(), _settings(controller.port))
    _assert_kept(outbox, result)
    assert result.message.startswith("Le serveur de messagerie a refusé le message : ")
    assert fragment in result.message


class _RawServer:
    """Accepts connections and either closes them at once or never answers."""

    def __init__(self, close: bool) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.close_at_once = close
        self.clients: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if self.close_at_once:
                client.close()
            else:
                self.clients.append(client)

    def stop(self) -> None:
        self.sock.close()
        for client in self.clients:
            client.close()


@pytest.mark.parametrize(("close", "fragment"), [(True, "a fermé la connexion"), (False, "n'a pas répondu")])
def test_dead_server_keeps_message_in_outbox(tmp_path: Path, close: bool, fragment: str) -> None:
    server = _RawServer(close=close)
    try:
        outbox = Outbox(tmp_path / "outbox")
        settings = MailSettings(host="127.0.0.1", port=server.port, tls="aucun", timeout=0.5)
        result = outbox.deliver(_message(), settings)
    finally:
        server.stop()
    _assert_kept(outbox, result)
    assert fragment in result.message


def test_unreachable_server_keeps_message(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox")
    result = outbox.deliver(_message(), _settings(_free_port()))  # nothing listens there
    _assert_kept(outbox, result)
    assert "Impossible de joindre le serveur de messagerie" in result.message


def test_starttls_required_but_not_offered(tmp_path: Path, smtp_server) -> None:
    controller, handler = smtp_server(_Handler())
    outbox = Outbox(tmp_path / "outbox")
    settings = MailSettings(host="127.0.0.1", port=controller.port, tls="starttls", timeout=3.0)
    result = outbox.deliver(_message(), settings)
    _assert_kept(outbox, result)
    assert "STARTTLS" in result.message
    assert handler.received == []


# --- TLS: a password never travels in clear ---


class _TlsPair:
    """A self-signed certificate for 127.0.0.1: the server's context and a client trusting it."""

    def __init__(self, folder: Path) -> None:
        import ipaddress
        import ssl

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256())
        )
        self.cert = folder / "cert.pem"
        self.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file = folder / "key.pem"
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        self.server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.server.load_cert_chain(self.cert, key_file)


@pytest.fixture
def tls_pair(tmp_path: Path, monkeypatch) -> _TlsPair:
    import ssl

    pair = _TlsPair(tmp_path)
    real = ssl.create_default_context
    # The client still verifies the certificate and the host name: it only trusts this test CA.
    monkeypatch.setattr(
        ssl,
        "create_default_context",
        lambda *a, **kw: real(*a, **{**kw, "cafile": str(pair.cert)}) if not a else real(*a, **kw),
    )
    return pair


def test_implicit_tls_on_its_own_port(tmp_path: Path, smtp_server, tls_pair, monkeypatch) -> None:
    # The whole connection is TLS (a client in clear could not even read the greeting);
    # aiosmtpd only tracks STARTTLS for auth_require_tls, hence False here.
    controller, handler = smtp_server(
        _Handler(), authenticator=_authenticator, ssl_context=tls_pair.server, auth_require_tls=False
    )
    monkeypatch.setenv("PERMIS_TUI_TEST_PW", "s3crèt")
    settings = Settings.from_toml(
        {
            "smtp": {
                "host": "127.0.0.1",
                "port": controller.port,
                "tls": "implicite",
                "user": "marie",
                "password_env": "PERMIS_TUI_TEST_PW",
                "timeout": 3,
            }
        }
    ).smtp
    result = Outbox(tmp_path / "outbox").deliver(_message(), settings)
    assert result.sent, result.message
    assert len(handler.received) == 1
    # The same server spoken to in clear (tls = "starttls" on the TLS port): nothing is sent.
    plain = MailSettings(host="127.0.0.1", port=controller.port, tls="starttls", timeout=1.0)
    result = Outbox(tmp_path / "outbox2").deliver(_message(), plain)
    assert not result.sent and len(handler.received) == 1


def test_starttls_is_used_before_login(tmp_path: Path, smtp_server, tls_pair, monkeypatch) -> None:
    controller, handler = smtp_server(
        _Handler(), authenticator=_authenticator, tls_context=tls_pair.server, require_starttls=True
    )
    monkeypatch.setenv("PERMIS_TUI_TEST_PW", "s3crèt")
    result = Outbox(tmp_path / "outbox").deliver(
        _message(), _settings(controller.port, tls="starttls", user="marie", password_env="PERMIS_TUI_TEST_PW")
    )
    assert result.sent, result.message  # require_starttls: the server refuses anything before it


def test_no_password_is_sent_without_tls(tmp_path: Path, smtp_server, monkeypatch) -> None:
    # A server that would accept AUTH in clear: the client must not even try.
    controller, handler = smtp_server(_Handler(), authenticator=_authenticator, auth_require_tls=False)
    monkeypatch.setenv("PERMIS_TUI_TEST_PW", "s3crèt")
    outbox = Outbox(tmp_path / "outbox")
    # Settings the start refuses (user with tls = "aucun"), built unchecked: the sender's own guard.
    unchecked = MailSettings.model_construct(
        host="127.0.0.1",
        port=controller.port,
        tls="aucun",
        timeout=3.0,
        user="marie",
        password_env="PERMIS_TUI_TEST_PW",
    )
    result = outbox.deliver(_message(), unchecked)
    _assert_kept(outbox, result)
    assert "ne sera pas envoyé en clair" in result.message
    assert handler.received == []


def test_child_processes_never_see_the_password(monkeypatch) -> None:
    import subprocess
    import sys

    from permis_tui.child_runner import child_env

    monkeypatch.setenv("PERMIS_TUI_SMTP_PASSWORD", "s3crèt")
    env = child_env()
    assert "PERMIS_TUI_SMTP_PASSWORD" not in env and "s3crèt" not in env.values()
    shown = subprocess.run(
        [sys.executable, "-c", "import os, json; print(json.dumps(dict(os.environ)))"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "s3crèt" not in shown
    # The children themselves still start and import the package with that environment.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import permis_tui.documents.child, permis_tui.documents.checker, permis_tui.forms.render_child",
        ],
        env=env,
        check=True,
    )
