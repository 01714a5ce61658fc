"""Choosing a file to attach: a folder tree limited to PDF, JPEG and PNG, or a typed path.

The tree is Textual's DirectoryTree (arrows, Entrée to open a folder or pick a file).
The typed path accepts what a terminal pastes when a file is dropped on it: shell
quoting, backslash escapes, file:// URLs (see `typed_path.clean_typed_path`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Static

from permis_tui.attachments import PICKABLE_SUFFIXES
from permis_tui.safe_text import escape
from permis_tui.typed_path import PathProblem, clean_typed_path
from permis_tui.widgets.text_input import TextInput


class DocumentTree(DirectoryTree):
    """Folders and the accepted document types only; hidden entries left out."""

    def process_label(self, label: str | Text) -> Text:
        # A file name may hold ESC sequences or bidi overrides: listed escaped, never raw.
        return super().process_label(escape(label) if isinstance(label, str) else label)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or (path.suffix.lower() in PICKABLE_SUFFIXES and path.is_file()):
                    shown.append(path)
            except OSError:  # an unreadable entry is simply not offered
                continue
        return shown


class FilePicker(ModalScreen[Path | None]):
    """Returns the chosen path, or None when cancelled."""

    DEFAULT_CSS = """
    FilePicker { align: center middle; }
    FilePicker #picker { width: 100; max-width: 100%; height: 90%; border: thick $primary;
                         background: $surface; padding: 0 1; }
    FilePicker #picker-title { text-style: bold; }
    FilePicker #picker-hint { color: $text-muted; }
    FilePicker DocumentTree { height: 1fr; border: round $border-blurred; }
    FilePicker DocumentTree:focus { border: round $accent; }
    FilePicker #picker-error { color: $text-error; display: none; }
    FilePicker #picker-error.-shown { display: block; }
    FilePicker #picker-buttons { height: 1; margin-top: 1; }
    FilePicker #picker-buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Annuler", id="picker.cancel"),
        Binding("ctrl+l", "focus_path", "Taper un chemin", id="picker.path"),
    ]
    last_folder: ClassVar[Path | None] = None  # reopen where the person last picked a file

    def __init__(self, title: str, start: Path | None = None) -> None:
        super().__init__()
        self.picker_title = title
        self.start = start or FilePicker.last_folder or Path.home()

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(self.picker_title, id="picker-title", markup=False)
            yield Static(
                "↑ ↓ pour se déplacer, Entrée pour ouvrir un dossier ou choisir un fichier "
                "(PDF, JPEG ou PNG). Échap pour annuler.",
                id="picker-hint",
            )
            yield DocumentTree(self.start, id="picker-tree")
            yield Static("Ou tapez (ou collez) le chemin du fichier, puis Entrée (Ctrl+L) :", markup=False)
            yield TextInput(placeholder="/home/moi/Documents/carte identité.pdf", id="picker-path")
            yield Static("", id="picker-error", markup=False)
            with Horizontal(id="picker-buttons"):
                yield Button("Dossier parent", id="picker-up", compact=True)
                yield Button("Annuler", id="picker-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(DocumentTree).focus()

    def _error(self, message: str | None) -> None:
        widget = self.query_one("#picker-error", Static)
        widget.update(f"✗ {message}" if message else "")
        widget.set_class(bool(message), "-shown")

    def _pick(self, path: Path) -> None:
        FilePicker.last_folder = path.parent
        self.dismiss(path)

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self._pick(event.path)

    @on(Input.Submitted, "#picker-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        path = clean_typed_path(event.value)
        if isinstance(path, PathProblem):
            self._error(path.message)
            return
        try:
            is_dir = path.is_dir()
            exists = path.exists()
        except OSError:
            is_dir, exists = False, False
        if is_dir:
            self.query_one(DocumentTree).path = path  # browse from the typed folder
            self._error(None)
            self.query_one(DocumentTree).focus()
            return
        if not exists:
            self._error("Fichier introuvable : vérifiez le chemin.")
            return
        # Any existing file goes on: the check gives the precise verdict (format, size…).
        self._pick(path)

    @on(Button.Pressed, "#picker-up")
    def _up(self, event: Button.Pressed) -> None:
        event.stop()
        tree = self.query_one(DocumentTree)
        current = Path(tree.path)
        tree.path = current.parent
        tree.focus()

    @on(Button.Pressed, "#picker-cancel")
    def _cancel_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_focus_path(self) -> None:
        self.query_one("#picker-path", Input).focus()
