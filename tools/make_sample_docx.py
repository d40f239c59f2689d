"""Rebuild the sample's Word transcripts (P1, P3, P5, P7, P9) from tools/sample_sources/.

Half of the bundled sample is .docx so that the README's main command exercises the Word
path. Run from the repository root: ``python tools/make_sample_docx.py``. The output is
deterministic (fixed document dates) so the files only change when the sources do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "sample_sources"
OUT = ROOT / "transcripts_sample"
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def build(src: Path) -> Path:
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
    for para in paragraphs[1:]:
        speaker, sep, speech = para.partition(": ")
        p = d.add_paragraph()
        if sep:
            p.add_run(speaker + ":").bold = True
            p.add_run(" " + speech.strip())
        else:
            p.add_run(para.strip())
    props = d.core_properties
    props.author = "ipa-toolkit"
    props.last_modified_by = "ipa-toolkit"
    props.created = props.modified = FIXED
    props.revision = 1
    out = OUT / f"{src.stem}.docx"
    d.save(out)
    return out


if __name__ == "__main__":
    for src in sorted(SOURCES.glob("*.txt")):
        print("wrote", build(src).relative_to(ROOT))
