"""CPU time of each phase of ``ipa report``, in one process, on a built project.

Usage: python benchmarks/report_phases.py PROJECT [--repeat 3]

``ipa report`` spreads its work over forked children (figures, the table files,
codings.csv), so its total CPU time does not say which step grows with the project. This
runs the same steps one after another in this process and prints, per step, the CPU
seconds (the least of ``--repeat`` runs; the machine's load inflates single runs) and the
process's resident memory after it, largest steps first: reading the codings, counting
passages, building each table, writing each table in each format (summed over the
participants' PET tables), the Word report's tables, and codings.csv. The figures are left
out (``benchmarks/report.py`` times them). Run it at two sizes (``benchmarks/scale.py``
builds ``project-10`` and ``project-500``) to see what grows with the codings.
"""

from __future__ import annotations

import argparse
import gc
import io
import tempfile
import time
from pathlib import Path


def rss_mib() -> int:
    """Resident memory of this process now (Linux), in MiB; 0 where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def phases(project: Path, out: Path, repeat: int) -> tuple[dict[str, float], dict[str, int]]:
    """{step: least CPU seconds over ``repeat`` runs}, {step: resident MiB after it}."""
    from ipa_toolkit.analysis.prevalence import prevalence
    from ipa_toolkit.coding.table import sharing, write_csv
    from ipa_toolkit.progress import bulk
    from ipa_toolkit.project import Project
    from ipa_toolkit.report.build import TABLE_FORMATS, paper_tables
    from ipa_toolkit.report.idiographic import appendix_tables
    from ipa_toolkit.report.writers import write_table
    from ipa_toolkit.report.writers.word import add_table, new_document
    from ipa_toolkit.stamp import dated

    best: dict[str, float] = {}
    memory: dict[str, int] = {}

    def step(name: str, func, *args):
        started = time.process_time()
        result = func(*args)
        spent = time.process_time() - started
        total[name] = total.get(name, 0.0) + spent
        memory[name] = rss_mib()
        return result

    for _ in range(repeat):
        total: dict[str, float] = {}
        p = Project.open(project)
        with bulk(), dated(p):  # as the report: no cyclic collection while it writes
            started = time.process_time()
            with sharing(p):
                total["read the codings"] = time.process_time() - started
                memory["read the codings"] = rss_mib()
                p.cache.pop(("prevalence", None), None)
                step("count passages", prevalence, p)
                frames = step("build the paper's tables", paper_tables, p)
                appendix = step("build the appendices (PETs)", appendix_tables, p)
                for number, df in enumerate([*frames, *appendix], start=1):
                    name = df.attrs["name"]
                    kind = "pets_*" if name.startswith("pets_") else name
                    for suffix in TABLE_FORMATS:
                        step(f"write {kind}{suffix}", write_table, df,
                             out / f"t{number}{suffix}", number)
                document = new_document()
                for number, df in enumerate([*frames, *appendix], start=1):
                    name = df.attrs["name"]
                    kind = "pets_*" if name.startswith("pets_") else name
                    step(f"Word report: {kind}", add_table, document, df, number)
                step("Word report: save", document.save, io.BytesIO())
                step("codings.csv", write_csv, p, out / "codings.csv")
        p.close()
        for name, spent in total.items():
            best[name] = min(best.get(name, spent), spent)
        gc.collect()
    return best, memory


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    started = time.process_time()
    import docx  # noqa: F401  (the imports a report makes, counted apart)
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import xlsxwriter  # noqa: F401

    imports = time.process_time() - started
    with tempfile.TemporaryDirectory(prefix="ipa-phases-") as out:
        best, memory = phases(a.project, Path(out), a.repeat)
    print(f"{a.project}: CPU seconds per step (least of {a.repeat}), resident MiB after it")
    print(f"  {imports:7.3f}  import pandas, numpy, python-docx, XlsxWriter")
    small = [spent for spent in best.values() if spent < 0.01]
    for name, spent in sorted(best.items(), key=lambda kv: -kv[1]):
        if spent >= 0.01:
            print(f"  {spent:7.3f}  {name}  ({memory[name]} MiB)")
    print(f"  {sum(small):7.3f}  {len(small)} other steps of under 10 ms each")
    print(f"  {sum(best.values()):7.3f}  in all, figures and start-up left out")


if __name__ == "__main__":
    main()
