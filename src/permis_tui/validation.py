"""Validating a demande (step 6 → 7): PDFs, state change, confirmation email.

Domain core, no Textual; blocking (PDF rendering, fsync, SMTP): the wizard
runs it in a worker thread. Order matters, so that a crash at any point leaves
something recovery (permis_tui.recovery) can finish or undo:

1. refuse with the list of issues while anything is missing;
2. write the mark ``.validation-en-cours`` into the demande's folder: what recovery
   finishes or undoes is only ever a validation that left it (never a validée demande
   that arrived without its email, as an import does: its email went out long ago);
3. write every PDF into the demande's ``formulaires/`` (0700/0600, atomic);
4. queue the confirmation email in the demande's Maildir ``outbox/`` (not sent yet);
5. only then mark the demande validée and save it (revision-checked: a session that
   saved meanwhile wins, and nothing is validated); a failure here removes the PDFs,
   the queued email and the mark, leaving a brouillon — a crash here leaves a brouillon
   with stray files, which recovery removes;
6. remove the mark: the validation is complete (a crash before leaves a validée with
   its email queued; recovery removes the mark);
7. send the queued email over SMTP when configured: a failure is reported, the
   demande stays validated and the message waits in the outbox (sent again at the
   next start, or by ``permis-tui outbox``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from permis_tui.atomic import atomic_write, ensure_private_dir
from permis_tui.demande_pdfs import depot_filename, pdfs_of
from permis_tui.model.completeness import FieldIssue, validation_issues
from permis_tui.model.conseil import conseil_retour
from permis_tui.model.demande import Demande, Etat
from permis_tui.model.photo import PhotoChoice
from permis_tui.model.rules import avis_medical_requis
from permis_tui.os_errors import write_reason
from permis_tui.preparation import ETAPE_DEPOT, REFERENCE_LABEL
from permis_tui.recap import aujourdhui, depot_data, maintenant
from permis_tui.store import VALIDATION_MARK, DraftStore, StoreError

if TYPE_CHECKING:
    from permis_tui.mail.mail_settings import MailSettings
    from permis_tui.settings import Settings

CTN_ADRESSE = "CTN, CS 80168, 53102 MAYENNE CEDEX"
CONFIRMATION_FILE = "confirmation.json"
RENDER_FAILED = "Les documents PDF n'ont pas pu être produits (le processus de rendu s'est arrêté)."


@dataclass
class ValidationResult:
    validee: bool
    issues: list[FieldIssue] = field(default_factory=list)  # why it was refused
    erreur: str | None = None  # French: files or state could not be written
    fichiers: list[Path] = field(default_factory=list)
    courriel_envoye: bool = False
    courriel_message: str = ""  # French, for the user
    prochaines_etapes: list[str] = field(default_factory=list)
    demande: Demande | None = None


@dataclass
class ConfirmationInfo:
    """What step 7 shows; saved beside the PDFs so a resumed demande shows it again."""

    numero: str
    fichiers: list[str]
    courriel_envoye: bool
    courriel_message: str
    prochaines_etapes: list[str]


def prochaines_etapes(demande: Demande, today: date) -> list[str]:
    """What to do next, in order: the request is only prepared here; it is filed on the ANTS site."""
    steps = []
    if demande.motif.est_retour:
        conseil = conseil_retour(demande.motif.retour, today)
        if conseil.premiere_date is not None:
            steps.append(
                f"Attendez la fin de l'interdiction : aucune demande n'est possible avant le "
                f"{conseil.premiere_date:%d/%m/%Y}."
            )
        depot = ETAPE_DEPOT + (f" {conseil.phrase_delai}" if conseil.phrase_delai else "")
        steps.append(depot)
        if conseil.result.epreuves is not None:
            steps.append(f"Épreuves à repasser : {conseil.result.epreuves.label}.")
    else:
        steps.append(ETAPE_DEPOT)
    if demande.photo.choix is PhotoChoice.COURRIER:
        steps.append(
            "Photo papier : imprimez le formulaire photo-signature que donne le site de l'ANTS ; le formulaire de "
            f"dépôt préparé ici ({depot_filename(demande.numero)}) en reprend la mise en page, avec la case "
            "« Numéro de demande » à remplir avec le numéro de l'ANTS. Collez-y une photo d'identité couleur sans "
            "agrafe, signez à l'encre noire, puis envoyez-le par courrier simple, sans aucune pièce justificative, "
            f"à : {CTN_ADRESSE}."
        )
    elif demande.photo.choix is PhotoChoice.EPHOTO:
        steps.append(
            "Sur le site de l'ANTS, saisissez votre code photo-signature numérique (cabine ou photographe "
            "habilités) : rien à envoyer par courrier."
        )
    if avis_medical_requis(demande.motif):
        steps.append(
            "Avis médical : joignez sur le site de l'ANTS l'avis d'un médecin agréé (ou de la commission médicale "
            "si l'infraction impliquait l'alcool ou les stupéfiants), de moins de 2 ans. Conservez l'original."
        )
    steps.append(
        f"{REFERENCE_LABEL} : {demande.numero}. Elle retrouve cette préparation dans permis-tui ; "
        "ce n'est pas un numéro de demande ANTS."
    )
    return steps


def _io_message(exc: OSError, path: Path) -> str:
    return (
        f"Impossible d'écrire les documents dans {path} ({write_reason(exc)}). "
        "La demande n'a pas été validée : libérez de la place ou corrigez les droits, puis validez à nouveau."
    )


def _missing_attachments(demande: Demande, store: DraftStore) -> list[FieldIssue]:
    """A file copy deleted behind our back: the demande cannot go out without it."""
    issues = []
    for piece in demande.pieces.fichiers:
        if not store.attachment_path(demande.numero, piece.fichier).is_file():
            issues.append(
                FieldIssue(
                    f"pieces.{piece.kind.value}",
                    f"{piece.kind.label} : le fichier « {piece.nom_original} » est introuvable ; joignez-le à nouveau.",
                )
            )
    return issues


def _write_all(files: list[tuple[Path, bytes]]) -> None:
    written: list[Path] = []
    try:
        for path, data in files:
            atomic_write(path, data)
            written.append(path)
    except BaseException:
        for path in written:  # all or nothing: no stray form for an unvalidated demande
            try:
                path.unlink()
            except OSError:
                pass
        raise


def valider(
    demande: Demande,
    store: DraftStore,
    *,
    settings: Settings | None = None,
    today: date | None = None,
    now: datetime | None = None,
    isolated: bool = False,
) -> ValidationResult:
    """Validate `demande` in place (see the module docstring for the order of operations).

    `settings`: the configuration read at start (None: the defaults, no mail server).
    With `isolated`, the PDFs are rendered in a child process, and only there (the app's
    choice: fpdf2, fontTools and Pillow never load into a long-lived session); if the child
    fails, nothing is validated and the person is told.
    """
    today = today or aujourdhui()
    now = now or maintenant()
    if demande.est_validee:
        return ValidationResult(False, erreur=f"La demande n° {demande.numero} est déjà validée.", demande=demande)
    issues = validation_issues(demande, today) or _missing_attachments(demande, store)
    if issues:
        return ValidationResult(False, issues=issues, demande=demande)

    from permis_tui.calendrier import delai_event, ics_filename
    from permis_tui.forms.render_child import ics_job, render, render_in_child

    folder = store.formulaires_dir(demande.numero)
    # The PDFs describe the demande as it will be once validated (no BROUILLON mark on the form).
    as_validated = demande.model_copy(update={"etat": Etat.VALIDEE, "valide_le": now})
    pdfs = pdfs_of(as_validated)
    jobs = [pdf.job(as_validated, now, today) for pdf in pdfs]
    names = [pdf.filename for pdf in pdfs]
    event = delai_event(demande, today, stamp=now)
    if event is not None:  # the R224-20 deadline, for the person's calendar
        jobs.append(ics_job(event))
        names.append(ics_filename(demande.numero))
    rendered = render_in_child(jobs) if isolated else [render(job) for job in jobs]
    if rendered is None:
        return ValidationResult(False, erreur=RENDER_FAILED + " La demande n'a pas été validée.", demande=demande)
    files = [(folder / name, data) for name, data in zip(names, rendered, strict=True)]
    mark = store.folder_of(demande.numero) / VALIDATION_MARK
    try:
        atomic_write(mark, b"")  # durable before any PDF or email: recovery trusts only what it marks
        ensure_private_dir(folder)
        _write_all(files)
    except OSError as exc:
        _write_all_undo([mark])
        return ValidationResult(False, erreur=_io_message(exc, folder), demande=demande)

    etapes = prochaines_etapes(demande, today)
    queued = _queue_confirmation(demande, store, etapes, now)
    if isinstance(queued, str):
        _write_all_undo([p for p, _ in files] + [mark])
        return ValidationResult(False, erreur=f"{queued} La demande n'a pas été validée.", demande=demande)

    previous = (demande.etat, demande.valide_le, demande.etape)
    demande.etat, demande.valide_le, demande.etape = Etat.VALIDEE, now, 7
    try:
        store.save(demande)
    except StoreError as exc:
        demande.etat, demande.valide_le, demande.etape = previous
        _write_all_undo([p for p, _ in files] + [queued, mark])
        return ValidationResult(False, erreur=f"{exc} La demande n'a pas été validée.", demande=demande)
    _end_validation(mark)

    envoye, message = _send_confirmation(demande, queued, settings.smtp if settings else None)
    result = ValidationResult(
        True,
        fichiers=[p for p, _ in files],
        courriel_envoye=envoye,
        courriel_message=message,
        prochaines_etapes=etapes,
        demande=demande,
    )
    _save_confirmation(folder, result)
    return result


def reecrire_formulaire_depot(store: DraftStore, demande: Demande, *, isolated: bool = False) -> Path:
    """Write the deposit form again (after the ANTS numéro was typed at step 7). Blocking.

    With `isolated`, rendered in a child process only (see valider); ValueError if it fails."""
    from permis_tui.forms.render_child import depot_job, render, render_in_child

    job = depot_job(depot_data(demande))
    pdfs = render_in_child([job]) if isolated else [render(job)]
    if pdfs is None:
        raise ValueError(RENDER_FAILED)
    folder = store.formulaires_dir(demande.numero)
    ensure_private_dir(folder)
    path = folder / depot_filename(demande.numero)
    atomic_write(path, pdfs[0])
    return path


def _end_validation(mark: Path) -> None:
    """The validée is saved with its email queued: nothing is left for recovery to finish."""
    try:
        mark.unlink()
    except OSError:
        pass  # left behind: recovery sees the email queued and removes it at the next start


def _write_all_undo(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass


def confirmation_message(demande: Demande, store: DraftStore, etapes: list[str], now: datetime):
    """The confirmation email of a validated demande, with its deposit form when there is one."""
    from permis_tui.mail.confirmation_email import build_confirmation_email

    depot_path = store.formulaires_dir(demande.numero) / depot_filename(demande.numero)
    attachments = []
    if demande.photo.choix is PhotoChoice.COURRIER and depot_path.is_file():
        attachments.append((depot_filename(demande.numero), depot_path.read_bytes()))
    return build_confirmation_email(
        to=demande.adresse.email or "",
        numero=demande.numero,
        prenom=demande.prenom,
        nom=demande.nom,
        prochaines_etapes=etapes,
        attachments=attachments,
        now=now,
    )


def _queue_confirmation(demande: Demande, store: DraftStore, etapes: list[str], now: datetime) -> Path | str:
    """Write the confirmation into the demande's outbox; its path, or a French reason it could not be."""
    from permis_tui.mail.outbox import Outbox

    try:
        return Outbox(store.outbox_dir(demande.numero)).store(confirmation_message(demande, store, etapes, now))
    except OSError as exc:
        return f"Le courriel de confirmation n'a pas pu être préparé ({write_reason(exc)})."


