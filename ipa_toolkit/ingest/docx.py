"""Word transcripts: body paragraphs in reading order, text inside tables included."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError
from . import RawDocument

SUFFIXES = (".docx",)
_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # refuse zip bombs before python-docx inflates them


def check_zip(path: Path) -> None:
    """Refuse files that are not a zip, or that would inflate past a sane size."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
            if "word/document.xml" not in zf.namelist():
                raise InputError("not a Word document (no word/document.xml inside)",
                                 path=str(path))
    except zipfile.BadZipFile as exc:
        raise InputError("not a valid .docx (corrupt or not a zip file)", path=str(path),
                         hint="open and re-save it in Word, or export it as .txt") from exc
    if total > _MAX_UNCOMPRESSED:
        raise InputError(f"refusing a .docx that inflates to {total // 2**20} MiB",
                         path=str(path))


def _walk(container, out: list[str], seen: set) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell repeats across its span
                        continue
                    seen.add(cell._tc)
                    _walk(cell, out, seen)
        else:
            out.append(block.text)


def read(path: Path) -> RawDocument:
    check_zip(path)
    try:
        import docx

        document = docx.Document(str(path))
        paragraphs: list[str] = []
        _walk(document, paragraphs, set())
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many types on damaged parts
        raise InputError(f"cannot read this .docx ({type(exc).__name__}: {exc})",
                         path=str(path), hint="open and re-save it in Word") from exc
    # soft line breaks inside a paragraph are not new paragraphs
    paragraphs = [p.replace("\n", " ").replace("\t", " ") for p in paragraphs]
    return RawDocument(paragraphs, "docx")
