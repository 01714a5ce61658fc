"""`valider`: refusal, PDFs, state change, confirmation email through the outbox and a real SMTP server."""

from __future__ import annotations

import email
import errno
import io
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from pypdf import PdfReader

from demande_factory import attach, complete_demande, small_pdf
from permis_tui import validation
from permis_tui.model.demande import Etat
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.rules import add_months
from permis_tui.settings import Settings
from permis_tui.store import VALIDATION_MARK, StoreError
from permis_tui.validation import lire_confirmation, valider

TODAY = date.today()
NOW = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _outbox_messages(store) -> list[Path]:
    """Messages waiting in any demande's outbox (each demande keeps its own, in its folder)."""
    return sorted(store.demandes_dir.glob("*/outbox/new/*"))


def _assert_not_validated(store, demande) -> None:
    assert demande.etat is Etat.BROUILLON and demande.valide_le is None
    assert store.load(demande.numero).etat is Etat.BROUILLON
    assert not (store.folder_of(demande.numero) / VALIDATION_MARK).exists()  # nothing for recovery


# -- refusal ----------------------------------------------------------------------------------
def test_incomplete_demande_is_refused_with_the_list(store) -> None:
    d = complete_demande(store)
    d.adresse.email = None
    d.pieces.fichiers = [f for f in d.pieces.fichiers if f.kind is not PieceKind.MEDICAL]
    result = valider(d, store, today=TODAY, now=NOW)
    assert not result.validee
    fields = {i.field for i in result.issues}
    assert {"adresse.email", "pieces.medical"} <= fields
    _assert_not_validated(store, d)
    assert not store.formulaires_dir(d.numero).exists()
    assert _outbox_messages(store) == []


def test_expired_ephoto_is_refused(store) -> None:
    d = complete_demande(store, photo="ephoto")
    d.photo.date_photo = f"{TODAY - timedelta(days=250):%d/%m/%Y}"
    result = valider(d, store, today=TODAY, now=NOW)
    assert [i.field for i in result.issues] == ["photo.date_photo"]
    assert "plus de 6 mois" in result.issues[0].message


def test_invalid_file_is_refused(store) -> None:
    d = complete_demande(store)
    attach(
        store,
        d,
        PieceKind.DOMICILE,
        "photo.pdf",
        small_pdf("bad"),
        pages=None,
        valide=False,
        raison="Fichier endommagé ou illisible.",
    )
    result = valider(d, store, today=TODAY, now=NOW)
    assert [i.field for i in result.issues] == ["pieces.domicile"]


def test_attachment_deleted_from_disk_is_refused(store) -> None:
    d = complete_demande(store)
    store.attachment_path(d.numero, d.pieces.fichiers[0].fichier).unlink()
    result = valider(d, store, today=TODAY, now=NOW)
    assert not result.validee
    assert "introuvable" in result.issues[0].message
    _assert_not_validated(store, d)


def test_already_validated_is_refused(store) -> None:
    d = complete_demande(store)
    assert valider(d, store, today=TODAY, now=NOW).validee
    again = valider(d, store, today=TODAY, now=NOW)
    assert not again.validee and "déjà validée" in again.erreur


