"""REFI-QDA export/import and intercoder agreement at scale.

Usage: python benchmarks/exchange.py [--transcripts 500] [--codings 100000] [--chars 1000000]

Prints: .qdpx export and import time for a project of --transcripts transcripts and
--codings codings (plain-files export/import beside it, same project), and the time of
`agreement` for two coders over --chars characters.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import synthetic  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transcripts", type=int, default=500)
    ap.add_argument("--codings", type=int, default=100_000)
    ap.add_argument("--chars", type=int, default=1_000_000)
    a = ap.parse_args()
    from ipa_toolkit.model import Coding
    from ipa_toolkit.project import Project

    work = Path(tempfile.mkdtemp(prefix="ipa-exchange-bench-"))
    try:
        p = synthetic(work / "p", a.transcripts, a.codings, 2000)
        n = p.store.count_codings()
        for label, target in (("qdpx", work / "p.qdpx"), ("plain files", work / "plain")):
            t = time.perf_counter()
            p.export(target)
            exported = time.perf_counter() - t
            q = Project.init(work / f"q-{label.replace(' ', '')}")
            t = time.perf_counter()
            q.import_from(target)
            imported = time.perf_counter() - t
            size = target.stat().st_size if target.is_file() else \
                sum(f.stat().st_size for f in target.rglob("*"))
            print(f"{label}: {a.transcripts} transcripts, {n:,} codings: export "
                  f"{exported:.2f} s, import {imported:.2f} s ({size / 2**20:.1f} MiB)")
            q.close()
        p.close()

        # agreement: two coders over about --chars characters
        words = a.chars // 6
        per = 20
        from make_corpus import make_corpus

        make_corpus(work / "agree-corpus", per, words // per)
        g = Project.create(work / "g", codebook=Path(__file__).resolve().parent.parent /
                           "codebooks" / "nop_study.yaml", transcripts=[work / "agree-corpus"])
        chars = sum(len(g.store.transcript_text(t.id)) for t in g.store.transcripts())
        leaves = [t.id for t in g.codebook.themes if not g.codebook.children(t)]
        todo = []
        for tr in g.store.transcripts():
            lines = g.store.lines(tr.id)
            for k in range(0, len(lines) - 3, 3):
                first, last = lines[k], lines[k + 2]
                theme = leaves[k % len(leaves)]
                for coder, shift in (("A", 0), ("B", 7 if k % 5 else 200)):
                    s = min(first.start + shift, last.end - 1)
                    todo.append(Coding(0, tr.id, theme, first.number, last.number, s,
                                       last.end, "q", coder, "", "2026-01-01"))
        with g.store.transaction():
            g.store.add_codings(todo)
        for unit in ("character", "line", "segment"):
            t = time.perf_counter()
            table = g.agreement("A", "B", unit=unit).table
            took = time.perf_counter() - t
            print(f"agreement ({unit} units): {chars:,} characters, {len(todo):,} codings, "
                  f"two coders: {took:.2f} s (pooled kappa "
                  f"{table.kappa.iloc[-1]:.3f})")
        g.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
