"""What the installed package carries: the top-level stylesheet, the served page, the
referentiel's data. `screens.tcss` lives at the top of the repository only; the build
configuration (hatch force-include) copies it into the wheel."""

from __future__ import annotations

import os
import tomllib
import zipfile
from pathlib import Path

import pytest

import permis_tui
from permis_tui.app import PermisApp, stylesheet_path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(permis_tui.__file__).resolve().parent
TOP_LEVEL_STYLESHEET = ROOT / "screens.tcss"

# Data files the program opens at run time, by their place inside the package.
PACKAGE_DATA = [
    "permis_tui/screens.tcss",
    "permis_tui/serve_page/app_index.html",
    "permis_tui/referentiel/data/communes.txt.gz",
    "permis_tui/referentiel/data/codes_postaux.txt.gz",
    "permis_tui/referentiel/data/departements.tsv",
]


def test_the_app_loads_the_top_level_stylesheet():
    """Whatever the install (wheel as in CI, editable, plain checkout), the file the app
    loads holds the top-level stylesheet's content."""
    assert stylesheet_path() == PermisApp.CSS_PATH
    assert stylesheet_path().read_bytes() == TOP_LEVEL_STYLESHEET.read_bytes()
    if PACKAGE == ROOT / "src" / "permis_tui":  # checkout or editable install: the file itself
        assert stylesheet_path() == TOP_LEVEL_STYLESHEET
    else:  # installed wheel: its own copy
        assert stylesheet_path() == PACKAGE / "screens.tcss"


def test_the_sources_hold_no_copy_or_link_of_the_stylesheet():
    assert not os.path.lexists(ROOT / "src" / "permis_tui" / "screens.tcss")


def test_the_wheel_configuration_copies_the_top_level_stylesheet_into_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"] == {"screens.tcss": "permis_tui/screens.tcss"}
    assert wheel["packages"] == ["src/permis_tui"]


def test_an_installed_package_loads_its_own_copy(tmp_path, monkeypatch):
    """In a wheel the copy sits beside app.py and is preferred to anything else."""
    import permis_tui.app as app_module

    package = tmp_path / "site-packages" / "permis_tui"
    package.mkdir(parents=True)
    (package / "screens.tcss").write_text("Screen { }\n", encoding="utf-8")
    monkeypatch.setattr(app_module, "__file__", str(package / "app.py"))
    assert app_module.stylesheet_path() == package / "screens.tcss"


def test_the_built_wheel_carries_the_stylesheet_and_the_data(tmp_path):
    """Builds the wheel with the project's own build backend, in this process (no index,
    no isolated environment), and reads what it holds."""
    builders = pytest.importorskip("hatchling.builders.wheel", reason="hatchling comes with the test extra")
    built = builders.WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    (wheel_path,) = list(built)
    with zipfile.ZipFile(wheel_path) as wheel:
        names = set(wheel.namelist())
        for name in PACKAGE_DATA:
            assert name in names, name
        assert wheel.read("permis_tui/screens.tcss") == TOP_LEVEL_STYLESHEET.read_bytes()
        assert (
            wheel.read("permis_tui/serve_page/app_index.html")
            == (ROOT / "src" / "permis_tui" / "serve_page" / "app_index.html").read_bytes()
        )
        assert not any(n.startswith(("screens.tcss", "tests/", "benchmarks/")) for n in names)
