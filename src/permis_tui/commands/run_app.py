"""Start the interactive assistant."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace) -> int:
    from permis_tui.app import PermisApp
    from permis_tui.paths import data_dir
    from permis_tui.store import DraftStore

    app = PermisApp(DraftStore(data_dir(args.data_dir)))
    app.run()
    return int(app.return_code or 0)
