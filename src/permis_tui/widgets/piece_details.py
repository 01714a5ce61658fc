""""Voir" a piece: what was checked and where its copy is kept."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from permis_tui.documents import TYPE_NAMES, pages_text, size_text
from permis_tui.model.pieces import PieceJointe


def details_text(piece: PieceJointe, stored: Path) -> str:
    mark = "✓" if piece.valide else "✗"
    lines = [
        f"Catégorie : {piece.kind.label}",
        f"Nom du fichier : {piece.nom_original}",
        f"Vérification : {mark} {piece.verdict}",
    ]
    if piece.avertissement:
        lines.append(f"Attention : {piece.avertissement}")
    kind = TYPE_NAMES.get(piece.type_detecte or "", "non déterminé")
    lines += [
        f"Type détecté : {kind}",
        f"Pages : {_pages(piece)}",
        f"Taille : {size_text(piece.taille)}",
    ]
    if piece.largeur and piece.hauteur:
        lines.append(f"Dimensions : {piece.largeur} × {piece.hauteur} pixels")
    lines += [
        f"Joint le : {piece.ajoute_le:%d/%m/%Y à %H:%M}",
        f"SHA-256 : {piece.sha256}",
        f"Copie enregistrée : {stored}",
    ]
    return "\n".join(lines)


def _pages(piece: PieceJointe) -> str:
    if piece.pages is not None:
        return pages_text(piece.pages)
    # Counting stops once the category's limit is passed.
    too_many = (piece.raison or "").startswith("Trop de pages")
    return f"plus de {pages_text(piece.kind.max_pages)} (comptage arrêté)" if too_many else "non comptées"


class PieceDetails(ModalScreen[None]):
    DEFAULT_CSS = """
    PieceDetails { align: center middle; }
    PieceDetails #details { width: 90; max-width: 100%; height: auto; max-height: 90%;
                            border: thick $primary; background: $surface; padding: 1 2; }
    PieceDetails #details-title { text-style: bold; margin-bottom: 1; }
    PieceDetails #details-close { margin-top: 1; }
    """
    BINDINGS = [Binding("escape,q", "close", "Fermer", id="details.close")]

    def __init__(self, piece: PieceJointe, stored: Path) -> None:
        super().__init__()
        self.piece = piece
        self.stored = stored

    def compose(self) -> ComposeResult:
        with Vertical(id="details"):
            yield Static("Détail du fichier joint", id="details-title")
            yield Static(details_text(self.piece, self.stored), id="details-body", markup=False)
            yield Button("Fermer (Échap)", id="details-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#details-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
