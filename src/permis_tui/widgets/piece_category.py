"""One category of pièces justificatives: its files, their verdicts, attach / view / remove.

The widget only shows state and asks for actions through messages; the screen owns the
draft, runs the checks in workers and calls `show()` with the new state. `show()` changes
the category in place: a new file's line is mounted, a removed one unmounted, every other
line only has its text updated; nothing else on the step is rebuilt, so a verdict appears
without re-laying out the whole screen. A category that is not shown builds nothing until
it is (most of step 5's categories are hidden for a given request).

Focus rule: the focus never stays on a removed widget. A new line's widgets are in the DOM as
soon as `show()` returns, so the focus moves in the same call: to a wished widget (a new
verdict's "Voir"), or, before a file's line goes, to the "Voir" of the file that takes its
place or to "Joindre un fichier".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalGroup
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, LoadingIndicator, Static

from permis_tui.documents import pages_text, size_text
from permis_tui.model.piece_kind import PieceKind
from permis_tui.model.pieces import PieceJointe

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
    """Focus key of a file's "Voir" or "Retirer" button: names the file, whatever its verdict."""
    return f"{action}:{piece.fichier}"


def focus_key(widget: Widget | None) -> str | None:
    return getattr(widget, "focus_key", None)


class QuietUntilMounted(Button):
    """Textual's Button sets its variant / compact classes in its constructor, and every class
    change restyles the node at once: four stylesheet passes per button, wasted on a widget
    not yet mounted (mounting styles it with all its classes anyway)."""

    def update_node_styles(self, animate: bool = True) -> None:
        if self.is_attached:
            super().update_node_styles(animate)


class FileButton(QuietUntilMounted):
    """A "Voir" / "Retirer" button that knows its file (no DOM id: lines come and go)."""

    def __init__(self, label: str, action: str, piece: PieceJointe) -> None:
        super().__init__(label, compact=True, classes=f"piece-{action}")
        self.action_name = action
        self.piece = piece  # replaced when the file is checked again (same file, new verdict)

    @property
    def focus_key(self) -> str:
        return file_key(self.action_name, self.piece)


class AttachButton(QuietUntilMounted):
    """ "Joindre un fichier". It stays enabled while a file is being checked, so that the focus
    stays in the category until the new file's line appears (the screen refuses a second
    attach meanwhile)."""

    focus_key = "attach"

    def __init__(self) -> None:
        super().__init__("Joindre un fichier", classes="piece-attach", compact=True)


def verdict_content(piece: PieceJointe) -> Content:
    """The verdict line, and the warning under it in the same widget (one node per file less)."""
    mark = "✓" if piece.valide else "✗"
    text = Content(f"{mark} {piece.verdict}")
    if piece.avertissement:
        text = Content.assemble(text, "\n", (f"⚠ {piece.avertissement}", "$text-warning"))
    return text


class FileLine:
    """The widgets of one attached file, children of the category itself (no container of
    their own): its name and buttons on one line, its verdict under it."""

    def __init__(self, piece: PieceJointe, read_only: bool, *, composed: bool = True) -> None:
        """`composed`: the line's row holds its widgets from the start (composing the category);
        otherwise `mount` puts them in at once, so that they are laid out in the same frame."""
        self.piece = piece
        self.name = Static(self._name(piece), classes="piece-name", markup=False)
        self.buttons = [FileButton("Voir", "view", piece)]
        if not read_only:
            self.buttons.append(FileButton("Retirer", "remove", piece))
        inside = [self.name, *self.buttons]
        self.row = Horizontal(*inside if composed else (), classes="piece-file")
        self.verdict = Static(verdict_content(piece), classes=self._verdict_classes(piece), markup=False)

    def mount(self, category: Widget, after: Widget) -> None:
        """Mount a line made with `composed=False`: its row, then the row's widgets straight
        away (left to the row's own compose, they would come one frame later, and could not
        take the focus yet)."""
        category.mount_all(self.widgets, after=after)
        self.row.mount_all([self.name, *self.buttons])

    @property
    def widgets(self) -> list[Widget]:
        return [self.row, self.verdict]

    @staticmethod
    def _name(piece: PieceJointe) -> str:
        return f"• {piece.nom_original} — {PieceCategory._facts(piece)}"

    @staticmethod
    def _verdict_classes(piece: PieceJointe) -> str:
        return "piece-verdict " + ("-valid" if piece.valide else "-invalid")

    def update(self, piece: PieceJointe) -> None:
        """The same file checked again: only what changed is redrawn."""
        if piece is self.piece:
            return
        old, self.piece = self.piece, piece
        for button in self.buttons:
            button.piece = piece
        if self._name(piece) != self._name(old):
            self.name.update(self._name(piece))
        if (piece.valide, piece.verdict, piece.avertissement) != (old.valide, old.verdict, old.avertissement):
            self.verdict.update(verdict_content(piece))
            self.verdict.set_class(piece.valide, "-valid")
            self.verdict.set_class(not piece.valide, "-invalid")


