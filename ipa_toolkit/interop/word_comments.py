"""Codings in Word comments: import them, and export coded transcripts as commented .docx.

Convention for a comment anchored to a passage:

* ``1.2``, ``1.2 Mourning your life`` or ``Mourning your life`` codes the passage to that
  theme; several themes are separated by ``;`` (``1.2; 2.1``); text after the theme is the
  note (``1.2 Mourning your life: lost retirement``).
* ``[exemplar]`` anywhere in the comment marks the passage as an exemplar quote.
* ``D: ...``, ``L: ...``, ``C: ...`` make a descriptive, linguistic or conceptual
  exploratory note on the passage.
* ``S: ...`` makes an experiential statement (2009: emergent theme) on the passage;
  ``S: grief without a death / PET: Mourning a living man / GET: 1.2`` also puts it into
  the participant's PET of that label (made if new) and maps the PET to GET 1.2;
  ``PET: Mourning a living man > Guilt`` names the sub-theme Guilt of that PET (each label
  made if new), and ``PET: P3:2.1`` names an existing PET by its reference. The coded
  transcript export writes each statement this way, once per PET it is in.

The three-column export (statements | numbered transcript | notes) reads back too: its
``S: text (112-118)`` and ``D: text (112-118)`` entries become statements and notes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook.tree import Codebook, _fold
from ..errors import InputError, ThemeNotFound
from ..ingest.lines import line_span_for_chars, paragraph_offsets
from ..model import NOTE_KINDS, Theme, Transcript, natural_key
from ..participants.lookup import TranscriptLookup

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

_NOTE = re.compile(r"^\s*([DLC])\s*:\s*(.*)$", re.S | re.I)
_STATEMENT = re.compile(r"^\s*S\s*:\s*(.*\S)\s*$", re.S | re.I)
_PART = re.compile(r"\s*/\s*(PET|GET)\s*:\s*", re.I)
THREE_COLUMN_MARK = "ipa-toolkit three-column transcript"
_TOKEN = re.compile(r"^\s*#?([A-Za-z]?\d+(?:\.\d+)*|[A-Z])\.?(?=$|[\s:;,\-–—])")
_SEP = " \t:;,.-–—"
EXPORT_MARK = "ipa-toolkit coded transcript"


@dataclass
class Parsed:
    themes: list[Theme] = field(default_factory=list)
    note: str = ""
    note_kind: str | None = None
    unknown: str | None = None
    exemplar: bool = False
    statement: str | None = None
    pet: str = ""
    gets: tuple[str, ...] = ()


_EXEMPLAR = re.compile(r"\s*\[exemplar\]\s*", re.I)


_ONE_SEP = re.compile(r"^\s*[:;,.\-–—]?\s*")  # between a theme and its note


def _after(rest: str) -> str:
    """The note after a theme: one separator (': ', ' - ') and spaces go, nothing more, so
    a note's own '.' at the end or '-3' or '...' at the start stays."""
    return _ONE_SEP.sub("", rest, count=1).rstrip()


def _lead_theme(part: str, cb: Codebook) -> tuple[Theme | None, str]:
    """A theme named at the start of ``part`` (number, number + label, or label) and the rest."""
    m = _TOKEN.match(part)
    if m and cb.by_number(m.group(1)):
        t = cb.by_number(m.group(1))
        rest = _after(part[m.end():])
        if _fold(rest).startswith(_fold(t.label)):
            rest = _after(rest[len(t.label):])
        elif not any(ch.isdigit() for ch in m.group(1)) and rest:
            t = None  # a lone letter ("A good point") is only a theme when nothing follows
        if t is not None:
            return t, rest
    folded = _fold(part)
    best = None
    for t in cb.themes:
        label = _fold(t.label)
        if folded.startswith(label) and (len(folded) == len(label)
                                         or not folded[len(label)].isalnum()):
            if best is None or len(label) > len(_fold(best.label)):
                best = t
    if best is not None:
        return best, _after(part.strip()[len(best.label):])
    if m:  # a number that is not in the codebook ("9.9 ..."), or a lone letter
        return None, part
    try:
        return cb.resolve(part), ""  # a unique label prefix ("Mourning")
    except ThemeNotFound:
        return None, part


