"""CPU cost of the report's .xlsx tables: XlsxWriter (now) against openpyxl (before).

Usage: python benchmarks/xlsx_tables.py [PROJECT] [--before REV] [--repeat 9]

``ipa report`` writes its table files in a forked child, which imports the Excel library
itself. Each run here is a fresh process that builds the report's tables (the paper's and
the appendices: 10 on the sample, not counted), then takes the CPU time (user + system)
of importing the writer's library, of writing every table as .xlsx once (what the report
does) and of writing them all again (the library loaded). "before" is the openpyxl writer
of ``excel.py`` at ``--before`` (default: the last commit that had it), loaded from git
beside today's code; "after" is today's writer. Runs alternate before/after so that both
see the same load; the medians are printed. Without PROJECT the bundled sample is built
into a temporary folder first (as the README's first Quick-start line does).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "f8a418e"  # main before the XlsxWriter writer: excel.py used openpyxl
IMPORTS = {"before": ["openpyxl", "openpyxl.styles", "openpyxl.utils",
                      "openpyxl.cell.rich_text", "openpyxl.cell.text",
                      "openpyxl.writer.excel"],
           "after": ["xlsxwriter"]}

CHILD = r"""
import gc, importlib, json, sys, time, types
from pathlib import Path
variant, project, out, before_rev = sys.argv[1:5]
from ipa_toolkit.project import Project
from ipa_toolkit.report.build import paper_tables
from ipa_toolkit.report.idiographic import appendix_tables
from ipa_toolkit.stamp import dated
import ipa_toolkit.report.writers.excel as excel
if variant == "before":  # the openpyxl writer as it was, beside today's package
    import subprocess
    def load(name, path, package, replace=()):
        source = subprocess.run(["git", "show", f"{before_rev}:{path}"], capture_output=True,
                                text=True, check=True, cwd=sys.argv[5]).stdout
        for a, b in replace:
            source = source.replace(a, b)
        module = types.ModuleType(name)
        module.__package__ = package
        sys.modules[name] = module
        exec(compile(source, path, "exec"), module.__dict__)
        return module
    load("ipa_toolkit._cells_before", "ipa_toolkit/cells.py", "ipa_toolkit")
    # its stamp too (stable_zip is gone from today's), dating files as it did
    old_stamp = load("ipa_toolkit._stamp_before", "ipa_toolkit/report/stamp.py",
                     "ipa_toolkit", [("from ..project import", "from .project import")])
    excel = load("ipa_toolkit.report.writers._excel_before",
                 "ipa_toolkit/report/writers/excel.py", "ipa_toolkit.report.writers",
                 [("from ...cells import", "from ..._cells_before import"),
                  ("from ..stamp import", "from ..._stamp_before import")])
p = Project.open(Path(project))
import contextlib
with dated(p), (old_stamp.dated(p) if variant == "before" else contextlib.nullcontext()):
    frames = [*paper_tables(p), *appendix_tables(p)]
    gc.collect()
    gc.disable()
    started = time.process_time()
    for name in json.loads(sys.argv[6]):
        importlib.import_module(name)
    imported = time.process_time()
    for n, df in enumerate(frames, 1):
        excel.write(df, Path(out) / f"t{n}.xlsx", n)
    first = time.process_time()
    for n, df in enumerate(frames, 1):
        excel.write(df, Path(out) / f"t{n}.xlsx", n)
    again = time.process_time()
print(json.dumps({"import": imported - started, "write": first - imported,
                  "again": again - first, "tables": len(frames)}))
"""


def build_sample(folder: Path) -> Path:
    """The bundled sample, built as the README's first Quick-start line builds it."""
    sample = ROOT / "transcripts_sample"
    subprocess.run([sys.executable, "-c", "from ipa_toolkit.cli import run; run()", "init",
                    str(folder), "--replace",
                    "--codebook", str(ROOT / "codebooks" / "nop_study.yaml"),
                    "--participants", str(sample / "participants.csv"),
                    "--transcripts", str(sample), "--codings", str(sample / "codings.csv"),
                    "--comments", str(sample)], check=True, capture_output=True)
    return folder


def run(variant: str, project: Path, before: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="ipa-xlsx-") as out:
        done = subprocess.run([sys.executable, "-c", CHILD, variant, str(project), out, before,
                               str(ROOT), json.dumps(IMPORTS[variant])],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("project", type=Path, nargs="?")
    ap.add_argument("--before", default=BEFORE, help="git revision of the openpyxl writer")
    ap.add_argument("--repeat", type=int, default=9)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipa-xlsx-sample-") as tmp:
        project = a.project or build_sample(Path(tmp) / "sample")
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for i in range(a.repeat):
            for variant in (("before", "after") if i % 2 == 0 else ("after", "before")):
                runs[variant].append(run(variant, project, a.before))
    tables = runs["after"][0]["tables"]
    print(f"{tables} tables as .xlsx, CPU seconds (user + system), median of {a.repeat} "
          "fresh processes, before/after alternating")
    print(f"  {'':28} {'before (openpyxl)':>18} {'after (XlsxWriter)':>19}")
    rows = [("import the library", ("import",)), ("write every table once", ("write",)),
            ("import + write (report)", ("import", "write")),
            ("write them again (warm)", ("again",))]
    for label, keys in rows:
        med = {v: statistics.median(sum(r[k] for k in keys) for r in runs[v]) for v in runs}
        print(f"  {label:28} {med['before']:18.3f} {med['after']:19.3f}")


if __name__ == "__main__":
    main()
