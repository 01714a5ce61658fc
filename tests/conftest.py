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