_LAST_EXEMPLAR = re.compile(r"\s*\[exemplar\]\s*$")


def parse_comment(text: str, cb: Codebook, *, ours: bool = False) -> Parsed:
    """``ours``: a comment our export wrote, where only a final '[exemplar]' is the mark
    (one inside the note is the note's own); by hand it may stand anywhere."""
    st = _STATEMENT.match(text)  # a statement has no exemplar mark: its text is its own
    mark = _LAST_EXEMPLAR if ours else _EXEMPLAR
    exemplar = not st and bool(mark.search(text))
    text = text.strip() if st else mark.sub(" ", text).strip()
    if st:
        bits = _PART.split(st.group(1))
        found = {k.upper(): v.strip() for k, v in zip(bits[1::2], bits[2::2], strict=True)}
        gets = tuple(g for g in re.split(r"\s*[;,]\s*", found.get("GET", "")) if g)
        return Parsed(statement=" ".join(bits[0].split()), pet=" ".join(
            found.get("PET", "").split()), gets=gets)
    m = _NOTE.match(text)
    if m:
        kind = {k[0]: k for k in NOTE_KINDS}[m.group(1).lower()]
        return Parsed(note=m.group(2).strip(), note_kind=kind)
    themes: list[Theme] = []
    note = ""
    parts = text.split(";")
    for k, raw in enumerate(parts):
        part = raw.strip()
        t, rest = _lead_theme(part, cb) if part else (None, "")
        if t is None and part:
            if not themes:
                return Parsed(unknown=text.strip())
            note = ";".join(parts[k:]).strip()  # the note as written, ';' and all
            break
        if t is not None and t not in themes:
            themes.append(t)
        if rest or (t is not None and part.endswith(":") and k + 1 < len(parts)):
            # '1.2 Label: ;x': after 'Label:' all is the note, a leading ';' too
            spaces = raw[len(raw.rstrip()):]  # the note's own, before a ';' in it
            note = ";".join([rest + spaces, *parts[k + 1:]]).strip()
            break
    if not themes:
        return Parsed(unknown=text.strip())
    return Parsed(themes=themes, note=note, exemplar=exemplar)


@dataclass
class Anchored:
    comment_id: str
    author: str
    date: str
    text: str
    start: int
    end: int


def anchored_comments(path: Path, transcript_text: str, name: str) -> list[Anchored]:
    """Comments of a .docx with their spans in the ingested transcript's text."""
    from ..ingest.docx import walk_docx

    doc = walk_docx(path)
    text, maps = paragraph_offsets(doc.paragraphs)
    if text != transcript_text and text.replace("\n", " ") != transcript_text.replace("\n", " "):
        raise InputError(f"its text differs from the ingested transcript '{name}'",
                         path=str(path),
                         hint="ingest this version first (ipa ingest, or --ingest here)")

    def where(pos: tuple[int, int], forward: bool) -> int:
        para, off = pos
        step = 1 if forward else -1
        while 0 <= para < len(maps) and maps[para] is None:
            para += step
            off = 0 if forward else 10**9
        if not 0 <= para < len(maps):
            return len(text) if forward else 0
        m = maps[para]
        return m[min(off, len(m) - 1)]

    out = []
    for cid, info in doc.comments.items():
        if cid not in doc.starts or cid not in doc.ends:
            continue  # a comment on the whole document, or a reply: nothing to anchor
        (sp, _), (ep, _) = doc.starts[cid], doc.ends[cid]
        sp_c = doc.containers[min(sp, len(doc.containers) - 1)] if doc.containers else 0
        ep_c = doc.containers[min(ep, len(doc.containers) - 1)] if doc.containers else 0
        if sp_c != ep_c:
            s = where(doc.starts[cid], True)
            line = text.count("\n", 0, s) + 1
            raise InputError(f"comment {cid} (\"{info['text'][:40]}\") is anchored across a "
                             "table boundary", path=str(path),
                             hint=f"near paragraph {line}: re-anchor it inside one cell or "
                                  "outside the table; nothing was imported")
        s, e = where(doc.starts[cid], True), where(doc.ends[cid], False)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        out.append(Anchored(cid, info["author"], info["date"], info["text"], s, e))
    return out


