"""A part of a screen rebuilt from its state (recomposed) without losing the focus.

Recomposing removes every child, the focused one with it. Left to itself, Textual then
moves the focus to whatever precedes it in the focus chain — or, when a later call focuses
a widget that is already gone, leaves it on a dead widget that no key reaches (the step 5
freeze). A region remembers which child had the focus by its `focus_key`, a string naming
what the widget acts on ("attach", "view:<file>"), and gives the focus after the rebuild to
the new widget with the same key, to one the caller asked for, or to the one now standing
at the same place.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.containers import VerticalGroup
from textual.widget import Widget


def focus_key(widget: Widget | None) -> str | None:
    return getattr(widget, "focus_key", None)


class RebuildRegion(VerticalGroup):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._prefer: list[str] = []

    def rebuild(self, prefer: Sequence[str] = ()) -> None:
        """Recompose; if the focus is inside, it goes to the first live key of `prefer`."""
        if prefer:
            self._prefer = list(prefer)
        self.refresh(recompose=True)

    def focusables(self) -> list[Widget]:
        return [w for w in self.query("*") if w.focusable]

    async def recompose(self) -> None:
        if not self.is_attached:
            await super().recompose()
            return
        screen = self.screen
        focused = screen.focused
        # Taken now: a rebuild asked for while this one awaits (a quick check's result) keeps its
        # wish for the recompose it triggers, which composes the new state.
        prefer, self._prefer = self._prefer, []
        # A focused widget already detached (removed by an earlier rebuild before the
        # focus could move) counts as inside: it must be replaced, never kept.
        inside = focused is not None and (self in focused.ancestors or not focused.is_attached)
        keys: list[str] = []
        index = 0
        if inside:
            old = self.focusables()
            index = old.index(focused) if focused in old else 0
            if key := focus_key(focused):
                keys.append(key)
            # Blur first, so that the removal does not hand the focus to a widget outside.
            screen.set_focus(None, scroll_visible=False)
        await super().recompose()
        if inside:
            screen.set_focus(self._successor([*prefer, *keys], index))

    def _successor(self, keys: list[str], index: int) -> Widget | None:
        new = self.focusables()
        by_key = {focus_key(w): w for w in new if focus_key(w)}
        for key in keys:
            if key in by_key:
                return by_key[key]
        if new:
            return new[min(index, len(new) - 1)]
        # Nothing focusable is left here: the next widget after the region, as Tab would go.
        nodes = list(self.screen.walk_children())
        later = set(nodes[nodes.index(self) + 1 :]) - set(self.walk_children())
        chain = self.screen.focus_chain
        return next((w for w in chain if w in later), chain[0] if chain else None)
