"""Command palette (Ctrl+P): go to a step, go to a field by its number, open a request.

A help-desk agent says "champ 2.5" or "demande 2611-…" and gets there in one keystroke.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from permis_tui.model import catalogue
from permis_tui.model.completeness import STEP_TITLES

if TYPE_CHECKING:
    from permis_tui.app import PermisApp

Command = tuple[str, Callable[[], Any], str]  # text, what it does, help

_FIELD_NUMBER = re.compile(r"(?:champ\s*)?(\d)\.(\d{1,2})\b")


class PermisCommands(Provider):
    @property
    def permis_app(self) -> PermisApp:
        return cast("PermisApp", self.app)  # Provider.app is typed App[object]

    async def startup(self) -> None:
        # Read the drafts once when the palette opens, not on every keystroke.
        import asyncio

        try:
            self._summaries = (await asyncio.to_thread(self.permis_app.store.summaries)).demandes
        except OSError:
            self._summaries = []

    def _step_commands(self) -> list[Command]:
        app = self.permis_app
        if app.demande is None:
            return []
        return [
            (f"Aller à l'étape {step} : {title}", partial(app.goto_step, step), f"Demande n° {app.demande.numero}")
            for step, title in STEP_TITLES.items()
        ] + [
            (
                "Accueil : mes demandes en cours",
                app.go_home,
                f"Enregistre la demande n° {app.demande.numero} puis revient à la liste (F3)",
            )
        ]

    def _field_commands(self) -> list[Command]:
        """Every field of every step, from the catalogue: a step not visited yet is opened."""
        app = self.permis_app
        if app.demande is None:
            return []
        return [
            (f"Aller au champ {f.title}", partial(app.goto_field, f.number), f"Étape {f.step} : {STEP_TITLES[f.step]}")
            for f in catalogue.by_number()
        ]

    def _open_commands(self) -> list[Command]:
        return [
            (
                f"Ouvrir la demande n° {s.numero} — {' '.join(p for p in (s.prenom, s.nom) if p) or 'sans nom'}",
                partial(self.permis_app.open_numero, s.numero),
                s.etat_label,
            )
            for s in self._summaries
        ]

    async def discover(self) -> Hits:
        for text, callback, help_text in self._step_commands() + self._field_commands() + self._open_commands():
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        from permis_tui.screens.home_screen import matches

        matcher = self.matcher(query)
        for text, callback, help_text in self._step_commands() + self._field_commands():
            score = matcher.match(text)
            if (number := _FIELD_NUMBER.search(query)) and number.group(0).replace("champ", "").strip() in text:
                score = max(score, 1.0)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)
        for s in self._summaries:
            if matches(s, query):
                text = f"Ouvrir la demande n° {s.numero} — {' '.join(p for p in (s.prenom, s.nom) if p) or 'sans nom'}"
                yield Hit(
                    max(matcher.match(text), 0.5),
                    matcher.highlight(text),
                    partial(self.permis_app.open_numero, s.numero),
                    help=s.etat_label,
                )
