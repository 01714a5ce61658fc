"""A pinned npm package for the build scripts (build_referentiel.py, build_codes_postaux.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path


def fetch_package(name: str, version: str, workdir: Path) -> Path:
    """``npm pack`` the pinned version into ``workdir`` and unpack it; returns the package folder."""
    out = (
        subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--pack-destination", str(workdir)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with tarfile.open(workdir / out) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def check_version(package: Path, version: str) -> None:
    """Warn when the package.json of ``package`` names another version than the pinned one."""
    manifest = package / "package.json"
    if manifest.is_file():
        found = json.loads(manifest.read_text("utf-8")).get("version")
        if found != version:
            print(f"warning: package version {found}, expected {version}", file=sys.stderr)
