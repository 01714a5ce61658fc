"""One category of pièces justificatives: its files, their verdicts, attach / view / remove.

The widget only shows state and asks for actions through messages; the screen owns the
draft, runs the checks in workers and calls `show()` with the new state. Each show rebuilds
the widget; its buttons carry focus keys so that the focus survives (see RebuildRegion).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, LoadingIndicator, Static

from permis_tui.documents import pages_text, size_text
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.pieces import PieceJointe
from permis_tui.widgets.rebuild_region import RebuildRegion

DESCRIPTIONS = {
    PieceKind.IDENTITE: "Images du recto et du verso de votre pièce d'identité.",
    PieceKind.DOMICILE: (
        "Une facture doit dater de moins de six mois ; pour une personne mineure, le justificatif "
        "est celui du parent qui l'héberge."
    ),
    PieceKind.MEDICAL: (
        "Si vous n'avez pas encore réalisé la visite médicale, faites remplir et viser l'avis médical "
        "par un médecin agréé par votre préfecture, puis joignez-le ici. Si vous avez déjà réalisé la "
        "visite médicale, joignez le feuillet bleu remis par votre médecin."
    ),
    PieceKind.HEBERGEMENT: (
        "Attestation d'hébergement datée et signée par la personne qui vous héberge "
        "(pour une personne mineure : par un parent)."
    ),
    PieceKind.IDENTITE_HEBERGEANT: "Images du recto et du verso de la pièce d'identité de la personne qui vous héberge.",
    PieceKind.IDENTITE_REPRESENTANT: "Images du recto et du verso de la pièce d'identité du parent qui signe l'attestation d'hébergement.",
    PieceKind.ASSR: "Attestation scolaire de sécurité routière de 2e niveau (ASSR2) ou attestation de sécurité routière (ASR).",
    PieceKind.JDC: "Attestation de recensement ou certificat de participation à la journée défense et citoyenneté (JDC).",
}
NOT_REQUIRED = "Cette pièce n'est plus demandée d'après vos réponses : vous pouvez retirer ces fichiers."


def counter_text(kind: PieceKind, pages: int) -> str:
    """ "(2 pages / 2 pages maximum)", as the ANTS site shows it."""
    return f"({pages_text(pages)} / {pages_text(kind.max_pages)} maximum)"


def file_key(action: str, piece: PieceJointe) -> str:
    """Focus key of a file's "Voir" or "Retirer" button: the same after every rebuild."""
    return f"{action}:{piece.fichier}"


class FileButton(Button):
    """A "Voir" / "Retirer" button that knows its file (no DOM id: rows are recomposed)."""

    def __init__(self, label: str, action: str, piece: PieceJointe) -> None:
        super().__init__(label, compact=True, classes=f"piece-{action}")
        self.action_name = action
        self.piece = piece
        self.focus_key = file_key(action, piece)


class AttachButton(Button):
    """ "Joindre un fichier". It stays enabled while a file is being checked, so that the focus
    stays in the category until the new file's line appears (the screen refuses a second
    attach meanwhile)."""

    focus_key = "attach"

    def __init__(self) -> None:
        super().__init__("Joindre un fichier", classes="piece-attach", compact=True)