@dataclass
class CommentImport:
    files: int = 0
    codings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    statements: list = field(default_factory=list)
    unanchored: list[str] = field(default_factory=list)  # three-column entries


def collect(project: ProjectLike, files: list[Path], *, coder: str | None = None) -> CommentImport:
    """Parse every comment of every file into codings and notes (nothing is written)."""
    from ..model import Coding, Note, Statement, now

    cb = project.codebook
    result = CommentImport()
    transcripts = TranscriptLookup(project.store)  # once per command, not per file
    pets: dict = {}  # each participant's PETs, read once (idiographic.pets_of)
    for f in files:
        t = _transcript_for(transcripts, f)
        text = project.store.transcript_text(t.id)
        lines = project.store.lines(t.id)
        starts = [ln.start for ln in lines]
        result.files += 1
        if _is_three_column(f):
            _read_three_column(project, f, t, text, lines, result, coder or project.coder())
            continue
        ours = _is_three_column(f, EXPORT_MARK)
        for a in anchored_comments(f, text, t.name):
            first, last = line_span_for_chars(lines, a.start, a.end, starts)
            parsed = parse_comment(a.text, cb, ours=ours)
            who = coder or a.author or project.coder()
            when = a.date or now()
            if parsed.unknown is not None:
                result.unknown.append(f"{f}, line {first}: comment \"{a.text}\" names no "
                                      "known theme")
            elif parsed.statement is not None:
                problem = _statement_problem(project, t.participant, parsed, pets)
                if problem:
                    result.unknown.append(f"{f}, line {first}: comment \"{a.text}\" "
                                          f"{problem}")
                    continue
                result.statements.append((Statement(
                    0, t.id, first, last, a.start, a.end, text[a.start:a.end],
                    parsed.statement, "", who, when), parsed.pet, parsed.gets))
            elif parsed.note_kind:
                result.notes.append(Note(0, t.id, first, last, a.start, a.end,
                                         parsed.note_kind, parsed.note, who, when))
            else:
                for th in parsed.themes:
                    result.codings.append(Coding(0, t.id, th.id, first, last, a.start, a.end,
                                                 text[a.start:a.end], who, parsed.note, when,
                                                 exemplar=parsed.exemplar))
    return result


def _statement_problem(project: ProjectLike, participant: str, parsed: Parsed,
                       pets: dict) -> str:
    """Why an 'S: text / PET: ... / GET: ...' comment cannot be filed ('' when it can):
    an unknown GET, a GET without a PET, or a PET reference that is not this
    participant's."""
    from ..method.idiographic import find_pet, pets_of

    missing = [g for g in parsed.gets if project.codebook.by_number(g) is None]
    if missing:
        return f"maps to unknown GET {missing[0]}"
    if parsed.gets and not parsed.pet:
        return "maps to a GET without naming its PET"
    if parsed.pet:
        try:
            find_pet(project, participant, parsed.pet, pets_of(project, pets, participant))
        except InputError as exc:
            return f"names a PET that cannot be used: {exc.message}"
    return ""


def statement_comments(project: ProjectLike, statements) -> dict[int, list[str]]:
    """statement id -> its comment texts: 'S: text', or one 'S: text / PET: Mourning >
    Guilt / GET: 1.2' per PET it is in, so importing them back files it the same way."""
    from ..method.idiographic import pet_path

    store = project.store
    cb = project.codebook
    pets = {p.id: p for p in store.pets()}
    every = list(pets.values())
    gets: dict[int, list[str]] = {}
    for pid, tid in store.pet_themes():
        gets.setdefault(pid, []).append(cb.get(tid).number)
    member: dict[int, list[int]] = {}
    for pid, sid in store.pet_statements():
        member.setdefault(sid, []).append(pid)
    out: dict[int, list[str]] = {}
    for st in statements:
        texts = []
        for pid in sorted(member.get(st.id, []), key=lambda i: natural_key(pets[i].number)):
            mapped = sorted(gets.get(pid, []), key=natural_key)
            texts.append(f"S: {st.text} / PET: {pet_path(pets[pid], every)}"
                         + (f" / GET: {'; '.join(mapped)}" if mapped else ""))
        out[st.id] = texts or [f"S: {st.text}"]
    return out


