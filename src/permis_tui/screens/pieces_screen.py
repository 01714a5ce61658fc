"""Étape 5 : pièces justificatives.

The categories come from the answers (`pieces_requises`). Every file check runs in a
worker thread (`attachments.attach`: copy, hash, check) and reports back with a
message; the worker never touches a widget. When the screen opens, the stored copies
are re-verified in the same way (a copy that vanished or changed gets a new verdict).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import RadioSet, Static
from textual.worker import Worker, WorkerState

from permis_tui import attachments
from permis_tui.attachments import AttachOutcome
from permis_tui.documents import size_text
from permis_tui.model.catalogue import piece_field_id
from permis_tui.model.completeness import pieces_de_la_demande
from permis_tui.model.piece_kind import DEFAULT_MAX_FILE_BYTES, PieceKind
from permis_tui.model.pieces import PieceJointe
from permis_tui.model.rules import avis_medical_requis
from permis_tui.safe_text import escape
from permis_tui.screens.step_screen import StepScreen
from permis_tui.widgets.field_row import field_dom_id
from permis_tui.widgets.piece_category import PieceCategory, counter_text, file_key

# A check answers in a few milliseconds once the checker runs; a "Vérification en cours…"
# line shown and removed at once would only flash (and cost two rebuilds of the category).
BUSY_SHOWN_AFTER = 0.15  # seconds
CHECK_FAILED = (
    "La vérification du fichier a échoué de façon inattendue : réessayez, "
    "ou enregistrez le document sous un autre format (PDF, JPEG ou PNG)."
)


def intro_text(required: list[PieceKind]) -> str:
    intro = ["Joindre les pièces justificatives numérisées demandées, à savoir :"]
    intro += [f"• {kind.label}" for kind in required]
    return "\n".join(intro)


class PiecesScreen(StepScreen):
    STEP = 5
    HELP = """\
**Ce que demande cette étape** : les pièces justificatives numérisées (PDF, JPEG ou PNG,
10 Mo maximum par fichier). Chaque fichier est vérifié dès qu'il est joint : « Document valide »,
ou la raison précise du refus (protégé par un mot de passe, endommagé, trop de pages…).

**Les pièces demandées** dépendent de vos réponses : pièce d'identité et justificatif de domicile
toujours ; avis médical (valable 2 ans) pour un retour au permis ou une catégorie lourde ;
attestation d'hébergement et pièce d'identité de l'hébergeant si le justificatif n'est pas à votre
nom ; pour une personne mineure, l'attestation d'hébergement signée par un parent, la pièce
d'identité de ce parent et son justificatif de domicile ; pour une première inscription,
l'ASSR2 ou l'ASR avant 21 ans et l'attestation de recensement ou le certificat JDC avant 25 ans.

