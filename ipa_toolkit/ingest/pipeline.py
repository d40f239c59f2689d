"""Ingest orchestration: read files, freeze their lines, add or update transcripts.

Everything is read and numbered before the store is touched, then written in one
transaction; re-ingesting a changed file re-anchors its codings and notes by quote, and a
coding that cannot be found again is kept and flagged ``orphaned``, never dropped.
``Project.ingest`` is a facade over ``ingest`` here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Coding, Line, Participant, Transcript, natural_key, now
from ..safety import inside
from . import anchor as anchoring
from . import read_document, supported_suffixes
from .lines import number_lines

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

PARTICIPANT_IN_NAME = re.compile(r"^([A-Za-z]{1,3}\d+)(?=$|[^0-9])")


def expand(paths: Sequence[str | Path] | str | Path, suffixes: Sequence[str],
           what: str) -> list[Path]:
    """Files named, and the files of folders named (natural order, Office lock files skipped)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted((f for f in p.iterdir() if f.is_file()
                            and f.suffix.lower() in suffixes
                            and not f.name.startswith(("~$", "."))),
                           key=lambda f: natural_key(f.name))
            if not found:
                raise InputError(f"no {what} in this folder", path=str(p),
                                 hint="supported: " + ", ".join(suffixes))
            for f in found:  # a folder's files only: no link out of it is followed
                inside(p, f.name, reading=True)
            files.extend(found)
        else:
            files.append(p)
    if not files:
        raise InputError(f"no {what} given")
    return files


def speaker_names(doc, code: str, interviewer_labels: Sequence[str], path: Path
                  ) -> dict[str, str]:
    """Caption speakers -> transcript labels: interviewers become "Interviewer" and a single
    other speaker becomes the participant's ID, so names do not enter the project."""
    speakers = sorted({s for s in doc.speakers or [] if s})
    known = {x.casefold() for x in interviewer_labels}
    asking = [s for s in speakers if s.casefold() in known]
    others = [s for s in speakers if s.casefold() not in known]
    names = {s: "Interviewer" for s in asking}
    if asking and len(others) == 1:
        names[others[0]] = code
    elif others:
        doc.warnings.append(
            f"{path}: speakers {', '.join(others)} kept as written"
            + ("" if asking else "; say who asks the questions with --interviewer NAME"))
    return names


@dataclass
class IngestResult:
    """What ingesting one file did, for the CLI to report."""

    name: str
    participant: str
    status: str  # "new", "updated", "unchanged"
    lines: int
    words: int
    warnings: list[str] = field(default_factory=list)
    reanchored: int = 0
    fuzzy: int = 0
    orphaned: list[Coding] = field(default_factory=list)
    merged: int = 0


def ingest(project: ProjectLike, paths: Sequence[str | Path] | str | Path, *,
           participant: str | None = None, width: int | None = None,
           interviewers: Sequence[str] = ()) -> list[IngestResult]:
    """Read transcript files (or folders of them) and freeze their line numbers.

    Re-ingesting a changed file re-anchors its codings and notes by quote; a coding
    that cannot be found again is kept and flagged ``orphaned``, never dropped.
    In caption files (.vtt, .srt, "Name  00:03:12" text) the speakers named in
    ``interviewers`` (or the interviewer_labels setting) become "Interviewer" and the
    one other speaker becomes the participant's ID.
    """
    from ..progress import bulk

    with bulk():
        return _ingest(project, paths, participant=participant, width=width,
                       interviewers=interviewers)