class PieceCategory(RebuildRegion):
    DEFAULT_CSS = """
    PieceCategory { height: auto; }
    PieceCategory .piece-description { color: $text-muted; }
    PieceCategory .piece-file { height: 1; margin-top: 1; }
    PieceCategory .piece-file .piece-name { width: 1fr; height: 1; text-overflow: ellipsis; text-wrap: nowrap; }
    PieceCategory .piece-file Button { margin-left: 2; width: auto; min-width: 0; }
    PieceCategory .piece-verdict { padding-left: 2; }
    PieceCategory .piece-verdict.-valid { color: $text-success; }
    PieceCategory .piece-verdict.-invalid { color: $text-error; }
    PieceCategory .piece-warning { padding-left: 2; color: $text-warning; }
    PieceCategory .piece-notice { color: $text-warning; }
    PieceCategory .piece-refused { color: $text-error; margin-top: 1; }
    PieceCategory .piece-busy { height: 1; margin-top: 1; }
    PieceCategory .piece-busy LoadingIndicator { width: 8; height: 1; min-height: 1; }
    PieceCategory .piece-busy Static { width: 1fr; }
    PieceCategory .piece-attach { margin-top: 1; }
    """

    class Attach(Message):
        def __init__(self, category: PieceCategory) -> None:
            super().__init__()
            self.category = category

        @property
        def control(self) -> PieceCategory:
            return self.category

    class View(Attach):
        def __init__(self, category: PieceCategory, piece: PieceJointe) -> None:
            super().__init__(category)
            self.piece = piece

    class Remove(View):
        pass

    def __init__(
        self,
        kind: PieceKind,
        files: Sequence[PieceJointe] = (),
        *,
        required: bool = True,
        id: str | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(id=id)
        self.kind = kind
        self.read_only = read_only
        # Composed with its files from the start: the step opens with the focus on the
        # first file's line, not on a button that the first rebuild would replace.
        self.files: list[PieceJointe] = list(files)
        self.busy: str | None = None  # name of the file being checked
        self.refused: str | None = None  # last file that could not be attached, and why
        self.required = required

    def show(
        self,
        files: list[PieceJointe],
        *,
        busy: str | None = None,
        refused: str | None = None,
        required: bool = True,
        focus: Sequence[str] = (),
    ) -> None:
        """`focus`: keys to move the focus to, when it is inside this category."""
        state = (list(files), busy, refused, required)
        if state == (self.files, self.busy, self.refused, self.required) and not focus:
            return  # nothing changed: no rebuild
        self.files, self.busy, self.refused, self.required = state
        self.rebuild(prefer=focus)

    @property
    def pages(self) -> int:
        return sum(f.pages or 0 for f in self.files)

    def compose(self) -> ComposeResult:
        yield Static(DESCRIPTIONS[self.kind], classes="piece-description", markup=False)
        if not self.required and self.files:
            yield Static(f"⚠ {NOT_REQUIRED}", classes="piece-notice", markup=False)
        for piece in self.files:
            with Horizontal(classes="piece-file"):
                yield Static(f"• {piece.nom_original} — {self._facts(piece)}", classes="piece-name", markup=False)
                yield FileButton("Voir", "view", piece)
                if not self.read_only:
                    yield FileButton("Retirer", "remove", piece)
            mark = "✓" if piece.valide else "✗"
            yield Static(
                f"{mark} {piece.verdict}",
                markup=False,
                classes="piece-verdict " + ("-valid" if piece.valide else "-invalid"),
            )
            if piece.avertissement:
                yield Static(f"⚠ {piece.avertissement}", classes="piece-warning", markup=False)
        if self.pages > self.kind.max_pages:
            yield Static(
                f"✗ Trop de pages au total : {pages_text(self.pages)} pour "
                f"{pages_text(self.kind.max_pages)} maximum. Retirez un fichier.",
                classes="piece-refused",
                markup=False,
            )
        if self.refused:
            yield Static(f"✗ {self.refused}", classes="piece-refused", markup=False)
        if self.busy:
            with Horizontal(classes="piece-busy"):
                yield LoadingIndicator()
                yield Static(f"Vérification en cours… {self.busy}", markup=False)
        if not self.read_only:
            yield AttachButton()

    @staticmethod
    def _facts(piece: PieceJointe) -> str:
        size = size_text(piece.taille)
        return f"{pages_text(piece.pages)}, {size}" if piece.pages is not None else size

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        if isinstance(button, FileButton):
            message = self.View if button.action_name == "view" else self.Remove
            self.post_message(message(self, button.piece))
        elif button.has_class("piece-attach"):
            self.post_message(self.Attach(self))
