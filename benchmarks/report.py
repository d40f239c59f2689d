"""Time ``ipa report`` on the bundled sample and on synthetic projects of growing size.

Usage: python benchmarks/report.py [--participants 500] [--codings 25000,50000,100000]

Prints the wall time of the whole report (Word report, 6 tables x 6 formats, 3 charts x 3
formats) and of its parts, so the growth in codings can be read off (it should be linear).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402


def synthetic(folder: Path, participants: int, codings: int, words: int):
    from ipa_toolkit.model import Coding
    from ipa_toolkit.project import Project

    corpus = folder.parent / f"corpus-{participants}"
    if not corpus.exists():
        make_corpus(corpus, participants, words)
    p = Project.create(folder, codebook=ROOT / "codebooks" / "nop_study.yaml",
                       transcripts=[corpus])
    ts = p.store.transcripts()
    leaves = [t.id for t in p.codebook.themes if not p.codebook.children(t)]
    todo = []
    for k in range(codings):
        tr = ts[k % len(ts)]
        lines = p.store.lines(tr.id) if k < len(ts) else cache[tr.id]
        if k < len(ts):
            cache[tr.id] = lines
        rest = k // len(ts)
        a = lines[rest % (len(lines) - 4)]
        b = lines[a.number - 1 + rest % 4]
        todo.append(Coding(0, tr.id, leaves[(rest * 7 + k) % len(leaves)], a.number, b.number,
                           a.start, b.end, f"q{k}", "bench", "", "2026-01-01",
                           exemplar=k % 50 == 0))
    with p.store.transaction():
        p.store.add_codings(todo)
    return p


cache: dict[int, list] = {}


def timed_report(p, out: Path) -> dict[str, float]:
    from ipa_toolkit.report import charts, tables
    from ipa_toolkit.report.build import write_report

    parts = {}
    for name in tables.NAMES:
        t = time.perf_counter()
        tables.table(p, name)
        parts[name] = time.perf_counter() - t
    for name in charts.NAMES:
        t = time.perf_counter()
        charts.save(charts.chart(p, name), out.parent / f"{name}.png")
        parts[f"chart {name}"] = time.perf_counter() - t
    t = time.perf_counter()
    write_report(p, out)
    parts["whole report"] = time.perf_counter() - t
    return parts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=500)
    ap.add_argument("--codings", default="25000,50000,100000")
    ap.add_argument("--words", type=int, default=2000)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipa-report-bench-"))
    ipa = Path(sys.executable).with_name("ipa")
    try:
        sample = work / "sample"
        subprocess.run([str(ipa), "init", str(sample), "--codebook",
                        str(ROOT / "codebooks/nop_study.yaml"), "--participants",
                        str(ROOT / "transcripts_sample/participants.csv"), "--transcripts",
                        str(ROOT / "transcripts_sample"), "--codings",
                        str(ROOT / "transcripts_sample/codings.csv")], check=True,
                       stdout=subprocess.DEVNULL)
        t = time.perf_counter()
        subprocess.run([str(ipa), "-p", str(sample), "report", "--out", str(sample / "r")],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"sample (10 participants, 82 codings): ipa report {time.perf_counter() - t:.2f} s"
              " wall, start-up included")
        for n in [int(x) for x in a.codings.split(",")]:
            t = time.perf_counter()
            p = synthetic(work / f"p{n}", a.participants, n, a.words)
            build = time.perf_counter() - t
            parts = timed_report(p, work / f"p{n}" / "report")
            detail = ", ".join(f"{k} {v:.2f}" for k, v in parts.items() if k != "whole report")
            print(f"{a.participants} participants, {n:,} codings (built in {build:.1f} s): "
                  f"report {parts['whole report']:.2f} s [{detail}]")
            p.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
