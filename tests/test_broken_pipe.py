"""A reader that goes away (`permis-tui list --json | head -1`) ends a command quietly.

Real pipes, real processes: the exit status is 141 (128 + SIGPIPE, what a shell shows
for any tool stopped by a closed pipe) and nothing but silence reaches stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from permis_tui.store import DraftStore

EXIT_BROKEN_PIPE = 141


COUNT = 500  # about 100 kB of JSON: more than a pipe's 64 kB buffer


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """A data folder with enough demandes for `list --json` to overflow a pipe's buffer."""
    data = tmp_path_factory.mktemp("pipe") / "donnees"
    store = DraftStore(data)
    store.ensure()
    for i in range(COUNT):
        d = store.create()
        d.etat_civil.nom_naissance = "Lefèvre-" + "abcdefghij"[i % 10] * (1 + i % 7)
        d.etat_civil.prenoms = ["Zoé"]
        store.save(d)
    return data


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PERMIS_TUI_DATA_DIR": str(data)}
    env.pop("PYTHONWARNINGS", None)
    return env


def test_list_json_into_head_ends_quietly(many):
    """The case as people meet it: a shell pipeline whose reader stops after one line."""
    command = f'{sys.executable} -m permis_tui list --json | head -1; echo "status=${{PIPESTATUS[0]}}" >&2'
    proc = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=_env(many), timeout=120)
    assert proc.stdout == "{\n"
    status = [line for line in proc.stderr.splitlines() if line.startswith("status=")]
    assert status == [f"status={EXIT_BROKEN_PIPE}"], proc.stderr
    assert proc.stderr.strip() == f"status={EXIT_BROKEN_PIPE}", proc.stderr  # no traceback, no message


def _run_into_closed_pipe(argv: list[str], data: Path) -> subprocess.CompletedProcess:
    """Run with stdout on a pipe whose reading end is already closed: the first write fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "permis_tui", *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(data),
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--json"],
        ["schema"],
        ["checklist"],
        ["checklist", "--json", "--retour", "invalidation"],
        ["outbox", "--list"],
        ["--help"],
        ["--version"],
    ],
)
def test_every_command_writing_to_stdout_ends_quietly(many, argv):
    proc = _run_into_closed_pipe(argv, many)
    assert proc.stderr == ""
    assert proc.returncode == EXIT_BROKEN_PIPE


def test_check_json_into_closed_pipe(many, tmp_path):
    pdf = tmp_path / "identite.pdf"
    pdf.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    proc = _run_into_closed_pipe(["check", "--piece", "identite", "--json", str(pdf)], many)
    assert proc.stderr == ""
    assert proc.returncode == EXIT_BROKEN_PIPE


def test_output_to_a_reader_that_stays_is_unchanged(many):
    proc = subprocess.run(
        [sys.executable, "-m", "permis_tui", "list", "--json"],
        capture_output=True,
        text=True,
        env=_env(many),
        timeout=120,
    )
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.count('"numero"') == COUNT
