"""The Textual application: the home screen and the seven steps."""

from __future__ import annotations

import asyncio
import gc
import importlib
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import App
from textual.binding import Binding

from permis_tui.safe_text import escape, first_unsafe
from permis_tui.store import DraftStore, StoreError

if TYPE_CHECKING:
    from textual.worker import Worker

    from permis_tui.documents import ContentChecker
    from permis_tui.documents.checker import CheckerProcess
    from permis_tui.model.demande import Demande
    from permis_tui.screens.step_screen import StepScreen
    from permis_tui.settings import LoadedSettings

# step → "module:Class"; imported on first use to keep startup light.
STEP_SCREENS = {
    1: "permis_tui.screens.motif_screen:MotifScreen",
    2: "permis_tui.screens.etat_civil_screen:EtatCivilScreen",
    3: "permis_tui.screens.adresse_screen:AdresseScreen",
    4: "permis_tui.screens.photo_screen:PhotoScreen",
    5: "permis_tui.screens.pieces_screen:PiecesScreen",
    6: "permis_tui.screens.recapitulatif_screen:RecapitulatifScreen",
    7: "permis_tui.screens.confirmation_screen:ConfirmationScreen",
}
# Steps whose screen is kept and shown again (see _built_step); the confirmation is
# reached once, after validation.
REUSED_STEPS = range(1, 7)


def stylesheet_path() -> Path:
    """The app's stylesheet, `screens.tcss`, kept at the top of the repository.

    A built wheel carries a copy inside the package (pyproject.toml's force-include); a
    source checkout or an editable install has no such copy and reads the top-level file.
    """
    packaged = Path(__file__).with_name("screens.tcss")
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "screens.tcss"


def _palette_provider():
    # Imported when the palette opens, not at startup.
    from permis_tui.palette import PermisCommands

    return PermisCommands


