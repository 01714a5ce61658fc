"""Every test runs with its own data and config folders: never a real user's drafts."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("PERMIS_TUI_DATA_DIR", raising=False)
    yield tmp_path


@pytest.fixture
def store(tmp_path):
    from permis_tui.store import DraftStore

    s = DraftStore(tmp_path / "data")
    s.ensure()
    return s


@pytest.fixture(autouse=True)
def no_autosave_in_snapshots(request, monkeypatch):
    """A snapshot is the screen at one moment: an autosave firing while it is taken (after
    1 s on a slow machine) would make the picture depend on timing, like a blinking cursor."""
    if "snap_compare" in request.fixturenames:
        from permis_tui import save_flow

        monkeypatch.setattr(save_flow, "AUTOSAVE_DELAY", 3600)