# -- success ----------------------------------------------------------------------------------
def test_classic_photo_writes_both_pdfs_validates_and_queues_the_email(store) -> None:
    d = complete_demande(store)
    result = valider(d, store, today=TODAY, now=NOW)
    assert result.validee and result.erreur is None
    folder = store.formulaires_dir(d.numero)
    assert [p.name for p in result.fichiers] == [
        f"recapitulatif-{d.numero}.pdf",
        f"formulaire-depot-{d.numero}.pdf",
        f"delai-inscription-{d.numero}.ics",
    ]
    assert folder.stat().st_mode & 0o777 == 0o700
    for path in result.fichiers:
        assert path.stat().st_mode & 0o777 == 0o600
    depot = _pdf_text(result.fichiers[1])
    assert d.numero in depot and "Lœuilliet" in depot and "MAYENNE CEDEX" in depot
    assert "BROUILLON" not in depot  # validated: the form to post carries no draft mark
    # fpdf2 prints a no-break space as a space glyph: the extracted text has plain spaces.
    assert "laissée vide : recopiez-y le numéro donné par le site de".replace("\u00a0", " ") in depot
    from icalendar import Calendar

    [event] = Calendar.from_ical(result.fichiers[2].read_bytes()).walk("VEVENT")
    last_day = add_months(d.motif.retour.date_restitution, 9) - timedelta(days=1)  # F1704
    assert event.decoded("dtstart") == last_day
    assert "Inscrivez-vous sur le site de l'ANTS avant le" in str(event["description"])
    recap = _pdf_text(result.fichiers[0])
    assert "Préfecture d'Annecy" in recap and "Document valide" in recap
    assert 1 <= len(PdfReader(result.fichiers[0]).pages) <= 3  # with the next steps and the deadline

    saved = store.load(d.numero)
    assert saved.etat is Etat.VALIDEE and saved.valide_le == NOW and saved.etape == 7

    assert not result.courriel_envoye
    assert "boîte d'envoi" in result.courriel_message
    [queued] = _outbox_messages(store)
    assert queued.stat().st_mode & 0o777 == 0o600
    msg = email.message_from_bytes(queued.read_bytes(), policy=policy.default)
    assert msg["To"] == "marie.loeuilliet@example.fr"
    assert d.numero in msg["Subject"]
    names = [part.get_filename() for part in msg.iter_attachments()]
    assert names == [f"formulaire-depot-{d.numero}.pdf"]
    body = msg.get_body(("plain",)).get_content()
    assert "CS 80168" in body and "médecin agréé" in body

    assert any(
        "CS 80168 53102 MAYENNE CEDEX" in e or "CS 80168, 53102 MAYENNE CEDEX" in e for e in result.prochaines_etapes
    )
    info = lire_confirmation(store, d.numero)
    assert info is not None and info.fichiers == [str(p) for p in result.fichiers]
    assert info.courriel_message == result.courriel_message


def test_ephoto_writes_only_the_recap_and_attaches_nothing(store) -> None:
    d = complete_demande(store, photo="ephoto")
    result = valider(d, store, today=TODAY, now=NOW)
    assert result.validee
    assert [p.name for p in result.fichiers] == [f"recapitulatif-{d.numero}.pdf", f"delai-inscription-{d.numero}.ics"]
    [queued] = _outbox_messages(store)
    msg = email.message_from_bytes(queued.read_bytes(), policy=policy.default)
    assert list(msg.iter_attachments()) == []
    assert not any("MAYENNE" in e for e in result.prochaines_etapes)


