"""Every test runs with its own data and config folders: never a real user's drafts."""

from __future__ import annotations

import gc
import os

import pytest

import headless_frames
import pilot_wait

pilot_wait.install()
headless_frames.install()


def pytest_collection_finish(session):
    """What is imported and collected by now (modules, classes, parameters) lives as long as
    the process: frozen, it is no longer walked by the cyclic collector. A pilot test creates
    enough long-lived objects (widgets, rendered lines, caches) to cause several full
    collections, and each full collection walked all of it again: about a third of the time
    spent collecting, a few per cent of the suite. Later objects are collected as usual."""
    gc.collect()
    gc.freeze()
    # Frozen objects do not count as long-lived, so every tenth middle-generation pass became
    # a full one, over everything each test left behind (caches Textual keeps from one app to
    # the next): a third of a pilot test file's CPU time. A full pass every hundredth still
    # frees each finished app's cycles a few tests later.
    gen0, gen1, _ = gc.get_threshold()
    gc.set_threshold(gen0, gen1, 100)


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker more than the cores. A pilot test spends about a third of its time
    waiting (each pause waits for the process to go idle, subprocesses run), and a third
    worker fills those gaps: 169 → 121-136 s on 2 cores; a fourth no longer gained."""
    return len(os.sched_getaffinity(0)) + 1


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("PERMIS_TUI_DATA_DIR", raising=False)
    yield tmp_path


@pytest.fixture
def checker_starts(monkeypatch) -> list[int]:
    """The pids of the checker processes started during the test, each once; a one-shot child
    for a single file fails the test (the commands check all their files in one process)."""
    import permis_tui.documents.checker as checker_module
    import permis_tui.documents.child as child_module

    started: list[int] = []
    real = checker_module.CheckerProcess._ensure

    def ensure(self):
        proc = real(self)
        if proc is not None and proc.pid not in started:
            started.append(proc.pid)
        return proc

    monkeypatch.setattr(checker_module.CheckerProcess, "_ensure", ensure)
    monkeypatch.setattr(child_module, "run_in_child", lambda *a, **k: pytest.fail("a child process for one file"))
    return started


@pytest.fixture
def store(tmp_path):
    from permis_tui.store import DraftStore

    s = DraftStore(tmp_path / "data")
    s.ensure()
    return s


@pytest.fixture(autouse=True)
def steady_snapshots(request, monkeypatch):
    """A snapshot is the screen at one moment: nothing may change with the time it takes to
    get there on a loaded machine. No autosave fires (after 1 s), and a text field's cursor
    stays drawn instead of blinking off after half a second."""
    if "snap_compare" in request.fixturenames:
        from textual.widgets import Input

        from permis_tui import save_flow

        monkeypatch.setattr(save_flow, "AUTOSAVE_DELAY", 3600)
        init = Input.__init__

        def steady_input(self, *args, **kwargs):
            init(self, *args, **kwargs)
            self.cursor_blink = False

        monkeypatch.setattr(Input, "__init__", steady_input)
