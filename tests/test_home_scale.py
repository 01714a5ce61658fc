"""The index of the demandes (draft_index), the home screen drawn from it, the search
filtering the table in place, `list --json` read from it, and recovery's memory of clean
folders: the same results as reading every demande.json, whatever the index holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from permis_tui.atomic import atomic_write
from permis_tui.cli import main
from permis_tui.draft_index import INDEX_FILE, DraftIndex
from permis_tui.store import DraftStore
from pilot_helpers import make_app

NAMES = [
    ("Zoé", "LEFÈVRE"),
    ("Seán", "O'BRIEN"),
    ("Jean-Pierre", "D'ALMEIDA"),
    ("Anne", "OBERT"),
    ("Léa", "MARTIN"),
    ("Éric", "MARTINEZ"),
]


def seeded(root: Path, count: int = 6) -> DraftStore:
    store = DraftStore(root)
    store.ensure()
    for i in range(count):
        d = store.create()
        d.etat_civil.prenoms, d.etat_civil.nom_naissance = [NAMES[i % len(NAMES)][0]], NAMES[i % len(NAMES)][1]
        d.modifie_le = d.modifie_le.replace(year=2025, month=1 + i % 12)
        store.save(d, touch=False)
    return store


def listing(result) -> list[tuple]:
    return [
        (d.numero, d.prenoms, d.nom, d.nom_usage, d.cree_le, d.modifie_le, d.etat, d.etape) for d in result.demandes
    ]


def scanned(store: DraftStore) -> list[tuple]:
    from permis_tui.store import DraftSummary

    return [
        (s.numero, s.prenoms, s.nom, s.nom_usage, s.cree_le, s.modifie_le, s.etat, s.etape)
        for s in (DraftSummary.of(d) for d in store.scan().demandes)
    ]


# -- the index -------------------------------------------------------------------


def test_every_write_keeps_the_index_and_a_listing_needs_no_model(tmp_path) -> None:
    store = seeded(tmp_path / "data")
    entries = DraftIndex(store.root).read()
    assert sorted(entries) == sorted(p.name for p in store.demande_folders())
    assert all(e.valide for e in entries.values())  # written from a model by the store
    result = store.summaries()
    assert result.unverified == frozenset() and listing(result) == scanned(store)
    assert oct(os.stat(store.root / INDEX_FILE).st_mode & 0o777) == "0o600"
    first = store.load(result.demandes[-1].numero)
    store.delete(first.numero)
    assert first.numero not in DraftIndex(store.root).read()
    store.restore(first.numero)
    assert listing(store.summaries(verify=True)) == scanned(store)


def test_a_missing_index_is_rebuilt_from_the_files(tmp_path) -> None:
    store = seeded(tmp_path / "data")
    (store.root / INDEX_FILE).unlink()
    quick = store.summaries()
    assert listing(quick) == scanned(store)
    assert quick.unverified == {d.numero for d in quick.demandes}  # read as JSON only, not by the model yet
    assert sorted(DraftIndex(store.root).read()) == sorted(quick.unverified)  # written again
    full = store.summaries(verify=True)
    assert full.unverified == frozenset() and listing(full) == scanned(store)
    assert all(e.valide for e in DraftIndex(store.root).read().values())


def test_a_demande_changed_behind_the_store_is_read_again(tmp_path) -> None:
    store = seeded(tmp_path / "data")
    numero = store.summaries().demandes[0].numero
    path = store.path_of(numero)
    data = json.loads(path.read_text())
    data["etat_civil"]["nom_naissance"] = "CHANGÉ-AILLEURS"
    atomic_write(path, json.dumps(data).encode())  # another program, another version of permis-tui
    result = store.summaries()
    assert result.unverified == {numero}
    assert [d.nom for d in result.demandes if d.numero == numero] == ["CHANGÉ-AILLEURS"]
    assert listing(store.summaries(verify=True)) == scanned(store)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff garbage",
        b"[]",
        b'{"version": 1}',
        b'{"version": 99, "demandes": {}}',
        b'{"version": 1, "demandes": {"../../etc": [1, 2, 3, 4, true, []]}}',
        b'{"version": 1, "demandes": {"2601-AAAA-BBBB": [1, 2, 3, 4, "oui", []]}}',
        b"[" * 100_000,
        b'{"version": 1, "demandes": {"2601-AAAA-BBBB": [' + b"9" * 5000 + b"]}}",
    ],
    ids=["empty", "binary", "list", "no-entries", "future-version", "bad-numero", "bad-type", "deep", "huge-int"],
)
def test_a_damaged_index_is_ignored_and_rebuilt(tmp_path, content) -> None:
    store = seeded(tmp_path / "data")
    (store.root / INDEX_FILE).write_bytes(content)
    assert listing(store.summaries()) == scanned(store)
    assert sorted(DraftIndex(store.root).read()) == sorted(p.name for p in store.demande_folders())


def test_a_forged_entry_is_never_shown_unless_it_matches_the_file(tmp_path) -> None:
    store = seeded(tmp_path / "data")
    raw = json.loads((store.root / INDEX_FILE).read_text())
    numero = next(iter(raw["demandes"]))
    row = raw["demandes"][numero]
    row[5][1] = "FAUX"  # the name
    row[2] += 1  # and a stamp that is not the file's
    (store.root / INDEX_FILE).write_text(json.dumps(raw))
    assert "FAUX" not in {d.nom for d in store.summaries().demandes}
    assert listing(store.summaries()) == scanned(store)


def test_an_index_that_is_a_symlink_is_not_read(tmp_path) -> None:
    store = seeded(tmp_path / "data")
    elsewhere = tmp_path / "ailleurs.json"
    (store.root / INDEX_FILE).rename(elsewhere)
    (store.root / INDEX_FILE).symlink_to(elsewhere)
    assert listing(store.summaries()) == scanned(store)
    assert not (store.root / INDEX_FILE).is_symlink()  # replaced by a regular file
    assert elsewhere.read_text()  # the target left as it was


def test_a_demande_the_model_refuses_is_set_aside_when_verified(tmp_path) -> None:
    store = seeded(tmp_path / "data", 3)
    numero = store.summaries().demandes[0].numero
    path = store.path_of(numero)
    data = json.loads(path.read_text())
    data["etat"] = "inconnu"  # the summary reads it, the model does not
    atomic_write(path, json.dumps(data).encode())
    assert numero in {d.numero for d in store.summaries().demandes}
    result = store.summaries(verify=True)
    assert numero not in {d.numero for d in result.demandes}
    problem = next(p for p in result.problems if p.fichier == f"{numero}/demande.json")
    assert "contenu non conforme" in problem.raison and problem.deplace_vers is not None
    assert listing(result) == scanned(store)


# -- the home screen ---------------------------------------------------------------


async def test_home_screen_lists_what_a_full_scan_finds_and_reports_damage_once_verified(tmp_path) -> None:
    from textual.widgets import Static

    store = seeded(tmp_path / "data", 12)
    bad = store.summaries().demandes[3].numero
    expected = [s[0] for s in scanned(store) if s[0] != bad]
    data = json.loads(store.path_of(bad).read_text())
    data["etat"] = "inconnu"
    atomic_write(store.path_of(bad), json.dumps(data).encode())
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#home-table")
        for _ in range(100):
            if bad in str(app.screen.query_one("#home-alert", Static).render()):
                break
            await pilot.pause(0.05)
        assert "contenu non conforme" in str(app.screen.query_one("#home-alert", Static).render())
        assert [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)] == expected
        assert app.focused is table


async def test_search_filters_the_same_rows_in_place(tmp_path) -> None:
    from permis_tui.screens.home_screen import matches

    seeded(tmp_path / "data", 18)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        table = home.query_one("#home-table")
        before = {key.value: row for key, row in table.rows.items()}
        assert len(before) == 18
        await pilot.press("slash", *"martin")
        await pilot.pause()
        shown = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
        assert shown == [d.numero for d in home.demandes if matches(d, "martin")] and 0 < len(shown) < 18
        assert all(table.rows[key] is before[key.value] for key in table.rows)  # the same rows, not rebuilt
        assert {str(table.get_row_at(i)[1]) for i in range(table.row_count)} <= {"MARTIN", "MARTINEZ"}
        assert "demande(s)" in str(home.query_one("#home-empty").render())
        await pilot.press(*["backspace"] * 6)
        await pilot.pause()
        assert table.row_count == 18 and all(table.rows[key] is before[key.value] for key in table.rows)
        await pilot.press(*"zzzz")
        await pilot.pause()
        assert table.row_count == 0 and "ne correspond" in str(home.query_one("#home-empty").render())
        assert app.focused is home.query_one("#home-search")


async def test_search_updates_the_tables_scrollbar_and_every_row_stays_reachable(tmp_path) -> None:
    """The table's virtual size is set by the filter itself (no layout of the screen per key):
    the scrollbar goes and comes back with the rows, and the last row is reached by keys."""
    from permis_tui.screens.home_screen import matches

    seeded(tmp_path / "data", 40)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        table = home.query_one("#home-table")
        header = table.header_height
        assert table.virtual_size.height == 40 + header and table.show_vertical_scrollbar
        await pilot.press("ctrl+end")
        await pilot.pause()
        last = home.demandes[-1].numero
        assert table.cursor_row == 39 and home.selected() == last
        assert table.scroll_y > 0 and table.scroll_y <= 40 + header - table.scrollable_content_region.height
        await pilot.press("slash", *"zoe")
        await pilot.pause()
        wanted = [d.numero for d in home.demandes if matches(d, "zoe")]
        assert 0 < len(wanted) < 10 and table.row_count == len(wanted)
        assert table.virtual_size.height == len(wanted) + header
        assert not table.show_vertical_scrollbar and table.scroll_y == 0  # all shown, scrolled back
        await pilot.press(*["backspace"] * 3)
        await pilot.pause()
        assert table.virtual_size.height == 40 + header and table.show_vertical_scrollbar
        table.focus()
        await pilot.press("ctrl+home", "ctrl+end")
        await pilot.pause()
        assert home.selected() == last and table.scroll_y > 0


async def test_a_long_search_scrolls_within_the_fixed_search_field(tmp_path) -> None:
    from permis_tui.screens.home_screen import SEARCH_PLACEHOLDER

    seeded(tmp_path / "data", 3)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        search = app.screen.query_one("#home-search")
        width = search.size.width
        assert width == len(SEARCH_PLACEHOLDER)
        typed = "abcdefghij" * 7
        await pilot.press("slash", *typed)
        await pilot.pause()
        assert search.value == typed and search.size.width == width
        # The end of what was typed is on screen, next to the cursor.
        assert typed[-20:] in search.render_line(0).text and search.scroll_x > 0
        assert "ne correspond" in str(app.screen.query_one("#home-empty").render())


def run_probe(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter (what pytest's own process imported does not count)."""
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def test_home_screen_with_a_fresh_index_never_loads_the_model(tmp_path) -> None:
    seeded(tmp_path / "data", 5)
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from permis_tui.app import PermisApp
        from permis_tui.screens.home_screen import HomeScreen
        from permis_tui.store import DraftStore

        class Probe(PermisApp):
            def on_ready(self):
                self.set_interval(0.05, self.idle)
            def idle(self):
                if isinstance(self.screen, HomeScreen) and all(w.is_finished for w in self.workers):
                    self.rows = self.screen.query_one("#home-table").row_count
                    self.exit()
        app = Probe(DraftStore(Path({str(tmp_path / "data")!r})))
        app.run(headless=True)
        print(app.rows, "permis_tui.model.demande" in sys.modules, "pydantic" in sys.modules)
    """)
    proc = run_probe(code, tmp_path)
    # Neither the model of a demande nor pydantic (no configuration file) was loaded.
    assert proc.stdout.split() == ["5", "False", "False"]


def test_collections_paused_for_startup_resume_once_the_home_screen_is_shown(tmp_path) -> None:
    """`permis-tui` pauses the garbage collector until the first screen is drawn (settle_imports),
    and the app resumes it then: a session never runs without it. The documents package is
    not loaded for the first screen; the checker process is started once it is shown."""
    seeded(tmp_path / "data", 5)
    code = textwrap.dedent(f"""
        import gc
        import sys
        from pathlib import Path
        from permis_tui.app import PermisApp
        from permis_tui.commands.run_app import settle_imports
        from permis_tui.screens.home_screen import HomeScreen
        from permis_tui.store import DraftStore

        class Probe(PermisApp):
            def on_mount(self):
                super().on_mount()
                self.before = gc.isenabled(), "permis_tui.documents" in sys.modules
            def on_ready(self):
                super().on_ready()
                self.set_interval(0.05, self.idle)
            def idle(self):
                if isinstance(self.screen, HomeScreen) and all(w.is_finished for w in self.workers):
                    self.rows = self.screen.query_one("#home-table").row_count
                    self.checker_pid = self.checker.pid
                    self.exit()
        settle_imports()
        app = Probe(DraftStore(Path({str(tmp_path / "data")!r})))
        app.run(headless=True)
        print(app.rows, *app.before, gc.isenabled(), app.checker_pid is not None)
    """)
    proc = run_probe(code, tmp_path)
    assert proc.stdout.split() == ["5", "False", "False", "True", "True"]


# -- list --json -------------------------------------------------------------------


def test_list_json_is_the_same_with_a_fresh_missing_or_damaged_index(tmp_path, capsys) -> None:
    store = seeded(tmp_path / "data")
    outputs = []
    for damage in (None, "missing", "damaged"):
        if damage == "missing":
            (store.root / INDEX_FILE).unlink()
        elif damage == "damaged":
            (store.root / INDEX_FILE).write_bytes(b"{ pas du json")
        assert main(["--data-dir", str(store.root), "list", "--json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    demandes = json.loads(outputs[0])["demandes"]
    assert [d["numero"] for d in demandes] == [s[0] for s in scanned(store)]


# -- recovery ----------------------------------------------------------------------


def _age(folder: Path, seconds: float) -> None:
    """Set back the mtimes of a folder tree, as if its last change was `seconds` ago."""
    when = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            os.utime(path, (when, when))


def test_recovery_skips_clean_folders_and_still_finds_what_changed_since(tmp_path, monkeypatch) -> None:
    from permis_tui import recovery
    from permis_tui.recovery import STAMPS_FILE

    checked: list[str] = []
    check = recovery._recover_folder
    monkeypatch.setattr(
        recovery, "_recover_folder", lambda st, folder, *a: (checked.append(folder.name), check(st, folder, *a))
    )
    store = seeded(tmp_path / "data", 3)
    folders = store.demande_folders()
    for folder in folders:
        _age(folder, 60)
    assert store.recover().resume == ""
    assert len(checked) == 3
    stamps = json.loads((store.root / STAMPS_FILE).read_text())["dossiers"]
    assert sorted(stamps) == sorted(f"demandes/{f.name}" for f in folders)
    assert store.recover().resume == "" and len(checked) == 3  # nothing read again
    # A crash leaves a half-copied piece (its writer gone) in a folder found clean before.
    leftover = folders[0] / "pieces" / ".abc.999999999.x.tmp"
    leftover.parent.mkdir(exist_ok=True)
    leftover.write_bytes(b"x" * 10)
    report = store.recover()
    assert report.temp_files == 1 and not leftover.exists()
    assert checked[3:] == [folders[0].name]  # that folder only


def test_recovery_checks_everything_when_its_memory_is_damaged(tmp_path) -> None:
    from permis_tui.recovery import STAMPS_FILE

    store = seeded(tmp_path / "data", 2)
    folder = store.demande_folders()[0]
    _age(folder, 60)
    store.recover()
    orphan = folder / "pieces" / ("0" * 64 + ".pdf")
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"%PDF-")
    _age(folder, 60)  # as if the change was made long ago, with its mtimes put back
    (store.root / STAMPS_FILE).write_text('{"version": 1, "dossiers": {"demandes/x": "oui"}}')
    assert store.recover().orphan_pieces == 1 and not orphan.exists()


# -- safe_text ---------------------------------------------------------------------


def test_the_escaping_regex_is_exactly_the_unsafe_set() -> None:
    from permis_tui.safe_text import is_unsafe, unsafe_pattern

    every, but_lines = unsafe_pattern(False), unsafe_pattern(True)
    for code in range(0x110000):
        ch = chr(code)
        unsafe = is_unsafe(ch)
        assert bool(every.match(ch)) == unsafe, hex(code)
        assert bool(but_lines.match(ch)) == (unsafe and ch not in "\n\t"), hex(code)
