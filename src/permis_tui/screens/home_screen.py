"""Accueil : « Mes demandes en cours »."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from permis_tui.os_errors import french_os_error
from permis_tui.safe_text import escape
from permis_tui.store import DraftSummary, ScanResult, StoreError
from permis_tui.widgets.filter_table import FilterTable
from permis_tui.widgets.key_bar import KeyBar
from permis_tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from textual import getters

    from permis_tui.app import PermisApp

SEARCH_PLACEHOLDER = "Rechercher dans la liste (nom, prénom, numéro) — touche /"
COLUMNS = ("Prénom", "Nom", "Numéro", "Date de création", "Date de mise à jour", "État")


def matches(demande: DraftSummary, query: str) -> bool:
    """Accent- and case-insensitive search on names, numéro and état; apostrophes and
    hyphens may be typed or left out ("obrien" finds O'BRIEN)."""
    if not query:
        return True
    from permis_tui.referentiel.folding import fold

    return all(word in haystack(demande) for word in fold(query).split())


def _day(moment: datetime) -> str:
    # By hand rather than strftime (~7 times slower), with % rather than an f-string (~1.5
    # times): 2,000 dates for 1,000 demandes on the first screen.
    return "%02d/%02d/%d" % (moment.day, moment.month, moment.year)  # noqa: UP031


def _day_time(moment: datetime) -> str:
    return "%02d/%02d/%d %02d:%02d" % (moment.day, moment.month, moment.year, moment.hour, moment.minute)  # noqa: UP031


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def haystack(demande: DraftSummary) -> str:
    """What the search looks into, folded (see matches)."""
    from permis_tui.referentiel.folding import search_text

    return search_text(*demande.prenoms, demande.nom, demande.nom_usage, demande.numero, demande.etat_label)


class HomeScreen(Screen):
    if TYPE_CHECKING:  # what `self.app` is for the type checker; at run time, Textual's own property
        app = getters.app(PermisApp)
    AUTO_FOCUS = "#home-table"
    BINDINGS = [
        # The tooltip is the line of the F1 keys table.
        Binding(
            "n",
            "new",
            "Nouvelle demande",
            id="home.new",
            tooltip="commencer une nouvelle demande ; son numéro est attribué tout de suite, et elle est "
            "enregistrée dès votre première réponse (partir sans répondre ne laisse aucun brouillon vide)",
        ),
        Binding(
            "r",
            "resume",
            "Reprendre",
            id="home.resume",
            tooltip="reprendre la demande sélectionnée là où vous l'avez laissée (aussi Entrée)",
        ),
        Binding(
            "d",
            "duplicate",
            "Dupliquer",
            id="home.duplicate",
            tooltip="dupliquer une demande (utile pour refaire une demande validée)",
        ),
        Binding("s,delete", "delete", "Supprimer", id="home.delete", tooltip="placer une demande dans la corbeille"),
        Binding(
            "u",
            "undo_delete",
            "Annuler la suppression",
            id="home.undo",
            show=False,
            tooltip="juste après une suppression : l'annuler",
        ),
        Binding(
            "c",
            "trash",
            "Corbeille",
            id="home.trash",
            tooltip="ouvrir la corbeille : y restaurer une demande, ou l'effacer du disque (s supprimer "
            "définitivement, v vider la corbeille, après confirmation)",
        ),
        Binding("slash", "search", "Rechercher", id="home.search", tooltip="rechercher par nom, prénom ou numéro"),
        Binding("f1", "help", "Aide", id="home.help", tooltip="cette aide"),
        Binding("e", "example", "Charger un exemple", id="home.example"),
    ]

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The fictional example exists only in demo mode.
        if action == "example":
            return self.app.demo
        return True

    def __init__(self) -> None:
        super().__init__(id="home")
        self.demandes: list[DraftSummary] = []
        self._haystacks: dict[str, str] = {}  # numéro → folded text the search looks into
        self.last_deleted: str | None = None

    def compose(self) -> ComposeResult:
        if self.app.demo:
            from permis_tui.widgets.demo_banner import DemoBanner  # demo mode only: no class to build otherwise

            yield DemoBanner()
        yield Static("Mes demandes en cours", id="home-title")
        yield Static("", id="home-alert", markup=False)
        search = TextInput(placeholder=SEARCH_PLACEHOLDER, id="home-search", compact=True)
        # As wide as its placeholder, and fixed: an `auto` width lays the whole screen out
        # again at each keystroke; a longer search scrolls within the field.
        search.styles.width = cell_len(SEARCH_PLACEHOLDER)
        yield search
        yield FilterTable(id="home-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="home-empty", markup=False)
        # Plain text rather than buttons: read aloud as is, and cheap to build at startup.
        example = "[b]e[/b] charger un exemple fictif · " if self.app.demo else ""
        yield Static(
            f"Actions : {example}[b]n[/b] nouvelle demande · [b]Entrée[/b] ou [b]r[/b] reprendre · "
            "[b]d[/b] dupliquer · [b]s[/b] supprimer · [b]u[/b] annuler la suppression · "
            "[b]c[/b] corbeille · [b]/[/b] rechercher",
            id="home-actions",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        # Also sent when the screen first shows: on_mount has just listed the drafts then.
        if getattr(self, "_shown_once", False):
            self.reload()
        self._shown_once = True

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self.size:
            # Laid out at this size already: Textual (Screen's own handler, which this skips)
            # would lay the whole screen out again for each Resize. At startup the home screen
            # gets three of the same size, which its queue does not merge as a bare screen's
            # does (messages from the mounting of its widgets come in between): two more
            # layouts before the first frame is complete (~2-4 ms with 1,000 demandes).
            event.prevent_default()
        # Rebuild the table only when it crosses the 100-column layout switch.
        if (self.app.size.width >= 100) != getattr(self, "_wide", None):
            self.refresh_table()

    def reload(self, select: str | None = None) -> None:
        """List the demandes from the index at once (draft_index: one stat each, no model);
        those the model has not read yet are checked in a worker once the screen is shown.
        `select`: the request to put the cursor on (a copy just made)."""
        try:
            result = self.app.store.summaries()
        except OSError as exc:
            result = ScanResult([], [])
            self.app.store_error = f"Lecture du dossier impossible ({french_os_error(exc)})."
        self.show(result, select=select)
        if result.unverified:
            # After the first frame: the model (pydantic) is no part of drawing the list.
            self.call_after_refresh(self.validate_drafts)

    @work(thread=True, exclusive=True, group="home-scan", exit_on_error=False)
    def validate_drafts(self) -> None:
        """The model reads the demandes not verified yet: a damaged one is set aside and reported."""
        try:
            result = self.app.store.summaries(verify=True)
        except Exception:  # noqa: BLE001 - the quick listing stays on screen
            return
        self.app.call_from_thread(self.show, result)

    def show(self, result: ScanResult, select: str | None = None) -> None:
        self.demandes = result.demandes
        self._haystacks = {}  # filled on the first search
        alerts = []
        if self.app.store_error:
            alerts.append("⚠ " + self.app.store_error)
        if self.app.recovery_resume:  # what start-up recovery cleaned after a crash, one line
            alerts.append("ℹ " + self.app.recovery_resume)
        for problem in result.problems:
            where = f" ; mis de côté dans {problem.deplace_vers}" if problem.deplace_vers else " ; laissé en place"
            alerts.append(f"⚠ Fichier illisible « {problem.fichier} » : {problem.raison}{where}.")
        alert = self.query_one("#home-alert", Static)
        # File names from the data dir, escaped (nothing to escape, nor its pattern to compile, without alerts).
        alert.update(escape("\n".join(alerts), keep_newlines=True) if alerts else "")
        alert.display = bool(alerts)
        self.refresh_table(select=select)

    def refresh_table(self, select: str | None = None) -> None:
        """Build the table's rows (once per listing or width change), then filter them."""
        table = self.query_one("#home-table", FilterTable)
        keep = select or self.selected()
        table.clear(columns=True)
        # At 80 columns the headers go on two lines and the times are left out.
        wide = self._wide = self.app.size.width >= 100
        labels = COLUMNS if wide else ("Prénom", "Nom", "Numéro", "Date de\ncréation", "Date de\nmise à jour", "État")
        when = _day_time if wide else _day
        rows: list[tuple[str, ...]] = [
            (d.prenom or "—", d.nom or "—", d.numero, when(d.cree_le), when(d.modifie_le), d.etat_label)
            for d in self.demandes
        ]
        # Widths are set here rather than measured later, so the table is right on its first frame.
        cells = list(zip(*rows, strict=True)) or [()] * len(labels)  # column by column
        widths = [
            min(30, max([len(line) for line in label.split("\n")] + [max(map(len, column), default=0)]))
            for label, column in zip(labels, cells, strict=True)
        ]
        widths = self._fit_names(widths, table)
        for label, width in zip(labels, widths, strict=True):
            # A Text: a plain label, never read as markup (nor its emoji codes loaded for it).
            table.add_column(Text(label), width=width)
        # A shortened name says so ("O'Brien-L…"); the search still finds the whole name.
        first, last = widths[0], widths[1]
        rows = [
            row if len(row[0]) <= first and len(row[1]) <= last else (_cut(row[0], first), _cut(row[1], last), *row[2:])
            for row in rows
        ]
        table.header_height = 1 if wide else 2
        table.set_rows([(d.numero, row) for d, row in zip(self.demandes, rows, strict=True)])
        self.filter_table(keep)

    def filter_table(self, keep: str | None = None) -> None:
        """Show the rows the search finds, in place: no row is built again (one keystroke, 1,000 rows)."""
        query = self.query_one("#home-search", Input).value
        table = self.query_one("#home-table", FilterTable)
        keep = keep or self.selected()
        if query.strip():
            from permis_tui.referentiel.folding import fold

            if not self._haystacks:
                self._haystacks = {d.numero: haystack(d) for d in self.demandes}
            words = fold(query).split()
            shown = [n for n, text in self._haystacks.items() if all(word in text for word in words)]
            table.show_only(set(shown))
        else:
            shown = [d.numero for d in self.demandes]
            table.show_only(None)
        if keep in set(shown):
            table.move_cursor(row=table.get_row_index(keep))
        empty = self.query_one("#home-empty", Static)
        if not self.demandes:
            text = "Aucune demande à afficher. Appuyez sur n pour commencer une nouvelle demande."
        elif not shown:
            text = f"Aucune demande ne correspond à « {query[:40]} »."
        else:
            text = f"{len(shown)} demande(s). Entrée ou r pour reprendre."
        # One line before and after: no new layout of the screen for each keystroke.
        region = empty.content_region
        empty.update(text, layout=not (region.height == 1 and len(text) <= region.width))
        if shown:
            table.focus() if not self.query_one("#home-search", Input).has_focus else None

    def _fit_names(self, widths: list[int], table: DataTable) -> list[int]:
        """The table cannot be scrolled sideways from the keyboard: when the columns are wider
        than the screen, the names (first two columns) are shortened, never the numéro,
        the dates or the état."""
        margin = table.styles.margin
        room = (
            self.app.size.width
            - margin.left
            - margin.right
            - table.styles.scrollbar_size_vertical
            - 2 * table.cell_padding * len(widths)
        )
        widths = list(widths)
        excess = sum(widths) - room
        while excess > 0 and max(widths[:2]) > 6:
            widest = 0 if widths[0] >= widths[1] else 1
            widths[widest] -= 1
            excess -= 1
        return widths

    @on(Input.Changed, "#home-search")
    def _search(self, event: Input.Changed) -> None:
        self.filter_table()
        # Textual paints on its next 60 Hz tick, up to 16 ms after the keystroke: the field
        # and the filtered table are painted now (the tick then finds nothing left to paint).
        # Textual is pinned (8.2.8); the pilot tests read the table after each key.
        if self.is_current and not self.app._batch_count:
            self._on_timer_update()

    @on(Input.Submitted, "#home-search")
    def _search_done(self) -> None:
        self.query_one("#home-table", DataTable).focus()

    def selected(self) -> str | None:
        table = self.query_one("#home-table", DataTable)
        if table.row_count == 0 or not table.columns:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_resume()

    def action_search(self) -> None:
        self.query_one("#home-search", Input).focus()

    def action_new(self) -> None:
        try:
            demande = self.app.store.new()
        except StoreError as exc:
            self.notify(str(exc), title="Création impossible", severity="error", timeout=8)
            return
        self.notify(f"Nouvelle demande n° {demande.numero} : elle sera enregistrée dès votre première réponse.")
        self.app.open_demande(demande, 1, nouvelle=True)

    def action_resume(self) -> None:
        numero = self.selected()
        if numero is None:
            self.notify("Aucune demande sélectionnée.", severity="warning")
            return
        try:
            demande = self.app.store.load(numero)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            self.reload()
            return
        self.notify(f"Demande n° {numero} reprise à l'étape {min(demande.etape, 7)}.")
        self.app.open_demande(demande)

    @work(exclusive=True, group="home-dialog")
    async def action_duplicate(self) -> None:
        numero = self.selected()
        if numero is None:
            self.notify("Aucune demande sélectionnée.", severity="warning")
            return
        from permis_tui.screens.confirm_dialog import ConfirmDialog

        if not await self.app.push_screen_wait(
            ConfirmDialog(
                f"Dupliquer la demande n° {numero} ?",
                detail="Une nouvelle demande (brouillon) reprendra les mêmes réponses et pièces.",
            )
        ):
            return
        try:
            copy = self.app.store.duplicate(numero)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(f"Demande n° {numero} dupliquée : nouvelle demande n° {copy.numero}.")
        self.reload(select=copy.numero)  # the cursor on the copy: Entrée opens it

    @work(exclusive=True, group="home-dialog")
    async def action_delete(self) -> None:
        numero = self.selected()
        if numero is None:
            self.notify("Aucune demande sélectionnée.", severity="warning")
            return
        from permis_tui.screens.confirm_dialog import ConfirmDialog

        if not await self.app.push_screen_wait(
            ConfirmDialog(
                f"Supprimer la demande n° {numero} ?",
                detail="Elle sera placée dans la corbeille ; touche u juste après pour annuler.",
                yes="Supprimer",
                no="Garder",
            )
        ):
            return
        try:
            self.app.store.delete(numero)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.last_deleted = numero
        self.notify(f"Demande n° {numero} placée dans la corbeille. Touche u pour annuler.", timeout=8)
        self.reload()

    def action_undo_delete(self) -> None:
        if not self.last_deleted:
            self.notify("Rien à annuler.", severity="warning")
            return
        try:
            self.app.store.restore(self.last_deleted)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Demande n° {self.last_deleted} restaurée.")
        self.last_deleted = None
        self.reload()

    @work(thread=True, exclusive=True, group="home-example", exit_on_error=False)
    def action_example(self) -> None:
        """Demo only: a fictional applicant with real communes and generated documents."""
        if not self.app.demo:
            return
        from permis_tui.demo import exemple_demande

        self.app.call_from_thread(self.notify, "Création de l'exemple et vérification des documents…")
        try:
            demande = exemple_demande(self.app.store)
        except Exception as exc:  # noqa: BLE001 - a failed example must not end the demo
            self.app.call_from_thread(
                self.notify, f"Exemple impossible à créer ({type(exc).__name__}).", severity="error"
            )
            return
        self.app.call_from_thread(self.notify, f"Exemple chargé : demande n° {demande.numero} (personne fictive).")
        self.app.call_from_thread(self.reload)

    def action_trash(self) -> None:
        from permis_tui.screens.trash_dialog import TrashDialog

        def restored(numero: str | None) -> None:
            if numero:
                self.notify(f"Demande n° {numero} restaurée.")
                self.reload()

        self.app.push_screen(TrashDialog(), restored)

    def action_help(self) -> None:
        from permis_tui.screens.help_screen import HelpScreen, key_rows

        shown = [
            b for b in HomeScreen.BINDINGS if isinstance(b, Binding) and self.check_action(b.action, ())
        ]  # e: demo
        keys = key_rows(shown) + key_rows(type(self.app).BINDINGS)
        self.app.push_screen(HelpScreen("Mes demandes en cours", HOME_HELP, keys=keys))


HOME_HELP = """\
Cet écran liste vos demandes de permis de conduire enregistrées sur cet ordinateur.

Vos demandes sont enregistrées automatiquement pendant la saisie, à chaque étape et lorsque vous
quittez ; si un enregistrement échoue, l'assistant vous le dit avant d'aller plus loin.
"""
