"""Render time and size of the formulaire de dépôt (and the recap PDF).

Run by hand: ``.venv/bin/python benchmarks/bench_forms.py [--runs N]``.
Targets: deposit form ≤ 50 ms median in-process after the first render, ≤ 40 KB.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from permis_tui.forms.formulaire_depot import DepotData, render_formulaire_depot
from permis_tui.forms.recap_pdf import RecapSection, render_recap_pdf

DEPOT = DepotData(
    numero="DPC-2025-000123",
    nom_naissance="Œuvray-Łukaszewski",
    nom_usage="Ÿvonne D’Ørsted",
    prenoms=["Marie-Şule", "Anne"],
    sexe="F",
    date_naissance="00/00/1975",
    adresse_lignes=["12 bis rue de l'Œuvre", "Bâtiment B, escalier 3", "74000 Annecy"],
)
SECTIONS = [
    RecapSection("État civil", [("Nom de naissance", "Œuvray-Łukaszewski"), ("Prénom(s)", "Marie-Şule, Anne")]),
    RecapSection("Adresse", [("Adresse", "12 bis rue de l'Œuvre, Bâtiment B, escalier 3, 74000 Annecy")]),
] * 6


def measure(label: str, render: Callable[[], bytes], runs: int) -> None:
    start = time.perf_counter()
    size = len(render())  # first use: imports done, fonts parsed and cached
    first = time.perf_counter() - start
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    # CPU time too: on a busy machine the wall-clock median mostly measures the neighbours.
    print(
        f"{label:<20} first {first * 1000:6.1f} ms | median {statistics.median(wall) * 1000:5.1f} ms wall,"
        f" {statistics.median(cpu) * 1000:5.1f} ms CPU | min {min(wall) * 1000:5.1f} ms | {runs} runs | {size} bytes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = max(parser.parse_args().runs, 30)
    measure("formulaire de dépôt", lambda: render_formulaire_depot(DEPOT), runs)
    measure(
        "récapitulatif",
        lambda: render_recap_pdf("DPC-2025-000123", "Demande de permis de conduire", SECTIONS, "12/05/2025 à 14:03"),
        runs,
    )


if __name__ == "__main__":
    main()