# -- disk failures: the demande stays consistent -------------------------------------------------
def test_full_disk_while_writing_the_second_pdf(store, monkeypatch) -> None:
    d = complete_demande(store)
    real = validation.atomic_write
    calls = []

    def failing(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(validation, "atomic_write", failing)
    result = valider(d, store, today=TODAY, now=NOW)
    assert not result.validee
    assert "disque est plein" in result.erreur and "n'a pas été validée" in result.erreur
    _assert_not_validated(store, d)
    assert list(store.formulaires_dir(d.numero).iterdir()) == []  # the first PDF was removed
    assert _outbox_messages(store) == []


def test_read_only_folder(store, monkeypatch) -> None:
    d = complete_demande(store)

    def read_only(path):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(validation, "ensure_private_dir", read_only)
    result = valider(d, store, today=TODAY, now=NOW)
    assert not result.validee and "lecture seule" in result.erreur
    _assert_not_validated(store, d)


def test_saving_the_validated_state_fails(store, monkeypatch) -> None:
    d = complete_demande(store)

    def no_save(demande, touch=True):
        raise StoreError("Le disque est plein : impossible d'enregistrer.")

    monkeypatch.setattr(store, "save", no_save)
    result = valider(d, store, today=TODAY, now=NOW)
    assert not result.validee and "disque est plein" in result.erreur
    assert d.etat is Etat.BROUILLON and d.valide_le is None
    assert list(store.formulaires_dir(d.numero).glob("*.pdf")) == []


# -- SMTP ---------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.received: list = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return self.reply


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    controllers = []

    def start(reply: str = "250 Message accepted"):
        handler = _Handler(reply)
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        controllers.append(controller)
        return handler, controller.port

    yield start
    for c in controllers:
        c.stop()


class _RawServer:
    """Accepts one connection, then either says hello and hangs up, or says nothing."""

    def __init__(self, mode: str) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.mode = mode
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        if self.mode == "close":
            conn.sendall(b"220 test ESMTP\r\n")
            conn.recv(1024)
            conn.close()
        else:
            self.done.wait(5)
            conn.close()

    def stop(self) -> None:
        self.done.set()
        self.sock.close()


def _smtp_settings(port: int, timeout: float = 5) -> Settings:
    """Settings as the start reads them from a file with this [smtp] section."""
    return Settings.from_toml({"smtp": {"host": "127.0.0.1", "port": port, "starttls": False, "timeout": timeout}})


def test_smtp_accepts(store, smtp_server) -> None:
    handler, port = smtp_server()
    d = complete_demande(store)
    result = valider(d, store, settings=_smtp_settings(port), today=TODAY, now=NOW)
    assert result.validee and result.courriel_envoye
    assert result.courriel_message == "Confirmation envoyée par courriel à marie.loeuilliet@example.fr."
    [envelope] = handler.received
    assert envelope.rcpt_tos == ["marie.loeuilliet@example.fr"]
    msg = email.message_from_bytes(envelope.content, policy=policy.default)
    assert d.numero in msg["Subject"]
    assert [p.get_filename() for p in msg.iter_attachments()] == [f"formulaire-depot-{d.numero}.pdf"]
    assert _outbox_messages(store) == []  # moved to the sent folder
    assert len(list((store.outbox_dir(d.numero) / ".sent" / "cur").iterdir())) == 1
    assert not (store.folder_of(d.numero) / VALIDATION_MARK).exists()  # the validation is complete


def test_smtp_refuses_message_stays_in_outbox(store, smtp_server) -> None:
    _, port = smtp_server("550 5.7.1 Message rejected")
    d = complete_demande(store)
    result = valider(d, store, settings=_smtp_settings(port), today=TODAY, now=NOW)
    assert result.validee and not result.courriel_envoye
    assert "550" in result.courriel_message and "boîte d'envoi" in result.courriel_message
    assert len(_outbox_messages(store)) == 1
    assert store.load(d.numero).etat is Etat.VALIDEE


@pytest.mark.parametrize(("mode", "expected"), [("close", "fermé la connexion"), ("silent", "n'a pas répondu")])
def test_smtp_closes_or_times_out(store, mode, expected) -> None:
    server = _RawServer(mode)
    try:
        d = complete_demande(store)
        result = valider(d, store, settings=_smtp_settings(server.port, timeout=0.5), today=TODAY, now=NOW)
    finally:
        server.stop()
    assert result.validee and not result.courriel_envoye
    assert expected in result.courriel_message
    assert len(_outbox_messages(store)) == 1
    assert store.load(d.numero).etat is Etat.VALIDEE


def test_bad_config_file_is_told_at_start_and_the_email_waits_in_the_outbox(store) -> None:
    from permis_tui.paths import config_file
    from permis_tui.settings import load_settings

    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('theme = "contraste"\n[smtp]\nhost = "smtp.exemple.fr"\nport = 99999\n', encoding="utf-8")
    settings, error = load_settings()
    assert error == (
        f"Fichier de configuration {path} : [smtp] port : indiquez un numéro de port (1 à 65535) (et non 99999)."
    )
    assert (settings.theme, settings.smtp) == ("contraste", None)  # the rest of the file applies
    d = complete_demande(store)
    result = valider(d, store, settings=settings, today=TODAY, now=NOW)
    assert result.validee and not result.courriel_envoye
    assert result.courriel_message.startswith("Aucun serveur de messagerie n'est configuré")
    assert "boîte d'envoi" in result.courriel_message
    assert len(_outbox_messages(store)) == 1


def test_pdfs_rendered_in_a_child_match_in_process(tmp_path):
    """The app renders in a child process; the files must be the same PDFs."""
    from permis_tui.forms.formulaire_depot import DepotData
    from permis_tui.forms.recap_pdf import RecapSection
    from permis_tui.forms.render_child import depot_job, recap_job, render, render_in_child

    jobs = [
        recap_job(
            "2611-AAAA-BBBB", "Récapitulatif", [RecapSection("État civil", [("Nom", "Lœuilliet")])], "01/11/2026"
        ),
        depot_job(DepotData("2611-AAAA-BBBB", "Łukasiewicz", None, ["Zoé"], "F", "00/07/1975", ["74000 Annecy"])),
    ]
    assert render_in_child(jobs) == [render(job) for job in jobs]
