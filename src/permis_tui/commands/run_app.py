"""Start the interactive assistant (in a throwaway demo folder with --demo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def run_app(args: argparse.Namespace) -> int:
    from permis_tui.app import PermisApp
    from permis_tui.settings import load_settings
    from permis_tui.store import DraftStore

    settle_imports()

    if getattr(args, "demo", False):
        from permis_tui.demo import DemoSession

        # The folder is removed when this block ends, however the app ended.
        with DemoSession() as session:
            # Read once here, in the demo's own configuration folder; a mistake shows on the home screen.
            app = PermisApp(DraftStore(session.data_dir), demo=True, settings=load_settings())
            app.run()
            return _finish(app)

    from permis_tui.paths import data_dir

    app = PermisApp(DraftStore(data_dir(args.data_dir)), settings=load_settings())
    app.run()
    return _finish(app)


def settle_imports() -> None:
    """What is loaded by now (modules, classes) lives as long as the process: taken out of the
    garbage collector's sight, so that its full passes no longer walk it. Without this, the
    few objects each of 1,000 demandes adds on the home screen bring full passes over every
    module's objects during startup. (Only here, for a real session: a process running many
    apps, as the tests do, would keep each one's garbage for good.)"""
    import gc

    global _paused

    gc.freeze()
    # No collection until the first screen is drawn (PermisApp.on_ready calls resume_collections):
    # startup makes many objects and little garbage, and the passes over them (~10-15 ms with
    # 1,000 demandes) would come before the first frame.
    if gc.isenabled():
        gc.disable()
        _paused = True


_paused = False  # settle_imports paused the collections


def resume_collections() -> None:
    """After the first frame: what startup made (the home screen, the listing) is set apart like
    the modules, and collections resume for what comes next. Startup's cyclic leftovers
    (~2,600 small objects with 1,000 demandes) stay with it: collecting them would cost a
    pass over everything made (~6 ms) just after the first frame."""
    global _paused
    import gc

    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def _finish(app) -> int:
    """After the terminal is restored: say what was not saved, or why the app stopped.

    Non-zero when the app quit with changes that are not on disk (or on an unexpected error)."""
    import sys

    for message in app.exit_messages:
        try:
            print(f"permis-tui : {message}", file=sys.stderr)
        except OSError:  # the terminal is gone (hang-up)
            break
    return int(app.return_code or 0)
