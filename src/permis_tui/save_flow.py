"""Every save of the demande open in the app: on request, on leaving, after typing, on the way out.

- While a demande is open, this session holds its lock (another session opens it read-only).
- Typing restarts a short timer; when it fires, what the step shows is parsed into the
  model (valid or not: invalid text stays in `saisies`) and a copy is written by a worker
  thread, so a kill loses at most the last couple of seconds and the event loop never waits
  on the disk.
- The outcome of the last save is kept: `error` is the French message of a save that failed
  (None once one succeeds), `lost()` names the fields that are not on disk.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from permis_tui.store import DemandeVerrouillee, RevisionConflict, StoreError

if TYPE_CHECKING:
    from permis_tui.app import PermisApp
    from permis_tui.demande_lock import DemandeLock
    from permis_tui.model.demande import Demande

# Seconds of quiet after the last key before the autosave: with the write itself, well
# under the 2 s a crash may cost.
AUTOSAVE_DELAY = 1.0


def _changes():
    """unsaved_changes, imported with the first demande opened: it pulls in the model
    (pydantic), which the home screen does without."""
    from permis_tui import unsaved_changes

    return unsaved_changes


class SaveFlow:
    def __init__(self, app: PermisApp) -> None:
        self.app = app
        self.lock: DemandeLock | None = None  # held while the demande is open here
        self.read_only_reason: str | None = None
        self.error: str | None = None  # the last save failed with this message
        self.conflict: RevisionConflict | None = None
        self._saved_state: dict | None = None  # the demande as last read from / written to disk
        self._timer: asyncio.TimerHandle | None = None
        # One writer at a time (autosave worker or event loop), and no older copy after a newer one.
        self._write_lock = threading.Lock()
        self._generation = 0
        self._written_generation = 0

    @property
    def demande(self) -> Demande | None:
        return self.app.demande

    @property
    def writable(self) -> bool:
        d = self.demande
        return d is not None and not d.est_validee and self.read_only_reason is None

    # -- opening and closing ---------------------------------------------
    def open(self, demande: Demande) -> Demande:
        """Take the demande's lock (or note why it is read-only); returns the copy to show."""
        self.close()
        if not demande.est_validee:
            try:
                self.lock = self.app.store.lock(demande.numero)
            except DemandeVerrouillee as exc:
                self.read_only_reason = str(exc)
            except StoreError:
                pass  # opened as it is; the first save reports the problem
            else:
                # Saved by another session between its loading and our lock: take that version.
                try:
                    demande = self.app.store.load(demande.numero)
                except StoreError:
                    pass
        self._saved_state = _changes().state_of(demande)
        return demande

    def close(self) -> None:
        self.cancel_autosave()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.read_only_reason = None
        self.error = None
        self.conflict = None
        self._saved_state = None

    def reloaded(self, demande: Demande) -> None:
        """The app now shows `demande` as read from disk (a conflict settled by reloading)."""
        self.cancel_autosave()
        self.error = None
        self.conflict = None
        self._saved_state = _changes().state_of(demande)

    # -- what is not on disk -----------------------------------------------
    def lost(self) -> list[str]:
        if self.demande is None or self._saved_state is None:
            return []
        return _changes().changed_fields(self._saved_state, _changes().state_of(self.demande))

    # -- saving now (event loop) -------------------------------------------
    def save(self) -> bool:
        """Write the demande now. False (and `error`, maybe `conflict`, set) if it failed."""
        self.cancel_autosave()
        if not self.writable or self.app.rien_a_enregistrer:
            return True  # a new demande gets its file with its first answer
        self._generation += 1
        generation = self._generation
        with self._write_lock:  # an autosave being written finishes first (a few ms)
            try:
                self.app.store.save(cast("Demande", self.demande))  # writable: a demande is open
            except StoreError as exc:
                self._failed(exc)
                return False
            self._written_generation = generation
        self._saved(_changes().state_of(self.demande))
        return True

    def collect_open_step(self) -> None:
        """Parse what the step screen shows into the model, even under a dialog."""
        step = self.app.step_screen()
        if step is None:
            return
        try:
            step.save_before_exit()
        except Exception:  # noqa: BLE001 - a widget already gone must not stop the save
            pass

    def _saved(self, state: dict) -> None:
        was_failing = self.error is not None
        self.error = None
        self.conflict = None
        self._saved_state = state
        if self.app.demande_nouvelle:
            # Its first save created it: from now on this session holds it like any other.
            self.app.demande_nouvelle = False
            try:
                self.lock = self.app.store.lock(cast("Demande", self.demande).numero)  # just saved: open
            except StoreError:
                pass
        if was_failing:
            self.app.notify("Demande enregistrée.", timeout=3)

    def _failed(self, exc: StoreError) -> None:
        self.error = str(exc)
        self.conflict = exc if isinstance(exc, RevisionConflict) else None

    # -- autosave ------------------------------------------------------------
    def typed(self) -> None:
        """A key changed a field: save once typing stops."""
        if not self.writable:
            return
        self.cancel_autosave()
        # A plain loop callback rather than a Textual timer: one per key, cheap to cancel.
        self._timer = asyncio.get_running_loop().call_later(AUTOSAVE_DELAY, self._autosave)

    @property
    def autosave_pending(self) -> bool:
        """A key was typed and its autosave has not fired yet."""
        return self._timer is not None

    def cancel_autosave(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _autosave(self) -> None:
        self._timer = None
        if not self.writable or self.conflict is not None:
            return  # a conflict waits for the person's answer
        self.collect_open_step()
        if _changes().state_of(self.demande) == self._saved_state or self.app.rien_a_enregistrer:
            return  # nothing new since the last save (text put back as it was, a field only visited)
        self._generation += 1
        demande = cast("Demande", self.demande)  # writable: a demande is open
        copy = demande.model_copy(deep=True)  # the worker never reads what the screen changes
        self.app.run_worker(
            partial(self._write_copy, asyncio.get_running_loop(), copy, demande, self._generation),
            thread=True,
            group="autosave",
            exit_on_error=False,
        )

    def _write_copy(self, loop, copy: Demande, original: Demande, generation: int) -> None:
        """Worker thread. Reports back without waiting: the app may be closing."""
        with self._write_lock:
            if generation <= self._written_generation or original is not self.demande:
                return  # a newer save already wrote it, or the demande was closed
            copy.revision = original.revision
            outcome: tuple[Callable[[Any, Demande], None], Any, Demande]
            try:
                self.app.store.save(copy)
            except StoreError as exc:
                outcome = (self._autosave_failed, exc, original)
            else:
                original.revision = copy.revision
                original.modifie_le = copy.modifie_le
                self._written_generation = generation
                outcome = (self._autosaved, _changes().state_of(copy), original)
        try:
            loop.call_soon_threadsafe(*outcome)
        except RuntimeError:  # the loop is closed: the app has already exited
            pass

    def _autosaved(self, state: dict, original: Demande) -> None:
        if original is self.demande:
            self._saved(state)

    def _autosave_failed(self, exc: StoreError, original: Demande) -> None:
        if original is not self.demande:
            return
        first = self.error != str(exc)
        self._failed(exc)
        if isinstance(exc, RevisionConflict):
            self.app.resolve_conflict(then=None)
        elif first:
            self.app.notify(
                f"{exc} Vos saisies restent à l'écran ; Ctrl+S pour réessayer.",
                title="Enregistrement automatique impossible",
                severity="error",
                timeout=10,
            )
