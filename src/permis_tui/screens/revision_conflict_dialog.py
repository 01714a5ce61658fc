"""The demande changed in another session since it was opened here: the person chooses, nothing is lost silently."""

from __future__ import annotations

from permis_tui.screens.choice_dialog import ChoiceDialog

RELOAD, KEEP_COPY, LATER = "reload", "copy", "later"


class RevisionConflictDialog(ChoiceDialog):
    def __init__(self, error: str, mine: list[str], *, deleted: bool) -> None:
        answers = [(KEEP_COPY, "Garder ma version comme nouvelle demande", "c")]
        if not deleted:
            answers.append((RELOAD, "Recharger la version de l'autre session", "r"))
        answers.append((LATER, "Décider plus tard", "Échap"))
        changes = ("Vos modifications : " + " ; ".join(mine[:6]) + ".") if mine else ""
        if not deleted:
            changes += " Recharger les abandonne ; les garder crée une nouvelle demande."
        super().__init__(
            "Demande modifiée dans une autre session", f"{error}\n\n{changes}".strip(), answers, escape=LATER
        )
