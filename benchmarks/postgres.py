"""PostgreSQL against SQLite on the same 500-participant / 100k-coding project.

Usage: python benchmarks/postgres.py [--participants 500] [--codings 100000]

Builds the synthetic project of ``report.py`` in SQLite, pushes it to PostgreSQL (the
server named by IPA_BENCH_DATABASE_URL, else a pgserver one started here on a local
socket), then times on both stores, taking turns: ``Project.codings()``, the recurrence
table (fresh project each time, so nothing is cached), the whole ``ipa report`` (each the
fastest run, as wall time and as this client's CPU time: the server's work is not in it,
so the wall ratio is the bar and the CPU ratio shows what the client adds), and an ``ipa tag``
command: the median of 10 processes, start-up included, as wall time and as CPU time (user +
system: on a shared machine the wall time mostly measures the others' load). The processes
run with bytecode written (as an installed package has it), even under
PYTHONDONTWRITEBYTECODE.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import synthetic  # noqa: E402


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its finished children (a
    report forks some of its jobs)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def best_of_both(fn, stores: tuple, repeat: int) -> list[tuple[float, float]]:
    """For each store, (wall, CPU seconds) of its fastest run of ``fn``. The stores take
    turns (in alternating order), so that both see the same load of a shared machine; the
    PostgreSQL server is another process, so its wall time suffers more from that load. The
    CPU is this client's: the server's own work is not in it."""
    runs: list[list[tuple[float, float]]] = [[] for _ in stores]
    for r in range(repeat):
        order = list(enumerate(stores))
        for i, p in order if r % 2 == 0 else order[::-1]:
            t, c = time.perf_counter(), _cpu()
            fn(p)
            runs[i].append((time.perf_counter() - t, _cpu() - c))
    return [min(r) for r in runs]


def median_process(argv, env: dict[str, str], repeat: int = 10) -> tuple:
    """(median wall, median CPU) seconds of the command ``argv()`` gives, after one warm-up
    run."""
    subprocess.run(argv(), env=env, check=True, stdout=subprocess.DEVNULL)
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(argv(), env=env, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


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
            repeat = 2 if name == "ipa report" else 4
            (s, sc), (g, gc) = best_of_both(fn, (lite, pg), repeat)
            rows.append((name, s, g))
            rows.append((f"{name}, client CPU", sc, gc))
        lines = iter(range(5, 100))

        def tag_in_process(p):  # what 'ipa tag' does after start-up: open, tag, close
            with Project.open(p.folder) as q:
                q.tag("P1", "1.1", lines=str(next(lines)))

        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

        def tag_process(p):  # a new passage each time
            return median_process(lambda: [str(ipa), "-p", str(p.folder), "tag", "P1",
                                           "--theme", "1.1", "--lines", str(next(lines))], env)

        rows.append(("ipa tag: open, tag, close", best(lambda: tag_in_process(lite), 5),
                     best(lambda: tag_in_process(pg), 5)))
        (lw, lc), (gw, gc) = tag_process(lite), tag_process(pg)
        rows.append(("ipa tag process, median wall", lw, gw))
        rows.append(("ipa tag process, median CPU", lc, gc))
        pw, pc = median_process(lambda: [sys.executable, "-c", "pass"], env)
        rows.append(("python -c pass, wall / CPU", pw, None))
        rows.append(("", pc, None))
        print(f"{'':34} {'SQLite':>9} {'PostgreSQL':>11} {'ratio':>6}")
        for name, s, g in rows:
            if g is None:
                print(f"{name:34} {s:8.3f}s")
            else:
                print(f"{name:34} {s:8.3f}s {g:10.3f}s {g / s:6.2f}")
        lite.close()
        pg.close()
        from ipa_toolkit.store import remove

        remove(pg.folder)  # the schema, so that the next run can push again
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