**Pièces d'identité acceptées** (F31057 ; vous indiquez laquelle en 5.13 et sa date d'expiration en 5.14) :
carte nationale d'identité sécurisée valide ou périmée depuis moins de 5 ans ; passeport
biométrique, même règle ; passeport non biométrique valide ou périmé depuis moins de 2 ans ;
titre de séjour en cours de validité ; justificatif d'identité France Identité, à usage unique,
créé lors de la demande en ligne (depuis le 16 octobre 2024 ; pas de date d'expiration à saisir).

**Justificatifs de domicile acceptés** : facture d'eau, d'électricité, de gaz ou de téléphone de
moins de 6 mois ; dernier avis d'imposition ou de non-imposition ; quittance de loyer non
manuscrite d'un bailleur qui n'est pas un particulier ; attestation de l'hôtel, du camping ou du
port ; attestation d'élection de domicile.

- « Joindre un fichier » ouvre le sélecteur : flèches et Entrée, ou Ctrl+L pour taper le chemin.
- Le fichier est **copié** dans le dossier de la demande : vous pouvez ensuite déplacer ou
  supprimer l'original.
- « Voir » affiche le détail d'un fichier ; « Retirer » le supprime de la demande.
"""

    class Checked(Message):
        """A worker finished checking a file (or failed)."""

        def __init__(self, kind: PieceKind, name: str, outcome: AttachOutcome) -> None:
            super().__init__()
            self.kind = kind
            self.name = name
            self.outcome = outcome

    def __init__(self, *, return_to_recap: bool = False) -> None:
        super().__init__(return_to_recap=return_to_recap)
        self.busy: dict[PieceKind, str] = {}
        # Categories whose check has run long enough to show "Vérification en cours…".
        self.busy_shown: set[PieceKind] = set()
        self.refused: dict[PieceKind, str] = {}

    def show_again(self, *, return_to_recap: bool, resumed: bool = True) -> None:
        # A refusal explains the last attempt while the person is on the step; a step built
        # anew would not show it, so neither does one shown again.
        self.refused.clear()
        super().show_again(return_to_recap=return_to_recap, resumed=resumed)

    # -- layout ----------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        self._required_at_compose = self.required()
        yield Static("Pièces justificatives", classes="section-title")
        yield Static(intro_text(self._required_at_compose), id="pieces-intro", markup=False)
        yield self._category(PieceKind.IDENTITE)
        yield self.choice_field("pieces.identite_type")
        yield self.text_field("pieces.identite_expiration")
        yield Static("Justificatif de domicile", classes="section-title")
        yield self.choice_field("pieces.domicile_type")
        yield self.text_field("pieces.domicile_date")
        yield self.choice_field("pieces.domicile_au_nom")
        for kind in list(PieceKind)[1:]:
            yield self._category(kind)
            if kind is PieceKind.MEDICAL:
                yield self.text_field("pieces.avis_medical_date")
        yield Static(
            "Une fois les pièces jointes, la mention « Document valide » s'affiche pour chacune. "
            "Formats acceptés : PDF, JPEG, PNG ; "
            f"{size_text(self.max_bytes, limit=True)} maximum par fichier.",
            classes="pieces-note",
            markup=False,
        )

    def _category(self, kind: PieceKind):
        files = self.demande.pieces.of(kind)
        required = kind in self._required_at_compose
        control = PieceCategory(
            kind,
            files,
            required=required,
            id=field_dom_id(f"pieces.{kind.value}"),
            read_only=self.read_only,
            shown=required or bool(files),  # the others are built if they come to be shown
        )
        return self.field_row(piece_field_id(kind), control)

    @property
    def max_bytes(self) -> int:
        return getattr(self.app, "max_file_bytes", DEFAULT_MAX_FILE_BYTES)

    def category(self, kind: PieceKind) -> PieceCategory:
        return self.query_one("#" + field_dom_id(f"pieces.{kind.value}"), PieceCategory)

    # -- model <-> widgets -------------------------------------------------
    def load_controls(self) -> None:
        self.reverify_pieces()
        # Hidden categories are built once the step is on screen (after its first frame and the
        # callbacks waiting for it), not while switching to it.
        self.call_after_refresh(self.call_after_refresh, self._build_hidden_categories)

    def _build_hidden_categories(self) -> None:
        for kind in PieceKind:
            self.category(kind).build()

    def required(self) -> list[PieceKind]:
        return pieces_de_la_demande(self.demande, date.today())

    def refresh_dynamic(self, focus: dict[PieceKind, list[str]] | None = None) -> None:
        """`focus`: where the focus goes in a category it is in (a new file's line, or the
        line that takes a removed file's place)."""
        focus = focus or {}
        required = self.required()
        intro_widget = self.query_one("#pieces-intro", Static)
        if str(intro_widget.content) != (text := intro_text(required)):
            intro_widget.update(text)  # an update lays out the whole step again: only on a change
        pieces = self.demande.pieces
        self.rows["pieces.avis_medical_date"].display = avis_medical_requis(self.demande.motif)
        # No expiry date for the single-use France Identité justificatif (F31057).
        self.rows["pieces.identite_expiration"].display = (
            pieces.identite_type is None or pieces.identite_type.a_une_expiration
        )
        for kind in PieceKind:
            row = self.rows[f"pieces.{kind.value}"]
            files = pieces.of(kind)
            row.display = shown = kind in required or bool(files)
            star = " *" if kind in required else ""
            label = row.query_one(".field-label", Static)
            if str(label.content) != (text := f"{row.title} {counter_text(kind, pieces.pages(kind))}{star}"):
                # No layout of its own: the label changes with the category (a line mounted or
                # removed, the row shown or hidden), whose change lays the step out once its
                # widgets are mounted; a layout now would come a frame before them.
                label.update(text, layout=False)
                label.clear_cached_dimensions()  # measured again by that layout
            busy = self.busy.get(kind) if kind in self.busy_shown else None
            self.category(kind).show(
                files,
                busy=busy,
                refused=self.refused.get(kind),
                required=kind in required,
                focus=focus.get(kind, ()),
                shown=shown,
            )

    @on(RadioSet.Changed)
    def _choice(self, event: RadioSet.Changed) -> None:
        field_id = self.store_choice(event)
        if field_id == "pieces.identite_type":
            self.refresh_dynamic()  # the expiry date is asked or not
            self.recheck("pieces.identite_expiration")  # its limit depends on the kind
        elif field_id == "pieces.domicile_au_nom":
            self.refresh_dynamic()  # hébergement categories appear or go

    # -- attach ------------------------------------------------------------
    @on(PieceCategory.Attach)
    def _attach_requested(self, event: PieceCategory.Attach) -> None:
        if type(event) is not PieceCategory.Attach or self.read_only:
            return
        event.stop()
        kind = event.category.kind
        if kind in self.busy:
            self.notify("Vérification en cours : patientez un instant.", severity="warning", timeout=3)
            return
        from permis_tui.widgets.file_picker import FilePicker

        def picked(path: Path | None) -> None:
            if path is not None:
                self.start_check(kind, path)

        self.app.push_screen(FilePicker(f"Joindre un fichier — {kind.label}"), picked)

    def start_check(self, kind: PieceKind, path: Path) -> None:
        self.busy[kind] = escape(path.name)  # shown if the check runs longer than BUSY_SHOWN_AFTER
        self.refused.pop(kind, None)
        self.rows[f"pieces.{kind.value}"].set_error(None)
        self.refresh_dynamic()
        self.set_timer(BUSY_SHOWN_AFTER, lambda: self._show_busy(kind))
        self.check_in_background(kind, path, self.demande.numero, list(self.demande.pieces.fichiers), self.max_bytes)

    def _show_busy(self, kind: PieceKind) -> None:
        if kind in self.busy and kind not in self.busy_shown:
            self.busy_shown.add(kind)
            self.refresh_dynamic()

    @work(thread=True, exit_on_error=False, group="pieces-check")
    def check_in_background(
        self, kind: PieceKind, path: Path, numero: str, existing: list[PieceJointe], max_bytes: int
    ) -> None:
        """Copy, hash and check off the event loop; the result comes back as a message."""
        try:
            # In the app's checker process: the session keeps pypdf/Pillow out of its memory.
            outcome = attachments.attach(
                self.app.store, numero, path, kind, existing=existing, max_bytes=max_bytes, checker=self.app.checker
            )
        except Exception:  # noqa: BLE001 - shown to the person, never a crash
            outcome = AttachOutcome(None, CHECK_FAILED)
        # The name is the disk's: escaped once here, for the notice and the refusal line.
        self.post_message(self.Checked(kind, escape(path.name), outcome))

    @on(Checked)
    def _checked(self, event: Checked) -> None:
        self.busy.pop(event.kind, None)
        self.busy_shown.discard(event.kind)
        piece = event.outcome.piece
        if piece is None:
            self.refused[event.kind] = f"{event.name} : {event.outcome.message} Le fichier n'a pas été joint."
            notice = (f"{event.name} n'a pas été joint.", "warning")
            focus = ["attach"]  # try another file
        else:
            self.demande.pieces.fichiers.append(piece)
            mark = "✓" if piece.valide else "✗"
            notice = (f"{mark} {piece.nom_original} : {piece.verdict}", "information" if piece.valide else "error")
            focus = [file_key("view", piece), "attach"]  # the new file's line
        self.refresh_dynamic(focus={event.kind: focus})
        # The verdict in its category first; the save (a synced write) and the notice, which
        # only repeats it, once that frame is drawn.
        self.call_after_refresh(self._after_verdict, self.demande if piece is not None else None, *notice)

    def _after_verdict(self, attached_to: object, notice: str, severity: SeverityLevel) -> None:
        # Leaving the step or the demande meanwhile has saved it already (goto_step, go_home).
        if attached_to is not None and self.app.demande is attached_to:
            self.app.save_demande()
        self.notify(notice, severity=severity, timeout=4, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Belt and braces: the workers catch everything, but a failure must never vanish.
        if event.state is WorkerState.ERROR and event.worker.group in ("pieces-check", "pieces-reverify"):
            self.busy.clear()
            self.busy_shown.clear()
            self.notify(CHECK_FAILED, severity="error", timeout=8)
            self.refresh_dynamic()

    # -- view / remove -------------------------------------------------------
    @on(PieceCategory.View)
    def _view(self, event: PieceCategory.View) -> None:
        if type(event) is not PieceCategory.View:
            return
        event.stop()
        from permis_tui.widgets.piece_details import PieceDetails

        self.app.push_screen(
            PieceDetails(event.piece, self.app.store.attachment_path(self.demande.numero, event.piece.fichier))
        )

    @on(PieceCategory.Remove)
    def _remove(self, event: PieceCategory.Remove) -> None:
        event.stop()
        if self.read_only:
            return
        from permis_tui.screens.confirm_dialog import ConfirmDialog

        piece, kind = event.piece, event.category.kind

        def answered(yes: bool | None) -> None:
            if not yes or piece not in self.demande.pieces.fichiers:
                return
            # The focus goes to the line that takes its place, or to "Joindre un fichier".
            same_kind = self.demande.pieces.of(kind)
            following = same_kind[same_kind.index(piece) + 1 :]
            focus = [file_key("view", following[0])] if following else []
            try:
                attachments.remove(
                    self.app.store, self.demande.numero, self.demande.pieces, piece, save=self.app.save_demande
                )
            except OSError:
                self.notify(
                    "La copie n'a pas pu être supprimée du disque ; le fichier est retiré de la demande.",
                    severity="warning",
                )
            self.notify(f"{piece.nom_original} a été retiré.", timeout=3, markup=False)
            self.refresh_dynamic(focus={kind: [*focus, "attach"]})

        self.app.push_screen(
            ConfirmDialog(
                f"Retirer « {piece.nom_original} » ({kind.label}) ?",
                yes="Retirer",
                no="Garder",
                detail="La copie enregistrée dans la demande est supprimée. Le fichier d'origine n'est pas modifié.",
            ),
            answered,
        )

    # -- navigation: not while a check runs --------------------------------------
    def can_leave(self) -> bool:
        """Every way out of the step (keys, buttons, palette) waits for the checks."""
        if self.busy:
            self.notify("Vérification en cours : patientez un instant.", severity="warning", timeout=3)
            return False
        return True

    def action_next(self) -> None:
        if self.can_leave():  # before the step's own checks, which would flag the file being checked
            super().action_next()
