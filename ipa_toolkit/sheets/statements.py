"""Statements and PETs in coding sheets: the optional columns, and the sheet export.

A coding sheet row may carry an experiential statement (``statement``), the PET it
belongs to (``pet``: a label, a path of labels ``Mourning > Guilt``, or a reference
``P3:2``) and the GETs that PET is mapped to (``get``: ``1.2; 2.1``), anchored to the
row's passage like the row's coding. ``export_codings`` writes
every coding and statement as such a sheet, which ``ipa import-codings`` reads back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from ..ingest.anchor import Span
    from ..model import Statement, Transcript
    from ..participants.lookup import TranscriptText
    from ..protocols import ProjectLike

STATEMENT_ALIASES = ("statement", "experiential statement", "emergent theme")
PET_ALIASES = ("pet", "personal experiential theme", "case theme", "pet label")
GET_ALIASES = ("get", "pet get", "group experiential theme", "pet mapped to")
SHEET_COLUMNS = ("participant", "transcript", "lines", "occurrence", "theme", "quote",
                 "coder", "note", "exemplar", "statement", "pet", "get")


class SheetStatements:
    """The statements a sheet's rows make, checked row by row (nothing written until
    ``add``): a PET named by reference must exist and be the row's participant's."""

    def __init__(self, project: ProjectLike):
        self.project = project
        self.todo: list[tuple[Statement, str, tuple[str, ...]]] = []
        self._checked: dict[tuple[str, str], InputError | None] = {}
        self._pets: dict = {}  # each participant's PETs, read once (idiographic.pets_of)

    def row(self, t: Transcript, tt: TranscriptText, span: Span, text: str, pet: str,
            note: str, coder: str, stamp: str, gets: str = "") -> None:
        """Check one row's statement, PET and GETs; an InputError says what is wrong."""
        import re

        from ..model import Statement

        text = " ".join(text.split())
        pet = " ".join(pet.split())
        if text:
            from ..method.idiographic import check_statement_text

            check_statement_text(text)
        if pet and not text:
            raise InputError(f"PET '{pet}' but no statement on the row",
                             hint="a PET gathers statements: write the statement too")
        mapped = tuple(g for g in re.split(r"\s*[;,]\s*", gets.strip()) if g)
        if mapped and not pet:
            raise InputError(f"GET {mapped[0]} but no PET on the row",
                             hint="the get column maps the row's PET")
        for g in mapped:
            if self.project.codebook.by_number(g) is None:
                raise InputError(f"unknown GET '{g}'", hint="write a theme number of the "
                                 "codebook, e.g. 1.2; several as 1.2; 2.1")
        if pet:
            key = (t.participant, pet)
            if key not in self._checked:
                from ..method.idiographic import find_pet, pets_of

                try:
                    find_pet(self.project, t.participant, pet,
                             pets_of(self.project, self._pets, t.participant))
                    self._checked[key] = None
                except InputError as exc:
                    self._checked[key] = exc
            if self._checked[key] is not None:
                raise self._checked[key]
        self.todo.append((Statement(0, t.id, span.start_line, span.end_line, span.start,
                                    span.end, tt.text[span.start:span.end], text, note,
                                    coder, stamp), pet, mapped))

    def add(self) -> int:
        """Write the statements (inside the caller's transaction); returns how many new."""
        from ..method.idiographic import add_comment_statements

        return add_comment_statements(self.project, self.todo) if self.todo else 0


