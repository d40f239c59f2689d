"""Coding sheets: bulk-code from a CSV/XLSX sheet of participant, quote or lines, theme.

Optional ``statement`` and ``pet`` columns make experiential statements on the row's
passage and file them under PETs (see ``sheets.statements``).

Every row is checked before anything is written; a sheet with bad rows is refused with
each bad row listed. Transcripts, texts and themes are looked up through per-command
indexes, so the time grows with the rows, not with rows x transcripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CodebookError, CodingError, InputError, ValidationReport
from ..ingest import anchor as anchoring
from ..model import Coding, Theme
from ..participants.lookup import Texts, TranscriptLookup
from .cells import restore
from .statements import GET_ALIASES, PET_ALIASES, STATEMENT_ALIASES, SheetStatements

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

_TRUE = ("1", "yes", "y", "true", "x")


def import_codings(project: ProjectLike, path: str | Path, *,
                   coder: str | None = None) -> dict[str, int]:
    """Bulk-code from a CSV/XLSX sheet; every bad row is reported and nothing is added."""
    from ..progress import bulk

    with bulk():
        return _import_codings(project, path, coder=coder)


def _import_codings(project: ProjectLike, path: str | Path, *,
                    coder: str | None) -> dict[str, int]:
    from ..model import now
    from .read import read_sheet

    sheet = read_sheet(Path(path))
    col = {
        "participant": sheet.column("participant", "participant id", "id", "case"),
        "transcript": sheet.column("transcript", "document", "source"),
        "quote": sheet.column("quote", "extract", "passage", "text"),
        "lines": sheet.column("lines", "line range", "line"),
        "start": sheet.column("start line", "start", "from line"),
        "end": sheet.column("end line", "end", "to line"),
        "theme": sheet.column("theme", "code", "theme number", "subordinate theme"),
        "coder": sheet.column("coder", "coded by", "author"),
        "note": sheet.column("note", "notes", "comment", "memo"),
        "exemplar": sheet.column("exemplar", "key quote"),
        "occurrence": sheet.column("occurrence"),
        "statement": sheet.column(*STATEMENT_ALIASES),
        "pet": sheet.column(*PET_ALIASES),
        "get": sheet.column(*GET_ALIASES),
    }
    if (col["theme"] is None and col["statement"] is None) or (
            col["participant"] is None and col["transcript"] is None):
        raise InputError("a coding sheet needs a 'theme' (or 'statement') column and a "
                         "'participant' (or 'transcript') column", path=str(path), line=1,
                         hint="columns found: " + ", ".join(sheet.header))
    if col["quote"] is None and col["lines"] is None and col["start"] is None:
        raise InputError("a coding sheet needs a 'quote' or a 'lines' column",
                         path=str(path), line=1)
    problems: list[str] = []
    todo: list[Coding] = []
    transcripts = TranscriptLookup(project.store)
    texts = Texts(project.store)
    themes = _Themes(project)
    said = SheetStatements(project)  # the rows' statements and PETs, checked, not yet written
    fallback: list[str] = []  # the default coder, looked up (and announced) only if needed
    stamp = now()

    keys = list(col)
    where = [col[k] for k in keys]

    def who(named: str) -> str:
        if named or coder:
            return named or coder
        if not fallback:
            fallback.append(project.coder())
        return fallback[0]

    from ..progress import progress

    for rownum, row in progress(sheet.rows, "reading the coding sheet", minimum=200):
        # every cell this row needs, read once (a function call per cell showed at 100k rows);
        # each loses the ' a CSV we wrote put before formula-like text (coders too)
        cells = [row[i].strip() if i is not None else "" for i in where]
        get = dict(zip(keys, [restore(c) if c[:1] == "'" else c for c in cells], strict=True))
        try:
            ref = get["transcript"] or get["participant"]
            if not ref:
                raise InputError("no participant or transcript")
            t = transcripts.find(get["participant"] or ref, get["transcript"] or None)
            if not (get["theme"] or get["statement"] or get["pet"] or get["get"]):
                raise InputError("no theme and no statement on the row")
            th = themes.resolve(get["theme"]) if get["theme"] else None
            tt = texts[t.id]
            quote, rng = get["quote"], get["lines"]
            if not rng and get["start"]:
                rng = f"{get['start']}-{get['end'] or get['start']}"
            occ = get["occurrence"]
            if quote:
                span = tt.anchor(quote, t.name, int(occ) if occ else None)
                if rng:
                    a, b = anchoring.parse_line_range(rng)
                    if span.start_line < a or span.end_line > b:
                        raise CodingError(f"quote is at lines {span.start_line}-"
                                          f"{span.end_line}, not {a}-{b}")
            elif rng:
                a, b = anchoring.parse_line_range(rng)
                span = anchoring.span_for_lines(tt.lines, a, b, t.name)
            else:
                raise CodingError("no quote and no line range")
            if get["statement"] or get["pet"] or get["get"]:  # a note is the coding's first
                said.row(t, tt, span, get["statement"], get["pet"],
                         "" if th else get["note"], who(get["coder"]), stamp,
                         get["get"])
            if th is not None:
                todo.append(Coding(0, t.id, th.id, span.start_line, span.end_line, span.start,
                                   span.end, tt.text[span.start:span.end],
                                   who(get["coder"]), get["note"], stamp,
                                   exemplar=get["exemplar"].lower() in _TRUE))
        except (InputError, CodingError, CodebookError) as exc:
            problems.append(f"{path}, line {rownum}: {exc.message}"
                            + (f" ({exc.hint})" if exc.hint else ""))
        except ValueError:
            problems.append(f"{path}, line {rownum}: occurrence must be a whole number")
    if problems:
        raise ValidationReport(f"{path}: {len(problems)} bad row(s), nothing imported",
                               problems)
    with project.store.transaction():
        added = project.store.add_codings(todo)
        statements = said.add()
    out = {"rows": len(sheet.rows), "added": added, "already_coded": len(todo) - added}
    if said.todo or col["statement"] is not None:
        out["statements"] = statements
    return out


class _Themes:
    """``Project.theme`` remembered per distinct cell text (a sheet names few themes)."""

    def __init__(self, project: ProjectLike):
        self._project = project
        self._seen: dict[str, Theme | CodebookError] = {}

    def resolve(self, ref: str) -> Theme:
        got = self._seen.get(ref)
        if got is None:
            try:
                got = self._project.theme(ref)
            except CodebookError as exc:
                got = exc
            self._seen[ref] = got
        if isinstance(got, CodebookError):
            raise got
        return got