class PermisApp(App[None]):
    TITLE = "permis-tui"
    SUB_TITLE = "Demande de permis de conduire"
    CSS_PATH = stylesheet_path()
    BINDINGS = [
        # Declared here (Textual adds it otherwise) so that F1 lists it with the other keys.
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            priority=True,
            id="app.palette",
            tooltip="palette de commandes : aller à une étape, à un champ (par son numéro), à une demande",
        ),
        Binding("ctrl+q", "quit", "Quitter", id="app.quit", priority=True, tooltip="enregistrer et quitter"),
    ]

    COMMANDS = App.COMMANDS | {lambda: _palette_provider()}

    def __init__(
        self,
        store: DraftStore,
        *,
        demo: bool = False,
        checker: ContentChecker | None = None,
        settings: LoadedSettings | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.demo = demo
        # Where step 5 parses files: a long-lived child process, started once the first
        # screen is shown (pypdf and Pillow never load into the session). Made on first use
        # (the `checker` property): the documents package is no part of the first screen.
        self._checker: ContentChecker | None = checker
        self._checker_lock = threading.RLock()
        self._checker_closed = False  # the app ended: no checker starts after that
        self.demande: Demande | None = None
        # True from "n" until the new demande's first answer is saved: no file before that.
        self.demande_nouvelle = False
        if settings is None:  # the command line reads them before the app; a test may not
            from permis_tui.settings import load_settings

            settings = load_settings()
        self.settings = settings.settings  # read once: validation and the outbox use these
        self.store_error: str | None = settings.error
        self._shown = False  # the first screen has been laid out (Ready)
        self._steps_warmed = False  # see warm_steps
        self._collections_paused = False  # see _pause_collections
        from permis_tui.save_flow import SaveFlow

        self.saves = SaveFlow(self)
        self.privacy_notice = ""  # a data folder found open to others, closed at start
        self.recovery_resume = ""  # what start-up recovery cleaned, one line for the home screen
        # The start-up checks (writability, crash recovery, waiting emails), started once the
        # first frame is drawn: what must not race them (a test writing files) waits on it.
        self.start_checks: Worker[None] | None = None
        self.lost_changes = False  # quit with changes not on disk: exit status 1
        self.exit_messages: list[str] = []  # printed once the terminal is restored
        self._exit_when_shown: int | None = None  # exit status of an exit asked before Ready
        self._leaving = False  # a signal or a hang-up is ending the session
        self._built_steps: dict[int, StepScreen] = {}  # see _built_step
        self._built_for: tuple[Demande | None, bool] = (None, False)  # the demande they show, read-only

    @property
    def checker(self) -> ContentChecker:
        with self._checker_lock:  # made by on_ready's worker thread, or by a step first
            if self._checker is None:
                from permis_tui.documents.checker import CheckerProcess

                self._checker = CheckerProcess()
            return self._checker

    @checker.setter
    def checker(self, checker: ContentChecker) -> None:
        self._checker = checker

    def _start_checker(self) -> None:
        """Worker thread: the app's own checker made (unless one was given) and started,
        unless the app already ended (on_unmount shuts it under the same lock)."""
        with self._checker_lock:
            if self._checker_closed:
                return
            self.checker  # noqa: B018 - made here, off the loop
            process = self._checker_process()
            if process is not None:
                process.start()

    def _checker_process(self) -> CheckerProcess | None:
        """The app's own long-lived checker (None when a test injected another, or none made yet)."""
        if self._checker is None:
            return None
        from permis_tui.documents.checker import CheckerProcess

        return self._checker if isinstance(self._checker, CheckerProcess) else None

    @property
    def max_file_bytes(self) -> int:
        return self.settings.max_file_bytes

    def get_driver_class(self):
        from textual import constants

        if constants.DRIVER is not None or sys.platform == "win32":  # textual-serve's web driver, or Windows
            return super().get_driver_class()
        from permis_tui.terminal_driver import TerminalDriver

        return TerminalDriver

    def on_load(self) -> None:
        # Before the driver starts: a hang-up during startup must take the same path.
        self._install_signal_handlers()

    def on_mount(self) -> None:
        self._apply_theme()
        self._check_size()
        # After the first frame: a worker thread running beside the home screen's listing
        # would take the interpreter from it (one stat per demande gives it up each time).
        self.call_after_refresh(self._start_checks)
        # Built steps keep their styles when shown again (StepScreen.show_again): a new
        # theme means new ones.
        self.theme_changed_signal.subscribe(self, lambda _theme: self.drop_built_steps())

    def _apply_theme(self) -> None:
        from permis_tui.settings import THEMES

        if self.settings.theme == "contraste":
            from permis_tui.widgets.themes import HIGH_CONTRAST

            self.register_theme(HIGH_CONTRAST)
        self.theme = THEMES[self.settings.theme]

    async def on_event(self, event: events.Event) -> None:
        # A paste is how control characters get into a field (the keyboard cannot type ESC
        # as text): they arrive visible (\x1b), so no Input ever sends them to the terminal.
        if isinstance(event, events.Paste) and not event.is_forwarded and first_unsafe(event.text):
            event = events.Paste(escape(event.text, keep_newlines=True))
        await super().on_event(event)

    def on_resize(self, event) -> None:
        # self.size catches up a frame later; the event carries the new size now.
        self._check_size(event.size)

    def _check_size(self, size=None) -> None:
        from permis_tui.screens.too_small_screen import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

        width, height = size or self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif isinstance(self.screen, TooSmallScreen):
            if small:
                self.screen.update_size(width, height)
            else:
                self.pop_screen()

    # -- Textual's palette, in French (see widgets/command_palette.py) ----------
    def action_command_palette(self) -> None:
        from permis_tui.widgets.command_palette import FrenchCommandPalette

        # cast: is_open takes App[object], and App's type parameter is invariant.
        if self.use_command_palette and not FrenchCommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(FrenchCommandPalette(id="--command-palette"))

    def get_system_commands(self, screen):
        from permis_tui.widgets.command_palette import system_commands

        return system_commands(self, screen)

    def action_help_quit(self) -> None:
        # Ctrl+C copies in a field; elsewhere Textual says in English how to quit.
        self.notify("Appuyez sur Ctrl+Q pour enregistrer et quitter l'assistant.", title="Quitter ?")

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from permis_tui.widgets.command_palette import THEME_PLACEHOLDER, FrenchCommandPalette

        self.push_screen(FrenchCommandPalette(providers=[ThemeProvider], placeholder=THEME_PLACEHOLDER))

    def get_default_screen(self):
        # The home screen is the base of the stack: no extra blank screen to build at startup.
        from permis_tui.privacy import close_data_dir, notice
        from permis_tui.screens.home_screen import HomeScreen

        # Before ensure() closes the root itself: the count told is every path that was open.
        # Nothing to walk when the root is private (see close_data_dir).
        fixed = close_data_dir(self.store.root)
        self.privacy_notice = notice(self.store.root, fixed) if fixed else ""
        try:
            self.store.ensure()
        except StoreError as exc:
            self.store_error = str(exc)
        return HomeScreen()

    def _install_signal_handlers(self) -> None:
        # The terminal closing (SSH dropped) sends SIGHUP; a shutdown or a kill sends SIGTERM
        # or SIGINT. Each saves what was typed first, whatever dialog is open.
        handlers = {
            signal.SIGHUP: self.terminal_hung_up,
            signal.SIGTERM: self._terminate,
            signal.SIGINT: self._terminate,
        }
        try:
            loop = asyncio.get_running_loop()
            for sig, handler in handlers.items():
                loop.add_signal_handler(sig, handler)
        except (NotImplementedError, RuntimeError, ValueError):
            pass

    def terminal_hung_up(self) -> None:
        """SIGHUP, or the terminal driver reading EIO: nothing more can be shown, save and leave."""
        hang_up = getattr(self._driver, "hang_up", None)
        if hang_up is not None:
            hang_up()
        self._terminate()

    def _terminate(self) -> None:
        if self._leaving:
            return  # SIGHUP and the driver's POLLHUP both report one hang-up
        self._leaving = True
        saved = self.save_current()
        code = 0 if saved else self._record_loss()
        if self._shown or self.demande is None:
            self.exit(return_code=code)
        else:
            # A step still mounting would query widgets the exit removes: leave once it is
            # shown (Ready), or shortly after whatever happens.
            self._exit_when_shown = code
            self.set_timer(0.25, lambda: self.exit(return_code=code))

    def on_unmount(self) -> None:
        # However the app ends, the demande is free for another session (also when this
        # process goes on, as in tests or textual-serve's host).
        self.saves.close()
        self._resume_collections()  # a step built but never drawn
        with self._checker_lock:
            self._checker_closed = True
            process = self._checker_process()
        if process is not None:
            process.shut()

    def on_ready(self) -> None:
        self._shown = True
        from permis_tui.commands.run_app import resume_collections

        resume_collections()  # paused by `permis-tui` until the first screen (settle_imports)
        # After the frames that follow the first one (the home screen's cursor, its key bar):
        # the worker's import of the checker module (~8 ms) would take the interpreter from them.
        self.call_after_refresh(self._warm_checker)
        if self._exit_when_shown is not None:
            self.exit(return_code=self._exit_when_shown)

    def _warm_checker(self) -> None:
        """Have the checker process running before a check needs it (at start, and again when a
        demande opens: an idle checker is stopped after a while)."""
        # Off the loop: importing the checker's module (first time) and starting a process take
        # a few milliseconds; its own imports (pypdf, Pillow) run in it.
        self.run_worker(self._start_checker, thread=True, group="checker-start", exit_on_error=False)

    def step_shown(self) -> None:
        """A newly built step has drawn its first frame."""
        self._resume_collections()
        self.warm_steps()

    def _pause_collections(self) -> None:
        """No garbage collection while a new step is built: its 40 to 150 widgets are thousands
        of objects, all kept, and the passes their allocations bring (now and then a full one,
        over every widget of the steps already built: 20 to 80 ms) would come before its first
        frame. They run after it (step_shown), while the person reads."""
        if gc.isenabled():  # not while `permis-tui` holds them until the first screen
            gc.disable()
            self._collections_paused = True

    def _resume_collections(self) -> None:
        if self._collections_paused:
            self._collections_paused = False
            gc.enable()

    def warm_steps(self) -> None:
        """Once a step is on screen: import the other steps' modules and read the reference
        data they show (communes, postal codes, countries, préfectures) in a worker thread,
        while the person reads: the first visit of steps 2 and 3 then only builds widgets
        (about 100 ms less each). Once per process: all of it is cached."""
        if self._steps_warmed:
            return
        self._steps_warmed = True
        self.run_worker(self._warm_steps, thread=True, group="steps-warm", exit_on_error=False)

    def _warm_steps(self) -> None:
        from permis_tui import referentiel

        for path in STEP_SCREENS.values():
            importlib.import_module(path.partition(":")[0])
        referentiel.precharger()

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: save what was typed, then leave with a French message.

        Replaces Textual's report, whose traceback shows local variables, field values
        among them, on the terminal.
        """
        if self._leaving:
            # Leaving on a signal while screens still mount: widgets torn down under a
            # handler are expected then, not a failure of the session (already saved).
            self._close_messages_no_wait()
            return
        try:
            saved = self.save_current()
        except Exception:  # noqa: BLE001 - the error being handled matters more
            saved = False
        if saved:
            kept = "Vos saisies ont été enregistrées."
        else:
            kept = "Vos dernières saisies n'ont pas pu être enregistrées."
            self._record_loss()
        self.exit_messages.append(
            f"L'assistant s'est arrêté sur une erreur inattendue ({type(error).__name__}). "
            f"{kept} Relancez permis-tui pour reprendre votre demande."
        )
        self._return_code = 1
        if self._exception is None:  # run_test re-raises it, so tests see the error
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    # -- start-up checks ---------------------------------------------------
    def _start_checks(self) -> None:
        self.start_checks = self.run_worker(
            self._check_data_dir, thread=True, group="start-checks", exit_on_error=False
        )

    def _check_data_dir(self) -> None:
        """Worker thread: is the folder really writable, and what did a crash leave behind?"""
        from permis_tui.writable import write_problem

        problem = write_problem(self.store.root)
        resume = self.privacy_notice
        if problem is None:
            try:
                resume = " ".join(filter(None, (resume, self.store.recover().resume)))
            except Exception:  # noqa: BLE001 - recovery must never stop the app from starting
                resume = "Nettoyage après un arrêt brutal impossible : il sera retenté au prochain démarrage."
        self.call_from_thread(self._data_dir_checked, problem, resume)
        if problem is None and not self.demo:
            # Confirmation emails left waiting (server down, crash mid-validation) are retried
            # once per start; SMTP may take its timeout, so the lines above are shown first.
            from permis_tui.mail.pending import retry_at_start

            try:
                sent = retry_at_start(self.store, self.settings.smtp)  # the configuration read at start
            except Exception:  # noqa: BLE001 - a retry must never stop the app
                sent = ""
            if sent:
                self.call_from_thread(self._data_dir_checked, None, " ".join(filter(None, (resume, sent))))

    def _data_dir_checked(self, problem: str | None, resume: str) -> None:
        from permis_tui.screens.home_screen import HomeScreen

        if not problem and not resume:
            return  # nothing to say and nothing changed on disk: the list shown stands (no second scan)
        if problem and not self.store_error:
            self.store_error = problem
        self.recovery_resume = resume
        if isinstance(self.screen, HomeScreen):
            self.screen.reload()  # otherwise it reloads when it is shown again

    # -- the current demande ---------------------------------------------
    def step_screen(self):
        """The step screen in the stack, under any dialog, or None."""
        for screen in reversed(self.screen_stack):
            if getattr(screen, "STEP", 0):
                return screen
        return None

    def open_demande(self, demande: Demande, step: int | None = None, *, nouvelle: bool = False) -> None:
        self.demande = None
        self.demande = self.saves.open(demande)
        self.demande_nouvelle = nouvelle
        self._warm_checker()
        if self.saves.read_only_reason:
            self.notify(self.saves.read_only_reason, title="Lecture seule", severity="warning", timeout=10)
        self._show_step(step or min(self.demande.etape, 7))

    @property
    def rien_a_enregistrer(self) -> bool:
        """A new demande with no answer yet: it gets no file (saved on its first answer)."""
        return self.demande is not None and self.demande_nouvelle and not self.demande.a_des_reponses

    def save_demande(self) -> bool:
        """Save now (Ctrl+S, checks of a step, attachments); a failure is told, never hidden."""
        if self.saves.save():
            return True
        if self.saves.conflict is not None:
            self.resolve_conflict(then=None)
        else:
            self.notify(self.saves.error or "", title="Enregistrement impossible", severity="error", timeout=8)
        return False

    def save_current(self) -> bool:
        """On the way out (signals, crash): parse the step under any dialog, save; nobody to ask.

        A conflict keeps this session's version as a new demande: neither is lost.
        """
        if self.demande is None:
            return True
        self.saves.collect_open_step()
        if self.saves.save():
            return True
        if self.saves.conflict is not None:
            return self._keep_copy()
        return False

    def _record_loss(self) -> int:
        """Note, for the exit status and message, what is left unsaved; returns the exit status."""
        lost = self.saves.lost()
        if self.demande is None or not (lost or self.saves.error):
            return 0
        self.lost_changes = True
        what = " ; ".join(lost) if lost else "dernières modifications"
        self.exit_messages.append(
            f"Demande n° {self.demande.numero} : modifications non enregistrées ({what}). "
            f"{self.saves.error or ''}".strip()
        )
        return 1

    def leave_then(self, then: Callable[[], None], *, leaving: str, closing: bool) -> None:
        """Save what the open step holds, then `then()`. If the save fails, nothing moves on
        until the person chooses: try again, stay, or go on without saving."""
        from permis_tui.screens.save_failed_dialog import DISCARD, RETRY, SaveFailedDialog

        if isinstance(self.screen, SaveFailedDialog):
            return  # already asking
        self.saves.collect_open_step()
        if self.saves.save():
            then()
            return
        if self.saves.conflict is not None:
            self.resolve_conflict(then=then)
            return

        def answered(choice: str | None) -> None:
            if choice == RETRY:
                self.leave_then(then, leaving=leaving, closing=closing)
            elif choice == DISCARD:
                if closing:
                    self._record_loss()
                then()

        self.push_screen(
            SaveFailedDialog(self.saves.error or "", self.saves.lost(), leaving=leaving, lost_for_good=closing),
            answered,
        )

    def resolve_conflict(self, then: Callable[[], None] | None) -> None:
        """Another session saved or deleted this demande: reload theirs, or keep ours as a copy."""
        from permis_tui.screens.revision_conflict_dialog import KEEP_COPY, RELOAD, RevisionConflictDialog

        conflict = self.saves.conflict
        if conflict is None or isinstance(self.screen, RevisionConflictDialog):
            return

        def answered(choice: str | None) -> None:
            if (choice == RELOAD and self._reload_from_disk()) or (choice == KEEP_COPY and self._keep_copy()):
                then() if then is not None else self._show_step(self.step_screen().STEP)

        self.push_screen(
            RevisionConflictDialog(str(conflict), self.saves.lost(), deleted=conflict.disk_revision is None), answered
        )

    def _reload_from_disk(self) -> bool:
        demande = cast("Demande", self.demande)  # a conflict is about the open demande
        try:
            fresh = self.store.load(demande.numero)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return False
        self.demande = fresh
        self.saves.reloaded(fresh)
        self.notify(f"Demande n° {fresh.numero} rechargée : version enregistrée par l'autre session.")
        return True

    def _keep_copy(self) -> bool:
        """Save this session's version as a new demande (with copies of the attached files)."""
        from permis_tui.model.demande import Etat
        from permis_tui.model.schema import new_numero

        demande = cast("Demande", self.demande)  # a conflict is about the open demande
        mine = demande.model_copy(deep=True)
        mine.etat, mine.valide_le = Etat.BROUILLON, None
        try:
            if self.store.exists(demande.numero):
                base = self.store.duplicate(demande.numero)  # brings the attached files along
                mine.numero, mine.revision, mine.cree_le = base.numero, base.revision, base.cree_le
            else:
                mine.numero, mine.revision = new_numero(), 0
            self.store.save(mine)
        except StoreError as exc:
            self.saves.error = str(exc)
            self.notify(str(exc), title="Copie impossible", severity="error", timeout=10)
            return False
        old = demande.numero
        self.demande = None
        self.demande = self.saves.open(mine)
        self.demande_nouvelle = False
        self.notify(
            f"Votre version est enregistrée comme nouvelle demande n° {mine.numero} ; "
            f"la demande n° {old} garde celle de l'autre session.",
            timeout=10,
        )
        return True

    def save_first_answer(self) -> None:
        """Called after each answer: the first one of a new demande writes its file."""
        if self.demande is None or not self.demande_nouvelle or not self.demande.a_des_reponses:
            return
        if self.save_demande():
            self.notify(f"Demande n° {self.demande.numero} enregistrée.", timeout=4)

    def goto_step(self, step: int, *, return_to_recap: bool = False) -> None:
        from permis_tui.screens.step_screen import StepScreen

        current = self.screen
        if isinstance(current, StepScreen):
            # Every way of leaving a step (buttons, keys, palette) keeps what was typed.
            if not current.can_leave():
                return
            self.leave_then(
                lambda: self._show_step(step, return_to_recap), leaving=f"l'étape {current.STEP}", closing=False
            )
        else:
            self._show_step(step, return_to_recap)

    def _show_step(self, step: int, return_to_recap: bool = False) -> None:
        screen = self._built_step(step)
        if screen is self.screen:
            screen.show_again(return_to_recap=return_to_recap, resumed=False)  # the step asked for is open
            return
        if screen is not None and screen not in self.screen_stack and screen.can_show_again():
            screen.show_again(return_to_recap=return_to_recap)
        else:
            self._pause_collections()
            module_name, _, class_name = STEP_SCREENS[step].partition(":")
            screen_class = getattr(importlib.import_module(module_name), class_name)
            screen = screen_class(return_to_recap=return_to_recap)
            if step in REUSED_STEPS:
                self._keep_step(step, screen)  # replaces (and removes) one that could not be shown again
        if getattr(self.screen, "STEP", 0):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    # -- built step screens, kept for the open demande ------------------------------
    # Building a step (40 to 150 widgets) takes far longer than showing it again: each
    # screen built for the open demande is installed (Textual keeps an installed screen
    # when another replaces it) and shown again with the demande's current values. They
    # are dropped as soon as the demande shown changes (another one, closed, reloaded,
    # kept as a copy, validated) or becomes read-only.
    def _built_step(self, step: int) -> StepScreen | None:
        demande, read_only = self._built_for
        if demande is not self.demande or read_only != self._read_only_now():
            self.drop_built_steps()
            return None
        return self._built_steps.get(step)

    def _read_only_now(self) -> bool:
        return self.demande is not None and (self.demande.est_validee or self.saves.read_only_reason is not None)

    def _keep_step(self, step: int, screen: StepScreen) -> None:
        self._built_for = (self.demande, self._read_only_now())
        old = self._built_steps.pop(step, None)
        if old is not None:
            self._forget(old)
        self._built_steps[step] = screen
        self.install_screen(screen, f"step-{step}-{id(screen)}")

    def drop_built_steps(self) -> None:
        """Forget the built steps: each is removed now, or once no stack holds it."""
        steps, self._built_steps = self._built_steps, {}
        self._built_for = (None, False)
        for screen in steps.values():
            self._forget(screen)

    def _forget(self, screen: StepScreen) -> None:
        screen.discarded = True
        self.release_step(screen)

    def release_step(self, screen: StepScreen) -> None:
        """A discarded step goes once no stack holds it (Textual cannot uninstall it before);
        its screen calls this again when it is left."""
        if screen.discarded and screen not in self.screen_stack:  # the app has one mode: one stack
            self.uninstall_screen(screen)
            screen.remove()

    def goto_field(self, number: str) -> None:
        """Open the field's step (any step: the catalogue knows them all) and focus the field."""
        from permis_tui.model import catalogue

        step = catalogue.BY_NUMBER[number].step
        if getattr(self.screen, "STEP", 0) != step:
            self.goto_step(step)  # saves what the current step holds
        self.call_after_refresh(self._focus_number, number)

    def _focus_number(self, number: str) -> None:
        focus = getattr(self.screen, "focus_number", None)
        if focus is not None and not focus(number):
            self.notify(f"Le champ {number} n'est pas affiché pour cette demande.", severity="warning")

    def open_numero(self, numero: str) -> None:
        """Palette: open another demande, after saving (or deciding about) the open one."""
        if self.step_screen() is not None:
            self.leave_then(lambda: self._open_numero(numero), leaving="cette demande", closing=True)
        else:
            self._open_numero(numero)

    def _open_numero(self, numero: str) -> None:
        from permis_tui.screens.home_screen import HomeScreen

        try:
            demande = self.store.load(numero)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self._close_demande()
        while getattr(self.screen, "STEP", 0):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            return
        self.notify(f"Demande n° {numero} ouverte.")
        self.open_demande(demande)

    def _close_demande(self) -> None:
        self.saves.close()  # releases the lock: another session may now open it
        self.demande = None
        self.drop_built_steps()
        self.demande_nouvelle = False

    def go_home(self) -> None:
        from permis_tui.screens.step_screen import StepScreen

        current = self.screen
        if isinstance(current, StepScreen):
            if not current.can_leave():
                return
            self.leave_then(self._home, leaving="cette demande", closing=True)
        else:
            self._home()

    def _home(self) -> None:
        from permis_tui.screens.home_screen import HomeScreen

        self._close_demande()
        if getattr(self.screen, "STEP", 0):
            self.pop_screen()  # the home screen below refreshes when resumed
        elif not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen())

    async def action_quit(self) -> None:
        if self.demande is None:
            self.exit(return_code=1 if self.lost_changes else 0)
            return
        self.leave_then(self._quit_now, leaving="l'application", closing=True)

    def _quit_now(self) -> None:
        self._close_demande()
        self.exit(return_code=1 if self.lost_changes else 0)
