"""Generate a synthetic interview corpus: N participants x W words, alternating .docx/.txt.

Usage: python benchmarks/make_corpus.py OUT_DIR [--participants N] [--words W]
The text is random but shaped like a transcript: interviewer questions, long answers, with
speaker labels, so ingest does the same work as on real interviews.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

VOCAB = ("the and I was it that he me my we to of in a like just never felt police court "
         "waiting months house children know really think thought everything nothing "
         "people family said told asked home work husband partner again because when "
         "then still feel life world what how why who somebody anybody nobody shock "
         "grief loss future plans support social services letter phone night morning").split()


def paragraph(rng: random.Random, words: int) -> str:
    out, sentence = [], []
    for _ in range(words):
        sentence.append(rng.choice(VOCAB))
        if len(sentence) >= rng.randint(6, 18):
            s = " ".join(sentence)
            out.append(s[0].upper() + s[1:] + ".")
            sentence = []
    if sentence:
        s = " ".join(sentence)
        out.append(s[0].upper() + s[1:] + ".")
    return " ".join(out)


def turns(rng: random.Random, code: str, words: int) -> list[str]:
    paras, total = [], 0
    while total < words:
        q = rng.randint(8, 20)
        a = rng.randint(60, 220)
        paras.append("Interviewer: " + paragraph(rng, q))
        paras.append(f"{code}: " + paragraph(rng, a))
        total += q + a
    return paras


def make_corpus(out: Path, participants: int = 20, words: int = 10_000,
                seed: int = 1) -> list[Path]:
    import docx

    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(1, participants + 1):
        code = f"P{i}"
        paras = turns(rng, code, words)
        if i % 2:
            d = docx.Document()
            for p in paras:
                d.add_paragraph(p)
            path = out / f"{code}.docx"
            d.save(path)
        else:
            path = out / f"{code}.txt"
            path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        files.append(path)
    return files


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--participants", type=int, default=20)
    ap.add_argument("--words", type=int, default=10_000)
    a = ap.parse_args()
    files = make_corpus(a.out, a.participants, a.words)
    print(f"wrote {len(files)} transcripts to {a.out}")
