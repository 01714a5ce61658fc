"""The domain core never imports Textual or Rich (the import-linter contract in pyproject.toml),
and every module of the package is on one side of that line: core or interface."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import permis_tui

ROOT = Path(__file__).resolve().parents[1]
# The interface: what may import Textual and Rich. Everything else is listed in the contract.
INTERFACE = {
    "permis_tui.__main__",
    "permis_tui.app",
    "permis_tui.cli",
    "permis_tui.commands",
    "permis_tui.palette",
    "permis_tui.save_flow",
    "permis_tui.screens",
    "permis_tui.terminal_driver",
    "permis_tui.widgets",
}


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    [contract] = [c for c in config["contracts"] if c["type"] == "forbidden"]
    return contract


def _under(module: str, packages: set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(permis_tui.__path__, "permis_tui."))


def test_the_contract_forbids_textual_and_rich() -> None:
    assert set(_contract()["forbidden_modules"]) == {"textual", "rich"}


def test_every_module_is_core_or_interface() -> None:
    core = set(_contract()["source_modules"])
    modules = _modules()
    assert "permis_tui.model.demande" in modules and "permis_tui.screens.home_screen" in modules
    # A new module must say which side it is on: the contract in pyproject.toml, or INTERFACE here.
    assert [m for m in modules if _under(m, core) == _under(m, INTERFACE)] == []


def test_lint_imports_keeps_the_contract() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "The domain core never imports Textual or Rich KEPT" in proc.stdout