def _ingest(project: ProjectLike, paths: Sequence[str | Path] | str | Path, *,
            participant: str | None, width: int | None,
            interviewers: Sequence[str]) -> list[IngestResult]:
    files = expand(paths, supported_suffixes(), "transcripts")
    if participant and len(files) > 1:
        raise InputError("--participant names one participant, but several files were "
                         "given", hint="ingest them one at a time, or name files P3.docx")
    settings = project.settings()
    width = width or settings["wrap_width"]
    if width < 10:
        raise InputError("wrap width must be at least 10 characters")
    prepared = []
    names: dict[str, Path] = {}
    labels = [*settings["interviewer_labels"], *interviewers]
    from ..progress import progress

    for f in progress(files, "reading transcripts"):
        doc = read_document(f)
        name = f.stem
        if name.casefold() in names:
            raise InputError(f"two files would both be transcript '{name}': "
                             f"{names[name.casefold()]} and {f}", path=str(f))
        names[name.casefold()] = f
        code = participant or participant_from_name(name, f)
        if doc.unlabelled:
            doc = doc.labelled(speaker_names(doc, code, labels, f))
        text, lines = number_lines(doc.paragraphs, width=width,
                                   speaker_pattern=settings["speaker_pattern"],
                                   interviewer_labels=labels, speakers=doc.speakers,
                                   cues=doc.cues)
        prepared.append((f, doc, text, lines, name, code))
    results = []
    with project.store.transaction():
        known = {p.code.casefold(): p for p in project.store.participants()}
        existing = {t.name.casefold(): t for t in project.store.transcripts()}
        for f, doc, text, lines, name, code in prepared:
            p = known.get(code.casefold())
            if p is None:
                pid = project.store.upsert_participant(code, {})
                p = Participant(pid, code)
                known[code.casefold()] = p
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            words = len(text.split())
            old = existing.get(name.casefold())
            if old is not None and old.participant.casefold() != p.code.casefold():
                raise InputError(f"transcript '{name}' already belongs to "
                                 f"{old.participant}, not {p.code}", path=str(f))
            if old is None:
                project.store.add_transcript(name=name, participant_id=p.id, source=f.name,
                                             format=doc.format, sha256=sha, width=width,
                                             text=text, lines=lines, ingested=now())
                results.append(IngestResult(name, p.code, "new", len(lines), words,
                                            doc.warnings))
            elif old.sha256 == sha and old.width == width:
                results.append(IngestResult(name, p.code, "unchanged", len(lines), words,
                                            doc.warnings))
            else:
                res = IngestResult(name, p.code, "updated", len(lines), words, doc.warnings)
                replace_text(project, old, f, doc.format, sha, width, text, lines, res)
                results.append(res)
    return results


def participant_from_name(stem: str, path: Path) -> str:
    """P3 from "P3_interview.docx", else the name's first word; refused if it has none."""
    m = PARTICIPANT_IN_NAME.match(stem)
    if m:
        return m.group(1).upper()
    head = re.split(r"[_\-\s]", stem)[0]
    if head and re.fullmatch(r"[\w.]+", head):
        return head
    raise InputError("cannot tell the participant from the file name", path=str(path),
                     hint="name it like P3.docx or pass --participant P3")


def replace_text(project: ProjectLike, old: Transcript, path: Path, fmt: str, sha: str,
                 width: int, text: str, lines: list[Line], res: IngestResult) -> None:
    """Swap in a changed transcript's text and re-anchor its codings, statements, notes."""
    store = project.store
    old_text = store.transcript_text(old.id)
    threshold = float(project.setting("fuzzy_threshold"))
    store.replace_transcript(old.id, source=path.name, format=fmt, sha256=sha, width=width,
                             text=text, lines=lines, ingested=now())
    norm = anchoring.NormalisedText(text)
    taken: set[tuple] = set()
    for c in store.codings(transcript_id=old.id):
        r = anchoring.reanchor(norm, lines, c.quote, c.start, threshold, text)
        if r.span is None:
            store.update_coding(c.id, status="orphaned")
            res.orphaned.append(replace(c, status="orphaned"))
            continue
        key = (c.theme_id, r.span.start, r.span.end, c.coder)
        if key in taken:
            store.delete_coding(c.id)  # two codings now cover one passage
            res.merged += 1
            continue
        taken.add(key)
        store.update_coding(c.id, start_char=r.span.start, end_char=r.span.end,
                            start_line=r.span.start_line, end_line=r.span.end_line,
                            quote=text[r.span.start:r.span.end], status=r.status)
        res.reanchored += 1
        res.fuzzy += r.status == "fuzzy"
    reanchor_statements(store, old.id, norm, lines, text, threshold)
    for n in store.notes(old.id):
        r = anchoring.reanchor(norm, lines, old_text[n.start:n.end], n.start, threshold, text)
        if r.span is None:
            store.update_note(n.id, status="orphaned")
        else:
            store.update_note(n.id, start_char=r.span.start, end_char=r.span.end,
                              start_line=r.span.start_line, end_line=r.span.end_line,
                              status=r.status)


def reanchor_statements(store, transcript_id: int, norm, lines, text: str,
                        threshold: float) -> None:
    """After a re-ingest, find each statement's passage again by its quote (or orphan it)."""
    for s in store.statements([transcript_id]):
        r = anchoring.reanchor(norm, lines, s.quote, s.start, threshold, text)
        if r.span is None:
            store.update_statement(s.id, status="orphaned")
        else:
            store.update_statement(s.id, start_char=r.span.start, end_char=r.span.end,
                                   start_line=r.span.start_line, end_line=r.span.end_line,
                                   quote=text[r.span.start:r.span.end], status=r.status)