def export_codings(project: ProjectLike, path: str | Path) -> Path:
    """Every coding and statement as a coding sheet (.csv or .xlsx) that ``import-codings``
    reads back: one row per coding, one per statement and PET it is in (a PET as its path
    of labels) and its GETs, with line range, quote and, when the quote recurs, which
    occurrence."""
    from ..ingest.anchor import NormalisedText, find_exact
    from ..method.idiographic import pet_path
    from ..model import natural_key

    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError("a coding sheet is written as .csv or .xlsx", path=str(path))
    store = project.store
    cb = project.codebook
    transcripts = {t.id: t for t in store.transcripts()}
    norms: dict[int, NormalisedText] = {}

    def occurrence(tid: int, quote: str, start: int) -> str:
        if tid not in norms:
            norms[tid] = NormalisedText(store.transcript_text(tid))
        hits = find_exact(norms[tid], quote)
        if len(hits) < 2:
            return ""
        return str(min(range(len(hits)), key=lambda k: abs(hits[k][0] - start)) + 1)

    def place(tid: int, a: int, b: int) -> list[str]:
        t = transcripts[tid]
        return [t.participant, t.name, f"{a}-{b}" if a != b else str(a)]

    rows: list[tuple] = []
    for c in store.codings():
        if c.status == "orphaned":
            continue
        rows.append(((natural_key(transcripts[c.transcript_id].participant), c.start, c.end,
                      0, natural_key(cb.get(c.theme_id).number)),
                     [*place(c.transcript_id, c.start_line, c.end_line),
                      occurrence(c.transcript_id, c.quote, c.start), cb.get(c.theme_id).number,
                      c.quote, c.coder, c.note, "yes" if c.exemplar else "", "", "", ""]))
    pets = {p.id: p for p in store.pets()}
    every = list(pets.values())
    member: dict[int, list[int]] = {}
    for pid, sid in store.pet_statements():
        member.setdefault(sid, []).append(pid)
    gets: dict[int, list[str]] = {}
    for pid, tid in store.pet_themes():
        gets.setdefault(pid, []).append(cb.get(tid).number)
    for s in store.statements():
        if s.status == "orphaned":
            continue
        paths = sorted((pet_path(pets[pid], every),
                        "; ".join(sorted(gets.get(pid, []), key=natural_key)))
                       for pid in member.get(s.id, [])) or [("", "")]
        for k, (pet, mapped) in enumerate(paths):
            rows.append(((natural_key(transcripts[s.transcript_id].participant), s.start,
                          s.end, 1, (s.id, k)),
                         [*place(s.transcript_id, s.start_line, s.end_line),
                          occurrence(s.transcript_id, s.quote, s.start), "", s.quote, s.coder,
                          s.note, "", s.text, pet, mapped]))
    rows.sort(key=lambda r: r[0])
    from ..stamp import dated

    path.parent.mkdir(parents=True, exist_ok=True)  # as 'ipa table --out' does
    with dated(project):  # an .xlsx is dated by the project, not the clock
        _write(path, [r[1] for r in rows])
    return path


def _write(path: Path, rows: list[list[str]]) -> None:
    """CSV or XLSX; text never becomes a formula (in CSV a leading ' on formula-like
    cells, which the coding-sheet import takes off again)."""
    import csv
    import io

    from .cells import neutralise

    if path.suffix.lower() == ".csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(SHEET_COLUMNS)
        w.writerows([neutralise(v) for v in row] for row in rows)
        path.write_text(buf.getvalue(), encoding="utf-8", newline="")
        return
    from .cells import CELL_LIMIT, new_xlsx, save_xlsx, utf16_len, write_cell, xlsx_text

    for n, row in enumerate(rows, start=2):  # a cut quote would not import again: refuse
        for name, value in zip(SHEET_COLUMNS, row, strict=True):
            if (isinstance(value, str) and len(value) > CELL_LIMIT // 2
                    and utf16_len(xlsx_text(value)) > CELL_LIMIT):
                raise InputError(f"row {n}: the {name} holds {len(value):,} characters, more "
                                 f"than an Excel cell's {CELL_LIMIT:,}", path=str(path),
                                 hint="export the coding sheet as .csv, which holds any length")
    wb = new_xlsx()  # .xlsx text is stored as text, never as a formula
    ws = wb.add_worksheet("codings")
    for col, name in enumerate(SHEET_COLUMNS):
        ws.write_string(0, col, name)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            write_cell(ws, r, col, value)
    save_xlsx(wb, path)
