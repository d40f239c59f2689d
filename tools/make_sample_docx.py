"""Rebuild the sample's Word transcripts (P1, P3, P5, P7, P9) from tools/sample_sources/.

Half of the bundled sample is .docx, and those carry their codings as Word comments (from
``tools/sample_sources/comments.csv``), so the README's main command exercises both the Word
path and comment import. Rows with theme ``S`` are experiential statements: their note is
the comment (``statement / PET: label / GET: number``), so P1, P3 and P5 also carry the
idiographic layer; each sits on a passage already coded to the GET its PET maps to, so the
group tables are the same with or without it. Run from the repository root:
``python tools/make_sample_docx.py``. The output is deterministic (fixed dates), so the
files change only when the sources do.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import docx
from docx.shared import Pt

from ipa_toolkit.codebook.tree import read_codebook_file

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "sample_sources"
OUT = ROOT / "transcripts_sample"
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LABELS = {s.number: s.label for s in read_codebook_file(ROOT / "codebooks" /
                                                        "nop_study.yaml").themes}


def comment_text(theme: str, note: str, k: int, exemplar: bool = False) -> str:
    """Vary the written form, as coders do: number, number + label, or label alone."""
    if theme in ("D", "L", "C", "S"):  # exploratory notes; experiential statements
        return f"{theme}: {note}"
    form = k % 3
    head = theme if form == 0 else f"{theme} {LABELS[theme]}" if form == 1 else LABELS[theme]
    return head + (f": {note}" if note else "") + (" [exemplar]" if exemplar else "")


def build(src: Path, comments: list[dict[str, str]]) -> Path:
    paragraphs = [p for p in src.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    d = docx.Document()
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(11)
    d.add_heading(f"Interview transcript {src.stem} (fictional)", level=1)
    d.add_paragraph(paragraphs[0])  # the "fictional transcript" notice
    # A small details table, as transcription services often put at the top.
    table = d.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Participant"
    table.cell(0, 1).text = src.stem
    table.cell(1, 0).text = "Transcribed by"
    table.cell(1, 1).text = "ipa-toolkit sample data"
    anchors = []  # (paragraph index, start, end, comment text)
    for k, c in enumerate(comments):
        for i, para in enumerate(paragraphs[1:]):
            at = para.find(c["quote"])
            if at >= 0:
                anchors.append((i, at, at + len(c["quote"]),
                                comment_text(c["theme"], c["note"], k,
                                             c["exemplar"] == "yes")))
                break
        else:
            raise SystemExit(f"{src.stem}: quote not found: {c['quote']!r}")
    pending = []
    for i, para in enumerate(paragraphs[1:]):
        text = para.strip()
        speaker, sep, _ = text.partition(": ")
        label_end = len(speaker) + 1 if sep else 0
        mine = [a for a in anchors if a[0] == i]
        cuts = sorted({0, label_end, len(text), *(a[1] for a in mine), *(a[2] for a in mine)})
        p = d.add_paragraph()
        starts, ends = {}, {}
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b > a:
                run = p.add_run(text[a:b])
                run.bold = b <= label_end
                starts.setdefault(a, run)
                ends[b] = run
        pending += [(starts[a[1]], ends[a[2]], a[3]) for a in mine]
    for first, last, body in pending:
        comment = d.add_comment([first, last], text=body, author="RA", initials="RA")
        comment._comment_elm.date = FIXED
    props = d.core_properties
    props.author = "ipa-toolkit"
    props.last_modified_by = "ipa-toolkit"
    props.created = props.modified = FIXED.replace(tzinfo=None)
    props.revision = 1
    out = OUT / f"{src.stem}.docx"
    d.save(out)
    return out


if __name__ == "__main__":
    with open(SOURCES / "comments.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for src in sorted(SOURCES.glob("*.txt")):
        mine = [r for r in rows if r["participant"] == src.stem]
        print("wrote", build(src, mine).relative_to(ROOT), f"({len(mine)} comments)")
