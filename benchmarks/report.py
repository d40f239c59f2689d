"""Time ``ipa report`` on the bundled sample and on synthetic projects of growing size.

Usage: python benchmarks/report.py [--participants 500] [--codings 25000,50000,100000]
                                   [--figures png|all] [--repeat 5] [--sample-only]

Prints, for the sample (median of 5, beside the bare import of pandas, matplotlib,
python-docx and openpyxl, run in turn with it) and each synthetic size, the wall and CPU
time and the peak resident memory of an ``ipa report`` process (Word report, every table in
6 formats, 3 figures as PNG, or PNG, SVG and PDF with ``--figures all``; the figures, the
table files and codings.csv are made in forked children, whose CPU time is counted and
whose peak memory is reported when one is the largest), the cost per coding, and the time
of each table and chart built alone, so the growth in codings can be read off (it should be
linear). Wall time swings with the load of a shared machine; the CPU time does less.
"""

from __future__ import annotations

import argparse
import os
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


def timed_report(p) -> dict[str, float]:
    """Each table and chart built alone (in this process), in seconds."""
    from ipa_toolkit.report import charts, tables

    parts = {}
    for name in tables.NAMES:
        t = time.perf_counter()
        tables.table(p, name)
        parts[name] = time.perf_counter() - t
    for name in charts.NAMES:
        t = time.perf_counter()
        charts.chart(p, name)
        parts[f"chart {name}"] = time.perf_counter() - t
    return parts


def run_report(ipa: Path, project: Path, figures: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one ``ipa report`` process (its
    resource usage, as ``resource.getrusage`` reports it, includes the report's children)."""
    out = project / "report"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    proc = subprocess.Popen([str(ipa), "-p", str(project), "report", "--out", str(out),
                             "--figures", figures], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status:
        raise SystemExit(f"ipa report failed on {project}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def bare_import() -> tuple[float, float]:
    """Wall and CPU seconds of a process that only imports pandas, matplotlib, python-docx
    and openpyxl: the floor issue #10 measured the sample's report against (3.1x it)."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c",
                             "import pandas, matplotlib, docx, openpyxl"])
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=500)
    ap.add_argument("--codings", default="25000,50000,100000")
    ap.add_argument("--words", type=int, default=2000)
    ap.add_argument("--figures", default="png", help="png (the default) or all")
    ap.add_argument("--repeat", type=int, default=5, help="runs of the sample's report")
    ap.add_argument("--sample-only", action="store_true", help="time the sample only")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipa-report-bench-"))
    ipa = Path(sys.executable).with_name("ipa")
    try:
        sample = work / "sample"
        subprocess.run([str(ipa), "init", str(sample), "--codebook",
                        str(ROOT / "codebooks/nop_study.yaml"), "--participants",
                        str(ROOT / "transcripts_sample/participants.csv"), "--transcripts",
                        str(ROOT / "transcripts_sample"), "--codings",
                        str(ROOT / "transcripts_sample/codings.csv"), "--comments",
                        str(ROOT / "transcripts_sample")], check=True,
                       stdout=subprocess.DEVNULL)
        runs, bare = [], []
        for _ in range(a.repeat):  # interleaved, so both see the same load
            runs.append(run_report(ipa, sample, a.figures))
            bare.append(bare_import())
        wall, cpu, rss = sorted(runs)[len(runs) // 2]
        floor, floor_cpu = sorted(bare)[len(bare) // 2]
        print(f"sample (10 participants): ipa report {wall:.2f} s wall, {cpu:.2f} s CPU, "
              f"peak RSS {rss:.0f} MiB (median of {a.repeat}, start-up included); the bare "
              f"import of pandas, matplotlib, python-docx and openpyxl {floor:.2f} s wall, "
              f"{floor_cpu:.2f} s CPU: the report is {wall / floor:.2f}x it", flush=True)
        if a.sample_only:
            return
        per_coding = {}
        for n in [int(x) for x in a.codings.split(",")]:
            t = time.perf_counter()
            p = synthetic(work / f"p{n}", a.participants, n, a.words)
            build = time.perf_counter() - t
            parts = timed_report(p)
            p.close()
            wall, cpu, rss = run_report(ipa, work / f"p{n}", a.figures)
            per_coding[n] = cpu / n
            detail = ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
            print(f"{a.participants} participants, {n:,} codings (built in {build:.1f} s): "
                  f"ipa report {wall:.2f} s wall, {cpu:.2f} s CPU, peak RSS {rss:.0f} MiB, "
                  f"{cpu / n * 1e6:.0f} us CPU per coding [alone: {detail}]", flush=True)
        if len(per_coding) > 1:
            lo, hi = min(per_coding), max(per_coding)
            print(f"CPU per coding at {hi:,} / at {lo:,} codings: "
                  f"x{per_coding[hi] / per_coding[lo]:.2f} (1.0 = linear; fixed costs "
                  "make it fall below 1)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