def import_comments(project: ProjectLike, files: list[Path], *, skip_unknown: bool = False,
                    ingest: bool = False, coder: str | None = None) -> dict[str, int]:
    """Read the comments (or three-column entries) of ``files`` into the project, in one
    transaction: every comment naming no known theme, and every three-column passage that
    cannot be anchored, is listed and nothing is imported (unknown themes may be skipped)."""
    from ..errors import ValidationReport
    from ..method.idiographic import add_comment_statements

    for f in files:
        if not f.exists():
            raise InputError("file not found", path=str(f))
    store = project.store
    with store.transaction():
        if ingest:
            from ..ingest.pipeline import ingest as read_files

            read_files(project, files)
        got = collect(project, files, coder=coder)
        if got.unanchored:
            raise ValidationReport(f"{len(got.unanchored)} passage(s) cannot be anchored in "
                                   "the transcript, nothing imported", got.unanchored)
        if got.unknown and not skip_unknown:
            raise ValidationReport(f"{len(got.unknown)} comment(s) name no known theme, "
                                   "PET or GET, nothing imported (fix them, add the themes, "
                                   "or pass --skip-unknown)", got.unknown)
        added = store.add_codings(got.codings)
        have = {(n.transcript_id, n.start, n.end, n.kind, n.text) for n in store.notes()}
        notes = 0
        for n in got.notes:
            key = (n.transcript_id, n.start, n.end, n.kind, n.text)
            if key not in have:
                store.add_note(n)
                have.add(key)
                notes += 1
        statements = add_comment_statements(project, got.statements)
    return {"files": got.files, "codings": added, "already_coded": len(got.codings) - added,
            "notes": notes, "statements": statements, "skipped_unknown": len(got.unknown)}


