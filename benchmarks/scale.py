"""Speed at scale: per-transcript and per-row costs at two or more project sizes.

Usage: python benchmarks/scale.py [--sizes 10,300,500] [--words 5000] [--rows-per 200]
                                  [--sheet-rows N] [--no-report]

One synthetic corpus of max(sizes) transcripts x ``--words`` words (half .docx, half .txt)
is written once under ``benchmarks/out/`` and reused. For each size N the first N files are
built into a project through the public paths only (``Project.ingest``, ``ipa
import-codings``, ``ipa tag``, and ``ipa statement``, ``ipa pet add`` and ``ipa pet map`` for
the idiographic layer of ten participants), never by writing the store, and the script
prints:

- ingest: seconds per transcript and the ratio to a bare read of the same files
  (python-docx / a plain read) in the same process;
- ``ipa import-codings`` of a coding sheet of ``--rows-per`` rows per transcript (half by
  quote, half by line range; ``--sheet-rows`` caps it): wall time and time per row;
- ``ipa report``: wall time and the peak resident memory of that process.

A last line sets the per-row and per-transcript costs of the largest size against the
smallest, so growth with project size shows as a ratio (1.0 = linear). The bundled sample's
``ipa report`` is timed first. Then the audit log's size (snapshots plus the texts it
stores) after ingesting ``--reingest`` transcripts (default: the smallest size) and after
each of three re-ingests of the same files at widths 70, 80, 70 (the text is the same each
time; the line tables of the last two were seen before). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from make_corpus import make_corpus  # noqa: E402

IPA = Path(sys.executable).with_name("ipa")
LEAVES = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3", "4")


def run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process; its CPU seconds (with those of
    its own children) go to CPU, since wall time on a shared machine swings with load."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode() if proc.stderr else ""
    if status:
        raise SystemExit(f"{' '.join(argv)} failed: {err}")
    CPU[0] = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024


CPU = [0.0]


def bare_read(files: list[Path]) -> int:
    import docx

    words = 0
    for f in files:
        if f.suffix == ".docx":
            words += sum(len(p.text.split()) for p in docx.Document(str(f)).paragraphs)
        else:
            words += len(f.read_text(encoding="utf-8").split())
    return words


def coding_sheet(project, path: Path, rows_per: int, cap: int | None) -> int:
    """A sheet of distinct rows: participant, quote or lines, theme (the public columns)."""
    out = []
    for k, t in enumerate(project.transcript_list()):
        lines = project.lines(t.name)
        text = project.text(t.name)
        step = max(1, (len(lines) - 3) // rows_per)
        for r in range(rows_per):
            ln = lines[(r * step) % (len(lines) - 3)]
            theme = LEAVES[(r + k) % len(LEAVES)]
            words = ln.text.split()
            quote = " ".join(words[2:12]) if ln.role == "participant" and len(words) > 12 else ""
            if r % 2 == 0 and quote and text.count(quote) == 1:
                out.append((t.participant, quote, "", theme))
            else:
                out.append((t.participant, "", f"{ln.number}-{ln.number + r % 3}", theme))
    if cap:
        stride = max(1, len(out) // cap)
        out = out[::stride][:cap]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["participant", "quote", "lines", "theme"])
        w.writerows(out)
    return len(out)


def log_mib(project) -> float:
    """Bytes the audit log holds: its snapshots and the transcript texts it stores once."""
    st = project.store
    rows = st._x("SELECT COALESCE(SUM(LENGTH(old_value)), 0) + "
                 "COALESCE(SUM(LENGTH(new_value)), 0) FROM audit_log").fetchone()[0]
    texts = st._x("SELECT COALESCE(SUM(LENGTH(body)), 0) FROM log_texts").fetchone()[0]
    return (rows + texts) / 2**20


def reingest_log(files: list[Path], work: Path) -> None:
    from ipa_toolkit.project import Project

    p = Project.init(work / f"reingest-{len(files)}", replace_existing=True)
    t = time.perf_counter()
    p.ingest(files)
    out = [f"ingest {time.perf_counter() - t:.2f} s, log {log_mib(p):.2f} MiB"]
    for width in (70, 80, 70):
        t = time.perf_counter()
        p.ingest(files, width=width)
        out.append(f"width {width} {time.perf_counter() - t:.2f} s, log {log_mib(p):.2f} MiB")
    p.close()
    print(f"audit log, {len(files)} transcripts re-ingested 3 times: " + "; ".join(out),
          flush=True)


def sample_report(work: Path) -> tuple[float, float]:
    sample = work / "sample"
    subprocess.run([str(IPA), "init", str(sample), "--replace", "--codebook",
                    str(ROOT / "codebooks/nop_study.yaml"), "--participants",
                    str(ROOT / "transcripts_sample/participants.csv"), "--transcripts",
                    str(ROOT / "transcripts_sample"), "--codings",
                    str(ROOT / "transcripts_sample/codings.csv"), "--comments",
                    str(ROOT / "transcripts_sample")], check=True, stdout=subprocess.DEVNULL)
    times = []
    for _ in range(3):
        wall = run([str(IPA), "-p", str(sample), "report", "--out", str(sample / "r")])[0]
        times.append((wall, CPU[0]))
    return sorted(times)[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,300,500")
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--rows-per", type=int, default=200)
    ap.add_argument("--sheet-rows", type=int, default=None,
                    help="cap the coding sheet (e.g. to time a slow build on fewer rows)")
    ap.add_argument("--no-report", action="store_true")
    ap.add_argument("--reingest", type=int, default=None,
                    help="transcripts for the log-size measure (default: the smallest size)")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    from ipa_toolkit.project import Project

    a.out.mkdir(parents=True, exist_ok=True)
    corpus = a.out / f"corpus-{max(sizes)}x{a.words}"
    if not corpus.exists():
        t = time.perf_counter()
        partial = corpus.with_name(corpus.name + ".partial")
        make_corpus(partial, max(sizes), a.words)
        partial.rename(corpus)
        print(f"wrote corpus {corpus} in {time.perf_counter() - t:.0f} s")
    everything = sorted(corpus.iterdir(), key=lambda f: int(f.stem[1:]))

    wall, cpu = sample_report(a.out)
    imports = sorted((run([sys.executable, "-c", "import pandas, matplotlib.pyplot, docx, "
                           "openpyxl"])[0], CPU[0]) for _ in range(3))[1]
    print(f"sample (10 transcripts): ipa report {wall:.2f} s wall, cpu {cpu:.2f} s "
          f"(median of 3, start-up included); bare import of pandas, matplotlib, "
          f"python-docx, openpyxl {imports[0]:.2f} s wall, cpu {imports[1]:.2f} s")
    results = {}
    for n in sizes:
        files = everything[:n]
        t, c = time.perf_counter(), time.process_time()
        words = bare_read(files)
        bare, bare_cpu = time.perf_counter() - t, time.process_time() - c
        proj = a.out / f"project-{n}"
        p = Project.init(proj, replace_existing=True)
        p.import_codebook(ROOT / "codebooks" / "nop_study.yaml")
        t, c = time.perf_counter(), time.process_time()
        p.ingest(files)
        ingest, ingest_cpu = time.perf_counter() - t, time.process_time() - c
        sheet = a.out / f"sheet-{n}.csv"
        rows = coding_sheet(p, sheet, a.rows_per, a.sheet_rows)
        p.close()
        imp, imp_rss = run([str(IPA), "-p", str(proj), "import-codings", str(sheet)])
        imp_cpu = CPU[0]
        run([str(IPA), "-p", str(proj), "tag", "P1", "--lines", "1-2", "--theme", "1.1"])
        # an IPA study has its idiographic layer: a statement, a PET and its GET for the
        # first ten participants (the report then writes the convergence and PET appendices)
        for i in range(1, min(n, 10) + 1):
            run([str(IPA), "-p", str(proj), "statement", f"P{i}", "--lines", "3-4",
                 f"a statement of P{i}"])
            run([str(IPA), "-p", str(proj), "pet", "add", f"P{i}", f"A theme of P{i}",
                 "--statements", str(i)])
            run([str(IPA), "-p", str(proj), "pet", "map", f"P{i}:1", "1.1"])
        line = (f"{n} transcripts, {words:,} words: ingest {ingest:.2f} s, cpu {ingest_cpu:.2f}"
                f" s ({ingest / n * 1000:.1f} ms/transcript, {words / ingest / 1e6:.2f}M "
                f"words/s; bare read {bare:.2f} s, cpu {bare_cpu:.2f} s; ratio "
                f"{ingest / bare:.2f}x, cpu {ingest_cpu / bare_cpu:.2f}x); import-codings "
                f"{rows:,} rows {imp:.2f} s (cpu {imp_cpu:.2f} s; {imp / rows * 1e6:.0f} "
                f"us/row, {imp_rss:.0f} MiB)")
        rep = rep_rss = float("nan")
        if not a.no_report:
            rep, rep_rss = run([str(IPA), "-p", str(proj), "report", "--out",
                                str(proj / "report")])
            line += (f"; ipa report {rep:.2f} s (cpu {CPU[0]:.2f} s), peak RSS "
                     f"{rep_rss:.0f} MiB")
        print(line, flush=True)
        results[n] = (ingest / n, imp / rows, rep / max(rows, 1))
    lo, hi = min(sizes), max(sizes)
    if lo != hi:
        r = [results[hi][i] / results[lo][i] for i in range(3)]
        print(f"growth {lo} -> {hi} transcripts: ingest per transcript x{r[0]:.2f}; "
              f"import-codings per row x{r[1]:.2f}; report per coding x{r[2]:.2f}")
    reingest_log(everything[:a.reingest or lo], a.out)


if __name__ == "__main__":
    main()
