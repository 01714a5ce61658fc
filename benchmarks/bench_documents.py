"""Benchmark of the step-5 document check against `qpdf --show-npages`.

    .venv/bin/python benchmarks/bench_documents.py [--runs 9]

Generates its files in a temporary directory: a 2-page PDF, a 5,000-page PDF (refused at
2 pages) and a ~40 MB "scanned" 30-page PDF (one random-noise JPEG per page, so nothing
compresses). Prints medians of in-process `check_file` against the wall time of a whole
`qpdf --show-npages` process, measured in the same run, and checks that importing
`permis_tui.documents` pulls in neither pypdf nor Pillow.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_fixtures", HERE.parent / "tests" / "fixtures" / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)


def scanned_pdf(pages: int = 30, target_bytes: int = 40_000_000) -> bytes:
    from fpdf import FPDF
    from PIL import Image

    per_page = target_bytes // pages
    side = int((per_page / 1.0) ** 0.5)  # noise JPEG at q=90 costs ~1 byte per pixel; adjusted below
    pdf = FPDF()
    for n in range(pages):
        for _ in range(4):  # converge on the per-page size
            img = Image.effect_noise((side, int(side * 1.41)), 120).convert("RGB")
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=90)
            ratio = per_page / buf.tell()
            if 0.95 < ratio < 1.05 or n:
                break
            side = int(side * ratio**0.5)
        pdf.add_page()
        buf.seek(0)
        pdf.image(buf, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, time; t = time.perf_counter(); import permis_tui.documents; "
            "print(f'{(time.perf_counter() - t) * 1000:.1f}', 'pypdf' in sys.modules, 'PIL' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    import_ms, has_pypdf, has_pil = proc.stdout.split()
    print(f"import permis_tui.documents: {import_ms} ms; pypdf imported: {has_pypdf}; PIL imported: {has_pil}")

    from permis_tui.documents import check_file

    qpdf = shutil.which("qpdf")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        cases = []
        for name, data, max_pages in [
            ("2 pages", mf.fpdf_pdf(2), 2),
            ("5 000 pages (refusé)", mf.many_pages_pdf(5000), 2),
            ("scan 30 pages", scanned_pdf(), 30),
        ]:
            path = d / f"{len(cases)}.pdf"
            path.write_bytes(data)
            cases.append((name, path, max_pages))
        check_file(cases[0][1], 2)  # first call imports pypdf: not part of the measure

        print(f"\n{'fichier':22} {'taille':>9} {'verdict':32} {'check_file':>11} {'qpdf':>9} {'ratio':>6}")
        for name, path, max_pages in cases:
            size = path.stat().st_size
            verdict = check_file(path, max_pages, max_bytes=1 << 30)
            ours = median_ms(
                lambda path=path, max_pages=max_pages: check_file(path, max_pages, max_bytes=1 << 30), args.runs
            )
            if qpdf:
                theirs = median_ms(
                    lambda path=path: subprocess.run([qpdf, "--show-npages", str(path)], capture_output=True), args.runs
                )
                qpdf_txt, ratio = f"{theirs:7.1f}ms", f"{ours / theirs:5.2f}x"
            else:
                qpdf_txt, ratio = "absent", "-"
            label = verdict.label if not verdict.valid else f"valide, {verdict.pages} p."
            size_txt = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"
            print(f"{name:22} {size_txt:>9} {label[:32]:32} {ours:9.1f}ms {qpdf_txt:>9} {ratio:>6}")
    print(f"\n(médianes sur {args.runs} mesures ; qpdf mesuré comme processus complet, check_file en mémoire)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