def _is_three_column(path: Path, mark: str = THREE_COLUMN_MARK) -> bool:
    """Our own three-column export (or, with EXPORT_MARK, coded transcript), told by its
    document properties."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/core.xml")
            if info.file_size > 1_000_000:
                return False
            return mark.encode() in z.read(info)
    except (KeyError, OSError, zipfile.BadZipFile):
        return False


_RANGED = re.compile(r"^\s*(.*?\S)\s*\((\d+)(?:-(\d+))?\)\s*$", re.S)
_NUMBERED = re.compile(r"^\s*(\d+)\s\s")


def _read_three_column(project: ProjectLike, path: Path, t: Transcript, text: str, lines,
                       result: CommentImport, who: str) -> None:
    """Codings and statements (column 1) and notes (column 3) of a three-column export.

    Each entry ends in its line range, ``(112-118)``. It is anchored by the passage the
    document shows beside it (column 2 of those rows): where that is the transcript's own
    lines 112-118 the range stands; otherwise (the transcript was re-ingested, the document
    edited or reflowed) the passage is found in the transcript, exactly (nearest the old
    place) or approximately. An entry whose passage cannot be found is listed, by row.
    """
    from ..ingest.anchor import NormalisedText, normalise_quote, reanchor, span_for_lines
    from ..ingest.docx import walk_docx
    from ..model import Coding, Note, Statement, now

    walk_docx(path)  # the safe reader first: bounded zip members, no XML entities
    import docx

    tables = docx.Document(str(path)).tables
    if not tables:
        raise InputError("this three-column export has lost its table", path=str(path),
                         hint="export it again with 'ipa export-transcript --three-column'")
    cells = [list(r.cells) for r in tables[0].rows[1:]]
    narrow = next((k for k, row in enumerate(cells) if len(row) < 3), None)
    if narrow is not None:
        raise InputError(f"row {narrow + 2} of the table has {len(cells[narrow])} column(s), "
                         "not 3 (statements | transcript | notes)", path=str(path),
                         hint="put the column back, or export it again")
    shown, printed = [], {}
    for k, row in enumerate(cells):
        body = row[1].text
        m = _NUMBERED.match(body)
        if m:
            printed.setdefault(int(m.group(1)), k)
        shown.append(body[m.end():] if m else body)
    norm: list[NormalisedText] = []
    threshold = float(project.setting("fuzzy_threshold"))
    cb = project.codebook
    # The layout is line-precise: an entry on exactly the lines of a coding, statement or
    # note the project already holds is that one (its own span and coder are taken, so the
    # import's usual duplicate checks skip it), not a new copy widened to whole lines.
    store = project.store
    held: dict[tuple, Coding | Statement | Note] = {}
    for c in store.codings(transcript_id=t.id):
        held.setdefault(("coding", c.theme_id, c.start_line, c.end_line), c)
    for st in store.statements([t.id]):
        held.setdefault(("statement", st.text, st.start_line, st.end_line), st)
    for n in store.notes(t.id):
        held.setdefault(("note", n.kind, n.text, n.start_line, n.end_line), n)

    def place(key: tuple, span):
        """(transcript, lines, chars), quote and the item already held under ``key``."""
        old = held.get(key)
        at = old if old is not None else span
        return ((t.id, span.start_line, span.end_line, at.start, at.end),
                text[at.start:at.end], old)

    def anchor(k: int, a: int, b: int):
        if a in printed and b in printed and printed[a] <= printed[b]:
            rows_of = range(printed[a], printed[b] + 1)
        else:
            rows_of = range(k, min(k + b - a + 1, len(shown)))
        quote = " ".join(shown[i] for i in rows_of)
        if 1 <= a <= b <= len(lines) and normalise_quote(quote) == normalise_quote(
                text[lines[a - 1].start:lines[b - 1].end]):
            return span_for_lines(lines, a, b)
        if not normalise_quote(quote):
            return None
        if not norm:
            norm.append(NormalisedText(text))
        old = lines[a - 1].start if 1 <= a <= len(lines) else 0
        return reanchor(norm[0], lines, quote, old, threshold, text).span

    pets: dict = {}  # the participant's PETs, read once (idiographic.pets_of)
    for k, row in enumerate(cells):
        for cell in (row[0], row[2]):
            for entry in _cell_entries(cell):
                m = _RANGED.match(entry)
                if not m:
                    continue
                body, a = m.group(1), int(m.group(2))
                b = int(m.group(3) or a)
                span = anchor(k, a, b) if a <= b else None
                where = f"{path}, row {k + 2}: \"{' '.join(entry.split())[:50]}\""
                if span is None:
                    result.unanchored.append(
                        f"{where} cannot be anchored: its passage (lines {_span(a, b)}) is "
                        f"not in transcript {t.name}; correct the range or the passage")
                    continue
                parsed = parse_comment(body, cb, ours=True)
                lines_of = (span.start_line, span.end_line)
                if parsed.statement is not None:
                    problem = _statement_problem(project, t.participant, parsed, pets)
                    if problem or not parsed.statement:
                        result.unknown.append(f"{where} {problem or 'is an empty statement'}")
                        continue
                    at, quote, _ = place(("statement", parsed.statement, *lines_of), span)
                    result.statements.append((Statement(0, *at, quote, parsed.statement,
                                                        "", who, now()), parsed.pet,
                                              parsed.gets))
                elif parsed.note_kind:
                    if parsed.note:
                        at, _, _ = place(("note", parsed.note_kind, parsed.note, *lines_of), span)
                        result.notes.append(Note(0, *at, parsed.note_kind, parsed.note,
                                                 who, now()))
                elif parsed.unknown is not None:
                    result.unknown.append(f"{where} names no known theme")
                else:
                    for th in parsed.themes:
                        (tid, a, b, start, end), quote, old = place(
                            ("coding", th.id, *lines_of), span)
                        result.codings.append(Coding(
                            0, tid, th.id, a, b, start, end, quote,
                            old.coder if old else who, parsed.note, now(),
                            exemplar=parsed.exemplar))


def _transcript_for(transcripts: TranscriptLookup, path: Path) -> Transcript:
    """The transcript a document belongs to: by file name, else by the participant ID the
    file name starts with (P3_coded.docx)."""
    try:
        return transcripts.find(path.stem)
    except InputError:
        pass
    from ..ingest.pipeline import PARTICIPANT_IN_NAME as _PARTICIPANT_IN_NAME

    m = _PARTICIPANT_IN_NAME.match(path.stem)
    if m:
        try:
            return transcripts.find(m.group(1))
        except InputError:
            pass
    raise InputError(f"no ingested transcript named '{path.stem}'", path=str(path),
                     hint="ingest it first, or pass --ingest")


# -- export ---------------------------------------------------------------------------------------
def export_transcript(project: ProjectLike, ref: str, path: Path, *, three_column: bool = False,
                      transcript: str | None = None) -> Path:
    """A coded transcript as .docx: one paragraph per frozen line, numbered by Word in the
    margin (so the text stays the transcript's own), every coding and note a comment.

    ``three_column`` writes the IPA working layout instead: emergent themes | numbered
    transcript | exploratory notes (for reading and printing; comments are not added).
    """
    from ..stamp import dated

    if Path(path).suffix.lower() != ".docx":
        raise InputError("a coded transcript is written as .docx", path=str(path))
    Path(path).parent.mkdir(parents=True, exist_ok=True)  # as 'ipa table --out' does
    with dated(project):  # the same project gives the same file, byte for byte
        return _export_transcript(project, ref, Path(path), three_column, transcript)


def _export_transcript(project: ProjectLike, ref: str, path: Path, three_column: bool,
                       transcript: str | None) -> Path:
    from docx.shared import Pt

    from ..report.writers.word import new_document
    from ..stamp import save_docx

    t = project.transcript(ref, transcript)
    text = project.store.transcript_text(t.id)
    lines = project.store.lines(t.id)
    cb = project.codebook
    codings = [c for c in project.store.codings(transcript_id=t.id) if c.status != "orphaned"]
    notes = [n for n in project.store.notes(t.id) if n.status != "orphaned"]
    statements = [s for s in project.store.statements([t.id]) if s.status != "orphaned"]
    d = new_document()
    d.core_properties.subject = EXPORT_MARK
    d.core_properties.title = f"{t.name} ({t.participant})"[:255]  # Word's limit
    style = d.styles["Normal"]
    style.font.name = "Courier New"
    style.font.size = Pt(9 if t.width <= 84 else 7)
    style.paragraph_format.space_after = Pt(0)
    section = d.sections[0]
    section.header.paragraphs[0].text = (f"{t.participant}: transcript {t.name}, lines 1-"
                                         f"{t.n_lines} (coded export from ipa-toolkit)")
    if three_column:
        from ..terms import for_project

        d.core_properties.subject = THREE_COLUMN_MARK
        terms = for_project(project)
        said = statement_comments(project, statements)
        _three_column(d, lines, codings, notes, statements, cb, terms.plural(terms.unit), said)
        save_docx(d, path)
        return path
    _line_numbers(section)
    bounds = {ln.number: {ln.start, ln.end} for ln in lines}
    items = [(c.start, c.end, _coding_text(c, cb), c.coder, c.created) for c in codings]
    items += [(n.start, n.end, f"{n.kind[0].upper()}: {n.text}", n.author, n.created)
              for n in notes]
    said = statement_comments(project, statements)
    items += [(s.start, s.end, body, s.coder, s.created) for s in statements
              for body in said[s.id]]
    starts = [ln.start for ln in lines]
    for s, e, *_ in items:
        a, b = line_span_for_chars(lines, s, e, starts)
        bounds[a].add(max(s, lines[a - 1].start))
        bounds[b].add(min(e, lines[b - 1].end))
    runs_at: dict[int, object] = {}  # char offset -> run starting there
    runs_end: dict[int, object] = {}  # char offset -> run ending there
    prev_speaker = None
    for ln in lines:
        p = d.add_paragraph()
        if ln.speaker != prev_speaker and ln.start and text[ln.start - 1] == "\n":
            p.paragraph_format.space_before = Pt(6)
        prev_speaker = ln.speaker
        cuts = sorted(x for x in bounds[ln.number] if ln.start <= x <= ln.end)
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b > a:
                run = p.add_run(text[a:b])
                runs_at.setdefault(a, run)
                runs_end[b] = run
    for s, e, body, author, created in items:
        first, last = runs_at.get(s), runs_end.get(e)
        if first is None or last is None:
            continue
        comment = d.add_comment([first, last], text=body, author=author or "",
                                initials=_initials(author))
        comment._comment_elm.date = _when(created)
    save_docx(d, path)
    return path


def _coding_text(c, cb: Codebook) -> str:
    th = cb.get(c.theme_id)
    return f"{th.number} {th.label}" + (f": {c.note}" if c.note else "") + \
        (" [exemplar]" if c.exemplar else "")


def _initials(name: str) -> str:
    return "".join(w[0] for w in (name or "").split()[:3]).upper()


def _when(stamp: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _line_numbers(section) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ln = OxmlElement("w:lnNumType")
    ln.set(qn("w:countBy"), "1")
    ln.set(qn("w:restart"), "continuous")
    ln.set(qn("w:distance"), "283")
    sectPr = section._sectPr
    anchor = sectPr.find(qn("w:pgNumType")) or sectPr.find(qn("w:cols"))
    if anchor is not None:
        anchor.addprevious(ln)
    else:
        sectPr.append(ln)


def _three_column(d, lines, codings, notes, statements, cb: Codebook, first: str,
                  said: dict[int, list[str]]) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    from ..report.writers.word import _fixed_layout

    section = d.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    table = d.add_table(rows=1 + len(lines), cols=3)
    table.style = "Table Grid"
    _fixed_layout(table)
    grid = [list(r.cells) for r in table.rows]
    for ci, (head, width) in enumerate(((first, 4.4), ("Transcript", 15.9),
                                        ("Exploratory notes", 4.4))):
        table.columns[ci].width = Cm(width)
        grid[0][ci].text = head
        grid[0][ci].paragraphs[0].runs[0].bold = True
        for row in grid:
            row[ci].width = Cm(width)
    themes_at: dict[int, list[str]] = {}
    for c in sorted(codings, key=lambda c: (c.start_line, c.id)):
        themes_at.setdefault(c.start_line, []).append(
            f"{_coding_text(c, cb)} ({_span(c.start_line, c.end_line)})")
    for st in sorted(statements, key=lambda s: (s.start_line, s.id)):
        themes_at.setdefault(st.start_line, []).extend(
            f"{body} ({_span(st.start_line, st.end_line)})" for body in said[st.id])
    notes_at: dict[int, list[str]] = {}
    for n in sorted(notes, key=lambda n: (n.start_line, n.id)):
        notes_at.setdefault(n.start_line, []).append(
            f"{n.kind[0].upper()}: {n.text} ({_span(n.start_line, n.end_line)})")
    for ln in lines:
        row = grid[ln.number]
        _fill(row[0], themes_at.get(ln.number, []))
        row[1].text = f"{ln.number:>4}  {ln.text}"
        _fill(row[2], notes_at.get(ln.number, []))
        for ci, cell in enumerate(row):
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(7.5 if ci == 1 else 8)


def _cell_entries(cell) -> list[str]:
    """A three-column cell's entries: one per paragraph, a note's own line breaks kept in
    it; a paragraph whose every line ends in a line range holds one entry per line (as
    exports before this one wrote them, and as Shift+Enter in Word adds them)."""
    out: list[str] = []
    for para in cell.paragraphs:
        pieces = para.text.split("\n")
        if all(_RANGED.match(x) for x in pieces if x.strip()):
            out.extend(pieces)
        else:
            out.append(para.text)
    return out


def _fill(cell, entries: list[str]) -> None:
    """One paragraph per entry, so a note written over several lines stays one entry."""
    cell.text = entries[0] if entries else ""
    for entry in entries[1:]:
        cell.add_paragraph(entry)


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"