def _send_confirmation(demande: Demande, queued: Path, smtp: MailSettings | None) -> tuple[bool, str]:
    """(sent, French message). Never raises: the demande is already validated and its email queued."""
    from permis_tui.mail.outbox import Outbox

    try:
        result = Outbox(queued.parent.parent).send_if_configured(queued, smtp)
    except OSError as exc:
        return False, f"Le courriel de confirmation n'a pas pu être envoyé ({write_reason(exc)})."
    except Exception as exc:  # noqa: BLE001 - the demande is validated: say so, whatever failed here
        return False, f"Le courriel de confirmation n'a pas pu être envoyé ({type(exc).__name__})."
    if result.sent:
        return True, f"Confirmation envoyée par courriel à {demande.adresse.email}."
    return False, result.message


def _save_confirmation(folder: Path, result: ValidationResult) -> None:
    assert result.demande is not None
    info = ConfirmationInfo(
        result.demande.numero,
        [str(p) for p in result.fichiers],
        result.courriel_envoye,
        result.courriel_message,
        result.prochaines_etapes,
    )
    try:
        atomic_write(folder / CONFIRMATION_FILE, json.dumps(asdict(info), ensure_ascii=False, indent=2).encode())
    except OSError:
        pass  # only a convenience for showing step 7 again; the demande is validated


