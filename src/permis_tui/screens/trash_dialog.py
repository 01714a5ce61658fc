"""La corbeille : deleted demandes, restorable one by one, or deleted for good (with confirmation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from permis_tui.store import DemandeVerrouillee, DraftSummary, StoreError

if TYPE_CHECKING:
    from permis_tui.app import PermisApp

HELP = "Entrée ou r : restaurer · s : supprimer définitivement · v : vider la corbeille · Échap : fermer"
EMPTY = "La corbeille est vide. Échap : fermer"


class TrashDialog(ModalScreen[str | None]):
    """Dismisses with the numéro restored, or None."""

    if TYPE_CHECKING:  # what `self.app` is for the type checker; at run time, Textual's own property
        app = getters.app(PermisApp)

    BINDINGS = [
        Binding("escape", "close", "Fermer"),
        Binding("r", "restore", "Restaurer"),
        Binding("s", "erase", "Supprimer définitivement"),
        Binding("v", "empty", "Vider la corbeille"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="trash-panel"):
            yield Static("Corbeille : demandes supprimées", id="trash-title")
            yield DataTable(id="trash-table", cursor_type="row")
            yield Static("", id="trash-help", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Numéro", "Prénom", "Nom", "Mise à jour", "État")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        deleted = [DraftSummary.of(d) for d in self.app.store.trash()]
        deleted.sort(key=lambda d: d.modifie_le, reverse=True)
        for d in deleted:
            table.add_row(
                d.numero, d.prenom or "—", d.nom or "—", f"{d.modifie_le:%d/%m/%Y %H:%M}", d.etat_label, key=d.numero
            )
        self.query_one("#trash-help", Static).update(HELP if deleted else EMPTY)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Entrée on a row
        self.action_restore()

    def _chosen(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_restore(self) -> None:
        numero = self._chosen()
        if numero is None:
            return
        try:
            self.app.store.restore(numero)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.dismiss(numero)

    def action_erase(self) -> None:
        from permis_tui.screens.confirm_dialog import ConfirmDialog

        numero = self._chosen()
        if numero is None:
            return

        def erase() -> tuple[str, str]:
            try:
                self.app.store.erase(numero)
            except DemandeVerrouillee:
                return (
                    f"La demande n° {numero} est ouverte dans une autre session : elle n'est pas supprimée.",
                    "error",
                )
            except StoreError as exc:
                return str(exc), "error"
            return f"Demande n° {numero} supprimée définitivement.", "information"

        def answered(yes: bool | None) -> None:
            if yes:
                self._in_background(erase)
            else:
                self._after_change()

        self.app.push_screen(
            ConfirmDialog(
                f"Supprimer définitivement la demande n° {numero} ?",
                detail=(
                    "La demande, ses pièces justificatives, ses PDF et ses copies mises de côté seront "
                    "effacés du disque, sans retour possible."
                ),
                yes="Supprimer",
                no="Annuler",
            ),
            answered,
        )

    def action_empty(self) -> None:
        from permis_tui.screens.confirm_dialog import ConfirmDialog

        count = self.query_one(DataTable).row_count
        if count == 0:
            return

        def empty() -> tuple[str, str]:
            report = self.app.store.empty_trash()
            message = f"Corbeille vidée : {len(report.erased)} demande(s) supprimée(s) définitivement."
            if report.busy:
                message += f" {len(report.busy)} ouverte(s) dans une autre session, conservée(s)."
            for error in report.errors:
                message += f" {error}"
            return message, "error" if report.busy or report.errors else "information"

        def answered(yes: bool | None) -> None:
            if yes:
                self._in_background(empty)
            else:
                self._after_change()

        self.app.push_screen(
            ConfirmDialog(
                f"Vider la corbeille ({count} demande(s)) ?",
                detail="Ces demandes, leurs pièces justificatives et leurs PDF seront effacés du disque, "
                "sans retour possible.",
                yes="Vider",
                no="Annuler",
            ),
            answered,
        )

    def _in_background(self, job: Callable[[], tuple[str, str]]) -> None:
        """Erase in a worker thread (removing files is disk work); the answer comes back as a notice."""

        def run() -> None:
            try:
                message, severity = job()
            except Exception as exc:  # noqa: BLE001 - said, never a crash of the dialog
                message, severity = f"Suppression impossible ({type(exc).__name__}).", "error"
            try:
                self.app.call_from_thread(self._erased, message, severity)
            except RuntimeError:  # the app closed meanwhile: the files are gone all the same
                pass

        self.run_worker(run, thread=True, exclusive=True, group="corbeille", exit_on_error=False)

    def _erased(self, message: str, severity: SeverityLevel) -> None:
        self.notify(message, severity=severity, timeout=8)
        if self.is_attached:
            self._after_change()

    def _after_change(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)
