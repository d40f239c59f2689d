"""Print the speed figures of ipa-toolkit (a script, not a timed test).

Usage: python benchmarks/run.py [--participants 20] [--words 10000] [--codings 100000]

1. Ingest: words per second through ``Project.ingest`` against the bare floor (reading the
   same files with python-docx / a plain read, in the same run), as a ratio of the medians
   of three alternating runs, wall and CPU.
2. Start-up: median wall time of ``ipa --help``, ``ipa tag``, ``ipa statement`` and
   ``ipa pet map`` beside ``python -c pass``, with the package's bytecode compiled first (as
   an installed package has it; PYTHONDONTWRITEBYTECODE would otherwise make every run
   compile every module it imports). When valgrind is installed, also the instructions
   each executes (cachegrind's count): unlike wall time it does not move with the load of a
   shared machine, so two versions can be compared exactly.
3. Queries: ``Project.codings()`` (the DataFrame) at 100,000 codings.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402


def instructions(argv: list[str]) -> float | None:
    """Millions of instructions ``argv`` executes (valgrind's cachegrind), or None without
    valgrind: a figure that does not move with the machine's load."""
    if shutil.which("valgrind") is None:
        return None
    r = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                        "--cachegrind-out-file=/dev/null", *argv], capture_output=True, text=True)
    for line in r.stderr.splitlines():
        if "I" in line and "refs:" in line:
            return int(line.split("refs:")[1].replace(",", "").strip()) / 1e6
    return None


