"""PostgreSQL against SQLite on the same 500-participant / 100k-coding project.

Usage: python benchmarks/postgres.py [--participants 500] [--codings 100000]

Builds the synthetic project of ``report.py`` in SQLite, pushes it to PostgreSQL (the
server named by IPA_BENCH_DATABASE_URL, else a pgserver one started here on a local
socket), then times on both stores: ``Project.codings()``, the recurrence table (fresh
project each time, so nothing is cached), the whole ``ipa report``, and an ``ipa tag``
command (wall time of the process, start-up included).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import synthetic  # noqa: E402


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def server(work: Path) -> str:
    url = os.environ.get("IPA_BENCH_DATABASE_URL")
    if url:
        return url
    import pgserver

    return pgserver.get_server(work / "pgdata", cleanup_mode="delete").get_uri()


def main() -> None:
    from ipa_toolkit.project import Project
    from ipa_toolkit.report.build import write_report

    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=500)
    ap.add_argument("--codings", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=2000)
    ap.add_argument("--no-report", action="store_true", help="skip the (slow) whole report")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipa-pg-bench-"))
    ipa = Path(sys.executable).with_name("ipa")
    try:
        url = server(work)
        t = time.perf_counter()
        lite = synthetic(work / "lite", a.participants, a.codings, a.words)
        print(f"{a.participants} participants, {lite.store.count_codings():,} codings "
              f"(built in {time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        subprocess.run([str(ipa), "-p", str(lite.folder), "db", "push", url, "--schema",
                        "bench"], check=True, stdout=subprocess.DEVNULL)
        print(f"ipa db push: {time.perf_counter() - t:.1f} s")
        pg = Project.init(work / "pg", database=url, schema="bench")
        rows = []
        for name, fn in (("codings()", lambda p: p.codings()),
                         ("recurrence table", lambda p: Project.open(p.folder).table(
                             "recurrence")),
                         ("ipa report", lambda p: write_report(Project.open(p.folder),
                                                               p.folder / "report"))):
            if name == "ipa report" and a.no_report:
                continue
            repeat = 1 if name == "ipa report" else 3
            s, g = best(lambda fn=fn: fn(lite), repeat), best(lambda fn=fn: fn(pg), repeat)
            rows.append((name, s, g))
        lines = iter(range(5, 100))

        def tag_in_process(p):  # what 'ipa tag' does after start-up: open, tag, close
            with Project.open(p.folder) as q:
                q.tag("P1", "1.1", lines=str(next(lines)))

        def tag_process(p):
            subprocess.run([str(ipa), "-p", str(p.folder), "tag", "P1", "--theme", "1.1",
                            "--lines", str(next(lines))], check=True, stdout=subprocess.DEVNULL)

        rows.append(("ipa tag: open, tag, close", best(lambda: tag_in_process(lite), 5),
                     best(lambda: tag_in_process(pg), 5)))
        rows.append(("ipa tag: whole process", best(lambda: tag_process(lite), 5),
                     best(lambda: tag_process(pg), 5)))
        rows.append(("python -c pass", best(lambda: subprocess.run([sys.executable, "-c",
                                                                     "pass"]), 5), None))
        print(f"{'':34} {'SQLite':>9} {'PostgreSQL':>11} {'ratio':>6}")
        for name, s, g in rows:
            if g is None:
                print(f"{name:34} {s:8.3f}s")
            else:
                print(f"{name:34} {s:8.3f}s {g:10.3f}s {g / s:6.2f}")
        lite.close()
        pg.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
