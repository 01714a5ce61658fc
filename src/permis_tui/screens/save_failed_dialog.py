"""A save failed: nothing moves on until the person decides (Réessayer / Rester / Quitter sans enregistrer)."""

from __future__ import annotations

from permis_tui.screens.choice_dialog import ChoiceDialog

RETRY, STAY, DISCARD = "retry", "stay", "discard"


class SaveFailedDialog(ChoiceDialog):
    """`leaving` says what "quitter" means here, e.g. "l'étape 2" or "l'application"."""

    def __init__(self, error: str, lost: list[str], *, leaving: str, lost_for_good: bool) -> None:
        if not lost:
            what = "Aucune modification n'est en attente, mais l'enregistrement n'a pas pu être vérifié."
        else:
            shown = lost[:6] + ([f"et {len(lost) - 6} autre(s)"] if len(lost) > 6 else [])
            what = ("Seraient perdus : " if lost_for_good else "Pas encore enregistrés : ") + " ; ".join(shown) + "."
        if not lost_for_good and lost:
            what += " Ils restent en mémoire et seront enregistrés dès que possible."
        super().__init__(
            f"Enregistrement impossible avant de quitter {leaving}",
            f"{error}\n\n{what}",
            [(RETRY, "Réessayer", "r"), (STAY, "Rester", "Échap"), (DISCARD, "Quitter sans enregistrer", "q")],
            escape=STAY,
        )