def wall(argv: list[str], repeat: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bare_read(files: list[Path]) -> int:
    import docx

    words = 0
    for f in files:
        if f.suffix == ".docx":
            words += sum(len(p.text.split()) for p in docx.Document(str(f)).paragraphs)
        else:
            words += len(f.read_text(encoding="utf-8").split())
    return words


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=20)
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--codings", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=15)
    a = ap.parse_args()

    from ipa_toolkit.model import Coding
    from ipa_toolkit.project import Project

    work = Path(tempfile.mkdtemp(prefix="ipa-bench-"))
    try:
        files = make_corpus(work / "corpus", a.participants, a.words)
        print(f"corpus: {len(files)} transcripts x ~{a.words:,} words "
              f"({sum(f.stat().st_size for f in files) / 2**20:.1f} MiB)")

        # 1. ingest vs bare read, alternating, median of 3 each (wall and CPU)
        bares, ingests = [], []
        for k in range(3):
            t, c = time.perf_counter(), time.process_time()
            words = bare_read(files)
            bares.append((time.perf_counter() - t, time.process_time() - c))
            p = Project.init(work / "proj", replace_existing=True)
            p.import_codebook(Path(__file__).resolve().parent.parent / "codebooks" /
                              "nop_study.yaml")
            t, c = time.perf_counter(), time.process_time()
            p.ingest(files)
            ingests.append((time.perf_counter() - t, time.process_time() - c))
            if k < 2:
                p.close()
        bare, bare_cpu = (statistics.median(x) for x in zip(*bares, strict=True))
        ingest, ingest_cpu = (statistics.median(x) for x in zip(*ingests, strict=True))
        print(f"ingest (median of 3): {words / ingest:,.0f} words/s ({ingest:.2f} s, cpu "
              f"{ingest_cpu:.2f} s); bare read {words / bare:,.0f} words/s ({bare:.2f} s, cpu "
              f"{bare_cpu:.2f} s); ratio {ingest / bare:.2f}x, cpu {ingest_cpu / bare_cpu:.2f}x")

        # 2. start-up
        import compileall

        import ipa_toolkit

        compileall.compile_dir(Path(ipa_toolkit.__file__).parent, quiet=1)
        ipa = Path(sys.executable).with_name("ipa")
        base = wall([sys.executable, "-c", "pass"], a.repeat)
        hlp = wall([str(ipa), "--help"], a.repeat)
        tag_times = []
        for i in range(a.repeat):
            t = time.perf_counter()
            subprocess.run([str(ipa), "-p", str(work / "proj"), "tag", "P2", "--lines",
                            f"{i + 1}-{i + 2}", "--theme", "1.1"], check=True,
                           stdout=subprocess.DEVNULL)
            tag_times.append(time.perf_counter() - t)
        tag = statistics.median(tag_times)
        stmt_times, map_times = [], []
        for i in range(a.repeat):
            t = time.perf_counter()
            subprocess.run([str(ipa), "-p", str(work / "proj"), "statement", "P2", "--lines",
                            f"{i + 1}-{i + 2}", f"statement {i}"], check=True,
                           stdout=subprocess.DEVNULL)
            stmt_times.append(time.perf_counter() - t)
            if i == 0:
                subprocess.run([str(ipa), "-p", str(work / "proj"), "pet", "add", "P2",
                                "A personal theme", "--statements", "1"], check=True,
                               stdout=subprocess.DEVNULL)
            t = time.perf_counter()
            subprocess.run([str(ipa), "-p", str(work / "proj"), "pet", "map", "P2:1",
                            "1.1" if i % 2 else "1.2"], check=True, stdout=subprocess.DEVNULL)
            map_times.append(time.perf_counter() - t)
        stmt, pmap = statistics.median(stmt_times), statistics.median(map_times)
        print(f"start-up (median of {a.repeat}): python -c pass {base * 1000:.0f} ms; "
              f"ipa --help {hlp * 1000:.0f} ms ({hlp / base:.1f}x); ipa tag "
              f"{tag * 1000:.0f} ms; ipa statement {stmt * 1000:.0f} ms; ipa pet map "
              f"{pmap * 1000:.0f} ms (target < 150 ms each)")
        proj = ["-p", str(work / "proj")]
        counts = {"python -c pass": instructions([sys.executable, "-c", "pass"]),
                  "ipa tag": instructions([str(ipa), *proj, "tag", "P2", "--lines", "1-3",
                                           "--theme", "2"]),
                  "ipa statement": instructions([str(ipa), *proj, "statement", "P2",
                                                 "--lines", "4-5", "counted"]),
                  "ipa pet map": instructions([str(ipa), *proj, "pet", "map", "P2:1", "2"])}
        if None not in counts.values():
            floor = counts["python -c pass"]
            print("start-up instructions (valgrind): " + "; ".join(
                f"{k} {v:.0f}M" + ("" if k.startswith("python") else f" ({v / floor:.1f}x)")
                for k, v in counts.items()))

        # 3. codings() at scale
        ts = p.store.transcripts()
        themes = [t.id for t in p.store.themes()]
        lines = {t.id: p.store.lines(t.id) for t in ts}
        todo = []
        for k in range(a.codings):  # distinct (transcript, theme, span) triples
            tr = ts[k % len(ts)]
            tl = lines[tr.id]
            rest = k // len(ts)
            first_line = tl[(rest // len(themes)) % (len(tl) - 9)]
            last_line = tl[first_line.number - 1 + (rest // len(themes)) // (len(tl) - 9) % 8]
            todo.append(Coding(0, tr.id, themes[rest % len(themes)], first_line.number,
                               last_line.number, first_line.start, last_line.end,
                               "quote " + str(k), "bench", "", "2026-01-01"))
        with p.store.transaction():
            added = p.store.add_codings(todo)
        n = p.store.count_codings()
        t = time.perf_counter()
        df = p.codings()
        first = time.perf_counter() - t
        t = time.perf_counter()
        p.codings(theme="1")
        sub = time.perf_counter() - t
        t = time.perf_counter()
        p.theme_counts()
        counts = time.perf_counter() - t
        print(f"codings(): {n:,} codings ({added:,} added) -> DataFrame {len(df):,} rows in "
              f"{first:.2f} s; codings(theme='1') {sub:.2f} s; theme_counts() {counts:.2f} s")
        p.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
