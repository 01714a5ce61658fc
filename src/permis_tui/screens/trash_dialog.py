"""La corbeille : deleted demandes, restorable one by one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from permis_tui.store import DraftSummary, StoreError


class TrashDialog(ModalScreen[str | None]):
    """Dismisses with the numéro restored, or None."""

    BINDINGS = [
        Binding("escape", "close", "Fermer"),
        Binding("r", "restore", "Restaurer"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="trash-panel"):
            yield Static("Corbeille : demandes supprimées", id="trash-title")
            yield DataTable(id="trash-table", cursor_type="row")
            yield Static("", id="trash-help", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Numéro", "Prénom", "Nom", "Mise à jour", "État")
        deleted = [DraftSummary.of(d) for d in self.app.store.trash()]
        deleted.sort(key=lambda d: d.modifie_le, reverse=True)
        for d in deleted:
            table.add_row(d.numero, d.prenom or "—", d.nom or "—", f"{d.modifie_le:%d/%m/%Y %H:%M}", d.etat_label,
                          key=d.numero)
        self.query_one("#trash-help", Static).update(
            "Entrée ou r : restaurer la demande choisie · Échap : fermer" if deleted
            else "La corbeille est vide. Échap : fermer")
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Entrée on a row
        self.action_restore()

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        numero = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        try:
            self.app.store.restore(numero)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.dismiss(numero)

    def action_close(self) -> None:
        self.dismiss(None)