class PieceCategory(VerticalGroup):
    description_line: Static  # made with the category's widgets (`_children`)
    description_plain: str
    DEFAULT_CSS = """
    PieceCategory { height: auto; }
    PieceCategory .piece-description { color: $text-muted; }
    PieceCategory .piece-file { height: 1; margin-top: 1; }
    PieceCategory .piece-file .piece-name { width: 1fr; height: 1; text-overflow: ellipsis; text-wrap: nowrap; }
    PieceCategory .piece-file Button { margin-left: 2; width: auto; min-width: 0; }
    PieceCategory .piece-verdict { padding-left: 2; }
    PieceCategory .piece-verdict.-valid { color: $text-success; }
    PieceCategory .piece-verdict.-invalid { color: $text-error; }
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
        shown: bool = True,
    ) -> None:
        super().__init__(id=id)
        self.kind = kind
        self.read_only = read_only
        # Composed with its files from the start: the step opens with the focus on the
        # first file's line, not on a button that a first update would replace.
        self.files: list[PieceJointe] = list(files)
        self.busy: str | None = None  # name of the file being checked
        self.refused: str | None = None  # last file that could not be attached, and why
        self.required = required
        # A hidden category composes nothing until it is first shown.
        self.built = shown
        self.lines: dict[str, FileLine] = {}
        self.busy_text: str | None = None
        self.problems_line: Static | None = None
        self.busy_line: Horizontal | None = None
        self.attach_button: AttachButton | None = None if read_only else AttachButton()

    def show(
        self,
        files: list[PieceJointe],
        *,
        busy: str | None = None,
        refused: str | None = None,
        required: bool = True,
        focus: Sequence[str] = (),
        shown: bool = True,
    ) -> None:
        """`focus`: keys to move the focus to, when it is inside this category.
        `shown`: whether the category is displayed (it is built the first time it is)."""
        state = (list(files), busy, refused, required)
        changed = state != (self.files, self.busy, self.refused, self.required)
        self.files, self.busy, self.refused, self.required = state
        if not self.built:
            if shown:
                self.build()
            return
        if changed or focus:
            self._update(focus)

    @property
    def pages(self) -> int:
        return sum(f.pages or 0 for f in self.files)

    # -- building ------------------------------------------------------------
    def build(self) -> None:
        """Compose a category left empty because it was hidden (no-op once built)."""
        if not self.built:
            self.built = True
            self.mount_all(list(self._children()))

    def compose(self) -> ComposeResult:
        if self.built:
            yield from self._children()

    def _children(self) -> Iterator[Widget]:
        # Made here, not in the constructor: a category built late shows the state of then.
        description = self._new_description()
        self.description_line = Static(description, classes="piece-description", markup=False)
        self.description_plain = description.plain
        yield self.description_line
        for piece in self.files:
            line = self.lines[piece.fichier] = FileLine(piece, self.read_only)
            yield from line.widgets
        self.problems_line = self._new_problems_line()
        if self.problems_line is not None:
            yield self.problems_line
        self.busy_line = self._new_busy_line()
        if self.busy_line is not None:
            self.busy_text = f"Vérification en cours… {self.busy}"
            yield self.busy_line
        if self.attach_button is not None:
            yield self.attach_button

    def _new_description(self) -> Content:
        text = Content(DESCRIPTIONS[self.kind])
        if not self.required and self.files:
            text = Content.assemble(text, "\n", (f"⚠ {NOT_REQUIRED}", "$text-warning"))
        return text

    def _problems_text(self) -> str:
        lines = []
        if self.pages > self.kind.max_pages:
            lines.append(
                f"✗ Trop de pages au total : {pages_text(self.pages)} pour "
                f"{pages_text(self.kind.max_pages)} maximum. Retirez un fichier."
            )
        if self.refused:
            lines.append(f"✗ {self.refused}")
        return "\n\n".join(lines)

    def _new_problems_line(self) -> Static | None:
        text = self._problems_text()
        return Static(text, classes="piece-refused", markup=False) if text else None

    def _new_busy_line(self) -> Horizontal | None:
        if not self.busy:
            return None
        return Horizontal(
            LoadingIndicator(), Static(f"Vérification en cours… {self.busy}", markup=False), classes="piece-busy"
        )

    # -- updating in place -----------------------------------------------------
    def _focusables(self, leaving: set[Widget]) -> list[Widget]:
        # `display` is False on a widget being removed by an earlier update.
        return [w for w in self.query("*") if w.focusable and w.display and w not in leaving]

    def _update(self, prefer: Sequence[str]) -> None:
        screen = self.screen
        focused = screen.focused
        # A focused widget already detached counts as inside: it must be replaced, never kept.
        inside = focused is not None and (self in focused.ancestors or not focused.is_attached)
        before = self._focusables(set()) if inside else []
        index = before.index(focused) if focused in before else 0

        # Description (and the "no longer asked for" notice).
        description = self._new_description()
        if description.plain != self.description_plain:
            self.description_plain = description.plain
            self.description_line.update(description)

        # Files: gone ones leave, kept ones are updated, new ones are mounted in their place.
        wanted = {piece.fichier for piece in self.files}
        leaving: list[Widget] = []
        for key in [k for k in self.lines if k not in wanted]:
            leaving += self.lines.pop(key).widgets
        leaving_set: set[Widget] = set(leaving)
        for widget in leaving:
            leaving_set.update(widget.walk_children(Widget))
        with self.app.batch_update():
            anchor: Widget = self.description_line
            for piece in self.files:
                line = self.lines.get(piece.fichier)
                if line is None:
                    line = self.lines[piece.fichier] = FileLine(piece, self.read_only, composed=False)
                    line.mount(self, after=anchor)
                else:
                    line.update(piece)
                anchor = line.verdict
            self._update_tail()
            if inside:
                # The new widgets are in the DOM already: the focus can go to a new line at once,
                # and leaves a line that goes before it goes.
                assert focused is not None
                target = self._focus_target(focused, [*prefer], index, leaving_set)
                if target is not None and target is not focused:
                    screen.set_focus(target)
            if leaving:
                self.remove_children(leaving)

    def _focus_target(self, focused: Widget, keys: list[str], index: int, leaving: set[Widget]) -> Widget | None:
        """The first wished key, the focused widget's own key, the same place, or after the category."""
        if own := focus_key(focused):
            keys.append(own)
        live = self._focusables(leaving)
        by_key = {focus_key(w): w for w in live if focus_key(w)}
        for key in keys:
            if key in by_key:
                return by_key[key]
        if focused in leaving or not focused.is_attached:
            return live[min(index, len(live) - 1)] if live else self._after_region()
        return None

    def _update_tail(self) -> None:
        text = self._problems_text()
        if text and self.problems_line is None:
            self.problems_line = Static(text, classes="piece-refused", markup=False)
            self._mount_before_tail(self.problems_line, self.busy_line, self.attach_button)
        elif text and self.problems_line is not None and str(self.problems_line.content) != text:
            self.problems_line.update(text)
        elif not text and self.problems_line is not None:
            self.problems_line.remove()
            self.problems_line = None
        busy_text = f"Vérification en cours… {self.busy}" if self.busy else None
        if self.busy_line is not None and (busy_text is None or self.busy_text != busy_text):
            self.busy_line.remove()
            self.busy_line = None
        if busy_text is not None and self.busy_line is None:
            self.busy_line = self._new_busy_line()
            assert self.busy_line is not None
            self._mount_before_tail(self.busy_line, self.attach_button)
        self.busy_text = busy_text

    def _mount_before_tail(self, widget: Widget, *later: Widget | None) -> None:
        following = next((w for w in later if w is not None), None)
        if following is not None:
            self.mount(widget, before=following)
        else:
            self.mount(widget)

    def _after_region(self) -> Widget | None:
        """Nothing focusable is left here: the next widget after the category, as Tab would go."""
        nodes = list(self.screen.walk_children())
        later = set(nodes[nodes.index(self) + 1 :]) - set(self.walk_children())
        chain = self.screen.focus_chain
        return next((w for w in chain if w in later), chain[0] if chain else None)

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
