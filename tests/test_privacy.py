"""The data folder is private under any umask, and a folder found open is
closed recursively at start, with the person told (home screen and CLI)."""

from __future__ import annotations

import os
import stat

import pytest

from demande_factory import complete_demande
from permis_tui.cli import main
from permis_tui.store import DraftStore


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _open_paths(root) -> list[str]:
    """Every folder not 0700 and every file not 0600 under root (itself included)."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        st = os.lstat(path)
        want = 0o700 if stat.S_ISDIR(st.st_mode) else 0o600
        if not stat.S_ISLNK(st.st_mode) and stat.S_IMODE(st.st_mode) != want:
            wrong.append(f"{path.relative_to(root)} {oct(stat.S_IMODE(st.st_mode))}")
    return wrong


def test_everything_written_is_private_under_umask_022(tmp_path, umask_022, capsys) -> None:
    from permis_tui.validation import valider

    store = DraftStore(tmp_path / "data")  # nothing exists yet: made by the first write
    d = complete_demande(store)
    result = valider(d, store, isolated=False)
    assert result.validee, result
    assert any(store.formulaires_dir(d.numero).iterdir())
    store.delete(d.numero)
    assert _open_paths(store.root) == []
    # an import into a data folder that does not exist yet
    store.restore(d.numero)
    out = tmp_path / "export"
    assert main(["--data-dir", str(store.root), "export", d.numero, "-o", str(out)]) == 0
    fresh = tmp_path / "nouveau" / "donnees"
    assert main(["--data-dir", str(fresh), "import", str(out)]) == 0
    assert _open_paths(fresh) == []


def _open_up(root) -> int:
    count = 0
    for path in [root, *root.rglob("*")]:
        os.chmod(path, 0o777 if path.is_dir() else 0o666)
        count += 1
    return count


def test_a_0777_data_dir_is_fixed_recursively_by_the_cli(tmp_path, capsys) -> None:
    store = DraftStore(tmp_path / "data")
    d = complete_demande(store)
    store.delete(complete_demande(store).numero)
    opened = _open_up(store.root)
    assert len(_open_paths(store.root)) == opened > 20
    assert main(["--data-dir", str(store.root), "list"]) == 0
    err = capsys.readouterr().err
    assert f"{opened} élément(s) rendu(s) privé(s)" in err
    assert _open_paths(store.root) == []
    assert main(["--data-dir", str(store.root), "list"]) == 0
    assert "privé" not in capsys.readouterr().err  # said once, when it was fixed
    assert d.numero


def test_symlinks_in_the_data_dir_are_not_followed_when_fixing(tmp_path) -> None:
    from permis_tui.privacy import make_private

    outside = tmp_path / "ailleurs.txt"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    root = tmp_path / "data"
    root.mkdir(mode=0o777)
    os.chmod(root, 0o777)
    (root / "lien").symlink_to(outside)
    assert make_private(root) == 1
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644


async def test_the_app_fixes_an_open_data_dir_and_says_so(tmp_path) -> None:

    from pilot_helpers import alert_text, make_app, wait_until

    store = DraftStore(tmp_path / "data")
    complete_demande(store)
    opened = _open_up(store.root)
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "privé" in alert_text(app), "the notice about the closed folder")
        text = alert_text(app)
        assert f"{opened} élément(s)" in text.replace("\n", " ")
        assert app.focused is not None and app.focused.is_attached
    assert _open_paths(store.root) == []