def lire_confirmation(store: DraftStore, numero: str) -> ConfirmationInfo | None:
    """What step 7 showed when the demande was validated, or None."""
    try:
        folder = store.formulaires_dir(numero)
        from permis_tui.safe_files import read_regular

        info = ConfirmationInfo(**json.loads(read_regular(folder / CONFIRMATION_FILE, 1024 * 1024).decode("utf-8")))
    except (OSError, ValueError, TypeError, StoreError):
        return None
    # The PDFs are where the demande's folder is now (converted layout, moved data folder).
    info.fichiers = [str(folder / Path(f).name) for f in info.fichiers]
    return info


def fichiers_existants(store: DraftStore, numero: str) -> list[Path]:
    folder = store.formulaires_dir(numero)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".pdf", ".ics") and not p.name.startswith("."))


def ecrire_confirmation(store: DraftStore, info: ConfirmationInfo) -> None:
    """For tests and snapshots: the step-7 record without running a validation."""
    folder = store.formulaires_dir(info.numero)
    ensure_private_dir(folder)
    atomic_write(folder / CONFIRMATION_FILE, json.dumps(asdict(info), ensure_ascii=False, indent=2).encode())


__all__ = [
    "ConfirmationInfo",
    "ValidationResult",
    "confirmation_message",
    "ecrire_confirmation",
    "fichiers_existants",
    "lire_confirmation",
    "prochaines_etapes",
    "valider",
]
