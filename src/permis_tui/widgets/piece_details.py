""" "Voir" a piece: what was checked and where its copy is kept."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from permis_tui.documents import TYPE_NAMES, VerdictCode, pages_text, size_text
from permis_tui.model.pieces import PieceJointe
from permis_tui.safe_text import escape_path


def details_text(piece: PieceJointe, stored: Path) -> str:
    mark = "✓" if piece.valide else "✗"
    lines = [
        f"Catégorie : {piece.kind.label}",
        f"Nom du fichier : {piece.nom_original}",
        f"Vérification : {mark} {piece.verdict}",
    ]
    if piece.avertissement:
        lines.append(f"Attention : {piece.avertissement}")
    kind = TYPE_NAMES.get(piece.type_detecte or "", "non déterminé")
    lines += [
        f"Type détecté : {kind}",
        f"Pages : {_pages(piece)}",
        f"Taille : {size_text(piece.taille)}",
    ]
    if piece.largeur and piece.hauteur:
        lines.append(f"Dimensions : {piece.largeur} × {piece.hauteur} pixels")
    lines += [
        f"Joint le : {piece.ajoute_le:%d/%m/%Y à %H:%M}",
        f"SHA-256 : {piece.sha256}",
        f"Copie enregistrée : {escape_path(stored)}",  # the data dir's path, from the environment
    ]
    return "\n".join(lines)


def _pages(piece: PieceJointe) -> str:
    if piece.pages is not None:
        return pages_text(piece.pages)
    # Counting stops once the category's limit is passed.
    too_many = piece.code is VerdictCode.TOO_MANY_PAGES
    return f"plus de {pages_text(piece.kind.max_pages)} (comptage arrêté)" if too_many else "non comptées"


class PieceDetails(ModalScreen[None]):
    DEFAULT_CSS = """
    PieceDetails { align: center middle; }
    PieceDetails #details { width: 90; max-width: 100%; height: 90%; overflow-y: auto;
                            border: thick $primary; background: $surface; padding: 1 2; }
    PieceDetails #details-title { text-style: bold; margin-bottom: 1; }
    PieceDetails #details-close { margin-top: 1; }
    PieceDetails #details-preview-title { text-style: bold; margin-top: 1; }
    PieceDetails #details-preview { height: auto; max-height: 32; overflow-y: auto; }
    """
    BINDINGS = [Binding("escape,q", "close", "Fermer", id="details.close")]

    def __init__(self, piece: PieceJointe, stored: Path) -> None:
        super().__init__()
        self.piece = piece
        self.stored = stored

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="details"):
            yield Static("Détail du fichier joint", id="details-title")
            yield Static(details_text(self.piece, self.stored), id="details-body", markup=False)
            yield Static("Aperçu : préparation…", id="details-preview-title")
            yield Static("", id="details-preview", markup=False)
            yield Button("Fermer (Échap)", id="details-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#details-close", Button).focus()
        self.load_preview()

    @work(thread=True, exit_on_error=False)
    def load_preview(self) -> None:
        """The stored copy, shown in the terminal; computed in a child process."""
        from permis_tui.preview import preview_in_child

        result = None
        if self.piece.type_detecte in ("pdf", "jpeg", "png") and self.stored.exists():
            result = preview_in_child(self.stored, self.piece.type_detecte)
        self.app.call_from_thread(self._show_preview, result)

    def _show_preview(self, result: dict | None) -> None:
        title = self.query_one("#details-preview-title", Static)
        body = self.query_one("#details-preview", Static)
        if result is None:
            title.update("Aperçu : indisponible pour ce fichier.")
            return
        if result["kind"] == "text":
            title.update("Aperçu : texte de la première page")
            body.update("\n".join(result["lines"]))
            return
        title.update("Aperçu de l'image")
        picture = Text()
        for row in result["rows"]:
            for top, bottom in row:
                picture.append(
                    "▀", style=f"rgb({top[0]},{top[1]},{top[2]}) on rgb({bottom[0]},{bottom[1]},{bottom[2]})"
                )
            picture.append("\n")
        body.update(picture)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
