"""Throughput of ``ipa anonymise check`` and ``ipa search`` beside bare spaCy ``nlp.pipe``.

Usage: python benchmarks/nlp.py [--words 1000000] [--model blank|auto|NAME]

Builds a synthetic project of --words words, then times, in the same run: the bare floor
(``nlp.pipe`` over the same transcript texts), ``anonymise check`` and ``search`` (plain and
--lemma). The ratio to the floor is the figure that matters.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--participants", type=int, default=50)
    ap.add_argument("--model", default="blank")
    a = ap.parse_args()
    from ipa_toolkit.nlp.pipeline import describe, load
    from ipa_toolkit.project import Project

    work = Path(tempfile.mkdtemp(prefix="ipa-nlp-bench-"))
    try:
        files = make_corpus(work / "corpus", a.participants, a.words // a.participants)
        p = Project.init(work / "proj")
        p.ingest(files)
        p.config("spacy_model", a.model)
        texts = [p.store.transcript_text(t.id) for t in p.store.transcripts()]
        words = sum(len(t.split()) for t in texts)
        nlp = load(a.model)
        print(f"{words:,} words in {len(texts)} transcripts; pipeline: {describe(nlp)}")
        t = time.perf_counter()
        for _ in nlp.pipe(texts):
            pass
        floor = time.perf_counter() - t
        print(f"bare nlp.pipe: {words / floor:,.0f} words/s ({floor:.2f} s)")
        for label, run in (("anonymise check", lambda: p.anonymise_check()),
                           ("search 'police'", lambda: p.search("police")),
                           ("search --lemma 'feel'", lambda: p.search("feel", lemma=True))):
            t = time.perf_counter()
            n = len(run())
            took = time.perf_counter() - t
            print(f"{label}: {words / took:,.0f} words/s ({took:.2f} s, {n:,} hits); "
                  f"{took / floor:.2f}x the bare pipe")
        p.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
